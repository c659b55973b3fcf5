package risk

import (
	"context"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/bytecode"
	"github.com/aegis-defi/aegis/internal/risk/tokentestbed"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// TestAccessControlled: only calls that succeed from a privileged address
// while the same call from the stranger reverts are traced.
func TestAccessControlled(t *testing.T) {
	stranger := common.HexToAddress("0x5742")
	owner := common.HexToAddress("0x0111")
	sel := func(b byte) bytecode.Sel { return bytecode.Sel{b, b, b, b} }
	out := func(s byte, from common.Address, pat int, ok bool) probeOutcome {
		return probeOutcome{diffCall: diffCall{sel: sel(s), from: from, data: []byte{s, s, s, s, byte(pat)}}, pat: pat, ok: ok}
	}
	outs := []probeOutcome{
		// 1: view-like, succeeds for both
		out(1, stranger, 0, true), out(1, owner, 0, true),
		// 2: reverts for both
		out(2, stranger, 0, false), out(2, owner, 0, false),
		// 3: owner only, three patterns (capped at diffPerSelector)
		out(3, stranger, 0, false), out(3, stranger, 1, false), out(3, stranger, 2, false),
		out(3, owner, 0, true), out(3, owner, 1, true), out(3, owner, 2, true),
		// 4: stranger only
		out(4, stranger, 0, true), out(4, owner, 0, false),
		// 5: owner only with pattern 1; pattern 0 open to all
		out(5, stranger, 0, true), out(5, stranger, 1, false), out(5, owner, 0, true), out(5, owner, 1, true),
		// 6: a renounced (zero) owner "succeeds": nobody holds it
		out(6, stranger, 0, false), out(6, common.Address{}, 0, true),
	}
	got := accessControlled(outs, stranger)
	var sels []byte
	for _, c := range got {
		sels = append(sels, c.sel[0])
		if c.from != owner {
			t.Errorf("traced a call from %s", c.from)
		}
	}
	if want := []byte{3, 3, 5}; !slices.Equal(sels, want) {
		t.Fatalf("traced selectors %v, want %v", sels, want)
	}
	if got[2].data[4] != 1 {
		t.Errorf("selector 5 traced with pattern %d, want the access-controlled pattern 1", got[2].data[4])
	}
}

// TestPrestateDiffWrites: storage changes from a diff-mode prestate trace,
// with zero values left out as nodes do.
func TestPrestateDiffWrites(t *testing.T) {
	a, b := common.HexToAddress("0xa"), common.HexToAddress("0xb")
	h := func(n int64) common.Hash { return common.BigToHash(big.NewInt(n)) }
	type st = struct{ Storage map[common.Hash]common.Hash }
	d := prestateDiff{
		Pre:  map[common.Address]st{a: {Storage: map[common.Hash]common.Hash{h(1): h(5), h(2): h(7), h(3): h(9)}}},
		Post: map[common.Address]st{a: {Storage: map[common.Hash]common.Hash{h(1): h(6), h(3): h(9)}}, b: {Storage: map[common.Hash]common.Hash{h(4): h(1)}}},
	}
	ws := d.writes()
	want := []slotWrite{{a, h(1), h(5), h(6)}, {a, h(2), h(7), common.Hash{}}, {b, h(4), common.Hash{}, h(1)}}
	if !slices.Equal(ws, want) {
		t.Errorf("writes %+v\nwant %+v", ws, want)
	}
}

// TestClassifyWrites: a write is named by the code model's locations and
// the call's argument, whatever the contract: the argument's entry in the
// balance mapping, another mapping's entry keyed by the argument, the
// supply slot, a low fixed slot, another contract, an unrecognised hash.
func TestClassifyWrites(t *testing.T) {
	art, err := contracts.Load("RiskFxPlainToken")
	if err != nil {
		t.Fatal(err)
	}
	br, err := bytecode.Analyze(art.DeployedBytecode, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := newCodeModel(br)
	if len(m.balance) == 0 || len(m.supply) == 0 {
		t.Fatalf("code model without balance/supply: %+v %+v", m.balance, m.supply)
	}
	var bal, sup common.Hash
	for k := range m.balance {
		bal = k
	}
	for k := range m.supply {
		sup = k
	}
	token, holder, caller := common.HexToAddress("0x70c"), common.HexToAddress("0x401d"), common.HexToAddress("0xca11")
	other := common.BigToHash(big.NewInt(40)) // a low slot no code location uses
	if m.balance[other] {
		t.Fatal("slot 40 is the balance mapping")
	}
	bases := m.mappingBases()
	cases := []struct {
		w    slotWrite
		arg  common.Address
		kind string
	}{
		{slotWrite{addr: token, slot: mappingKey(holder, bal)}, holder, writeBalance},
		{slotWrite{addr: token, slot: mappingKey(caller, bal)}, holder, writeCallerBalance},
		{slotWrite{addr: token, slot: mappingKey(holder, other)}, holder, writePerAddress},
		{slotWrite{addr: token, slot: mappingKey(holder, other)}, common.Address{}, writeComputed}, // no address argument
		{slotWrite{addr: token, slot: mappingKey(caller, other)}, holder, writeCallerKeyed},
		{slotWrite{addr: token, slot: sup}, holder, writeSupply},
		{slotWrite{addr: token, slot: common.BigToHash(big.NewInt(41))}, holder, writeGlobal},
		{slotWrite{addr: holder, slot: common.BigToHash(big.NewInt(1))}, holder, writeExternal},
		{slotWrite{addr: token, slot: common.HexToHash("0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef")}, holder, writeComputed},
	}
	for i, c := range cases {
		if got := m.classify(token, c.arg, caller, bases, c.w); got.kind != c.kind {
			t.Errorf("case %d: kind %q want %q", i, got.kind, c.kind)
		}
	}
}

// diffEvidence returns the privilege-probing evidence that comes from the
// state diff.
func diffEvidence(r *Report) []Evidence {
	var out []Evidence
	for _, s := range r.Signals {
		if s.Name != "privilege-probing" {
			continue
		}
		for _, e := range s.Evidence {
			if strings.HasPrefix(e.Detail, "privileged call") || strings.HasPrefix(e.Detail, "state diff") {
				out = append(out, e)
			}
		}
	}
	return out
}

func checkDiffProbe(t *testing.T, tb *tokentestbed.Testbed, analyze func(common.Address, RPC) *Report, rc *rpc.Client) {
	has := func(ev []Evidence, sub string) bool {
		return slices.ContainsFunc(ev, func(e Evidence) bool { return strings.Contains(e.Detail, sub) && e.Slot != "" })
	}
	factorHas := func(r *Report, id, sub string) bool {
		f := r.Factor(id)
		return f != nil && slices.ContainsFunc(f.Evidence, func(e Evidence) bool { return strings.Contains(e.Detail, sub) })
	}
	// A per-address rate setter: its write is the argument's entry of a
	// mapping the transfer arithmetic reads, and supports personal-fee.
	r := analyze(tb.Token("RtPersonalFee").Address, rc)
	ev := diffEvidence(r)
	if !has(ev, "a per-address setting: the entry of the argument") || !factorHas(r, "personal-fee", "per-address setting") {
		t.Errorf("RtPersonalFee: per-address write not reported: %+v", ev)
	}
	// A balance overwrite: the argument's balance entry, no supply change.
	r = analyze(tb.Token("RtLedgerFix").Address, rc)
	ev = diffEvidence(r)
	if !has(ev, "the balance entry of the argument") || !factorHas(r, "owner-change-balance", "the balance entry of the argument") {
		t.Errorf("RtLedgerFix: balance edit not reported: %+v", ev)
	}
	// A tax dial: a fixed slot used in transfer arithmetic.
	r = analyze(tb.Token("RtTaxDial").Address, rc)
	ev = diffEvidence(r)
	if !has(ev, "a global switch/parameter") || !has(ev, "a rate in transfer arithmetic") {
		t.Errorf("RtTaxDial: tax setter write not reported: %+v", ev)
	}
	// No privileged address: nothing to trace, no diff factor.
	for _, name := range []string{"RtPlainToken", "RtRenouncedToken"} {
		r = analyze(tb.Token(name).Address, rc)
		ev = diffEvidence(r)
		if slices.ContainsFunc(ev, func(e Evidence) bool { return strings.HasPrefix(e.Detail, "privileged call") }) {
			t.Errorf("%s: diff evidence without a privileged caller: %+v", name, ev)
		}
		if r.Factor("per-address-setting") != nil || r.Factor("transfer-parameter") != nil {
			t.Errorf("%s: diff factor %+v", name, r.Factors)
		}
	}
	// Views and open functions are never traced: no diff evidence names an
	// ERC-20 view or entry point.
	for _, tok := range tb.Tokens {
		r := analyze(tok.Address, rc)
		for _, e := range diffEvidence(r) {
			for _, s := range []bytecode.Sel{selBalanceOf, selTotalSupply, selTransfer, selApprove, selTransferFrom} {
				if e.Selector == s.String() {
					t.Errorf("%s: traced %s: %s", tok.Name, e.Selector, e.Detail)
				}
			}
		}
	}
	checkSetterShapes(t, tb, func(a common.Address) *Report { return analyze(a, rc) })
	// A node that cannot trace: the diff part is unknown, said so.
	r = analyze(tb.Token("RtPersonalFee").Address, noTrace{rc})
	ev = diffEvidence(r)
	if !slices.ContainsFunc(ev, func(e Evidence) bool { return strings.Contains(e.Detail, "unknown (debug_traceCall") }) ||
		slices.ContainsFunc(ev, func(e Evidence) bool { return strings.HasPrefix(e.Detail, "privileged call") }) {
		t.Errorf("no tracing: %+v", ev)
	}
	if r.Level != LevelOf(r.RiskScore) || r.Flag("personal_slippage_modifiable") != "1" {
		t.Errorf("no tracing: code flags lost: %v", r.Flags)
	}
}

// noTrace is a node without debug_traceCall.
type noTrace struct{ rc *rpc.Client }

func (n noTrace) CallContext(ctx context.Context, result any, method string, args ...any) error {
	return n.rc.CallContext(ctx, result, method, args...)
}

func (n noTrace) BatchCallContext(ctx context.Context, b []rpc.BatchElem) error {
	for i := range b {
		if b[i].Method == "debug_traceCall" {
			b[i].Error = errors.New("the method debug_traceCall does not exist/is not available")
		}
	}
	var rest []rpc.BatchElem
	var idx []int
	for i := range b {
		if b[i].Method != "debug_traceCall" {
			rest = append(rest, b[i])
			idx = append(idx, i)
		}
	}
	if len(rest) == 0 {
		return nil
	}
	if err := n.rc.BatchCallContext(ctx, rest); err != nil {
		return err
	}
	for j, i := range idx {
		b[i] = rest[j]
	}
	return nil
}

func TestDiffProbeDevnet(t *testing.T) {
	env := testchain.New(t)
	tb, err := tokentestbed.Deploy(context.Background(), env.Client, env.Accounts, tokentestbed.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ec := env.Node.Client()
	checkDiffProbe(t, tb, func(a common.Address, rc RPC) *Report {
		t.Helper()
		r, err := AnalyzeToken(context.Background(), ec, rc, a, Options{Holders: 3})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}, ec.Client())
}

func TestDiffProbeAnvil(t *testing.T) {
	a := startAnvil(t, 10)
	tb, err := tokentestbed.Deploy(context.Background(), a.Client, a.Accounts, tokentestbed.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ec := ethclient.NewClient(a.RPC)
	checkDiffProbe(t, tb, func(addr common.Address, rc RPC) *Report {
		t.Helper()
		r, err := AnalyzeToken(context.Background(), ec, rc, addr, Options{Holders: 3})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}, a.RPC)
}
