package risk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/bytecode"
)

// ErrUnknown marks a signal that could not run; wrap it with the reason.
var ErrUnknown = errors.New("unknown")

// Signal is one measurement of the engine, a value in the Signals list.
type Signal struct {
	// Name is stable and unique, e.g. "mint".
	Name string
	// Doc says what the signal measures and how, in a sentence or two.
	Doc string
	// Needs is "code" (runtime bytecode suffices) or "node" (needs a node).
	Needs string
	// Run measures; it records evidence, factors and flags on the pass and
	// returns an error wrapping ErrUnknown when it cannot decide.
	Run func(ctx context.Context, p *Pass) error
}

// Pass is one run of the engine on one token: the inputs and what the
// signals found so far.
type Pass struct {
	// Code is the model of the runtime code (the implementation's for a
	// resolved proxy); nil when no code could be analysed.
	code *codeModel
	// Proxy is the proxy pattern of the analysed address, if any.
	proxy *bytecode.Proxy
	// Node is set in node mode.
	Node *NodeInput

	// HolderWeight is the weight applied to capability factors (see the
	// package doc); HolderDesc describes the privileged address.
	HolderWeight float64
	HolderDesc   string

	signal   string
	factors  []Factor
	evidence []Evidence
	flags    map[string]any
}

// Set records a GoPlus flag.
func (p *Pass) Set(key string, v any) { p.flags[key] = v }

// Capability adds a capability factor (weighted by the privilege holder).
func (p *Pass) Capability(id, title string, base int, ev ...Evidence) {
	p.factors = append(p.factors, Factor{ID: id, Signal: p.signal, Kind: KindCapability, Title: title, BasePoints: base, Evidence: ev})
}

// Behaviour adds a behaviour factor (not weighted).
func (p *Pass) Behaviour(id, title string, pts int, ev ...Evidence) {
	p.factors = append(p.factors, Factor{ID: id, Signal: p.signal, Kind: KindBehaviour, Title: title, BasePoints: pts, Points: pts, Evidence: ev})
}

// Evidence records evidence that raised no factor.
func (p *Pass) Evidence(ev ...Evidence) { p.evidence = append(p.evidence, ev...) }

// needCode returns the code model or an unknown error.
func (p *Pass) needCode() (*codeModel, error) {
	if p.code == nil {
		if p.proxy != nil {
			return nil, fmt.Errorf("%w: proxy implementation not available (offline mode cannot read the implementation slot)", ErrUnknown)
		}
		return nil, fmt.Errorf("%w: no analysable runtime code", ErrUnknown)
	}
	if len(p.code.rep.Selectors) == 0 {
		return nil, fmt.Errorf("%w: no function dispatcher recognised in the code", ErrUnknown)
	}
	return p.code, nil
}

// needToken returns the code model of an ERC-20 or an unknown error.
func (p *Pass) needToken() (*codeModel, error) {
	m, err := p.needCode()
	if err != nil {
		return nil, err
	}
	if !m.erc20 {
		return nil, fmt.Errorf("%w: not an ERC-20 (no transfer/balanceOf/totalSupply in the dispatcher)", ErrUnknown)
	}
	return m, nil
}

// Signals returns the engine's signals, in run order.
func Signals() []Signal {
	return []Signal{
		proxySignal, ownershipSignal, mintSignal, balanceControlSignal,
		restrictionsSignal, feesSignal, opcodesSignal, externalCallSignal,
		adminSignal, holdersSignal, tradeSignal, probeSignal, creatorSignal,
	}
}

var proxySignal = Signal{
	Name:  "proxy",
	Doc:   "Whether the code delegates to replaceable logic (EIP-1167/1967/1822/beacon/custom DELEGATECALL forwarders) and whether a function can change a delegatecall target read from storage.",
	Needs: "code",
	Run: func(_ context.Context, p *Pass) error {
		if p.proxy != nil {
			p.Set("is_proxy", "1")
			e := Evidence{Detail: p.proxy.Kind + ": " + p.proxy.Detail}
			if p.proxy.ImplementationSlot != nil {
				e.Slot = p.proxy.ImplementationSlot.Hex()
			}
			if p.proxy.Kind == bytecode.ProxyEIP1167 {
				p.Evidence(e)
			} else {
				p.Capability("upgradeable", "upgradeable proxy: the admin can replace all logic", 50, e)
			}
		} else if p.code != nil {
			p.Set("is_proxy", "0")
		}
		m, err := p.needCode()
		if err != nil {
			if p.proxy != nil {
				return nil
			}
			return err
		}
		var settable []Evidence
		for i := range m.beh.Functions {
			f := &m.beh.Functions[i]
			for _, c := range f.Calls {
				if c.Op != "DELEGATECALL" {
					continue
				}
				switch {
				case c.Target == "arg":
					p.Behaviour("arbitrary-delegatecall", "delegatecall to a caller-chosen address", 60,
						m.ev(f, nil, c.PC, "DELEGATECALL target comes from calldata"))
				case strings.HasPrefix(c.Target, "slot:"):
					h := common.HexToHash(strings.TrimPrefix(c.Target, "slot:"))
					if ws := m.externalWriters(locKey{"slot", h}); len(ws) > 0 {
						settable = append(settable, m.ev(f, &h, c.PC, "DELEGATECALL target is read from a slot written by "+m.ev(ws[0].fn, nil, 0, "").Selector))
					}
				}
			}
		}
		if len(settable) > 0 {
			p.Capability("settable-delegatecall", "delegatecall to a target a function can change", 30, settable...)
		}
		return nil
	},
}

var ownershipSignal = Signal{
	Name:  "ownership",
	Doc:   "The owner slot (the storage slot most often compared with msg.sender), whether a function can write it from a path not guarded by the owner (ownership taken back), and privileged slots with no setter (a hidden second owner).",
	Needs: "code",
	Run: func(_ context.Context, p *Pass) error {
		m, err := p.needCode()
		if err != nil {
			return err
		}
		if !m.hasOwner {
			p.Set("can_take_back_ownership", "0")
			p.Set("hidden_owner", "0")
			return nil
		}
		p.Evidence(Evidence{Slot: m.ownerSlot.Hex(), Detail: fmt.Sprintf("owner slot: compared with msg.sender in %d function(s)", m.guardCount["slot:"+m.ownerSlot.Hex()])})
		var back []Evidence
		for _, w := range m.writers[locKey{"slot", m.ownerSlot}] {
			if m.isTransfer(w.fn) || m.guardsOwner(w.w.Guards) {
				continue
			}
			d := "writes the owner slot on a path not guarded by the current owner"
			if len(w.w.Guards) > 0 {
				d += " (guarded by " + strings.Join(w.w.Guards, ", ") + ")"
			}
			back = append(back, m.ev(w.fn, &m.ownerSlot, w.w.PC, d))
		}
		p.Set("can_take_back_ownership", boolFlag(len(back) > 0))
		if len(back) > 0 {
			p.Behaviour("take-back-ownership", "ownership can be taken back: "+joinNames(back), 40, back...)
		}
		// Hidden owners: a caller check against a slot other than the owner
		// slot that no function writes, or against a hard-coded address while
		// an owner slot exists, guarding a sensitive write.
		var hidden []Evidence
		for i := range m.beh.Functions {
			f := &m.beh.Functions[i]
			if m.isTransfer(f) || !m.sensitive(f) {
				continue
			}
			for _, g := range f.Guards {
				switch {
				case strings.HasPrefix(g, "slot:"):
					h := common.HexToHash(strings.TrimPrefix(g, "slot:"))
					if h == m.ownerSlot || len(m.externalWriters(locKey{"slot", h})) > 0 {
						continue
					}
					hidden = append(hidden, m.ev(f, &h, 0, "privileged by an address in a slot no function can change"))
				case g == "dyn:storage":
					if len(m.externalWriters(locKey{kind: "dynamic"})) > 0 {
						continue
					}
					hidden = append(hidden, m.ev(f, nil, 0, "privileged by an address kept at a computed storage slot that no function writes"))
				case strings.HasPrefix(g, "const:"):
					hidden = append(hidden, m.ev(f, nil, 0, "privileged by the hard-coded address "+strings.TrimPrefix(g, "const:")))
				}
			}
		}
		p.Set("hidden_owner", boolFlag(len(hidden) > 0))
		if len(hidden) > 0 {
			p.Behaviour("hidden-owner", "a second, hidden privileged address: "+joinNames(hidden), 40, hidden...)
		}
		return nil
	},
}

// sensitive reports whether f writes token-critical storage: balances,
// supply, the owner slot, or storage read on the transfer path.
func (m *codeModel) sensitive(f *bytecode.Function) bool {
	for _, w := range f.Writes {
		switch {
		case w.Loc.Kind == "mapping" && m.balance[w.Loc.Slot]:
			return true
		case w.Loc.Kind == "slot" && (m.supply[w.Loc.Slot] || (m.hasOwner && w.Loc.Slot == m.ownerSlot)):
			return true
		}
		for _, t := range m.transfers {
			for _, r := range t.Reads {
				if r.Kind == w.Loc.Kind && r.Slot == w.Loc.Slot {
					return true
				}
			}
		}
	}
	return false
}

var mintSignal = Signal{
	Name: "mint",
	Doc: "Functions (whatever their selector) that add to the supply slot read by totalSupply() and to an entry of the balance mapping read by balanceOf(). " +
		"A backed mint — every path to the supply increase pulls the caller's tokens with transferFrom(msg.sender, …) on a token fixed in code or storage, or takes msg.value against a price — is evidence only (vault deposits, paid mints), not a mint-path.",
	Needs: "code",
	Run: func(_ context.Context, p *Pass) error {
		m, err := p.needToken()
		if err != nil {
			return err
		}
		var ev, backed []Evidence
		for i := range m.beh.Functions {
			f := &m.beh.Functions[i]
			if m.isTransfer(f) {
				continue
			}
			var sup, bal *bytecode.Write
			paidBy := ""
			free := false
			for j := range f.Writes {
				w := &f.Writes[j]
				if w.Loc.Kind == "slot" && m.supply[w.Loc.Slot] && w.Adds && !w.Decreases {
					sup = w
					if w.PaidBy == "" {
						free = true
					} else if paidBy == "" {
						paidBy = w.PaidBy
					}
				}
				if w.Loc.Kind == "mapping" && m.balance[w.Loc.Slot] && w.Adds {
					bal = w
				}
			}
			if sup == nil || bal == nil {
				continue
			}
			if !free {
				backed = append(backed, m.ev(f, &sup.Loc.Slot, sup.PC, backedDetail(f, paidBy)))
				continue
			}
			d := "adds to the supply slot and to a balance"
			if !guarded(*sup) {
				d += " — callable by anyone"
			} else {
				d += " behind " + strings.Join(sup.Guards, ", ")
			}
			ev = append(ev, m.ev(f, &sup.Loc.Slot, sup.PC, d))
		}
		p.Evidence(backed...)
		p.Set("is_mintable", boolFlag(len(ev) > 0))
		if len(ev) > 0 {
			p.Capability("mint-path", "supply can be increased: "+joinNames(ev), 50, ev...)
		}
		return nil
	},
}

// backedDetail describes a backed mint: what the caller pays with.
func backedDetail(f *bytecode.Function, paidBy string) string {
	var with []string
	if strings.Contains(paidBy, "transferFrom") {
		t := "tokens"
		for _, c := range f.Calls {
			if c.PullsFromCaller {
				t += " (transferFrom(msg.sender, …) on " + c.Target + ")"
				break
			}
		}
		with = append(with, t)
	}
	if strings.Contains(paidBy, "callvalue") {
		with = append(with, "ETH (msg.value)")
	}
	return "backed mint: mints shares against a deposit of the caller's " + strings.Join(with, " and ") + "; not counted as a mint-path"
}

var balanceControlSignal = Signal{
	Name:  "balance-control",
	Doc:   "Functions that lower or overwrite another holder's balance (the balance-mapping key comes from calldata, not msg.sender) without reading an allowance — owner balance edits, burns of others' tokens and transferFrom paths that skip the allowance.",
	Needs: "code",
	Run: func(_ context.Context, p *Pass) error {
		m, err := p.needToken()
		if err != nil {
			return err
		}
		var priv, open []Evidence
		for i := range m.beh.Functions {
			f := &m.beh.Functions[i]
			if f.Selector == selTransfer || m.setsSupply(f) {
				continue // mint paths (and initializers) are the mint signal's
			}
			for _, w := range f.Writes {
				if w.Loc.Kind != "mapping" || !m.balance[w.Loc.Slot] || !w.Loc.KeyArg || w.Loc.KeyCaller || w.AllowanceRead || w.CallerIsArg {
					continue
				}
				if w.Adds && !w.Subs {
					continue // credits (mint, recipient of a transfer)
				}
				d := "changes the balance of an address taken from calldata without an allowance"
				if f.Selector == selTransferFrom {
					d = "transferFrom debits the owner without reading the allowance"
				}
				if guarded(w) {
					priv = append(priv, m.ev(f, &w.Loc.Slot, w.PC, d+" (behind "+strings.Join(w.Guards, ", ")+")"))
				} else {
					open = append(open, m.ev(f, &w.Loc.Slot, w.PC, d+", callable by anyone"))
				}
			}
		}
		p.Set("owner_change_balance", boolFlag(len(priv)+len(open) > 0))
		if len(priv) > 0 {
			p.Behaviour("owner-change-balance", "a privileged address can change holders' balances: "+joinNames(priv), 80, priv...)
		}
		if len(open) > 0 {
			p.Behaviour("anyone-change-balance", "anyone can move or erase other holders' balances: "+joinNames(open), 80, open...)
		}
		return nil
	},
}

// setsSupply reports whether f sets or increases the supply slot.
func (m *codeModel) setsSupply(f *bytecode.Function) bool {
	for _, w := range f.Writes {
		if w.Loc.Kind == "slot" && m.supply[w.Loc.Slot] && !w.Subs {
			return true
		}
	}
	return false
}

var restrictionsSignal = Signal{
	Name:  "transfer-restrictions",
	Doc:   "Conditions on the transfer/transferFrom paths that end in REVERT: per-address flags (blacklist: reverts when set; whitelist/exemption: reverts unless set), storage switches (pause, trading), an amount compared with a storage limit (max tx/wallet), the block time (cooldown) — and whether a function can change them. approve() reading a caller-keyed flag it never reverts on (the allowance filed by list membership) is a whitelist too.",
	Needs: "code",
	Run: func(_ context.Context, p *Pass) error {
		m, err := p.needToken()
		if err != nil {
			return err
		}
		rs := m.transferRestrictions()
		set, unset := map[common.Hash]bool{}, map[common.Hash]bool{}
		for _, x := range rs {
			switch x.r.Kind {
			case "mapping-set":
				set[x.r.Loc.Slot] = true
			case "mapping-unset":
				unset[x.r.Loc.Slot] = true
			}
		}
		var black, white, pause, whale, whaleMod, cool []Evidence
		seen := map[string]bool{}
		for _, x := range rs {
			s := x.r.Loc.Slot
			k := x.r.Kind + s.Hex()
			if seen[k] {
				continue
			}
			seen[k] = true
			ws := m.externalWriters(keyOf(x.r.Loc))
			setter := ""
			if len(ws) > 0 {
				setter = "; set by " + joinNames([]Evidence{m.ev(ws[0].fn, nil, 0, "")})
			}
			switch x.r.Kind {
			case "mapping-set":
				if !unset[s] {
					black = append(black, m.ev(x.fn, &s, x.r.PC, "transfer reverts when a per-address flag is set"+setter))
				}
			case "mapping-unset":
				white = append(white, m.ev(x.fn, &s, x.r.PC, "transfer reverts unless a per-address flag is set (exemption/whitelist)"+setter))
			case "flag-set", "flag-unset":
				if len(ws) > 0 {
					pause = append(pause, m.ev(x.fn, &s, x.r.PC, "transfer reverts on a storage switch"+setter))
				}
			case "amount-limit":
				whale = append(whale, m.ev(x.fn, &s, x.r.PC, "amount compared with a storage limit before a revert"+setter))
				if len(ws) > 0 {
					whaleMod = append(whaleMod, whale[len(whale)-1])
				}
			case "amount-limit-fixed":
				whale = append(whale, m.ev(x.fn, nil, x.r.PC, "amount compared with a constant (immutable) limit before a revert"))
			case "time":
				cool = append(cool, m.ev(x.fn, nil, x.r.PC, "transfer reverts depending on the block time or number"))
			}
		}
		// A list behind approve(): approve() reads a caller-keyed flag that
		// no check reverts on, so the flag only decides how the allowance is
		// filed — accounts off the list get an allowance transferFrom (a
		// router) never finds. A blacklist in approve() reverts on its flag.
		if f := m.beh.Function(selApprove); f != nil && slices.ContainsFunc(f.Writes, func(w bytecode.Write) bool { return m.allowance[w.Loc.Slot] }) {
			checked := map[common.Hash]bool{}
			for _, r := range f.Restrictions {
				checked[r.Loc.Slot] = true
			}
			for _, r := range f.Reads {
				if r.Kind != "mapping" || r.Depth != 1 || !r.KeyCaller || m.balance[r.Slot] || m.allowance[r.Slot] || checked[r.Slot] {
					continue
				}
				var setters []writer
				for _, w := range m.externalWriters(keyOf(r)) {
					if w.fn.Selector != selApprove {
						setters = append(setters, w)
					}
				}
				if len(setters) == 0 {
					continue
				}
				s := r.Slot
				white = append(white, m.ev(f, &s, 0, "approve() files the allowance depending on a per-address flag it never reverts on (a list decides who gets a usable allowance); set by "+
					joinNames([]Evidence{m.ev(setters[0].fn, nil, 0, "")})))
			}
		}
		p.Set("is_blacklisted", boolFlag(len(black) > 0))
		p.Set("is_whitelisted", boolFlag(len(white) > 0))
		p.Set("transfer_pausable", boolFlag(len(pause) > 0))
		p.Set("is_anti_whale", boolFlag(len(whale) > 0))
		p.Set("anti_whale_modifiable", boolFlag(len(whaleMod) > 0))
		p.Set("trading_cooldown", boolFlag(len(cool) > 0))
		if len(black) > 0 {
			p.Capability("blacklist", "per-address blacklist on transfers", 10, black...)
		}
		if len(white) > 0 {
			p.Capability("whitelist", "per-address exemptions decide who can transfer", 10, white...)
		}
		if len(pause) > 0 {
			p.Capability("pausable", "transfers can be switched off", 10, pause...)
		}
		if len(whaleMod) > 0 {
			p.Capability("anti-whale-modifiable", "max transaction/wallet limit can be changed", 20, whaleMod...)
		} else if len(whale) > 0 {
			p.Evidence(whale...)
		}
		if len(cool) > 0 {
			p.Capability("cooldown", "time-based transfer restriction (cooldown or launch window)", 5, cool...)
		}
		return nil
	},
}

var feesSignal = Signal{
	Name:  "fees",
	Doc:   "Storage values multiplied or divided with the amount on the transfer paths (fee rates), the functions that write them, and whether the new value is compared with a constant before the SSTORE (a cap). Per-address rates (a mapping) are personal slippage. A transfer path that credits a balance entry keyed by neither the caller nor an argument with the amount minus a share (most of the transfer, not a fee's amount × rate) is a siphon: is_honeypot.",
	Needs: "code",
	Run: func(_ context.Context, p *Pass) error {
		m, err := p.needToken()
		if err != nil {
			return err
		}
		var bounded, unbounded, personal []Evidence
		seen := map[locKey]bool{}
		// The fee denominator: the largest constant divisor of an amount ×
		// rate product on the transfer paths (percent when none is seen).
		denom := uint64(100)
		for _, t := range m.transfers {
			for _, d := range t.FeeDivisors {
				if d > denom && d <= 1_000_000 {
					denom = d
				}
			}
		}
		for _, t := range m.transfers {
			for _, l := range t.FeeMath {
				k := keyOf(l)
				if seen[k] || (l.Kind == "mapping" && m.balance[l.Slot]) || (l.Kind == "slot" && m.supply[l.Slot]) {
					continue
				}
				seen[k] = true
				for _, w := range m.externalWriters(k) {
					if !w.w.FromArg {
						continue
					}
					s := l.Slot
					switch {
					case l.Kind == "mapping":
						personal = append(personal, m.ev(w.fn, &s, w.w.PC, "sets a per-address rate used in transfer arithmetic"))
					case w.w.Bound != nil && w.w.Bound.CmpUint64(denom/4) < 0:
						bounded = append(bounded, m.ev(w.fn, &s, w.w.PC, fmt.Sprintf("sets a fee rate used in transfer arithmetic, capped at %s/%d first", w.w.Bound.Dec(), denom)))
					case w.w.Bound != nil:
						unbounded = append(unbounded, m.ev(w.fn, &s, w.w.PC, fmt.Sprintf("sets a fee rate used in transfer arithmetic; the cap %s/%d allows 25%% or more", w.w.Bound.Dec(), denom)))
					default:
						unbounded = append(unbounded, m.ev(w.fn, &s, w.w.PC, "sets a fee rate used in transfer arithmetic with no constant bound"))
					}
				}
			}
		}
		// Siphon: a transfer path credits a balance entry whose key is
		// neither the caller nor an argument (a fixed or stored collector)
		// with the amount minus a share (amount − x, not amount × rate): the
		// bulk of the transfer goes to that account, not to the recipient.
		// A fee wallet gets amount × rate / denominator and is not matched.
		var siphon []Evidence
		for _, t := range m.transfers {
			for _, w := range t.Writes {
				l := w.Loc
				if l.Kind == "mapping" && l.Depth == 1 && m.balance[l.Slot] && !l.KeyCaller && !l.KeyArg && l.KeyArgs == 0 &&
					w.FromArg && w.Adds && w.Subs {
					s := l.Slot
					siphon = append(siphon, m.ev(t, &s, w.PC, "a transfer path credits a fixed account's balance with the amount minus a share (most of the transfer)"))
					break
				}
			}
		}
		if len(siphon) > 0 {
			p.Set("is_honeypot", "1")
			p.Behaviour("siphon-credit", "transfers divert most of the amount to a fixed account", 90, siphon...)
		}
		p.Set("slippage_modifiable", boolFlag(len(bounded)+len(unbounded) > 0))
		p.Set("personal_slippage_modifiable", boolFlag(len(personal) > 0))
		if len(unbounded) > 0 {
			p.Capability("fee-unbounded", "transfer fee can be raised to 25% or more (up to a honeypot): "+joinNames(unbounded), 50, unbounded...)
		}
		if len(bounded) > 0 {
			p.Capability("fee-modifiable", "transfer fee can be changed within a cap: "+joinNames(bounded), 4, bounded...)
		}
		if len(personal) > 0 {
			p.Behaviour("personal-fee", "a per-address fee can be set: "+joinNames(personal), 50, personal...)
		}
		return nil
	},
}

var opcodesSignal = Signal{
	Name:  "selfdestruct",
	Doc:   "A SELFDESTRUCT reachable from the entry point.",
	Needs: "code",
	Run: func(_ context.Context, p *Pass) error {
		if p.code == nil {
			return fmt.Errorf("%w: no analysable runtime code", ErrUnknown)
		}
		o := p.code.rep.Opcodes
		p.Set("selfdestruct", boolFlag(o.SelfdestructReachable))
		if o.SelfdestructReachable {
			p.Behaviour("selfdestruct", "SELFDESTRUCT is reachable", 50, Evidence{Detail: "SELFDESTRUCT reachable from the entry point"})
		}
		return nil
	},
}

var externalCallSignal = Signal{
	Name:  "external-call",
	Doc:   "CALL/STATICCALL/DELEGATECALL to a non-precompile address on the transfer paths (a token whose transfer calls out can be made to fail or re-enter).",
	Needs: "code",
	Run: func(_ context.Context, p *Pass) error {
		m, err := p.needToken()
		if err != nil {
			return err
		}
		var ev, settable []Evidence
		for _, f := range m.transfers {
			for _, c := range f.Calls {
				if strings.HasPrefix(c.Target, "const:") {
					a := common.HexToAddress(strings.TrimPrefix(c.Target, "const:"))
					if a.Big().Cmp(common.Big256) < 0 {
						continue // precompile
					}
				}
				e := m.ev(f, nil, c.PC, c.Op+" to "+c.Target+" on the transfer path")
				if strings.HasPrefix(c.Target, "slot:") {
					h := common.HexToHash(strings.TrimPrefix(c.Target, "slot:"))
					if ws := m.externalWriters(locKey{"slot", h}); len(ws) > 0 {
						e.Detail += "; the target is set by " + joinNames([]Evidence{m.ev(ws[0].fn, nil, 0, "")})
						settable = append(settable, e)
						continue
					}
				}
				ev = append(ev, e)
			}
		}
		p.Set("external_call", boolFlag(len(ev)+len(settable) > 0))
		if len(settable) > 0 {
			p.Capability("external-call-settable", "transfer calls a contract the admin can replace", 20, settable...)
		}
		if len(ev) > 0 {
			p.Capability("external-call", "transfer calls other contracts", 3, ev...)
		}
		return nil
	},
}
