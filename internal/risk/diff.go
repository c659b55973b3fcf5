package risk

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/internal/bytecode"
)

// State-diff probing: the privileged calls found by the probing simulation
// (they succeed from a privileged address and revert from a stranger) are
// traced once more with debug_traceCall and the prestateTracer in diff mode,
// all in one JSON-RPC batch, and every storage slot they change is
// classified by what it is — not by what the function is called.

// Bounds of the diff probe.
const (
	// diffMaxCalls bounds the traced calls per token.
	diffMaxCalls = 48
	// diffPerSelector bounds the argument patterns traced per selector.
	diffPerSelector = 2
	// diffSmallSlots is how many low slots are tried as mapping bases
	// besides the ones the code analysis found.
	diffSmallSlots = 64
)

// diffCall is one access-controlled call whose state diff is read.
type diffCall struct {
	sel  bytecode.Sel
	from common.Address
	data []byte
}

// probeOutcome is one probing call and whether it succeeded.
type probeOutcome struct {
	diffCall
	pat int
	ok  bool
}

// accessControlled picks the calls whose state diff is read: a privileged
// caller's call that succeeded while the stranger's call with the same
// selector and arguments reverted (a view or an open function succeeds for
// both, a call that fails for everyone is nonsense arguments). At most
// diffPerSelector argument patterns per selector and diffMaxCalls in all,
// one privileged caller per call; a renounced (zero) owner is nobody.
func accessControlled(outs []probeOutcome, stranger common.Address) []diffCall {
	type selPat struct {
		sel bytecode.Sel
		pat int
	}
	strangerFailed := map[selPat]bool{}
	for _, o := range outs {
		if o.from == stranger {
			strangerFailed[selPat{o.sel, o.pat}] = !o.ok
		}
	}
	var out []diffCall
	perSel := map[bytecode.Sel]int{}
	for _, o := range outs {
		k := selPat{o.sel, o.pat}
		if o.from == stranger || o.from == (common.Address{}) || !o.ok || !strangerFailed[k] || perSel[o.sel] >= diffPerSelector || len(out) >= diffMaxCalls {
			continue
		}
		perSel[o.sel]++
		strangerFailed[k] = false
		out = append(out, o.diffCall)
	}
	return out
}

// ownerWritersLast returns the dispatcher's selectors with the functions
// that write the owner slot (transferOwnership, renounceOwnership and their
// disguises) last: the probing calls run one after another in one
// simulated state, and a call that hands ownership away would make every
// later privileged call revert.
func (m *codeModel) ownerWritersLast() []bytecode.Selector {
	sels := slices.Clone(m.rep.Selectors)
	if !m.hasOwner {
		return sels
	}
	writes := map[bytecode.Sel]bool{}
	for _, w := range m.writers[locKey{"slot", m.ownerSlot}] {
		writes[w.fn.Selector] = true
	}
	slices.SortStableFunc(sels, func(a, b bytecode.Selector) int {
		switch {
		case writes[a.Selector] == writes[b.Selector]:
			return 0
		case writes[a.Selector]:
			return 1
		}
		return -1
	})
	return sels
}

// slotWrite is one storage slot a call changed.
type slotWrite struct {
	addr          common.Address
	slot          common.Hash
	before, after common.Hash
}

// Kinds of storage writes.
const (
	// writeBalance: the balance-mapping entry of the argument address.
	writeBalance = "balance"
	// writeCallerBalance: the balance-mapping entry of the caller.
	writeCallerBalance = "caller-balance"
	// writePerAddress: another mapping's entry keyed by the argument
	// address (blacklist, whitelist, exemption, per-address fee).
	writePerAddress = "per-address"
	// writeCallerKeyed: another mapping's entry keyed by the caller.
	writeCallerKeyed = "caller-keyed"
	// writeSupply: the slot totalSupply() reads.
	writeSupply = "supply"
	// writeOwner: the owner slot.
	writeOwner = "owner"
	// writeGlobal: a fixed slot (switch or parameter: pause, tax, limit).
	writeGlobal = "global"
	// writeComputed: a hashed slot whose key was not recognised.
	writeComputed = "computed"
	// writeExternal: storage of another contract.
	writeExternal = "external"
)

// classifiedWrite is a storage write with its kind and, for the token's
// storage, how the transfer path uses the location.
type classifiedWrite struct {
	slotWrite
	kind string
	// base is the mapping's base slot for the keyed kinds.
	base common.Hash
	// use says how transfer/transferFrom use the location ("" when they
	// do not read it); factor is the code signal's factor it supports.
	use, factor string
}

// prestateDiff is the prestateTracer's diff-mode result (storage only).
type prestateDiff struct {
	Pre  map[common.Address]struct{ Storage map[common.Hash]common.Hash } `json:"pre"`
	Post map[common.Address]struct{ Storage map[common.Hash]common.Hash } `json:"post"`
}

// writes lists the changed slots, sorted. Nodes leave zero values out
// (a slot in pre only was cleared; one in post only was zero before).
func (d prestateDiff) writes() []slotWrite {
	type key struct {
		a common.Address
		s common.Hash
	}
	seen := map[key]*slotWrite{}
	var out []*slotWrite
	get := func(a common.Address, s common.Hash) *slotWrite {
		k := key{a, s}
		if w := seen[k]; w != nil {
			return w
		}
		w := &slotWrite{addr: a, slot: s}
		seen[k] = w
		out = append(out, w)
		return w
	}
	for a, acc := range d.Pre {
		for s, v := range acc.Storage {
			get(a, s).before = v
		}
	}
	for a, acc := range d.Post {
		for s, v := range acc.Storage {
			get(a, s).after = v
		}
	}
	var res []slotWrite
	for _, w := range out {
		if w.before != w.after {
			res = append(res, *w)
		}
	}
	slices.SortFunc(res, func(x, y slotWrite) int {
		if c := x.addr.Cmp(y.addr); c != 0 {
			return c
		}
		return x.slot.Cmp(y.slot)
	})
	return res
}

// traceDiffs sends one JSON-RPC batch of debug_traceCall with the
// prestateTracer in diff mode, one element per call, against latest.
// A failing element yields a nil entry and its error in errs.
func traceDiffs(ctx context.Context, b BatchRPC, token common.Address, calls []diffCall) ([][]slotWrite, []error, error) {
	cfg := map[string]any{"tracer": "prestateTracer", "tracerConfig": map[string]any{"diffMode": true}}
	elems := make([]rpc.BatchElem, len(calls))
	for i, c := range calls {
		arg := map[string]any{"from": c.from, "to": token, "data": hexutil.Bytes(c.data), "gas": hexutil.Uint64(1_000_000)}
		elems[i] = rpc.BatchElem{Method: "debug_traceCall", Args: []any{arg, "latest", cfg}, Result: new(prestateDiff)}
	}
	if err := b.BatchCallContext(ctx, elems); err != nil {
		return nil, nil, fmt.Errorf("debug_traceCall batch: %w", err)
	}
	out := make([][]slotWrite, len(calls))
	errs := make([]error, len(calls))
	for i, e := range elems {
		if e.Error != nil {
			errs[i] = e.Error
			continue
		}
		out[i] = e.Result.(*prestateDiff).writes()
	}
	return out, errs, nil
}

// mappingBases returns the candidate base slots of single-key mappings:
// every mapping the code analysis saw (read, written, checked or used in fee
// arithmetic), then the low slots Solidity assigns in declaration order.
func (m *codeModel) mappingBases() []common.Hash {
	seen := map[common.Hash]bool{}
	var out []common.Hash
	add := func(l bytecode.Location) {
		if l.Kind == "mapping" && l.Depth <= 1 && !seen[l.Slot] {
			seen[l.Slot] = true
			out = append(out, l.Slot)
		}
	}
	for i := range m.beh.Functions {
		f := &m.beh.Functions[i]
		for _, w := range f.Writes {
			add(w.Loc)
		}
		for _, r := range f.Reads {
			add(r)
		}
		for _, r := range f.Restrictions {
			add(r.Loc)
		}
		for _, l := range f.FeeMath {
			add(l)
		}
	}
	for i := range diffSmallSlots {
		add(bytecode.Location{Kind: "mapping", Slot: common.BigToHash(big.NewInt(int64(i)))})
	}
	return out
}

// mappingKey returns the slot of m[key] for a mapping at base (Solidity's
// keccak256(pad32(key) ‖ base)).
func mappingKey(key common.Address, base common.Hash) common.Hash {
	return crypto.Keccak256Hash(common.LeftPadBytes(key.Bytes(), 32), base.Bytes())
}

// classify names what a write is: whose entry of which mapping, the supply
// or owner slot, a fixed slot, another contract's storage. arg is the
// address passed as the first argument (zero when none), caller the sender.
func (m *codeModel) classify(token, arg, caller common.Address, bases []common.Hash, w slotWrite) classifiedWrite {
	c := classifiedWrite{slotWrite: w}
	if w.addr != token {
		c.kind = writeExternal
		return c
	}
	for _, b := range bases {
		switch {
		case arg != (common.Address{}) && mappingKey(arg, b) == w.slot:
			c.kind, c.base = writePerAddress, b
			if m.balance[b] {
				c.kind = writeBalance
			}
		case mappingKey(caller, b) == w.slot:
			c.kind, c.base = writeCallerKeyed, b
			if m.balance[b] {
				c.kind = writeCallerBalance
			}
		default:
			continue
		}
		c.use, c.factor = m.transferUse(bytecode.Location{Kind: "mapping", Slot: b})
		return c
	}
	switch {
	case m.supply[w.slot]:
		c.kind = writeSupply
	case m.hasOwner && w.slot == m.ownerSlot && common.BytesToAddress(w.before[:]) != common.BytesToAddress(w.after[:]):
		c.kind = writeOwner
	case m.hasOwner && w.slot == m.ownerSlot:
		// the owner is kept: a flag packed next to it (a pause bit)
		c.kind = writeGlobal
		c.use, c.factor = m.transferUse(bytecode.Location{Kind: "slot", Slot: w.slot})
	case w.slot.Big().BitLen() <= 64 || len(m.writers[locKey{"slot", w.slot}]) > 0:
		c.kind = writeGlobal
		c.use, c.factor = m.transferUse(bytecode.Location{Kind: "slot", Slot: w.slot})
	default:
		c.kind = writeComputed
	}
	return c
}

// transferUse says how the transfer paths use a location and which code
// signal factor covers that use ("" when they do not read it).
func (m *codeModel) transferUse(l bytecode.Location) (use, factor string) {
	same := func(x bytecode.Location) bool { return x.Kind == l.Kind && x.Slot == l.Slot }
	for _, x := range m.transferRestrictions() {
		if !same(x.r.Loc) {
			continue
		}
		switch x.r.Kind {
		case "mapping-set":
			return "transfer reverts when the entry is set (blacklist)", "blacklist"
		case "mapping-unset":
			return "transfer reverts unless the entry is set (whitelist/exemption)", "whitelist"
		case "flag-set", "flag-unset":
			return "transfer reverts on this switch (pause/trading)", "pausable"
		case "amount-limit":
			return "transfer amount is compared with it (max transaction/wallet)", "anti-whale-modifiable"
		case "time":
			return "transfer reverts depending on the block time and this value (cooldown)", "cooldown"
		}
	}
	if l.Kind == "slot" {
		for _, t := range m.transfers {
			for _, c := range t.Calls {
				if strings.HasPrefix(c.Target, "slot:") && common.HexToHash(strings.TrimPrefix(c.Target, "slot:")) == l.Slot {
					return "the transfer path calls the address kept here (" + c.Op + ")", "settable-delegatecall|external-call-settable"
				}
			}
		}
	}
	for _, t := range m.transfers {
		if slices.ContainsFunc(t.FeeMath, same) {
			if l.Kind == "mapping" {
				return "a per-address rate in transfer arithmetic", "personal-fee"
			}
			return "a rate in transfer arithmetic (fee)", "fee-unbounded|fee-modifiable"
		}
	}
	for _, t := range m.transfers {
		if slices.ContainsFunc(t.Reads, same) {
			return "read on the transfer path", ""
		}
	}
	return "", ""
}

// describe renders a classified write for evidence.
func (c classifiedWrite) describe(arg common.Address) string {
	var what string
	switch c.kind {
	case writeBalance:
		what = fmt.Sprintf("the balance entry of the argument %s (balance mapping at slot %s)", arg.Hex(), shortHash(c.base))
	case writeCallerBalance:
		what = fmt.Sprintf("the caller's balance entry (balance mapping at slot %s)", shortHash(c.base))
	case writePerAddress:
		what = fmt.Sprintf("a per-address setting: the entry of the argument %s in the mapping at slot %s", arg.Hex(), shortHash(c.base))
	case writeCallerKeyed:
		what = fmt.Sprintf("the caller's entry in the mapping at slot %s", shortHash(c.base))
	case writeSupply:
		what = "the supply slot"
	case writeOwner:
		what = "the owner slot"
	case writeGlobal:
		what = "a global switch/parameter: fixed slot " + shortHash(c.slot)
	case writeComputed:
		what = "a computed slot with an unrecognised key " + shortHash(c.slot)
	case writeExternal:
		what = fmt.Sprintf("storage of another contract %s, slot %s", c.addr.Hex(), shortHash(c.slot))
	}
	s := fmt.Sprintf("writes %s: %s → %s", what, shortHash(c.before), shortHash(c.after))
	if c.use != "" {
		s += "; " + c.use
	}
	return s
}

// shortHash prints a 32-byte word as a number when it is small, else hex.
func shortHash(h common.Hash) string {
	if b := h.Big(); b.BitLen() <= 64 {
		return "0x" + b.Text(16)
	}
	return h.Hex()
}

// privilegedDiffs classifies the storage writes of the access-controlled
// calls and feeds them to the factors: each write becomes evidence (selector,
// slot, before → after); a write that supports a code-signal factor is added
// to that factor's evidence; a per-address setting or a global parameter the
// transfer path reads with no code-signal factor behind it raises a
// capability factor of its own; a balance edit (no supply change, the
// caller's balance untouched) supports or raises owner-change-balance. The
// calls' own revert/tax effects on sales are probeSales', which adds no
// factor, so nothing is counted twice.
func (p *Pass) privilegedDiffs(calls []diffCall, diffs [][]slotWrite, errs []error, holder common.Address) {
	m := p.code
	n := p.Node
	bases := m.mappingBases()
	var evs []Evidence
	attach := map[string][]Evidence{}
	var perAddr, params, edits []Evidence
	failed := 0
	seen := map[string]bool{}
	wrote := map[bytecode.Sel]bool{}
	for i, c := range calls {
		if errs[i] == nil && len(diffs[i]) > 0 {
			wrote[c.sel] = true
		}
	}
	for i, c := range calls {
		if errs[i] != nil {
			failed++
			continue
		}
		arg := common.Address{}
		if len(c.data) >= 4 && holderArgument(c.data[4:], holder) {
			arg = holder // a direct argument or an array element
		}
		var cws []classifiedWrite
		for _, w := range diffs[i] {
			cws = append(cws, m.classify(n.Address, arg, c.from, bases, w))
		}
		has := func(k string) bool {
			return slices.ContainsFunc(cws, func(x classifiedWrite) bool { return x.kind == k })
		}
		// A call whose write supports a code-signal factor is that
		// factor's: its other writes are not a second finding.
		callFactor := ""
		for _, cw := range cws {
			if cw.factor != "" && (cw.kind == writePerAddress || cw.kind == writeGlobal) {
				callFactor = cw.factor
				break
			}
		}
		for _, cw := range cws {
			k := c.sel.String() + cw.kind + cw.slot.Hex()
			if seen[k] {
				continue // the same write by another argument pattern
			}
			seen[k] = true
			e := Evidence{Selector: c.sel.String(), Name: m.name(c.sel), Slot: cw.slot.Hex(), Address: strings.ToLower(c.from.Hex()),
				Detail: "privileged call (succeeds from the privileged address, reverts from a stranger) " + cw.describe(arg)}
			evs = append(evs, e)
			switch cw.kind {
			case writeBalance:
				if has(writeSupply) {
					attach["mint-path|mint-probe"] = append(attach["mint-path|mint-probe"], e)
				} else if !has(writeCallerBalance) {
					edits = append(edits, e) // not a transfer of the caller's own tokens
				}
			case writePerAddress, writeGlobal:
				switch {
				case cw.factor != "":
					attach[cw.factor] = append(attach[cw.factor], e)
				case cw.use != "" && callFactor != "":
					attach[callFactor] = append(attach[callFactor], e)
				case cw.use != "" && cw.kind == writePerAddress:
					perAddr = append(perAddr, e)
				case cw.use != "":
					params = append(params, e)
				}
			}
		}
		if len(diffs[i]) == 0 && !wrote[c.sel] && !seen[c.sel.String()+"empty"] {
			seen[c.sel.String()+"empty"] = true
			evs = append(evs, Evidence{Selector: c.sel.String(), Name: m.name(c.sel), Address: strings.ToLower(c.from.Hex()),
				Detail: "privileged call writes no storage (state diff empty: a no-op from the current state)"})
		}
	}
	p.Evidence(Evidence{Detail: fmt.Sprintf("state diff (debug_traceCall prestateTracer diffMode) of %d access-controlled call(s), %d failed to trace", len(calls), failed)})
	p.Evidence(evs...)
	for ids, ev := range attach {
		found := false
		for _, id := range strings.Split(ids, "|") {
			if f := p.Factor(id); f != nil {
				f.Evidence = append(f.Evidence, ev...)
				found = true
				break
			}
		}
		if found {
			continue
		}
		// The code analysis saw the use but raised no factor (e.g. a
		// switch it found no setter for): the diff shows the setter.
		if strings.Contains(ids, "mint") {
			continue // mints are the supply probe's
		}
		params = append(params, ev...)
	}
	if len(perAddr) > 0 {
		p.Capability("per-address-setting", "a privileged call writes a per-address setting the transfer path reads: "+joinNames(perAddr), 10, perAddr...)
	}
	if len(params) > 0 {
		p.Capability("transfer-parameter", "a privileged call changes a switch or parameter the transfer path reads: "+joinNames(params), 10, params...)
	}
	if len(edits) > 0 {
		p.Set("owner_change_balance", "1")
		switch {
		case p.Factor("owner-change-balance") != nil:
			f := p.Factor("owner-change-balance")
			f.Evidence = append(f.Evidence, edits...)
		case p.Factor("anyone-change-balance") != nil:
			f := p.Factor("anyone-change-balance")
			f.Evidence = append(f.Evidence, edits...)
		default:
			p.Behaviour("owner-change-balance", "a privileged call writes a holder's balance entry without moving supply: "+joinNames(edits), 80, edits...)
		}
	}
}
