package bytecode

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// backedFixtures are the runtimes of testdata/backedmint/Fixtures.sol in
// three compiler settings (see compile.mjs there).
type backedFixtures struct {
	Runtimes map[string]map[string]struct {
		Runtime string            `json:"runtime"`
		Methods map[string]string `json:"methods"`
	} `json:"runtimes"`
}

func loadBacked(t *testing.T) backedFixtures {
	t.Helper()
	b, err := os.ReadFile("testdata/backedmint/runtimes.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx backedFixtures
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"legacy", "r200", "ir"} {
		if len(fx.Runtimes[s]) == 0 {
			t.Fatalf("runtimes.json: no %s runtimes", s)
		}
	}
	return fx
}

// backedFunc analyses contract's runtime in setting and returns the
// behaviour of method (a full signature).
func backedFunc(t *testing.T, fx backedFixtures, setting, contract, method string) *Function {
	t.Helper()
	c, ok := fx.Runtimes[setting][contract]
	if !ok {
		t.Fatalf("%s: no contract %s", setting, contract)
	}
	code, err := hex.DecodeString(strings.TrimPrefix(c.Runtime, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	id, ok := c.Methods[method]
	if !ok {
		t.Fatalf("%s has no method %s", contract, method)
	}
	r, err := Analyze(code, nil)
	if err != nil {
		t.Fatal(err)
	}
	sel, err := hex.DecodeString(id)
	if err != nil || len(sel) != 4 {
		t.Fatalf("bad selector %q", id)
	}
	f := r.Behavior().Function(Sel(sel))
	if f == nil {
		t.Fatalf("%s %s.%s: not walked", setting, contract, method)
	}
	return f
}

func TestBackedDump(t *testing.T) {
	fx := loadBacked(t)
	cases := [][2]string{
		{"BmOZVault", "deposit(uint256,address)"}, {"BmOZVault", "mint(uint256,address)"},
		{"BmMiniVault", "deposit(uint256,address)"}, {"BmLowLevelVault", "deposit(uint256)"},
		{"BmOwnerMint", "mint(address,uint256)"}, {"BmFreeMintCalls", "mint(address,uint256)"},
		{"BmAnyTokenVault", "deposit(address,uint256)"}, {"BmPaidMint", "mint(uint256)"}, {"BmPaidMint", "wrap()"},
	}
	for _, s := range []string{"legacy", "r200", "ir"} {
		for _, c := range cases {
			f := backedFunc(t, fx, s, c[0], c[1])
			t.Logf("%s %s.%s: paidValue=%v incomplete=%v", s, c[0], c[1], f.PaidValue, f.Incomplete)
			for _, cl := range f.Calls {
				t.Logf("   call %+v", cl)
			}
			for _, w := range f.Writes {
				if w.Adds {
					t.Logf("   write %s %s adds paid=%q guards=%v", w.Loc.Kind, w.Loc.Slot.Hex()[:10], w.PaidBy, w.Guards)
				}
			}
		}
	}
}
