package bytecode

import (
	"encoding/binary"
	"hash/maphash"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/holiman/uint256"
)

// The behaviour walker follows the body of every dispatcher function with a
// taint-tracking abstract interpreter and records what the function DOES,
// whatever its name: which storage it writes (constant slots, or mapping
// entries keyed by the caller or by a calldata argument — mapping slots are
// recognised from solc's keccak256(key . slot) in scratch memory), which
// conditions guard those writes (msg.sender compared with a storage slot, a
// constant address or a caller-keyed mapping), which conditions lead to a
// REVERT (a mapping flag, a storage flag, an argument compared with a storage
// slot, the block time), which storage values take part in arithmetic with
// an argument (fees), and which calls it makes. Selectors unknown to sigdb
// therefore never hide behaviour: a function called "a1b2c3d4" that adds to
// a balance mapping and to the supply slot is a mint.
//
// Memory is modelled just enough to read what a CALL calls: a few words
// stored at constant addresses or at constant offsets from the free memory
// pointer (each value of mload(0x40) that is not such an offset starts a new
// base), so the 4-byte selector solc stores at the call's input offset and
// the argument words after it are known when they were stored as constants
// or from msg.sender. Each path also records whether it took value from the
// caller — a transferFrom(msg.sender, …) on a token that is not chosen by
// calldata, or msg.value compared with a price or used as an amount — and a
// write is "paid" when every non-reverting path through it did.

// Taint sources of a symbolic value.
const (
	tCaller uint16 = 1 << iota // msg.sender or tx.origin
	tArg                       // calldata
	tSload                     // a constant storage slot
	tMap                       // a mapping entry
	tTime                      // block.timestamp or block.number
	tCallValue
	tRet     // result of a call
	tDynSlot // storage at a computed slot that is not a recognised mapping
)

// Value shape flags.
const (
	fConst       uint32 = 1 << iota // c holds the value
	fMSlot                          // a mapping slot (keccak of key . base), not a read
	fPure                           // a storage read, only masked or negated since
	fNeg                            // negated an odd number of times (with fPure)
	fAdd                            // an ADD with an argument-derived operand
	fSub                            // a SUB with an argument-derived operand
	fCmpArgSlot                     // a comparison: argument-derived vs a storage slot
	fCmpArgConst                    // a comparison: argument-derived vs a constant
	fCmpCallerC                     // a comparison: caller vs a constant address
	fCmpCaller                      // a comparison involving the caller
	fAddr                           // masked to 160 bits: an address
	fEq                             // an equality comparison (possibly negated)
	fCmpValue                       // a comparison of msg.value with a non-zero amount
	fLow224                         // masked to its low 224 bits (top 4 bytes zero)
	fSelWord                        // top 4 bytes are those of c, the rest unknown
	fDerived                        // computed from other values (not a plain input)
	fZeroTest                       // a plain argument compared with zero
	fLastSub                        // the last step was a SUB of an argument-derived amount
	fPtr                            // a memory pointer: see mkPtr
)

// keyFlags are the shape flags that tell walk states apart (the others —
// masks, derivation, memory shapes — would only split equal states).
const keyFlags = fConst | fMSlot | fPure | fNeg | fAdd | fSub | fCmpArgSlot | fCmpArgConst | fCmpCallerC | fCmpCaller | fAddr | fEq

// sval is a symbolic value: a constant, or the union of the sources it was
// computed from plus the storage location it was read from.
type sval struct {
	c     uint256.Int
	t     uint16 // taint
	f     uint32 // shape flags
	args  uint8  // argument indexes (bit i: argument i)
	slot  uint16 // interned constant slot (tSload), 0 = none
	mbase uint16 // interned mapping base (tMap or fMSlot), 0 = none
	mkey  uint16 // taint of the mapping key(s)
	mdep  uint8  // mapping depth (1: m[k], 2: m[k1][k2])
	bound uint16 // interned constant compared against an argument
}

// A memory pointer (fPtr) keeps its base id in slot and its offset from the
// base in bound, so that sval stays 48 bytes; mkPtr builds one, memAddr
// reads it.
func mkPtr(base, off uint16) sval { return sval{f: fPtr, slot: base, bound: off} }

func (v sval) isConst() bool { return v.f&fConst != 0 }

// union merges the taints of two operands into an unknown value.
func union(a, b sval) sval {
	if a.f&fPtr != 0 {
		a = sval{} // a pointer's slot and bound are not storage facts
	}
	if b.f&fPtr != 0 {
		b = sval{}
	}
	r := sval{t: a.t | b.t, args: a.args | b.args}
	r.slot = a.slot
	if r.slot == 0 {
		r.slot = b.slot
	}
	src := a
	if a.mbase == 0 {
		src = b
	}
	r.mbase, r.mkey, r.mdep = src.mbase, src.mkey, src.mdep
	r.f = (a.f|b.f)&(fCmpArgSlot|fCmpArgConst|fCmpCallerC|fCmpCaller|fAdd|fSub|fCmpValue) | fDerived
	r.bound = a.bound
	if r.bound == 0 {
		r.bound = b.bound
	}
	return r
}

// Location is a storage location written or read by a function.
type Location struct {
	// Kind is "slot" (a constant slot), "mapping" (an entry of the mapping
	// at Slot) or "dynamic" (a computed slot).
	Kind string      `json:"kind"`
	Slot common.Hash `json:"slot"`
	// Depth is the mapping nesting (1: m[k], 2: m[k1][k2]).
	Depth int `json:"depth,omitempty"`
	// KeyCaller / KeyArgs say what the mapping key was derived from: the
	// caller, and the calldata arguments (bit i = argument i).
	KeyCaller bool  `json:"key_caller,omitempty"`
	KeyArg    bool  `json:"key_arg,omitempty"`
	KeyArgs   uint8 `json:"key_args,omitempty"`
}

// Write is one SSTORE reached in a function body.
type Write struct {
	PC  int      `json:"pc"`
	Loc Location `json:"loc"`
	// FromArg / FromCaller / FromStorage / FromTime describe the stored
	// value's sources; Adds / Subs say it was computed by adding or
	// subtracting an argument-derived amount; ReadsSame that it reads the
	// location it writes (an update, not a plain set).
	FromArg     bool `json:"from_arg,omitempty"`
	FromCaller  bool `json:"from_caller,omitempty"`
	FromStorage bool `json:"from_storage,omitempty"`
	FromTime    bool `json:"from_time,omitempty"`
	Adds        bool `json:"adds,omitempty"`
	Subs        bool `json:"subs,omitempty"`
	// Decreases: the value's last arithmetic step subtracts an
	// argument-derived amount (Adds and Subs also reflect how the amount
	// itself was computed).
	Decreases bool `json:"decreases,omitempty"`
	Constant  bool `json:"constant,omitempty"`
	// Guards are the caller checks on the path to the write:
	// "slot:0x…" (msg.sender compared with that storage slot),
	// "map:0x…" (a caller-keyed mapping flag, e.g. a role), "const:0x…"
	// (a hard-coded or immutable address).
	Guards []string `json:"guards,omitempty"`
	// AllowanceRead is set when the path read a two-level mapping keyed by
	// the caller (an allowance) before the write.
	AllowanceRead bool `json:"allowance_read,omitempty"`
	// CallerIsArg is set when the path established msg.sender == an
	// argument (e.g. transferFrom by the holder itself).
	CallerIsArg bool `json:"caller_is_arg,omitempty"`
	// Bound is the constant an argument was compared against on the path
	// (e.g. a fee cap), if any.
	Bound *uint256.Int `json:"bound,omitempty"`
	// PaidBy is set when every non-reverting path through the write takes
	// value from the caller (before or after the write): "transferFrom"
	// (a transferFrom(msg.sender, …) call on a constant or stored token),
	// "callvalue" (msg.value compared with a non-zero amount, or the written
	// value derived from it), or both joined by "+". Empty: not decided.
	PaidBy string `json:"paid_by,omitempty"`
}

// Restriction is a condition that sends a function to REVERT.
type Restriction struct {
	PC int `json:"pc"`
	// Kind is "mapping-set" (reverts when a per-address flag is set: a
	// blacklist), "mapping-unset" (reverts unless it is set: a whitelist),
	// "flag-set" / "flag-unset" (a storage switch: pause / trading),
	// "amount-limit" (an argument compared with a storage slot: max tx or
	// wallet), "amount-limit-fixed" (compared with a constant: an immutable
	// limit), "time" (block time or number: cooldown / launch windows).
	Kind string   `json:"kind"`
	Loc  Location `json:"loc"`
}

// Call is a CALL-family instruction reached in a function body.
type Call struct {
	PC int    `json:"pc"`
	Op string `json:"op"`
	// Target: "const:0x…", "slot:0x…" (loaded from storage), "arg"
	// (from calldata), "unknown".
	Target string `json:"target"`
	// Selector is the 4-byte selector stored as a constant at the call's
	// input offset ("" when not decidable), on the first path reaching it.
	Selector string `json:"selector,omitempty"`
	// CallerArgs: bit i is set when argument word i (of the first four) was
	// stored from msg.sender.
	CallerArgs uint8 `json:"caller_args,omitempty"`
	// PullsFromCaller is set when the call is transferFrom(msg.sender, …)
	// of a non-zero amount on a token that is a constant or read from a
	// storage slot (not chosen by calldata).
	PullsFromCaller bool `json:"pulls_from_caller,omitempty"`
}

// Function is the behaviour of one dispatcher function.
type Function struct {
	Selector Sel     `json:"selector"`
	Entry    int     `json:"entry"`
	Writes   []Write `json:"writes,omitempty"`
	// Reads are the constant slots and mapping bases read.
	Reads        []Location    `json:"reads,omitempty"`
	Restrictions []Restriction `json:"restrictions,omitempty"`
	// FeeMath are storage values multiplied or divided with an
	// argument-derived amount (fee rates).
	FeeMath []Location `json:"fee_math,omitempty"`
	// FeeDivisors are the constant divisors of argument × storage products
	// (a fee's denominator: 100, 1000, 10000 …).
	FeeDivisors []uint64 `json:"fee_divisors,omitempty"`
	Calls       []Call   `json:"calls,omitempty"`
	// Guards is the union of caller checks met anywhere in the body.
	Guards       []string `json:"guards,omitempty"`
	Selfdestruct bool     `json:"selfdestruct,omitempty"`
	// PaidValue is set when the function compares msg.value with a
	// non-zero amount or stores a value derived from it (a paid call; the
	// non-payable check callvalue == 0 does not count).
	PaidValue bool `json:"paid_value,omitempty"`
	// Incomplete is set when the walk hit its budget.
	Incomplete bool `json:"incomplete,omitempty"`
}

// Behavior is the behaviour of every dispatcher function.
type Behavior struct {
	Functions []Function `json:"functions"`
}

// Function returns the behaviour of selector s, or nil.
func (b *Behavior) Function(s Sel) *Function {
	if b == nil {
		return nil
	}
	for i := range b.Functions {
		if b.Functions[i].Selector == s {
			return &b.Functions[i]
		}
	}
	return nil
}

const (
	bwMaxSteps   = 60_000
	bwMaxStates  = 4_000
	bwMaxPCVisit = 64
	bwMaxGuards  = 6
)

// intern maps 32-byte words (slots, bounds) to small ids; 0 means none.
type intern struct {
	ids   map[[32]byte]uint16
	words [][32]byte
}

func (in *intern) id(w [32]byte) uint16 {
	if id, ok := in.ids[w]; ok {
		return id
	}
	if len(in.words) >= 0xfffe {
		return 0
	}
	in.words = append(in.words, w)
	id := uint16(len(in.words))
	in.ids[w] = id
	return id
}

func (in *intern) word(id uint16) [32]byte {
	if id == 0 || int(id) > len(in.words) {
		return [32]byte{}
	}
	return in.words[id-1]
}

// pathState is one point of the exploration.
type pathState struct {
	pc     int
	st     []sval
	mem    [2]sval // scratch memory words 0x00 and 0x20
	guards []string
	allow  bool
	// self is set on the branch where msg.sender equals an argument (the
	// holder acting on its own tokens).
	self bool
	// decs are the conditions of the last branches since the last side
	// effect (SSTORE, LOG, CALL), most recent last.
	decs  []decision
	bound uint16
	// paid: what the path took from the caller so far (paidPull,
	// paidValue).
	paid uint8
	// wrote: indexes (into Function.Writes) of the writes on this path
	// whose payment is settled when the path ends.
	wrote [8]int32
	nw    uint8
	// mw: the tracked memory words, oldest first.
	mw [memMax]memWord
	nm uint8
	// facts: plain arguments known to be zero or non-zero on this path
	// (see zeroFact), so that a branch contradicting an earlier check (an
	// argument checked non-zero, then compared with zero again inside a
	// shared helper) is not followed.
	facts [4]uint8
	nf    uint8
}

// wroteSig identifies the pending writes of a path.
func (p *pathState) wroteSig() uint64 {
	h := uint64(p.nw) + 1
	for _, w := range p.wrote[:p.nw] {
		h = h*1_000_003 + uint64(w) + 1
	}
	return h
}

// plainArg reports whether v is one calldata argument word, possibly
// masked or negated (ISZERO), and nothing computed from it.
func plainArg(v sval) bool {
	return v.t == tArg && v.args != 0 && v.args&(v.args-1) == 0 && v.f&^(fAddr|fLow224|fNeg) == 0
}

// plainCaller reports whether v is msg.sender (or tx.origin), possibly
// masked or negated: never zero. Only a branch on the value itself counts
// (solc's iszero(to) in a helper called with msg.sender), not eq(caller, c):
// c may be an immutable, zero in a compiler artifact's runtime.
func plainCaller(v sval) bool {
	return v.t == tCaller && v.f&^(fAddr|fLow224|fNeg) == 0
}

// factCaller is the fact byte of msg.sender, known non-zero on every path.
const factCaller = 0x40

// zeroFact returns the fact a branch on cond establishes about a plain
// argument: a fact byte (the argument bit, plus 0x80 when the argument is
// zero) for the taken branch (cond non-zero) and for the fall-through.
func zeroFact(cond sval) (taken, fall uint8, ok bool) {
	var zeroWhenTaken bool
	id := cond.args
	switch {
	case plainArg(cond):
		zeroWhenTaken = cond.f&fNeg != 0 // iszero(x) taken: x == 0
	case plainCaller(cond):
		zeroWhenTaken, id = cond.f&fNeg != 0, factCaller
	case cond.f&fZeroTest != 0 && cond.f&fEq != 0 && cond.f&(fAdd|fSub) == 0 && cond.t == tArg && cond.args&(cond.args-1) == 0:
		zeroWhenTaken = cond.f&fNeg == 0 // eq(x, 0) taken: x == 0
	default:
		return 0, 0, false
	}
	if zeroWhenTaken {
		return id | 0x80, id, true
	}
	return id, id | 0x80, true
}

// contradicts reports whether fact ft contradicts a fact of the path (the
// same argument, the other way).
func (p *pathState) contradicts(ft uint8) bool {
	for _, g := range p.facts[:p.nf] {
		if g^ft == 0x80 {
			return true
		}
	}
	return false
}

// addFact records fact ft (bounded: a full list keeps its facts).
func (p *pathState) addFact(ft uint8) {
	for _, g := range p.facts[:p.nf] {
		if g == ft {
			return
		}
	}
	if int(p.nf) < len(p.facts) {
		p.facts[p.nf] = ft
		p.nf++
	}
}

// What a path took from the caller.
const (
	paidPull  uint8 = 1 << iota // transferFrom(msg.sender, …)
	paidValue                   // msg.value
)

const memMax = 8

// memWord is a memory word stored at base+off (base 0: an absolute
// address); keep is how many leading bytes are still intact.
type memWord struct {
	base uint16
	keep uint8
	off  uint32
	v    sval
}

// memAddr returns the abstract address of v: (0, c) for a small constant,
// (pb, po) for an offset from a memory pointer base.
func memAddr(v sval) (base uint16, off uint32, ok bool) {
	switch {
	case v.isConst():
		if v.c.IsUint64() && v.c.Uint64() < 1<<31 {
			return 0, uint32(v.c.Uint64()), true
		}
	case v.f&fPtr != 0:
		return v.slot, uint32(v.bound), true
	}
	return 0, 0, false
}

// clobber forgets what a write of n bytes (n == 0: unknown length) at
// base+off overwrites; known is false for an unknown address, which
// forgets every word but the free memory pointer.
func (p *pathState) clobber(base uint16, off uint32, n uint32, known bool) {
	j := uint8(0)
	for i := uint8(0); i < p.nm; i++ {
		w := p.mw[i]
		drop := false
		switch {
		case !known:
			drop = !(w.base == 0 && w.off == 0x40)
		case w.base != base:
		case w.off >= off && (n == 0 || w.off < off+n):
			drop = true
		case w.off < off && off < w.off+32:
			if k := off - w.off; uint32(w.keep) > k {
				w.keep = uint8(k)
			}
		}
		if !drop {
			p.mw[j] = w
			j++
		}
	}
	p.nm = j
}

// mstore records a word stored at base+off.
func (p *pathState) mstore(base uint16, off uint32, v sval) {
	n := uint32(32)
	if v.f&fSelWord != 0 {
		// The selector set in place over a word read back from memory: the
		// bytes after it are unchanged.
		n = 4
	}
	p.clobber(base, off, n, true)
	if p.nm == memMax {
		copy(p.mw[:], p.mw[1:])
		p.nm--
	}
	p.mw[p.nm] = memWord{base: base, keep: 32, off: off, v: v}
	p.nm++
}

// mword returns the word stored exactly at base+off and how many of its
// leading bytes are intact.
func (p *pathState) mword(base uint16, off uint32) (sval, int, bool) {
	for i := int(p.nm) - 1; i >= 0; i-- {
		if w := p.mw[i]; w.base == base && w.off == off {
			return w.v, int(w.keep), true
		}
	}
	return sval{}, 0, false
}

// selTransferFrom is transferFrom(address,address,uint256).
var selTransferFrom = [4]byte{0x23, 0xb8, 0x72, 0xdd}

// callInput reads the selector and the caller-derived argument words of a
// call whose input starts at in; zeroAmt is set when the third argument is
// the constant zero.
func (p *pathState) callInput(in sval) (sel [4]byte, known bool, callerArgs uint8, zeroAmt bool) {
	base, off, ok := memAddr(in)
	if !ok {
		return
	}
	if v, keep, ok := p.mword(base, off); ok && keep >= 4 && (v.isConst() || v.f&fSelWord != 0) {
		b := v.c.Bytes32()
		sel, known = [4]byte(b[:4]), true
	}
	for i := uint32(0); i < 4; i++ {
		v, keep, ok := p.mword(base, off+4+32*i)
		if !ok || keep < 32 {
			continue
		}
		if v.t&tCaller != 0 {
			callerArgs |= 1 << i
		}
		if i == 2 && v.isConst() && v.c.IsZero() {
			zeroAmt = true
		}
	}
	return
}

func (p *pathState) clone() pathState {
	q := *p
	q.st = slices.Clone(p.st)
	q.guards = slices.Clone(p.guards)
	q.decs = slices.Clone(p.decs)
	return q
}

// decision is one branch taken on a path.
type decision struct {
	cond  sval
	taken bool
}

const maxDecisions = 3

func (p *pathState) decide(cond sval, taken bool) {
	if len(p.decs) >= maxDecisions {
		p.decs = append(p.decs[:0], p.decs[1:]...)
	}
	p.decs = append(p.decs, decision{cond, taken})
}

// analyzeBehavior walks every function body from its dispatcher entry.
func analyzeBehavior(code []byte, ins []Instruction, jd []bool, entries map[[4]byte]int, stacks map[[4]byte]stack, sels [][4]byte) *Behavior {
	b := &Behavior{Functions: []Function{}}
	if len(entries) == 0 {
		return b
	}
	index := make([]int32, len(code))
	for i := range index {
		index[i] = -1
	}
	for i, in := range ins {
		index[in.PC] = int32(i)
	}
	in := &intern{ids: map[[32]byte]uint16{}}
	seed := maphash.MakeSeed()
	for _, s := range sels {
		pc, ok := entries[s]
		if !ok {
			continue
		}
		f := walkFunction(code, ins, jd, index, pc, entryStack(stacks[s]), in, seed)
		f.Selector = Sel(s)
		b.Functions = append(b.Functions, f)
	}
	return b
}

// entryStack returns the symbolic stack a body starts with: the constants
// the dispatcher left on the stack (its top 16 items), at least 4 items.
func entryStack(st stack) []sval {
	if len(st) > 16 {
		st = st[len(st)-16:]
	}
	out := make([]sval, max(0, 4-len(st)), 16)
	for _, v := range st {
		sv := sval{}
		if v.k == vConst {
			sv = sval{f: fConst}
			sv.c.SetBytes32(v.c[:])
		}
		out = append(out, sv)
	}
	return out
}

// walkFunction explores one function body.
func walkFunction(code []byte, ins []Instruction, jd []bool, index []int32, entry int, pad []sval, in *intern, seed maphash.Seed) Function {
	f := Function{Entry: entry}
	loc := func(v sval) Location {
		switch {
		case v.isConst():
			return Location{Kind: "slot", Slot: common.Hash(v.c.Bytes32())}
		case v.f&fMSlot != 0:
			return Location{Kind: "mapping", Slot: common.Hash(in.word(v.mbase)), Depth: int(v.mdep),
				KeyCaller: v.mkey&tCaller != 0, KeyArg: v.mkey&tArg != 0, KeyArgs: v.args}
		}
		return Location{Kind: "dynamic"}
	}
	readLoc := func(v sval) (Location, bool) {
		switch {
		case v.t&tMap != 0 && v.mbase != 0:
			return Location{Kind: "mapping", Slot: common.Hash(in.word(v.mbase)), Depth: int(v.mdep),
				KeyCaller: v.mkey&tCaller != 0, KeyArg: v.mkey&tArg != 0}, true
		case v.t&tSload != 0 && v.slot != 0:
			return Location{Kind: "slot", Slot: common.Hash(in.word(v.slot))}, true
		}
		return Location{}, false
	}
	addGuard := func(gs []string, g string) []string {
		if slices.Contains(gs, g) || len(gs) >= bwMaxGuards {
			return gs
		}
		gs = append(gs, g)
		if !slices.Contains(f.Guards, g) {
			f.Guards = append(f.Guards, g)
		}
		return gs
	}
	seenRead := map[Location]bool{}
	seenFee := map[Location]bool{}
	type restrKey struct {
		pc   int
		kind string
		slot common.Hash
	}
	seenRestr := map[restrKey]bool{}
	seenWrite := map[[2]int]int{}
	// paidAll[i] is what every settled path through write i took from the
	// caller; settled[i] says at least one non-reverting path ended.
	var paidAll []uint8
	var settled []bool
	settle := func(p *pathState) {
		for _, i := range p.wrote[:p.nw] {
			paidAll[i] &= p.paid
			settled[i] = true
		}
		p.nw = 0
	}
	seenCall := map[int]bool{}
	visits := map[int]int{}
	visited := map[uint64]uint64{}
	key := func(p *pathState) uint64 {
		var h maphash.Hash
		h.SetSeed(seed)
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], uint64(p.pc)<<16|uint64(len(p.st)))
		h.Write(b[:])
		for i := len(p.st) - 1; i >= 0 && i >= len(p.st)-16; i-- {
			v := p.st[i]
			binary.BigEndian.PutUint64(b[:], uint64(v.t)<<48|uint64(v.f&keyFlags)<<32|uint64(v.slot)<<16|uint64(v.mbase))
			h.Write(b[:])
			if v.isConst() {
				x := v.c.Bytes32()
				h.Write(x[:])
			}
		}
		for _, g := range p.guards {
			h.WriteString(g)
		}
		if p.allow {
			h.WriteByte(1)
		}
		if p.self {
			h.WriteByte(2)
		}
		h.WriteByte(4 + p.paid)
		for _, ft := range p.facts[:p.nf] {
			h.WriteByte(ft)
		}
		for _, d := range p.decs {
			binary.BigEndian.PutUint64(b[:], uint64(d.cond.t)<<48|uint64(d.cond.f&keyFlags)<<16|uint64(d.cond.mbase))
			h.Write(b[:])
		}
		return h.Sum64()
	}
	work := []pathState{{pc: entry, st: pad, facts: [4]uint8{factCaller}, nf: 1}}
	steps := 0
	for len(work) > 0 {
		if steps >= bwMaxSteps || len(visited) >= bwMaxStates {
			f.Incomplete = true
			break
		}
		p := work[len(work)-1]
		work = work[:len(work)-1]
		k := key(&p)
		ws := p.wroteSig()
		if v, ok := visited[k]; ok {
			// An equal state already continued; it settles the same
			// pending writes the same way. Pending writes it does not have
			// settle with what this path paid so far (conservative).
			if v != ws {
				settle(&p)
			}
			continue
		}
		visited[k] = ws
		if visits[p.pc]++; visits[p.pc] > bwMaxPCVisit {
			f.Incomplete = true
			settle(&p)
			continue
		}
		// ended: the path stops here (not forked or jumped); reverted: it
		// reverts, so its writes do not count.
		ended, reverted := true, false
	path:
		for steps < bwMaxSteps {
			if p.pc < 0 || p.pc >= len(code) || index[p.pc] < 0 || len(p.st) > walkMaxStack {
				break
			}
			x := ins[index[p.pc]]
			steps++
			next := p.pc + x.Size()
			pop := func() sval {
				if len(p.st) == 0 {
					return sval{}
				}
				v := p.st[len(p.st)-1]
				p.st = p.st[:len(p.st)-1]
				return v
			}
			peek := func(n int) sval {
				if n > len(p.st) {
					return sval{}
				}
				return p.st[len(p.st)-n]
			}
			push := func(v sval) { p.st = append(p.st, v) }
			dest := func(v sval) (int, bool) {
				if !v.isConst() || !v.c.IsUint64() || v.c.Uint64() >= uint64(len(code)) || !jd[v.c.Uint64()] {
					return 0, false
				}
				return int(v.c.Uint64()), true
			}
			op := x.Op
			switch {
			case op.IsPush():
				v := sval{f: fConst}
				w := x.Value()
				v.c.SetBytes32(w[:])
				push(v)
				p.pc = next
				continue
			case op >= DUP1 && op <= DUP16:
				push(peek(int(op-DUP1) + 1))
				p.pc = next
				continue
			case op >= SWAP1 && op <= SWAP16:
				n := int(op-SWAP1) + 1
				for len(p.st) < n+1 {
					p.st = append([]sval{{}}, p.st...)
				}
				t := len(p.st) - 1
				p.st[t], p.st[t-n] = p.st[t-n], p.st[t]
				p.pc = next
				continue
			}
			switch op {
			case JUMP:
				d, ok := dest(pop())
				if ok {
					p.pc = d
					work = append(work, p)
					ended = false
				}
				break path
			case JUMPI:
				t, cond := pop(), pop()
				d, ok := dest(t)
				// Caller checks become guards on both branches: the
				// function's behaviour after them depends on who calls.
				if cond.t&tCaller != 0 || (cond.f&fPure != 0 && cond.t&tMap != 0 && cond.mkey&tCaller != 0) {
					switch {
					case cond.f&fCmpCallerC != 0 && cond.bound != 0:
						w := in.word(cond.bound)
						p.guards = addGuard(p.guards, "const:"+common.BytesToAddress(w[12:]).Hex())
					case cond.f&fPure != 0 && cond.t&tMap != 0 && cond.mkey&tCaller != 0 && cond.mbase != 0:
						w := in.word(cond.mbase)
						p.guards = addGuard(p.guards, "map:"+common.Hash(w).Hex())
					case cond.t&tSload != 0 && cond.slot != 0:
						w := in.word(cond.slot)
						p.guards = addGuard(p.guards, "slot:"+common.Hash(w).Hex())
					case cond.t&tDynSlot != 0 && cond.f&fCmpCaller != 0:
						// msg.sender compared with storage at a computed
						// slot (e.g. keccak256 of a string, hashed at run
						// time).
						p.guards = addGuard(p.guards, "dyn:storage")
					}
				}
				if cond.f&fCmpArgConst != 0 && cond.bound != 0 {
					p.bound = cond.bound
				}
				if cond.f&fCmpValue != 0 {
					p.paid |= paidValue
					f.PaidValue = true
				}
				selfCmp := cond.f&fEq != 0 && cond.f&fCmpCaller != 0 && cond.t&tArg != 0
				follow, fall := true, true
				if cond.isConst() {
					if cond.c.IsZero() {
						follow = false
					} else {
						fall = false
					}
				}
				ftTaken, ftFall, hasFact := zeroFact(cond)
				if hasFact {
					follow = follow && !p.contradicts(ftTaken)
					fall = fall && !p.contradicts(ftFall)
				}
				if follow && ok {
					q := p.clone()
					q.pc = d
					q.decide(cond, true)
					if selfCmp && cond.f&fNeg == 0 {
						q.self = true
					}
					if hasFact {
						q.addFact(ftTaken)
					}
					work = append(work, q)
					ended = false
				}
				if fall {
					p.pc = next
					p.decide(cond, false)
					if selfCmp && cond.f&fNeg != 0 {
						p.self = true
					}
					if hasFact {
						p.addFact(ftFall)
					}
					work = append(work, p)
					ended = false
				}
				break path
			case REVERT:
				reverted = true
				if isPanic(p.mem[0]) {
					break path
				}
				// The most recent branch on data is the failed check
				// (earlier ones on the path were passed checks).
				for i := len(p.decs) - 1; i >= 0; i-- {
					d := p.decs[i]
					if d.cond.t == 0 {
						continue // a loop or length check inside the revert helper
					}
					r, ok := restriction(d.cond, d.taken, readLoc)
					if !ok {
						break
					}
					rk := restrKey{x.PC, r.Kind, r.Loc.Slot}
					if !seenRestr[rk] {
						seenRestr[rk] = true
						r.PC = x.PC
						f.Restrictions = append(f.Restrictions, r)
					}
					break
				}
				break path
			case SELFDESTRUCT:
				f.Selfdestruct = true
				break path
			case SSTORE:
				kv, v := pop(), pop()
				p.decs = p.decs[:0]
				if v.t&tCallValue != 0 {
					p.paid |= paidValue
					f.PaidValue = true
				}
				l := loc(kv)
				wk := [2]int{x.PC, len(p.guards)}
				if p.allow {
					wk[1] += 100
				}
				if p.self {
					wk[1] += 1000
				}
				wi, seen := seenWrite[wk]
				if !seen {
					wi = len(f.Writes)
					seenWrite[wk] = wi
					w := Write{PC: x.PC, Loc: l,
						FromArg: v.t&tArg != 0, FromCaller: v.t&tCaller != 0,
						FromStorage: v.t&(tSload|tMap|tDynSlot) != 0, FromTime: v.t&tTime != 0,
						Adds: v.f&fAdd != 0, Subs: v.f&fSub != 0, Decreases: v.f&fLastSub != 0, Constant: v.isConst(),
						Guards: slices.Clone(p.guards), AllowanceRead: p.allow, CallerIsArg: p.self}
					switch l.Kind {
					case "slot":
						w.FromStorage = w.FromStorage && v.slot != 0 && in.word(v.slot) == [32]byte(l.Slot)
					case "mapping":
						w.FromStorage = w.FromStorage && v.mbase == kv.mbase
					}
					if w.FromArg && p.bound != 0 {
						bw := in.word(p.bound)
						w.Bound = new(uint256.Int).SetBytes32(bw[:])
					}
					f.Writes = append(f.Writes, w)
					paidAll = append(paidAll, paidPull|paidValue)
					settled = append(settled, false)
				}
				if int(p.nw) < len(p.wrote) {
					p.wrote[p.nw] = int32(wi)
					p.nw++
				} else {
					// Too many writes to follow: settle this one now.
					paidAll[wi] &= p.paid
					settled[wi] = true
				}
				p.pc = next
				continue
			case CALL, STATICCALL, DELEGATECALL, CALLCODE:
				tgt := peek(2)
				inArg, outArg := 4, 6 // CALL, CALLCODE: gas, to, value, in, inSize, out, outSize
				if op == STATICCALL || op == DELEGATECALL {
					inArg, outArg = 3, 5
				}
				sel, selKnown, callerArgs, zeroAmt := p.callInput(peek(inArg))
				// The token pulled from must not be chosen by the caller:
				// a constant (immutable) or a plain storage slot.
				fixedTarget := tgt.isConst() || (tgt.t == tSload && tgt.slot != 0)
				pulls := op == CALL && selKnown && sel == selTransferFrom && callerArgs&1 != 0 && !zeroAmt && fixedTarget
				if pulls {
					p.paid |= paidPull
				}
				if !seenCall[x.PC] {
					seenCall[x.PC] = true
					c := Call{PC: x.PC, Op: op.String(), Target: "unknown", CallerArgs: callerArgs, PullsFromCaller: pulls}
					if selKnown {
						c.Selector = "0x" + common.Bytes2Hex(sel[:])
					}
					switch {
					case tgt.isConst():
						c.Target = "const:" + common.Address(tgt.c.Bytes20()).Hex()
					case tgt.t&tSload != 0 && tgt.slot != 0:
						c.Target = "slot:" + common.Hash(in.word(tgt.slot)).Hex()
					case tgt.t&tArg != 0:
						c.Target = "arg"
					}
					f.Calls = append(f.Calls, c)
				}
				// The call writes its output area.
				if ob, oo, ok := memAddr(peek(outArg)); ok {
					n := uint32(0)
					if l := peek(outArg + 1); l.isConst() && l.c.IsUint64() && l.c.Uint64() < 1<<20 {
						n = uint32(l.c.Uint64())
					}
					if n > 0 || !peek(outArg+1).isConst() {
						p.clobber(ob, oo, n, true)
					}
				} else {
					p.clobber(0, 0, 0, false)
				}
				pops, _ := op.StackIO()
				for range pops {
					pop()
				}
				push(sval{t: tRet})
				p.decs = p.decs[:0]
				p.pc = next
				continue
			}
			if op.Halts() {
				reverted = op == INVALID || !op.Defined()
				break path
			}
			if op == DIV {
				if a, b := peek(1), peek(2); a.t&tArg != 0 && a.t&(tSload|tMap) != 0 && b.isConst() && b.c.IsUint64() && b.c.Uint64() > 1 {
					if d := b.c.Uint64(); !slices.Contains(f.FeeDivisors, d) {
						f.FeeDivisors = append(f.FeeDivisors, d)
					}
				}
			}
			execTaint(&p, x, in, pop, peek, push)
			if op == SLOAD {
				if l, ok := readLoc(peek(1)); ok && !seenRead[l] {
					seenRead[l] = true
					f.Reads = append(f.Reads, l)
				}
				if v := peek(1); v.t&tMap != 0 && v.mdep >= 2 && v.mkey&tCaller != 0 {
					p.allow = true
				}
			}
			if op == MUL || op == DIV {
				if v := peek(1); v.t&tArg != 0 {
					if l, ok := readLoc(v); ok && !seenFee[l] {
						seenFee[l] = true
						f.FeeMath = append(f.FeeMath, l)
					}
				}
			}
			p.pc = next
		}
		if ended && !reverted {
			settle(&p)
		}
		if steps >= bwMaxSteps {
			f.Incomplete = true
			break
		}
	}
	// Paths left by the budget: settle with what they paid so far.
	for i := range work {
		settle(&work[i])
	}
	for i := range f.Writes {
		if !settled[i] {
			continue
		}
		var by []string
		if paidAll[i]&paidPull != 0 {
			by = append(by, "transferFrom")
		}
		if paidAll[i]&paidValue != 0 {
			by = append(by, "callvalue")
		}
		f.Writes[i].PaidBy = strings.Join(by, "+")
	}
	return f
}

// restriction classifies the condition of the last branch before a REVERT:
// the revert happens when cond is non-zero (taken) or zero (fell through).
func restriction(cond sval, taken bool, readLoc func(sval) (Location, bool)) (Restriction, bool) {
	l, _ := readLoc(cond)
	// revertWhenSet: the revert happens when the underlying storage value is
	// non-zero.
	revertWhenSet := taken != (cond.f&fNeg != 0)
	switch {
	case cond.t&tTime != 0:
		return Restriction{Kind: "time", Loc: l}, true
	case cond.f&fCmpArgSlot != 0 && cond.slot != 0 && cond.t&tCaller == 0:
		return Restriction{Kind: "amount-limit", Loc: l}, true
	case cond.f&fCmpArgConst != 0 && cond.f&fEq == 0 && cond.t&tCaller == 0:
		// An amount compared with a constant (an immutable limit).
		return Restriction{Kind: "amount-limit-fixed"}, true
	case cond.f&fAddr != 0:
		return Restriction{}, false // an address checked against zero
	case cond.f&fPure != 0 && cond.t&tMap != 0 && cond.mdep == 1 && cond.t&(tArg|tCaller) == 0 && cond.mkey != 0:
		if revertWhenSet {
			return Restriction{Kind: "mapping-set", Loc: l}, true
		}
		return Restriction{Kind: "mapping-unset", Loc: l}, true
	case cond.f&fPure != 0 && cond.t == tSload && cond.slot != 0:
		if revertWhenSet {
			return Restriction{Kind: "flag-set", Loc: l}, true
		}
		return Restriction{Kind: "flag-unset", Loc: l}, true
	}
	return Restriction{}, false
}

var addrMaskValue = new(uint256.Int).SubUint64(new(uint256.Int).Lsh(uint256.NewInt(1), 160), 1)

// addrMask marks v as an address when m is the 160-bit mask.
func addrMask(v sval, m *uint256.Int) sval {
	if m.Eq(addrMaskValue) {
		v.f |= fAddr
	}
	if m.BitLen() <= 224 {
		v.f |= fLow224
	}
	return v
}

// isPanic reports whether the scratch word at 0 holds solc's Panic(uint256)
// selector: the revert is a compiler check (overflow, division by zero,
// array bounds), not a rule of the contract.
func isPanic(w sval) bool {
	if !w.isConst() {
		return false
	}
	b := w.c.Bytes32()
	return b[0] == 0x4e && b[1] == 0x48 && b[2] == 0x7b && b[3] == 0x71
}

// execTaint applies the stack effect of x to the symbolic state.
func execTaint(p *pathState, x Instruction, in *intern, pop func() sval, peek func(int) sval, push func(sval)) {
	op := x.Op
	bin := func(fold func(z, a, b *uint256.Int)) {
		a, b := pop(), pop()
		if a.isConst() && b.isConst() {
			r := sval{f: fConst}
			fold(&r.c, &a.c, &b.c)
			push(r)
			return
		}
		push(union(a, b))
	}
	cmp := func(fold func(a, b *uint256.Int) bool) {
		a, b := pop(), pop()
		if a.isConst() && b.isConst() {
			r := sval{f: fConst}
			if fold(&a.c, &b.c) {
				r.c.SetOne()
			}
			push(r)
			return
		}
		r := union(a, b)
		for _, pr := range [2][2]sval{{a, b}, {b, a}} {
			u, w := pr[0], pr[1]
			if plainArg(u) && w.isConst() && w.c.IsZero() {
				r.f |= fZeroTest
			}
			if u.t&tCallValue != 0 && !(w.isConst() && w.c.IsZero()) {
				// msg.value against a price (callvalue == 0, the
				// non-payable check, is an ISZERO and never gets here).
				r.f |= fCmpValue
			}
			switch {
			case u.t&tArg != 0 && u.t&(tSload|tCaller) == 0 && w.t == tSload && w.slot != 0 && (u.f|w.f)&fAddr == 0:
				r.f |= fCmpArgSlot
				r.slot = w.slot
			case u.t&tArg != 0 && u.t&tCaller == 0 && w.isConst():
				r.f |= fCmpArgConst
				r.bound = in.id(w.c.Bytes32())
			case u.t&tCaller != 0 && w.isConst():
				r.f |= fCmpCallerC | fCmpCaller
				r.bound = in.id(w.c.Bytes32())
			case u.t&tCaller != 0:
				r.f |= fCmpCaller
			}
		}
		push(r)
	}
	switch op {
	case ADD:
		a, b := pop(), pop()
		switch {
		case a.isConst() && b.isConst():
			r := sval{f: fConst}
			r.c.Add(&a.c, &b.c)
			push(r)
		case a.f&fMSlot != 0 && b.isConst():
			push(a) // a struct member or array element of the entry
		case b.f&fMSlot != 0 && a.isConst():
			push(b)
		case a.f&fPtr != 0 && b.isConst() && b.c.IsUint64() && b.c.Uint64() < 1<<16:
			a.bound += uint16(b.c.Uint64()) // an offset from a memory pointer
			push(a)
		case b.f&fPtr != 0 && a.isConst() && a.c.IsUint64() && a.c.Uint64() < 1<<16:
			b.bound += uint16(a.c.Uint64())
			push(b)
		default:
			r := union(a, b)
			if a.t&tArg != 0 || b.t&tArg != 0 {
				r.f |= fAdd
			}
			push(r)
		}
	case SUB:
		a, b := pop(), pop()
		if a.isConst() && b.isConst() {
			r := sval{f: fConst}
			r.c.Sub(&a.c, &b.c)
			push(r)
			return
		}
		if b.isConst() && b.c.IsZero() {
			push(a) // x - 0: unoptimised code's x != 0 test
			return
		}
		if a.f&fPtr != 0 && b.f&fPtr != 0 && a.slot == b.slot {
			// The distance between two offsets from one memory pointer (an
			// encoded length).
			r := sval{f: fConst}
			r.c.SetUint64(uint64(a.bound - b.bound))
			if a.bound < b.bound {
				r.c.Sub(&r.c, new(uint256.Int).Lsh(uint256.NewInt(1), 16))
			}
			push(r)
			return
		}
		if a.f&fPtr != 0 && b.isConst() && b.c.IsUint64() && b.c.Uint64() < 1<<16 {
			a.bound -= uint16(b.c.Uint64())
			push(a)
			return
		}
		r := union(a, b)
		if a.t&tArg != 0 || b.t&tArg != 0 {
			r.f |= fSub | fLastSub
		}
		if (a.t|b.t)&tCallValue != 0 && !(a.isConst() && a.c.IsZero()) && !(b.isConst() && b.c.IsZero()) {
			r.f |= fCmpValue // msg.value - price: via-IR's equality test
		}
		push(r)
	case MUL:
		bin(func(z, a, b *uint256.Int) { z.Mul(a, b) })
	case DIV:
		if a, b := peek(1), peek(2); !a.isConst() && b.isConst() && a.f&fPure != 0 {
			pop() // x / 2**n extracts a packed field: keep the value's identity
			pop()
			push(a)
			return
		}
		bin(func(z, a, b *uint256.Int) { z.Div(a, b) })
	case EXP:
		bin(func(z, a, b *uint256.Int) { z.Exp(a, b) })
	case OR:
		a, b := peek(1), peek(2)
		if !b.isConst() {
			a, b = b, a
		}
		if b.isConst() && a.f&fLow224 != 0 {
			if w := b.c.Bytes32(); [28]byte(w[4:]) == [28]byte{} {
				// or(and(word, 2**224-1), selector << 224): solc's
				// abi.encodeWithSelector setting the selector in place.
				pop()
				pop()
				push(sval{f: fSelWord, c: b.c})
				return
			}
		}
		bin(func(z, a, b *uint256.Int) { z.Or(a, b) })
	case XOR:
		bin(func(z, a, b *uint256.Int) { z.Xor(a, b) })
	case SHL:
		bin(func(z, a, b *uint256.Int) {
			if a.LtUint64(256) {
				z.Lsh(b, uint(a.Uint64()))
			} else {
				z.Clear()
			}
		})
	case SHR:
		if a, b := peek(1), peek(2); a.isConst() && !b.isConst() && b.f&fPure != 0 {
			pop() // a packed field shifted down keeps the value's identity
			pop()
			push(b)
			return
		}
		bin(func(z, a, b *uint256.Int) {
			if a.LtUint64(256) {
				z.Rsh(b, uint(a.Uint64()))
			} else {
				z.Clear()
			}
		})
	case AND:
		a, b := pop(), pop()
		switch {
		case a.isConst() && b.isConst():
			r := sval{f: fConst}
			r.c.And(&a.c, &b.c)
			push(r)
		case b.isConst():
			push(addrMask(a, &b.c)) // a mask keeps the value's identity
		case a.isConst():
			push(addrMask(b, &a.c))
		default:
			r := union(a, b)
			// Short-circuit conditions (a && b) keep the flags of both.
			r.f |= (a.f | b.f) & (fCmpArgSlot | fCmpArgConst | fCmpCallerC | fCmpCaller | fCmpValue)
			push(r)
		}
	case NOT:
		v := pop()
		if v.isConst() {
			v.c.Not(&v.c)
		}
		push(v)
	case ISZERO:
		v := pop()
		if v.isConst() {
			r := sval{f: fConst}
			if v.c.IsZero() {
				r.c.SetOne()
			}
			push(r)
			return
		}
		v.f ^= fNeg
		push(v)
	case EQ:
		cmp(func(a, b *uint256.Int) bool { return a.Eq(b) })
		if v := peek(1); !v.isConst() {
			p.st[len(p.st)-1].f |= fEq
		}
	case LT:
		cmp(func(a, b *uint256.Int) bool { return a.Lt(b) })
	case GT:
		cmp(func(a, b *uint256.Int) bool { return a.Gt(b) })
	case SLT:
		cmp(func(a, b *uint256.Int) bool { return a.Slt(b) })
	case SGT:
		cmp(func(a, b *uint256.Int) bool { return a.Sgt(b) })
	case CALLER, ORIGIN:
		push(sval{t: tCaller})
	case CALLVALUE:
		push(sval{t: tCallValue})
	case TIMESTAMP, NUMBER:
		push(sval{t: tTime})
	case CALLDATALOAD:
		o := pop()
		v := sval{t: tArg}
		if o.isConst() && o.c.IsUint64() && o.c.Uint64() >= 4 {
			if i := (o.c.Uint64() - 4) / 32; i < 8 {
				v.args = 1 << i
			}
		}
		push(v)
	case MSTORE:
		o, v := pop(), pop()
		if o.isConst() && o.c.IsUint64() {
			switch o.c.Uint64() {
			case 0:
				p.mem[0] = v
			case 0x20:
				p.mem[1] = v
			}
		}
		if base, off, ok := memAddr(o); ok {
			p.mstore(base, off, v)
		} else {
			p.clobber(0, 0, 0, false)
		}
	case MSTORE8:
		o, _ := pop(), pop()
		base, off, ok := memAddr(o)
		p.clobber(base, off, 1, ok)
	case MCOPY, CALLDATACOPY, CODECOPY, RETURNDATACOPY, EXTCODECOPY:
		if op == EXTCODECOPY {
			pop()
		}
		d, s, n := pop(), pop(), pop()
		db, do, ok := memAddr(d)
		ln := uint32(0) // unknown
		if n.isConst() && n.c.IsUint64() && n.c.Uint64() < 1<<20 {
			ln = uint32(n.c.Uint64())
			if ln == 0 {
				return
			}
		}
		// MCOPY of a known source: carry the words it covers over.
		var moved []memWord
		if sb, so, sok := memAddr(s); op == MCOPY && ok && sok {
			for _, w := range p.mw[:p.nm] {
				if w.base == sb && w.off >= so && w.off-so < 0x100 && (ln == 0 || w.off-so+32 <= ln) {
					w.base, w.off = db, do+(w.off-so)
					moved = append(moved, w)
				}
			}
		}
		p.clobber(db, do, ln, ok)
		for _, w := range moved {
			p.mstore(w.base, w.off, w.v)
			p.mw[p.nm-1].keep = w.keep
		}
	case MLOAD:
		o := pop()
		base, off, ok := memAddr(o)
		if ok {
			if v, keep, found := p.mword(base, off); found && keep == 32 {
				if base == 0 && off == 0x40 && v.f&fPtr == 0 && !v.isConst() {
					// A free memory pointer computed from unknown sizes:
					// a new base from here on.
					v = mkPtr(uint16(x.PC%0xfff0)+2, 0)
					p.mstore(0, 0x40, v)
				}
				push(v)
				return
			}
			if base == 0 && off == 0x40 {
				// The free memory pointer at function entry: base 1.
				v := mkPtr(1, 0)
				p.mstore(0, 0x40, v)
				push(v)
				return
			}
		}
		if o.isConst() && o.c.IsUint64() {
			switch o.c.Uint64() {
			case 0:
				push(p.mem[0])
				return
			case 0x20:
				push(p.mem[1])
				return
			}
		}
		push(sval{})
	case KECCAK256:
		o, n := pop(), pop()
		if o.isConst() && n.isConst() && o.c.IsZero() && n.c.Eq(uint256.NewInt(64)) {
			k, base := p.mem[0], p.mem[1]
			r := sval{f: fMSlot, mkey: k.t, args: k.args}
			switch {
			case base.f&fMSlot != 0:
				r.mbase, r.mdep, r.mkey, r.args = base.mbase, base.mdep+1, base.mkey|k.t, base.args|k.args
			case base.isConst():
				r.mbase, r.mdep = in.id(base.c.Bytes32()), 1
			default:
				r = sval{t: tDynSlot}
			}
			if r.mdep > 8 {
				r.mdep = 8
			}
			push(r)
			return
		}
		push(sval{t: tDynSlot})
	case SLOAD:
		k := pop()
		switch {
		case k.isConst():
			push(sval{t: tSload, f: fPure, slot: in.id(k.c.Bytes32())})
		case k.f&fMSlot != 0:
			push(sval{t: tMap, f: fPure, mbase: k.mbase, mkey: k.mkey, mdep: k.mdep})
		default:
			push(sval{t: k.t | tDynSlot, args: k.args})
		}
	default:
		pops, pushes := op.StackIO()
		var u sval
		for range pops {
			u = union(u, pop())
		}
		u.f &^= fCmpArgSlot | fCmpArgConst | fCmpCallerC | fCmpCaller
		for range pushes {
			push(sval{t: u.t, f: fDerived, args: u.args, slot: u.slot, mbase: u.mbase, mkey: u.mkey, mdep: u.mdep})
		}
	}
}
