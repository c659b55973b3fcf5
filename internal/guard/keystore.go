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
	// Lengths are checked before any work: a wrong IV length would panic in
	// cipher.NewCTR, and the key of an Ethereum account is 32 bytes.
	if len(iv) != aes.BlockSize {
		return nil, fmt.Errorf("keystore: cipherparams.iv is %d bytes, want %d", len(iv), aes.BlockSize)
	}
	if len(mac) != 32 {
		return nil, fmt.Errorf("keystore: mac is %d bytes, want 32", len(mac))
	}
	if len(ct) != 32 {
		return nil, fmt.Errorf("keystore: ciphertext is %d bytes, want 32 (a secp256k1 private key)", len(ct))
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

// KDF bounds. A keystore is untrusted input: unbounded parameters would let
// a file allocate gigabytes (scrypt needs 128·n·r bytes) or spin for hours
// (pbkdf2 iterations) before the password is even checked. The limits are
// well above what every wallet writes (geth's standard scrypt n=2^18, r=8,
// p=1: 256 MiB; its pbkdf2 c=262144).
const (
	maxScryptMem = 1 << 30 // bytes: 128·n·r·p
	maxScryptN   = 1 << 22
	maxScryptR   = 64
	maxScryptP   = 16
	maxPBKDF2C   = 10_000_000
	maxDKLen     = 64
	maxSaltLen   = 1024
)

// deriveKey runs the keystore's KDF within the bounds above.
func deriveKey(kdf string, p map[string]any, password string) ([]byte, error) {
	num := func(name string, max int) (int, error) {
		v, ok := p[name].(float64)
		if !ok || v <= 0 || v != float64(int64(v)) {
			return 0, fmt.Errorf("keystore: kdfparams.%s missing or not a positive integer", name)
		}
		if v > float64(max) {
			return 0, fmt.Errorf("keystore: kdfparams.%s = %.0f exceeds the limit %d", name, v, max)
		}
		return int(v), nil
	}
	saltHex, _ := p["salt"].(string)
	salt, err := hex.DecodeString(saltHex)
	if err != nil {
		return nil, fmt.Errorf("keystore: kdfparams.salt: %w", err)
	}
	if len(salt) > maxSaltLen {
		return nil, fmt.Errorf("keystore: kdfparams.salt is %d bytes, over the limit %d", len(salt), maxSaltLen)
	}
	dkLen, err := num("dklen", maxDKLen)
	if err != nil {
		return nil, err
	}
	if dkLen < 32 {
		return nil, fmt.Errorf("keystore: kdfparams.dklen %d < 32", dkLen)
	}
	switch kdf {
	case "scrypt":
		n, err1 := num("n", maxScryptN)
		r, err2 := num("r", maxScryptR)
		pp, err3 := num("p", maxScryptP)
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, err
		}
		if n < 2 || n&(n-1) != 0 {
			return nil, fmt.Errorf("keystore: kdfparams.n = %d is not a power of two > 1", n)
		}
		if mem := 128 * n * r * pp; mem > maxScryptMem {
			return nil, fmt.Errorf("keystore: scrypt parameters need %d MiB, over the %d MiB limit", mem>>20, maxScryptMem>>20)
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
		c, err := num("c", maxPBKDF2C)
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
