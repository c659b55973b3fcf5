package attack

import (
	"bytes"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
)

func TestSignatureReplayVulnerable(t *testing.T) {
	_, _, res := runScenario(t, SignatureReplay{}, Vulnerable, false)
	// The genuine 100,000 USDx release paid a second time.
	expectUnitsGain(t, res, "USDx", 100_000, 100_000)
}

func TestSignatureReplaySafe(t *testing.T) {
	_, _, res := runScenario(t, SignatureReplay{}, Safe, false)
	expectUnitsHeld(t, res)
}

func TestSignatureReplayPausedByGuardian(t *testing.T) {
	_, _, res := runScenario(t, SignatureReplay{}, Vulnerable, true)
	expectUnitsHeld(t, res)
}

// TestMalleateRecoversSameSigner checks the twin signature is a different
// byte string that recovers to the same key.
func TestMalleateRecoversSameSigner(t *testing.T) {
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	digest := crypto.Keccak256([]byte("release"))
	sig, err := crypto.Sign(digest, key)
	if err != nil {
		t.Fatal(err)
	}
	var s [32]byte
	copy(s[:], sig[32:64])
	v2, s2 := malleate(sig[64]+27, s)
	twin := append(append(append([]byte{}, sig[:32]...), s2[:]...), v2-27)
	if bytes.Equal(twin, sig) {
		t.Fatal("twin equals the original")
	}
	pub, err := crypto.Ecrecover(digest, twin)
	if err != nil {
		t.Fatalf("recover twin: %v", err)
	}
	want := crypto.FromECDSAPub(&key.PublicKey)
	if !bytes.Equal(pub, want) {
		t.Fatal("twin recovers to a different key")
	}
}
