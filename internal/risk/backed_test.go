package risk

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// backedFixture is one compiled backed-mint fixture.
type backedFixture struct {
	Runtime  string          `json:"runtime"`
	Creation string          `json:"creation"`
	ABI      json.RawMessage `json:"abi"`
}

// backedFixtures reads internal/bytecode's compiled backed-mint fixtures:
// setting → contract → fixture.
func backedFixtures(t *testing.T) map[string]map[string]backedFixture {
	t.Helper()
	b, err := os.ReadFile("../bytecode/testdata/backedmint/runtimes.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx struct {
		Runtimes map[string]map[string]backedFixture `json:"runtimes"`
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	return fx.Runtimes
}

// backedRuntimes returns the runtimes of internal/bytecode's backed-mint
// fixtures (testdata/backedmint/Fixtures.sol, compiled with legacy codegen
// without and with the optimizer and with via-IR): setting → contract →
// runtime.
func backedRuntimes(t *testing.T) map[string]map[string][]byte {
	t.Helper()
	out := map[string]map[string][]byte{}
	for s, cs := range backedFixtures(t) {
		out[s] = map[string][]byte{}
		for c, r := range cs {
			code, err := hex.DecodeString(strings.TrimPrefix(r.Runtime, "0x"))
			if err != nil {
				t.Fatal(err)
			}
			out[s][c] = code
		}
	}
	if len(out) != 3 {
		t.Fatalf("want 3 compiler settings, got %d", len(out))
	}
	return out
}

// signalEvidence returns the evidence details of signal name.
func signalEvidence(r *Report, name string) []string {
	var out []string
	for _, s := range r.Signals {
		if s.Name == name {
			for _, e := range s.Evidence {
				out = append(out, e.Detail)
			}
		}
	}
	return out
}

// TestBackedMint: a mint paid by the caller (a vault deposit pulling the
// asset with transferFrom(msg.sender, …), a mint priced in msg.value) is
// evidence, not a mint-path; owner mints and free mints still are, also
// when they make unrelated calls or "pull" a token the caller chooses.
func TestBackedMint(t *testing.T) {
	cases := []struct {
		contract string
		mintable bool
		// backedWith is a substring of the backed-mint evidence ("" when
		// none is expected); freeDetail one of the mint-path evidence.
		backedWith, freeDetail string
	}{
		{"BmOZVault", false, "caller's tokens (transferFrom(msg.sender, …) on const:", ""},
		{"BmMiniVault", false, "caller's tokens (transferFrom(msg.sender, …) on const:", ""},
		{"BmLowLevelVault", false, "caller's tokens (transferFrom(msg.sender, …) on slot:", ""},
		{"BmPaidMint", false, "caller's ETH (msg.value)", ""},
		{"BmOwnerMint", true, "", "behind slot:"},
		{"BmFreeMintCalls", true, "", "callable by anyone"},
		{"BmAnyTokenVault", true, "", "callable by anyone"},
	}
	for setting, codes := range backedRuntimes(t) {
		for _, c := range cases {
			t.Run(setting+"/"+c.contract, func(t *testing.T) {
				r := AnalyzeBytecode(context.Background(), codes[c.contract], nil)
				want := boolFlag(c.mintable)
				if got := r.Flag("is_mintable"); got != want {
					t.Errorf("is_mintable = %q, want %q; factors %+v", got, want, r.Factors)
				}
				f := r.Factor("mint-path")
				if c.mintable != (f != nil) {
					t.Fatalf("mint-path factor %+v, want present=%v", f, c.mintable)
				}
				ev := strings.Join(signalEvidence(r, "mint"), "\n")
				if c.backedWith != "" && !strings.Contains(ev, "backed mint") || !strings.Contains(ev, c.backedWith) {
					t.Errorf("mint evidence %q, want a backed mint with %q", ev, c.backedWith)
				}
				if c.backedWith == "" && strings.Contains(ev, "backed mint") {
					t.Errorf("unexpected backed-mint evidence %q", ev)
				}
				if f != nil && !strings.Contains(f.Evidence[0].Detail, c.freeDetail) {
					t.Errorf("mint-path evidence %q, want %q", f.Evidence[0].Detail, c.freeDetail)
				}
			})
		}
	}
}

// deployBacked deploys a backed-mint fixture (the r200 build) with args.
func deployBacked(t *testing.T, c *chain.Client, from chain.Account, name string, args ...any) *chain.Contract {
	t.Helper()
	e, ok := backedFixtures(t)["r200"][name]
	if !ok || e.Creation == "" {
		t.Fatalf("no creation code for %s", name)
	}
	a, err := abi.JSON(bytes.NewReader(e.ABI))
	if err != nil {
		t.Fatal(err)
	}
	code, err := hex.DecodeString(strings.TrimPrefix(e.Creation, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	k, _, err := c.Deploy(context.Background(), from, &a, code, args...)
	if err != nil {
		t.Fatalf("deploy %s: %v", name, err)
	}
	return k
}

// TestBackedMintNodeMode: in node mode an ERC-4626 vault is not mintable —
// the static signal reports a backed mint and privilege probing (a stranger
// calling deposit/mint without funds or allowance) raises no supply — while
// an owner-only mint still is.
func TestBackedMintNodeMode(t *testing.T) {
	env := testchain.New(t)
	ctx := context.Background()
	acc := env.Accounts
	dep := acc[0]
	tx := func(k *chain.Contract, from chain.Account, method string, args ...any) {
		t.Helper()
		if _, err := k.Transact(ctx, from, method, args...); err != nil {
			t.Fatalf("%s: %v", method, err)
		}
	}
	e18 := chain.Ether(1)
	assetArt, err := contracts.Load("RiskFxPlainToken")
	if err != nil {
		t.Fatal(err)
	}
	asset, _, err := env.Client.Deploy(ctx, dep, assetArt.ABI, assetArt.Bytecode, new(big.Int).Mul(e18, big.NewInt(1_000_000)))
	if err != nil {
		t.Fatal(err)
	}
	vault := deployBacked(t, env.Client, dep, "BmOZVault", asset.Address)
	owned := deployBacked(t, env.Client, dep, "BmOwnerMint")
	// Holders: depositors of the vault, recipients of the owner's mint.
	for i, u := range acc[1:4] {
		amt := new(big.Int).Mul(e18, big.NewInt(int64(100*(i+1))))
		tx(asset, dep, "transfer", u.Address, amt)
		tx(asset, u, "approve", vault.Address, amt)
		tx(vault, u, "deposit", amt, u.Address)
		tx(owned, dep, "mint", u.Address, amt)
	}
	ec := env.Node.Client()
	analyze := func(a common.Address) *Report {
		t.Helper()
		r, err := AnalyzeToken(ctx, ec, ec.Client(), a, Options{Holders: 3})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range r.Signals {
			if s.Name == "privilege-probing" && s.Status != StatusOK {
				t.Fatalf("privilege probing did not run: %s", s.Reason)
			}
		}
		return r
	}
	rv := analyze(vault.Address)
	if rv.Flag("is_mintable") != "0" {
		t.Errorf("vault: is_mintable %q, factors %+v", rv.Flag("is_mintable"), rv.Factors)
	}
	for _, id := range []string{"mint-path", "mint-probe", "anyone-mint"} {
		if f := rv.Factor(id); f != nil {
			t.Errorf("vault: factor %+v", f)
		}
	}
	if ev := strings.Join(signalEvidence(rv, "mint"), "\n"); !strings.Contains(ev, "backed mint") {
		t.Errorf("vault: no backed-mint evidence in %q", ev)
	}
	ro := analyze(owned.Address)
	if ro.Flag("is_mintable") != "1" || ro.Factor("mint-path") == nil {
		t.Errorf("owner mint: is_mintable %q, factors %+v", ro.Flag("is_mintable"), ro.Factors)
	}
}
