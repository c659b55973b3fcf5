package guard

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/crypto"
	"golang.org/x/crypto/scrypt"
)

// ErrKeystorePassword is returned when a keystore's MAC does not match the
// password.
var ErrKeystorePassword = errors.New("could not decrypt key with given password")

// keystoreV3 is the Web3 Secret Storage (version 3) file format written by
// go-ethereum's accounts/keystore, geth account new, cast wallet and
// MetaMask exports.
//
// go-ethereum's accounts/keystore package is not imported: it links a
// file-system watcher (fsnotify) the module does not otherwise need. The
// format is small and fixed; decryptKeystore follows
// accounts/keystore.DecryptKey.
type keystoreV3 struct {
	Address string `json:"address"`
	Crypto  struct {
		Cipher       string `json:"cipher"`
		CipherText   string `json:"ciphertext"`
		CipherParams struct {
			IV string `json:"iv"`
		} `json:"cipherparams"`
		KDF       string         `json:"kdf"`
		KDFParams map[string]any `json:"kdfparams"`
		MAC       string         `json:"mac"`
	} `json:"crypto"`
	Version int `json:"version"`
}

// decryptKeystore returns the raw 32-byte private key in a V3 keystore.
// Errors never contain the password or key material.
func decryptKeystore(data []byte, password string) ([]byte, error) {
	var k keystoreV3
	if err := json.Unmarshal(data, &k); err != nil {
		return nil, fmt.Errorf("keystore: parse: %w", err)
	}
	if k.Version != 3 {
		return nil, fmt.Errorf("keystore: version %d not supported (want 3)", k.Version)
	}
	c := k.Crypto
	if c.Cipher != "aes-128-ctr" {
		return nil, fmt.Errorf("keystore: cipher %q not supported", c.Cipher)
	}
	mac, err1 := hex.DecodeString(c.MAC)
	iv, err2 := hex.DecodeString(c.CipherParams.IV)
	ct, err3 := hex.DecodeString(c.CipherText)
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, fmt.Errorf("keystore: bad hex field: %w", err)
	}
	dk, err := deriveKey(c.KDF, c.KDFParams, password)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(crypto.Keccak256(dk[16:32], ct), mac) {
		return nil, fmt.Errorf("keystore: %w", ErrKeystorePassword)
	}
	block, err := aes.NewCipher(dk[:16])
	if err != nil {
		return nil, fmt.Errorf("keystore: aes: %w", err)
	}
	plain := make([]byte, len(ct))
	cipher.NewCTR(block, iv).XORKeyStream(plain, ct)
	return plain, nil
}

// deriveKey runs the keystore's KDF.
func deriveKey(kdf string, p map[string]any, password string) ([]byte, error) {
	num := func(name string) (int, error) {
		v, ok := p[name].(float64)
		if !ok || v <= 0 || v != float64(int(v)) {
			return 0, fmt.Errorf("keystore: kdfparams.%s missing or invalid", name)
		}
		return int(v), nil
	}
	saltHex, _ := p["salt"].(string)
	salt, err := hex.DecodeString(saltHex)
	if err != nil {
		return nil, fmt.Errorf("keystore: kdfparams.salt: %w", err)
	}
	dkLen, err := num("dklen")
	if err != nil {
		return nil, err
	}
	if dkLen < 32 {
		return nil, fmt.Errorf("keystore: kdfparams.dklen %d < 32", dkLen)
	}
	switch kdf {
	case "scrypt":
		n, err1 := num("n")
		r, err2 := num("r")
		pp, err3 := num("p")
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, err
		}
		dk, err := scrypt.Key([]byte(password), salt, n, r, pp, dkLen)
		if err != nil {
			return nil, fmt.Errorf("keystore: scrypt: %w", err)
		}
		return dk, nil
	case "pbkdf2":
		if prf, _ := p["prf"].(string); prf != "hmac-sha256" {
			return nil, fmt.Errorf("keystore: pbkdf2 prf %q not supported", prf)
		}
		c, err := num("c")
		if err != nil {
			return nil, err
		}
		dk, err := pbkdf2.Key(sha256.New, password, salt, c, dkLen)
		if err != nil {
			return nil, fmt.Errorf("keystore: pbkdf2: %w", err)
		}
		return dk, nil
	}
	return nil, fmt.Errorf("keystore: kdf %q not supported", kdf)
}
