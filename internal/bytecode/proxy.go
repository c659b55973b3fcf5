package bytecode

import (
	"bytes"
	"encoding/hex"

	"github.com/ethereum/go-ethereum/common"
)

// Well-known proxy storage slots.
const (
	// SlotEIP1967Implementation is bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1).
	SlotEIP1967Implementation = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc"
	// SlotEIP1967Admin is bytes32(uint256(keccak256("eip1967.proxy.admin")) - 1).
	SlotEIP1967Admin = "0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103"
	// SlotEIP1967Beacon is bytes32(uint256(keccak256("eip1967.proxy.beacon")) - 1).
	SlotEIP1967Beacon = "0xa3f0ad74e5423aebfd80d3ef4346578335a9a72aeaee59ff6cb3582b35133d50"
	// SlotEIP1822Proxiable is keccak256("PROXIABLE") (EIP-1822 UUPS).
	SlotEIP1822Proxiable = "0xc5f16f0fcc639fa48a6947836d9850f504798523bf8c9a3a87d5876cf622bcf7"
	// SlotZeppelinOSImplementation is keccak256("org.zeppelinos.proxy.implementation").
	SlotZeppelinOSImplementation = "0x7050c9e0f4ca769c69bd3a8ef740bc37934f8e2c036e5a723fd8ee048ed3f8c3"
	// SlotZeppelinOSAdmin is keccak256("org.zeppelinos.proxy.admin").
	SlotZeppelinOSAdmin = "0x10d6a54a4754c8869d6886b5f5d7fbfa5b4522237ea5c60d11bc4e7a1ff9390b"
)

// Proxy kinds.
const (
	// ProxyEIP1167 is a minimal proxy (clone) with a hard-coded target.
	ProxyEIP1167 = "eip1167"
	// ProxyEIP1967 delegates to the address in the EIP-1967 implementation slot.
	ProxyEIP1967 = "eip1967"
	// ProxyBeacon asks the beacon in the EIP-1967 beacon slot for the
	// implementation.
	ProxyBeacon = "eip1967-beacon"
	// ProxyEIP1822 delegates to the address in the PROXIABLE slot.
	ProxyEIP1822 = "eip1822"
	// ProxyZeppelinOS delegates to the address in the legacy ZeppelinOS slot.
	ProxyZeppelinOS = "zeppelinos"
	// ProxyForwarder is any other code that forwards calls with DELEGATECALL
	// (a hard-coded target, a non-standard storage slot, or unknown).
	ProxyForwarder = "delegatecall-forwarder"
)

// Slot is a storage slot the code reads or writes.
type Slot struct {
	// Name is "eip1967.implementation", "eip1967.admin", "eip1967.beacon",
	// "eip1822.proxiable", "zeppelinos.implementation", "zeppelinos.admin",
	// or "custom".
	Name string      `json:"name"`
	Slot common.Hash `json:"slot"`
}

// Proxy describes a detected proxy pattern.
type Proxy struct {
	Kind string `json:"kind"`
	// Target is a delegate target hard-coded in the code (EIP-1167 clones,
	// PUSH20 forwarders).
	Target *common.Address `json:"target,omitempty"`
	// ImplementationSlot is the storage slot holding the implementation (or
	// the beacon, for beacon proxies).
	ImplementationSlot *common.Hash `json:"implementation_slot,omitempty"`
	// Slots are the well-known proxy slots referenced by the code.
	Slots []Slot `json:"slots,omitempty"`
	// Implementation, Admin and Beacon are resolved on chain by Fetch.
	Implementation *common.Address `json:"implementation,omitempty"`
	Admin          *common.Address `json:"admin,omitempty"`
	Beacon         *common.Address `json:"beacon,omitempty"`
	// Detail explains how the proxy was recognised.
	Detail string `json:"detail,omitempty"`
}

func slotName(h common.Hash) string {
	switch h.Hex() {
	case SlotEIP1967Implementation:
		return "eip1967.implementation"
	case SlotEIP1967Admin:
		return "eip1967.admin"
	case SlotEIP1967Beacon:
		return "eip1967.beacon"
	case SlotEIP1822Proxiable:
		return "eip1822.proxiable"
	case SlotZeppelinOSImplementation:
		return "zeppelinos.implementation"
	case SlotZeppelinOSAdmin:
		return "zeppelinos.admin"
	}
	return ""
}

// kindOfSlot maps an implementation-holding slot to its proxy kind.
func kindOfSlot(name string) string {
	switch name {
	case "eip1967.implementation":
		return ProxyEIP1967
	case "eip1967.beacon":
		return ProxyBeacon
	case "eip1822.proxiable":
		return ProxyEIP1822
	case "zeppelinos.implementation":
		return ProxyZeppelinOS
	}
	return ""
}

// MinimalProxyTarget returns the target of an EIP-1167 minimal proxy
// (including the shortened-address vanity variants and the PUSH0 variant of
// ERC-7511); ok is false if code is not one.
func MinimalProxyTarget(code []byte) (target common.Address, ok bool) {
	for _, v := range []struct{ prefix, suffix string }{
		{"363d3d373d3d3d363d", "5af43d82803e903d91"}, // EIP-1167
		{"365f5f375f5f365f", "5af43d5f5f3e5f3d91"},   // ERC-7511 (PUSH0)
	} {
		prefix, _ := hex.DecodeString(v.prefix)
		suffix, _ := hex.DecodeString(v.suffix)
		if !bytes.HasPrefix(code, prefix) || len(code) <= len(prefix) {
			continue
		}
		op := OpCode(code[len(prefix)])
		n := op.PushSize()
		if n == 0 || n > 20 {
			continue
		}
		rest := code[len(prefix)+1:]
		// address, suffix, PUSH1 <ret>, JUMPI, REVERT, JUMPDEST, RETURN
		if len(rest) != n+len(suffix)+6 || !bytes.Equal(rest[n:n+len(suffix)], suffix) {
			continue
		}
		tail := rest[n+len(suffix):]
		if tail[0] != byte(PUSH1) || !bytes.Equal(tail[2:], []byte{0x57, 0xfd, 0x5b, 0xf3}) ||
			int(tail[1]) != len(code)-2 {
			continue
		}
		return common.BytesToAddress(rest[:n]), true
	}
	return common.Address{}, false
}

// detectProxy recognises proxy patterns from the full code, its
// disassembly (code part) and the dispatcher walk.
func detectProxy(code []byte, ins []Instruction, w walkResult, r *Report) *Proxy {
	if t, ok := MinimalProxyTarget(code); ok {
		return &Proxy{Kind: ProxyEIP1167, Target: &t, Implementation: &t,
			Detail: "EIP-1167 minimal proxy byte pattern"}
	}
	// Well-known slots referenced by PUSH32.
	var slots []Slot
	seen := map[common.Hash]bool{}
	hasDelegate, hasCalldatacopy := false, false
	var push20 []common.Address
	for _, in := range ins {
		switch {
		case in.Op == PUSH32 && !in.Truncated:
			h := common.Hash(in.Value())
			if n := slotName(h); n != "" && !seen[h] {
				seen[h] = true
				slots = append(slots, Slot{Name: n, Slot: h})
			}
		case in.Op == PUSH20 && !in.Truncated:
			push20 = append(push20, common.Address(in.Arg))
		case in.Op == DELEGATECALL:
			hasDelegate = true
		case in.Op == CALLDATACOPY:
			hasCalldatacopy = true
		}
	}
	if !hasDelegate {
		return nil
	}
	p := &Proxy{Slots: slots}
	loaded := map[string]bool{}
	for _, s := range w.sloads {
		if n := slotName(common.Hash(s)); n != "" {
			loaded[n] = true
		}
	}
	// 1. DELEGATECALL reached on the fallback path with a known target.
	for _, c := range w.calls {
		if c.op != DELEGATECALL {
			continue
		}
		switch c.target.k {
		case vSload:
			h := common.Hash(c.target.c)
			p.ImplementationSlot = &h
			if k := kindOfSlot(slotName(h)); k != "" {
				p.Kind = k
				p.Detail = "fallback DELEGATECALLs to the address in the " + slotName(h) + " slot"
			} else {
				p.Kind = ProxyForwarder
				p.Slots = append(p.Slots, Slot{Name: "custom", Slot: h})
				p.Detail = "fallback DELEGATECALLs to the address in storage slot " + h.Hex()
			}
			return p
		case vConst:
			a := common.BytesToAddress(c.target.c[12:])
			p.Kind = ProxyForwarder
			if a == (common.Address{}) {
				p.Detail = "fallback DELEGATECALLs to a hard-coded address that is zero in this code (an immutable set at deployment)"
				return p
			}
			p.Target, p.Implementation = &a, &a
			p.Detail = "fallback DELEGATECALLs to the hard-coded address " + a.Hex()
			return p
		}
		// Target computed (e.g. returned by the beacon, or via memory).
		switch {
		case loaded["eip1967.beacon"]:
			p.Kind = ProxyBeacon
		case loaded["eip1967.implementation"]:
			p.Kind = ProxyEIP1967
		case loaded["eip1822.proxiable"]:
			p.Kind = ProxyEIP1822
		case loaded["zeppelinos.implementation"]:
			p.Kind = ProxyZeppelinOS
		default:
			p.Kind = ProxyForwarder
			p.Detail = "fallback DELEGATECALLs to a computed address"
			return p
		}
		h := slotHash(p.Kind)
		p.ImplementationSlot = &h
		p.Detail = "fallback loads the " + slotName(h) + " slot and DELEGATECALLs"
		return p
	}
	// 2. Static heuristics when the walk did not reach the DELEGATECALL. A
	// UUPS implementation (proxiableUUID() in its dispatcher) references the
	// implementation slot and DELEGATECALLs in upgradeToAndCall, but is not
	// a proxy.
	if r.HasSelector(Sel{0x52, 0xd1, 0x90, 0x2d}) {
		return nil
	}
	for _, want := range []string{"eip1967.beacon", "eip1967.implementation", "eip1822.proxiable", "zeppelinos.implementation"} {
		for _, s := range slots {
			if s.Name == want && len(r.Selectors) <= 8 {
				h := s.Slot
				p.Kind, p.ImplementationSlot = kindOfSlot(want), &h
				p.Detail = "references the " + want + " slot and DELEGATECALLs (static pattern)"
				return p
			}
		}
	}
	if len(r.Selectors) == 0 && hasCalldatacopy && len(ins) < 400 {
		p.Kind = ProxyForwarder
		p.Detail = "small code without dispatcher that copies calldata and DELEGATECALLs"
		if len(push20) == 1 {
			p.Target, p.Implementation = &push20[0], &push20[0]
		}
		return p
	}
	return nil
}

func slotHash(kind string) common.Hash {
	switch kind {
	case ProxyBeacon:
		return common.HexToHash(SlotEIP1967Beacon)
	case ProxyEIP1822:
		return common.HexToHash(SlotEIP1822Proxiable)
	case ProxyZeppelinOS:
		return common.HexToHash(SlotZeppelinOSImplementation)
	}
	return common.HexToHash(SlotEIP1967Implementation)
}
