package guard

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"golang.org/x/crypto/scrypt"
)

// lightKeystore returns a V3 keystore of key under password with cheap
// scrypt parameters, as a generic map the tests can corrupt.
func lightKeystore(t testing.TB, key []byte, password string) map[string]any {
	t.Helper()
	salt, iv := bytes.Repeat([]byte{7}, 32), bytes.Repeat([]byte{9}, 16)
	dk, err := scrypt.Key([]byte(password), salt, 16, 1, 1, 32)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := aes.NewCipher(dk[:16])
	ct := make([]byte, len(key))
	cipher.NewCTR(block, iv).XORKeyStream(ct, key)
	return map[string]any{
		"version": 3,
		"crypto": map[string]any{
			"cipher": "aes-128-ctr", "ciphertext": hex.EncodeToString(ct),
			"cipherparams": map[string]any{"iv": hex.EncodeToString(iv)},
			"kdf":          "scrypt", "kdfparams": map[string]any{"n": 16, "r": 1, "p": 1, "dklen": 32, "salt": hex.EncodeToString(salt)},
			"mac": hex.EncodeToString(crypto.Keccak256(dk[16:32], ct)),
		},
	}
}

func TestKeystoreMalformedParamsFailFast(t *testing.T) {
	key := bytes.Repeat([]byte{0x42}, 32)
	if got, err := decryptKeystore(mustJSON(t, lightKeystore(t, key, "pw")), "pw"); err != nil || !bytes.Equal(got, key) {
		t.Fatalf("valid keystore: %x %v", got, err)
	}
	set := func(path string, v any) func(map[string]any) {
		return func(ks map[string]any) {
			c := ks["crypto"].(map[string]any)
			switch {
			case strings.HasPrefix(path, "kdfparams."):
				c["kdfparams"].(map[string]any)[strings.TrimPrefix(path, "kdfparams.")] = v
			case path == "iv":
				c["cipherparams"].(map[string]any)["iv"] = v
			default:
				c[path] = v
			}
		}
	}
	cases := []struct {
		name   string
		mutate func(map[string]any)
		want   string
	}{
		{"huge n", set("kdfparams.n", 1<<40), "kdfparams.n"},
		{"n not power of two", set("kdfparams.n", 1000), "power of two"},
		{"huge r", set("kdfparams.r", 1<<20), "kdfparams.r"},
		{"huge p", set("kdfparams.p", 1<<30), "kdfparams.p"},
		{"memory over limit", func(ks map[string]any) { set("kdfparams.n", 1<<22)(ks); set("kdfparams.r", 64)(ks) }, "MiB"},
		{"negative n", set("kdfparams.n", -2), "kdfparams.n"},
		{"fractional r", set("kdfparams.r", 1.5), "kdfparams.r"},
		{"n as string", set("kdfparams.n", "16"), "kdfparams.n"},
		{"huge dklen", set("kdfparams.dklen", 1<<31), "kdfparams.dklen"},
		{"short dklen", set("kdfparams.dklen", 16), "dklen 16 < 32"},
		{"huge salt", set("kdfparams.salt", strings.Repeat("ab", 4096)), "salt"},
		{"short iv", set("iv", "0102"), "iv is 2 bytes"},
		{"long ciphertext", set("ciphertext", strings.Repeat("00", 64)), "ciphertext is 64 bytes"},
		{"short mac", set("mac", "00"), "mac is 1 bytes"},
		{"pbkdf2 huge c", func(ks map[string]any) {
			c := ks["crypto"].(map[string]any)
			c["kdf"] = "pbkdf2"
			c["kdfparams"] = map[string]any{"c": 1e12, "dklen": 32, "prf": "hmac-sha256", "salt": "00"}
		}, "kdfparams.c"},
		{"unknown kdf", set("kdf", "argon2"), `kdf "argon2"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ks := lightKeystore(t, key, "pw")
			c.mutate(ks)
			start := time.Now()
			_, err := decryptKeystore(mustJSON(t, ks), "pw")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
			if errors.Is(err, ErrKeystorePassword) {
				t.Fatalf("reported as a wrong password: %v", err)
			}
			// Rejected before any key derivation: a bound, not a timing target.
			if d := time.Since(start); d > 5*time.Second {
				t.Fatalf("took %v", d)
			}
		})
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzDecryptKeystore feeds arbitrary files to the keystore decoder: it
// must return an error or a 32-byte key, never panic or run away.
func FuzzDecryptKeystore(f *testing.F) {
	f.Add(mustJSON(f, lightKeystore(f, bytes.Repeat([]byte{1}, 32), "pw")), "pw")
	f.Add([]byte(`{"version":3,"crypto":{"cipher":"aes-128-ctr","kdf":"pbkdf2","kdfparams":{"c":1,"dklen":32,"prf":"hmac-sha256","salt":""}}}`), "")
	f.Add([]byte(`{}`), "x")
	f.Fuzz(func(t *testing.T, data []byte, pw string) {
		var probe struct {
			Crypto struct {
				KDFParams map[string]any `json:"kdfparams"`
			} `json:"crypto"`
		}
		// Keep each run cheap: the bounds allow up to 1 GiB of scrypt,
		// which is right for real files but too slow for a fuzzer.
		if json.Unmarshal(data, &probe) == nil {
			for _, k := range []string{"n", "r", "p", "c"} {
				if v, ok := probe.Crypto.KDFParams[k].(float64); ok && v > 4096 {
					return
				}
			}
		}
		k, err := decryptKeystore(data, pw)
		if err == nil && len(k) != 32 {
			t.Fatalf("decrypted a %d-byte key", len(k))
		}
	})
}
