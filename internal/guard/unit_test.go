package guard_test

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"golang.org/x/crypto/scrypt"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/guard"
)

func TestPolicyValidateNamesFields(t *testing.T) {
	bank := common.HexToAddress("0x1000000000000000000000000000000000000001")
	ok := guard.Policy{Protocol: "bank", Actions: []guard.Call{{Target: bank, Signature: "pause()"}}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid policy: %v", err)
	}
	bad := guard.Policy{
		Mode:    "yolo",
		Trigger: guard.TriggerRule{MinConfidence: 1.5, Stage: "confirmed", Detectors: []string{"a"}, MinDetectors: 2},
		Actions: []guard.Call{{Target: bank, Signature: "setBorrowCap(address,uint256)", Args: []string{"0x12"}}},
		Limits:  guard.Limits{Cooldown: -1},
	}
	err := bad.Validate()
	if err == nil {
		t.Fatal("invalid policy accepted")
	}
	for _, field := range []string{"protocol:", "mode:", "trigger.min_confidence:", "trigger.stage:", "trigger.min_detectors:", "actions[0]:", "limits.cooldown:"} {
		if !strings.Contains(err.Error(), field) {
			t.Errorf("error does not name %s: %v", field, err)
		}
	}
	ps := guard.Policies{Protocols: []guard.Policy{ok, ok}}
	if err := ps.Validate(); err == nil || !strings.Contains(err.Error(), "protocols[1].protocol: duplicate") {
		t.Errorf("duplicate protocol: %v", err)
	}
}

func TestCallEncode(t *testing.T) {
	market := common.HexToAddress("0x2000000000000000000000000000000000000002")
	for _, tc := range []struct {
		call guard.Call
		want string
	}{
		{guard.Call{Target: market, Signature: "pause()"}, "8456cb59"},
		{guard.Call{Target: market, Signature: "pauseMarket(address)", Args: []string{market.Hex()}},
			hex.EncodeToString(crypto.Keccak256([]byte("pauseMarket(address)"))[:4]) + hex.EncodeToString(common.LeftPadBytes(market.Bytes(), 32))},
		{guard.Call{Target: market, Signature: "setBorrowCap(address, uint256)", Args: []string{market.Hex(), "0x10"}},
			hex.EncodeToString(crypto.Keccak256([]byte("setBorrowCap(address,uint256)"))[:4]) + hex.EncodeToString(common.LeftPadBytes(market.Bytes(), 32)) +
				hex.EncodeToString(common.LeftPadBytes([]byte{0x10}, 32))},
		{guard.Call{Target: market, Signature: "setFlag(bool,uint8)", Args: []string{"true", "7"}},
			hex.EncodeToString(crypto.Keccak256([]byte("setFlag(bool,uint8)"))[:4]) + hex.EncodeToString(common.LeftPadBytes([]byte{1}, 32)) +
				hex.EncodeToString(common.LeftPadBytes([]byte{7}, 32))},
	} {
		got, err := tc.call.Encode()
		if err != nil {
			t.Fatalf("%s: %v", tc.call.Signature, err)
		}
		if hex.EncodeToString(got) != tc.want {
			t.Errorf("%s: got %x want %s", tc.call.Signature, got, tc.want)
		}
	}
	if _, err := (guard.Call{Target: market, Signature: "f(uint8)", Args: []string{"300"}}).Encode(); err == nil {
		t.Error("uint8 overflow accepted")
	}
}

func TestPricing(t *testing.T) {
	gwei := big.NewInt(1_000_000_000)
	base := new(big.Int).Mul(big.NewInt(10), gwei)
	attack := types.NewTx(&types.DynamicFeeTx{GasTipCap: new(big.Int).Mul(big.NewInt(2), gwei), GasFeeCap: new(big.Int).Mul(big.NewInt(100), gwei)})
	p := guard.Policy{}.WithDefaults().Pricing
	f := guard.PriceFor(attack, base, p)
	// tip = 2 gwei × 1.25 + 1 gwei = 3.5 gwei; fee cap = 2 × 10 + 3.5.
	if f.TipCap.Cmp(big.NewInt(3_500_000_000)) != 0 || f.FeeCap.Cmp(big.NewInt(23_500_000_000)) != 0 {
		t.Errorf("fees %s/%s", f.TipCap, f.FeeCap)
	}
	// Capped attacker: fee cap 11 gwei at base 10 → effective tip 1 gwei.
	capped := types.NewTx(&types.DynamicFeeTx{GasTipCap: new(big.Int).Mul(big.NewInt(5), gwei), GasFeeCap: new(big.Int).Mul(big.NewInt(11), gwei)})
	if tip := guard.EffectiveTip(capped, base); tip.Cmp(gwei) != 0 {
		t.Errorf("effective tip %s", tip)
	}
	b := guard.Bump(f, f, p.MarginPercent)
	for _, pair := range [][2]*big.Int{{f.TipCap, b.TipCap}, {f.FeeCap, b.FeeCap}} {
		min := new(big.Int).Quo(new(big.Int).Mul(pair[0], big.NewInt(110)), big.NewInt(100))
		if pair[1].Cmp(min) < 0 {
			t.Errorf("bump %s -> %s is below +10%%", pair[0], pair[1])
		}
	}
	legacy := types.NewTx(&types.LegacyTx{GasPrice: new(big.Int).Mul(big.NewInt(20), gwei)})
	p.Legacy = true
	if lf := guard.PriceFor(legacy, base, p); lf.GasPrice.Cmp(big.NewInt(26_000_000_000)) != 0 {
		t.Errorf("legacy gas price %s, want 26 gwei", lf.GasPrice)
	}
}

// encryptKeystore writes a V3 keystore the way go-ethereum's
// accounts/keystore does (light scrypt parameters).
func encryptKeystore(t testing.TB, key []byte, password string) []byte {
	t.Helper()
	salt, iv := make([]byte, 32), make([]byte, 16)
	_, _ = rand.Read(salt)
	_, _ = rand.Read(iv)
	dk, err := scrypt.Key([]byte(password), salt, 4096, 8, 6, 32)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := aes.NewCipher(dk[:16])
	ct := make([]byte, len(key))
	cipher.NewCTR(block, iv).XORKeyStream(ct, key)
	ks := map[string]any{
		"version": 3,
		"crypto": map[string]any{
			"cipher": "aes-128-ctr", "ciphertext": hex.EncodeToString(ct),
			"cipherparams": map[string]any{"iv": hex.EncodeToString(iv)},
			"kdf":          "scrypt", "kdfparams": map[string]any{"n": 4096, "r": 8, "p": 6, "dklen": 32, "salt": hex.EncodeToString(salt)},
			"mac": hex.EncodeToString(crypto.Keccak256(dk[16:32], ct)),
		},
	}
	b, _ := json.Marshal(ks)
	return b
}

func TestSignerKeystoreEnvAndRedaction(t *testing.T) {
	key, _ := crypto.GenerateKey()
	raw := crypto.FromECDSA(key)
	hexKey := hex.EncodeToString(raw)
	want := crypto.PubkeyToAddress(key.PublicKey)
	dir := t.TempDir()
	ksPath, pwPath := filepath.Join(dir, "guardian.json"), filepath.Join(dir, "pw")
	if err := os.WriteFile(ksPath, encryptKeystore(t, raw, "s3cret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pwPath, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	s, err := guard.LoadKeystore(ksPath, pwPath, "")
	if err != nil || s.Address() != want {
		t.Fatalf("keystore via file: %v %v", s, err)
	}
	t.Setenv("AEGIS_TEST_GUARD_PW", "s3cret")
	if s, err := guard.LoadKeystore(ksPath, "", "AEGIS_TEST_GUARD_PW"); err != nil || s.Address() != want {
		t.Fatalf("keystore via env: %v", err)
	}
	t.Setenv("AEGIS_TEST_GUARD_PW", "wrong")
	_, err = guard.LoadKeystore(ksPath, "", "AEGIS_TEST_GUARD_PW")
	if err == nil || !strings.Contains(err.Error(), "could not decrypt") {
		t.Fatalf("wrong password: %v", err)
	}
	fmt.Fprintln(&out, err)

	log := slog.New(slog.NewTextHandler(&out, nil))
	t.Setenv("AEGIS_TEST_GUARD_KEY", "0x"+hexKey)
	es, err := guard.SignerFromEnv(log, "AEGIS_TEST_GUARD_KEY")
	if err != nil || es.Address() != want {
		t.Fatalf("env key: %v", err)
	}
	if !strings.Contains(out.String(), "level=WARN") {
		t.Errorf("no warning for a raw env key: %s", out.String())
	}
	t.Setenv("AEGIS_TEST_GUARD_KEY", hexKey[:60]+"zz")
	_, err = guard.SignerFromEnv(log, "AEGIS_TEST_GUARD_KEY")
	if err == nil {
		t.Fatal("bad env key accepted")
	}
	log.Info("signer", "s", es, "err", err)
	j, _ := json.Marshal(struct{ S *guard.Signer }{es})
	fmt.Fprintf(&out, "%v %+v %#v %s %x %q %v %s", es, es, es, es, es, es, *es, j)
	if strings.Contains(strings.ToLower(out.String()), hexKey) || strings.Contains(out.String(), hexKey[:60]) {
		t.Fatalf("key leaked: %s", out.String())
	}
	if !strings.Contains(out.String(), want.Hex()) {
		t.Errorf("address missing from redacted output")
	}
}

// TestGateRefusesIneffectiveAction: pausing an unrelated contract does not
// stop the attack; the gate says so and nothing is sent.
func TestGateRefusesIneffectiveAction(t *testing.T) {
	if testing.Short() {
		t.Skip("devnet test")
	}
	ctx := context.Background()
	w := manualWorld(t)
	staged, tg := stageReentrancy(t, w)
	art, err := contracts.Load("VulnerableBank")
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := w.client.Deploy(ctx, w.env.Deployer, art.ABI, art.Bytecode, w.env.Guardian.Address)
	if err != nil {
		t.Fatal(err)
	}
	pol := pausePolicy(tg, guard.ModeArmed)
	pol.Actions = []guard.Call{{Name: "OtherBank", Target: other.Address, Signature: "pause()"}}
	g := newGuard(t, w, w.env.Guardian, nil, nil, nil, pol)
	txs, err := staged.Exploit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.ec.SendTransaction(ctx, txs[0]); err != nil {
		t.Fatal(err)
	}
	obs, err := newMonitor(w, []attack.Target{tg}).inspect(ctx, txs[0])
	if err != nil {
		t.Fatal(err)
	}
	d, err := g.Handle(ctx, guard.Trigger{Tx: txs[0], Observations: obs})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("reason: %s", d.Reason)
	if d.Verdict != guard.VerdictRefused || !strings.Contains(d.Reason, "does not stop the attack") || len(d.Txs) != 0 {
		t.Fatalf("verdict %s (%s)", d.Verdict, d.Reason)
	}
}
