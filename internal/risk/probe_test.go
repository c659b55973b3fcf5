package risk

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/risk/tokentestbed"
)

// TestProbePatternsDecode: the privilege-probing argument patterns are
// valid ABI for the setter shapes scam tokens use, decoded by a strict
// decoder (go-ethereum's, like Solidity ≥0.8's, rejects a bool word other
// than 0 or 1 and a bad array offset): (address,bool) set and unset,
// (address[]) with the holder, (address[],bool) set and unset,
// (uint256,uint256) with two small values under a fee cap, from any
// current value (two different pairs).
func TestProbePatternsDecode(t *testing.T) {
	holder := common.HexToAddress("0x9322894e719c58e39dae93b11432563ba19dee53")
	pats := probePatterns(holder)
	args := func(types ...string) abi.Arguments {
		var a abi.Arguments
		for _, s := range types {
			ty, err := abi.NewType(s, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			a = append(a, abi.Argument{Type: ty})
		}
		return a
	}
	decodes := func(a abi.Arguments, want ...any) bool {
		for _, p := range pats {
			got, err := a.Unpack(p)
			// printed: a decoded zero big.Int differs in representation
			if err == nil && fmt.Sprintf("%v", got) == fmt.Sprintf("%v", want) {
				return true
			}
		}
		return false
	}
	for _, c := range []struct {
		shape string
		a     abi.Arguments
		want  []any
	}{
		{"(address,bool) true", args("address", "bool"), []any{holder, true}},
		{"(address,bool) false", args("address", "bool"), []any{holder, false}},
		{"(address[])", args("address[]"), []any{[]common.Address{holder}}},
		{"(address[],bool) true", args("address[]", "bool"), []any{[]common.Address{holder}, true}},
		{"(address[],bool) false", args("address[]", "bool"), []any{[]common.Address{holder}, false}},
		{"(uint256,uint256) 5,5", args("uint256", "uint256"), []any{big.NewInt(5), big.NewInt(5)}},
		{"(uint256,uint256) 0,0", args("uint256", "uint256"), []any{new(big.Int), new(big.Int)}},
		{"(uint256,uint256,uint256) 5,5,5", args("uint256", "uint256", "uint256"), []any{big.NewInt(5), big.NewInt(5), big.NewInt(5)}},
		// the original shapes are still there
		{"(address,uint256) 1e24", args("address", "uint256"), []any{holder, new(big.Int).Exp(big.NewInt(10), big.NewInt(24), nil)}},
		{"(address)", args("address"), []any{holder}},
		{"(bool) true", args("bool"), []any{true}},
	} {
		if !decodes(c.a, c.want...) {
			t.Errorf("%s: no probing pattern decodes to %v", c.shape, c.want)
		}
	}
	// A (uint256,uint256) setter with a cap of 25 or of 10 accepts a pattern.
	capped := 0
	for _, p := range pats {
		if got, err := args("uint256", "uint256").Unpack(p); err == nil &&
			got[0].(*big.Int).Cmp(big.NewInt(10)) <= 0 && got[1].(*big.Int).Cmp(big.NewInt(10)) <= 0 {
			capped++
		}
	}
	if capped < 2 {
		t.Errorf("%d patterns pass a (uint256,uint256) cap of 10, want 2 (one differs from any current value)", capped)
	}
}

// TestHolderArgument: the holder is "the argument" when a whole argument
// word is its address — a direct argument or an array element — never a
// number that merely contains its bytes elsewhere.
func TestHolderArgument(t *testing.T) {
	holder := common.HexToAddress("0x9322894e719c58e39dae93b11432563ba19dee53")
	with := 0
	for _, p := range probePatterns(holder) {
		if holderArgument(p, holder) {
			with++
		}
	}
	// (holder,1e24) (holder,0) (holder) (holder,1) [holder] ([holder],false)
	if with != 6 {
		t.Errorf("%d patterns carry the holder, want 6", with)
	}
	if holderArgument(abiWords(big.NewInt(5), big.NewInt(5)), holder) {
		t.Error("(5,5) carries the holder")
	}
	shifted := append(make([]byte, 16), common.LeftPadBytes(holder.Bytes(), 32)...)
	if holderArgument(shifted, holder) {
		t.Error("a misaligned holder word counts as an argument")
	}
	if holderArgument(abiWords(new(big.Int)), common.Address{}) {
		t.Error("the zero address is an argument")
	}
	if holderArgument(nil, holder) || holderArgument([]byte{1, 2, 3}, holder) {
		t.Error("empty or short arguments carry the holder")
	}
}

// checkSetterShapes: the privilege probing finds owner-only setters whose
// argument shapes are (address[],bool), (address,bool), (address[]) and
// (uint256,uint256), with names no signature database knows, by what they
// write.
//
// Before the (holder, 1), array and small-pair patterns (commit 76f0579),
// the probing found none of them: RtHarborInu's syncHarborRoutes
// (address[],bool) and RtTideTax's moonPhase (uint256,uint256) reverted for
// every pattern (nothing traced, no sale effect), RtQuietFrog's
// noteRippleBatch(address[]) too, and its noteRipple(address,bool) was
// traced only with (holder, 0) — "writes no storage" (false over false). The
// only diff evidence on the three was renounceOwnership's owner-slot write;
// the blacklist/fee factors came from the code analysis alone.
func checkSetterShapes(t *testing.T, tb *tokentestbed.Testbed, analyze func(common.Address) *Report) {
	t.Helper()
	sel := func(tok *tokentestbed.Token, method string) string {
		m, ok := tok.Contract.ABI.Methods[method]
		if !ok {
			t.Fatalf("%s has no %s", tok.Name, method)
		}
		return common.Bytes2Hex(m.ID)
	}
	probeEv := func(r *Report) []Evidence {
		for _, s := range r.Signals {
			if s.Name == "privilege-probing" {
				return s.Evidence
			}
		}
		return nil
	}
	// perAddress is diff evidence of selector s writing the entry of a real
	// holder of tok in a mapping the transfer path checks as a blacklist.
	perAddress := func(tok *tokentestbed.Token, ev []Evidence, s string) bool {
		return slices.ContainsFunc(ev, func(e Evidence) bool {
			if e.Selector != "0x"+s || e.Slot == "" || !strings.Contains(e.Detail, "a per-address setting: the entry of the argument") ||
				!strings.Contains(e.Detail, "(blacklist)") {
				return false
			}
			return slices.ContainsFunc(tok.Holders, func(h common.Address) bool { return strings.Contains(e.Detail, h.Hex()) })
		})
	}
	saleBlocked := func(ev []Evidence, s string) bool {
		return slices.ContainsFunc(ev, func(e Evidence) bool {
			return e.Selector == "0x"+s && strings.Contains(e.Detail, "with the holder as argument, the holder's sale reverts")
		})
	}
	global := func(ev []Evidence, s string) bool {
		return slices.ContainsFunc(ev, func(e Evidence) bool {
			return e.Selector == "0x"+s && e.Slot != "" && strings.Contains(e.Detail, "a global switch/parameter") && strings.Contains(e.Detail, "a rate in transfer arithmetic")
		})
	}
	factorHas := func(r *Report, id, sub string) bool {
		f := r.Factor(id)
		return f != nil && slices.ContainsFunc(f.Evidence, func(e Evidence) bool { return strings.Contains(e.Detail, sub) })
	}

	// (address[],bool): the listed holder is unlisted by ([holder], false).
	hi := tb.Token("RtHarborInu")
	r := analyze(hi.Address)
	ev := probeEv(r)
	if s := sel(hi, "syncHarborRoutes"); !perAddress(hi, ev, s) || !factorHas(r, "blacklist", "a per-address setting") {
		t.Errorf("RtHarborInu: (address[],bool) blacklist write not found: %+v", ev)
	}
	if slices.ContainsFunc(ev, func(e Evidence) bool { return strings.Contains(e.Detail, "a global switch/parameter") }) {
		t.Errorf("RtHarborInu: a global parameter write reported: %+v", ev)
	}
	// Its largest holder is the flagged one and cannot sell: the sale
	// replays move on to the next holder, and listing that holder with
	// ([holder], true) makes its sale revert.
	if slices.ContainsFunc(ev, func(e Evidence) bool { return strings.Contains(e.Detail, "sale-rule probing skipped") }) {
		t.Errorf("RtHarborInu: sale replays skipped: %+v", ev)
	}
	if s := sel(hi, "syncHarborRoutes"); !slices.ContainsFunc(ev, func(e Evidence) bool {
		return e.Selector == "0x"+s && strings.Contains(e.Detail, "with the holder as argument, the holder's sale reverts")
	}) {
		t.Errorf("RtHarborInu: the replayed sale after syncHarborRoutes([holder], true) does not revert: %+v", ev)
	}

	// (address,bool) and (address[]): both mark the holder; the sale after
	// either reverts.
	qf := tb.Token("RtQuietFrog")
	r = analyze(qf.Address)
	ev = probeEv(r)
	for _, m := range []string{"noteRipple", "noteRippleBatch"} {
		s := sel(qf, m)
		if !perAddress(qf, ev, s) {
			t.Errorf("RtQuietFrog: %s per-address write not found: %+v", m, ev)
		}
		if !saleBlocked(ev, s) {
			t.Errorf("RtQuietFrog: the holder's sale after %s not seen to revert: %+v", m, ev)
		}
	}
	if !factorHas(r, "blacklist", "a per-address setting") {
		t.Errorf("RtQuietFrog: blacklist factor without the diff evidence: %+v", r.Factor("blacklist"))
	}

	// (uint256,uint256) under a 15% cap: both fee slots written, the sale
	// after it delivers less, and no per-address setting.
	tt := tb.Token("RtTideTax")
	r = analyze(tt.Address)
	ev = probeEv(r)
	s := sel(tt, "moonPhase")
	writes := 0
	for _, e := range ev {
		if e.Selector == "0x"+s && e.Slot != "" && strings.Contains(e.Detail, "a global switch/parameter") {
			writes++
		}
	}
	if !global(ev, s) || writes < 2 || !factorHas(r, "fee-modifiable", "a global switch/parameter") {
		t.Errorf("RtTideTax: (uint256,uint256) fee writes %d: %+v", writes, ev)
	}
	if !slices.ContainsFunc(ev, func(e Evidence) bool { return e.Selector == "0x"+s && strings.Contains(e.Detail, "the pool receives") }) {
		t.Errorf("RtTideTax: the sale after moonPhase not seen to deliver less: %+v", ev)
	}
	if slices.ContainsFunc(ev, func(e Evidence) bool { return strings.Contains(e.Detail, "a per-address setting") }) {
		t.Errorf("RtTideTax: a per-address write reported: %+v", ev)
	}

	// Honest controls: no per-address setting, no parameter, no blocked sale.
	for _, name := range []string{"RtPlainToken", "RtRenouncedToken", "RtFixedFee", "RtLimitsFixed"} {
		r := analyze(tb.Token(name).Address)
		for _, e := range probeEv(r) {
			if strings.Contains(e.Detail, "a per-address setting") || strings.Contains(e.Detail, "a global switch/parameter") ||
				strings.Contains(e.Detail, "the holder's sale reverts") || strings.Contains(e.Detail, "the pool receives") {
				t.Errorf("%s: %s", name, e.Detail)
			}
		}
	}
}
