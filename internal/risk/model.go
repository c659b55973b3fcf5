package risk

import (
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/bytecode"
)

// ERC-20 interface selectors. They name the standard's entry points (what a
// wallet or a pool calls), not anything of a particular contract.
var (
	selTransfer     = bytecode.Sel{0xa9, 0x05, 0x9c, 0xbb}
	selTransferFrom = bytecode.Sel{0x23, 0xb8, 0x72, 0xdd}
	selBalanceOf    = bytecode.Sel{0x70, 0xa0, 0x82, 0x31}
	selTotalSupply  = bytecode.Sel{0x18, 0x16, 0x0d, 0xdd}
	selApprove      = bytecode.Sel{0x09, 0x5e, 0xa7, 0xb3}
)

// locKey identifies a storage location independent of its key.
type locKey struct {
	kind string
	slot common.Hash
}

func keyOf(l bytecode.Location) locKey { return locKey{l.Kind, l.Slot} }

// writer is one SSTORE in one function.
type writer struct {
	fn *bytecode.Function
	w  bytecode.Write
}

// codeModel is what the runtime code says about the token: which storage is
// the balance mapping, the supply and the allowances, which slot holds the
// owner, and who writes what.
type codeModel struct {
	rep       *bytecode.Report
	beh       *bytecode.Behavior
	erc20     bool
	balance   map[common.Hash]bool
	supply    map[common.Hash]bool
	allowance map[common.Hash]bool
	// ownerSlot is the storage slot most often compared with msg.sender.
	ownerSlot common.Hash
	hasOwner  bool
	// guardCount counts functions per guard.
	guardCount map[string]int
	transfers  []*bytecode.Function
	writers    map[locKey][]writer
}

// newCodeModel derives the token model from a bytecode report.
func newCodeModel(rep *bytecode.Report) *codeModel {
	m := &codeModel{
		rep: rep, beh: rep.Behavior(),
		balance: map[common.Hash]bool{}, supply: map[common.Hash]bool{}, allowance: map[common.Hash]bool{},
		guardCount: map[string]int{}, writers: map[locKey][]writer{},
	}
	m.erc20 = rep.HasSelector(selTransfer) && rep.HasSelector(selBalanceOf) && rep.HasSelector(selTotalSupply)
	if f := m.beh.Function(selBalanceOf); f != nil {
		for _, r := range f.Reads {
			if r.Kind == "mapping" && r.Depth == 1 {
				m.balance[r.Slot] = true
			}
		}
	}
	if f := m.beh.Function(selTotalSupply); f != nil {
		for _, r := range f.Reads {
			if r.Kind == "slot" {
				m.supply[r.Slot] = true
			}
		}
	}
	if f := m.beh.Function(selApprove); f != nil {
		for _, w := range f.Writes {
			if w.Loc.Kind == "mapping" && w.Loc.Depth == 2 {
				m.allowance[w.Loc.Slot] = true
			}
		}
	}
	for _, s := range []bytecode.Sel{selTransfer, selTransferFrom} {
		if f := m.beh.Function(s); f != nil {
			m.transfers = append(m.transfers, f)
			for _, w := range f.Writes {
				if w.Loc.Kind == "mapping" && w.Loc.Depth == 1 && w.Loc.KeyCaller && s == selTransfer && w.Subs {
					m.balance[w.Loc.Slot] = true
				}
			}
		}
	}
	for i := range m.beh.Functions {
		f := &m.beh.Functions[i]
		for _, w := range f.Writes {
			k := keyOf(w.Loc)
			m.writers[k] = append(m.writers[k], writer{f, w})
		}
		if m.isTransfer(f) {
			continue
		}
		for _, g := range f.Guards {
			m.guardCount[g]++
		}
	}
	best := 0
	for g, n := range m.guardCount {
		if !strings.HasPrefix(g, "slot:") {
			continue
		}
		h := common.HexToHash(strings.TrimPrefix(g, "slot:"))
		if n > best || (n == best && h.Big().Cmp(m.ownerSlot.Big()) < 0) {
			best, m.ownerSlot, m.hasOwner = n, h, true
		}
	}
	return m
}

func (m *codeModel) isTransfer(f *bytecode.Function) bool {
	return f.Selector == selTransfer || f.Selector == selTransferFrom
}

// name returns the sigdb name of a selector ("" if unknown).
func (m *codeModel) name(s bytecode.Sel) string {
	for _, x := range m.rep.Selectors {
		if x.Selector == s && len(x.Names) > 0 {
			return x.Names[0]
		}
	}
	return ""
}

// ev builds evidence for a function.
func (m *codeModel) ev(f *bytecode.Function, slot *common.Hash, pc int, detail string) Evidence {
	e := Evidence{Selector: f.Selector.String(), Name: m.name(f.Selector), PC: pc, Detail: detail}
	if slot != nil {
		e.Slot = slot.Hex()
	}
	return e
}

// externalWriters returns the non-transfer functions that write location k.
func (m *codeModel) externalWriters(k locKey) []writer {
	var out []writer
	for _, w := range m.writers[k] {
		if !m.isTransfer(w.fn) {
			out = append(out, w)
		}
	}
	return out
}

// guarded reports whether a write is behind a caller check.
func guarded(w bytecode.Write) bool { return len(w.Guards) > 0 }

// guardsOwner reports whether the guards include the owner slot.
func (m *codeModel) guardsOwner(gs []string) bool {
	return m.hasOwner && slices.Contains(gs, "slot:"+m.ownerSlot.Hex())
}

// transferRestrictions returns the restrictions met on the transfer paths.
func (m *codeModel) transferRestrictions() []struct {
	fn *bytecode.Function
	r  bytecode.Restriction
} {
	var out []struct {
		fn *bytecode.Function
		r  bytecode.Restriction
	}
	for _, f := range m.transfers {
		for _, r := range f.Restrictions {
			if r.Loc.Kind == "mapping" && (m.balance[r.Loc.Slot] || m.allowance[r.Loc.Slot]) {
				continue
			}
			out = append(out, struct {
				fn *bytecode.Function
				r  bytecode.Restriction
			}{f, r})
		}
	}
	return out
}
