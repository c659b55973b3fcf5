package bytecode

import (
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/contracts"
)

// behaviorOf analyses an artifact's runtime code and returns the behaviour
// of its method name.
func behaviorOf(t *testing.T, contract, method string) *Function {
	t.Helper()
	a, err := contracts.Load(contract)
	if err != nil {
		t.Fatal(err)
	}
	m, ok := a.ABI.Methods[method]
	if !ok {
		t.Fatalf("%s has no method %s", contract, method)
	}
	r, err := Analyze(a.DeployedBytecode, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := r.Behavior().Function(Sel(m.ID))
	if f == nil {
		t.Fatalf("%s.%s: no behaviour (selector %x not walked)", contract, method, m.ID)
	}
	return f
}

func slot(n int64) common.Hash { return common.BigToHash(big.NewInt(n)) }

func hasWrite(f *Function, pred func(Write) bool) bool { return slices.ContainsFunc(f.Writes, pred) }

func TestBehaviorHiddenMint(t *testing.T) {
	// syncRewards has a selector sigdb does not know; the walk still sees
	// it add to the supply slot (0) and to the balance mapping (1) behind a
	// caller check against the operator slot.
	f := behaviorOf(t, "RiskFxRiggedToken", "syncRewards")
	if !hasWrite(f, func(w Write) bool { return w.Loc.Kind == "slot" && w.Loc.Slot == slot(0) && w.Adds && w.FromArg }) {
		t.Errorf("no supply increment in %+v", f.Writes)
	}
	if !hasWrite(f, func(w Write) bool {
		return w.Loc.Kind == "mapping" && w.Loc.Slot == slot(1) && w.Loc.Depth == 1 && w.Loc.KeyArg && !w.Loc.KeyCaller && w.Adds && len(w.Guards) > 0
	}) {
		t.Errorf("no guarded balance credit in %+v", f.Writes)
	}
	// The plain token's transfer debits the caller's balance and credits an
	// argument-keyed entry, with no guard.
	tr := behaviorOf(t, "RiskFxPlainToken", "transfer")
	if !hasWrite(tr, func(w Write) bool { return w.Loc.Slot == slot(1) && w.Loc.KeyCaller && w.Subs && len(w.Guards) == 0 }) {
		t.Errorf("transfer: no caller debit in %+v", tr.Writes)
	}
}

func TestBehaviorFeeBound(t *testing.T) {
	capped := behaviorOf(t, "RiskFxCappedFeeToken", "setFee")
	i := slices.IndexFunc(capped.Writes, func(w Write) bool { return w.FromArg && w.Loc.Kind == "slot" })
	if i < 0 || capped.Writes[i].Bound == nil || capped.Writes[i].Bound.Uint64() != 500 {
		t.Fatalf("setFee: want a write bounded by 500, got %+v", capped.Writes)
	}
	open := behaviorOf(t, "RiskFxRiggedToken", "setConfig")
	for _, w := range open.Writes {
		if w.Bound != nil {
			t.Errorf("setConfig: unexpected bound %v", w.Bound)
		}
	}
	if len(open.Writes) == 0 || len(open.Writes[0].Guards) == 0 {
		t.Errorf("setConfig: want a guarded write, got %+v", open.Writes)
	}
}

func TestBehaviorRestrictions(t *testing.T) {
	kinds := func(f *Function) []string {
		var out []string
		for _, r := range f.Restrictions {
			out = append(out, r.Kind)
		}
		return out
	}
	stable := behaviorOf(t, "RiskFxStableToken", "transfer")
	for _, want := range []string{"flag-set", "mapping-set"} {
		if !slices.Contains(kinds(stable), want) {
			t.Errorf("stable transfer: no %s restriction in %v", want, kinds(stable))
		}
	}
	if slices.Contains(kinds(stable), "mapping-unset") {
		t.Errorf("stable transfer: a blacklist read as a whitelist: %v", kinds(stable))
	}
	capped := behaviorOf(t, "RiskFxCappedFeeToken", "transfer")
	if !slices.Contains(kinds(capped), "amount-limit") {
		t.Errorf("capped transfer: no amount-limit in %v", kinds(capped))
	}
	rigged := behaviorOf(t, "RiskFxRiggedToken", "transfer")
	if !slices.Contains(kinds(rigged), "time") {
		t.Errorf("rigged transfer: no time restriction in %v", kinds(rigged))
	}
	plain := behaviorOf(t, "RiskFxPlainToken", "transfer")
	if len(plain.Restrictions) != 0 {
		t.Errorf("plain transfer: unexpected restrictions %v", kinds(plain))
	}
}

func TestBehaviorAllowanceBypass(t *testing.T) {
	rigged := behaviorOf(t, "RiskFxRiggedToken", "transferFrom")
	if !hasWrite(rigged, func(w Write) bool {
		return w.Loc.Slot == slot(1) && w.Loc.KeyArg && w.Subs && !w.AllowanceRead && len(w.Guards) > 0
	}) {
		t.Errorf("rigged transferFrom: no debit without allowance behind a guard in %+v", rigged.Writes)
	}
	plain := behaviorOf(t, "RiskFxPlainToken", "transferFrom")
	if hasWrite(plain, func(w Write) bool { return w.Loc.Slot == slot(1) && w.Subs && !w.AllowanceRead }) {
		t.Errorf("plain transferFrom: debit without allowance in %+v", plain.Writes)
	}
	// WETH9 skips the allowance only when msg.sender is the holder.
	weth := behaviorOf(t, "WETH9", "transferFrom")
	if hasWrite(weth, func(w Write) bool { return w.Subs && w.Loc.KeyArg && !w.AllowanceRead && !w.CallerIsArg }) {
		t.Errorf("WETH9 transferFrom: debit without allowance by a stranger in %+v", weth.Writes)
	}
}

func TestBehaviorNoDispatcher(t *testing.T) {
	for _, code := range [][]byte{{0x00}, {0x60}, {0x5b, 0x60, 0x00, 0x56}} {
		r, err := Analyze(code, nil)
		if err != nil {
			t.Fatal(err)
		}
		if b := r.Behavior(); len(b.Functions) != 0 {
			t.Errorf("%x: functions %v", code, b.Functions)
		}
	}
}
