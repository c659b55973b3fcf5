package bytecode

import (
	"encoding/binary"
	"hash/maphash"
)

// The dispatcher walker is a small abstract interpreter: it follows the
// code from pc 0 with a symbolic stack whose values are constants, the
// function selector (calldataload(0) >> 224 and its variants), comparisons
// against the selector, storage loads from constant slots, or unknown. It
// resolves jumps whose target is a constant on the stack (which covers
// solc's internal calls and returns), records every "selector == constant"
// comparison, and does not enter the body behind a matched selector, so what
// it explores is the dispatcher plus the fallback/receive path, where proxies
// do their DELEGATECALL.

type vkind uint8

const (
	vUnknown vkind = iota
	vConst         // c holds the value
	vCDL0          // calldataload(0), possibly masked
	vSel           // the 4-byte selector
	vSelEq         // selector == c (c holds the selector, right-aligned)
	vSelNe         // selector != c
	vSelCmp        // a range comparison of the selector (binary-search dispatch)
	vSload         // sload(c), possibly masked
	vCaller        // msg.sender
)

type value struct {
	k vkind
	c [32]byte
}

func (v value) isZero() bool { return v.k == vConst && v.c == [32]byte{} }

// small returns the value of a constant that fits in 8 bytes.
func (v value) small() (uint64, bool) {
	if v.k != vConst {
		return 0, false
	}
	for _, b := range v.c[:24] {
		if b != 0 {
			return 0, false
		}
	}
	return binary.BigEndian.Uint64(v.c[24:]), true
}

// pow224 reports whether v is the constant 2**224 (old solc's selector divisor).
func (v value) pow224() bool {
	if v.k != vConst || v.c[3] != 1 {
		return false
	}
	for i, b := range v.c {
		if i != 3 && b != 0 {
			return false
		}
	}
	return true
}

func isTagged(v value) bool { return v.k == vCDL0 || v.k == vSel || v.k == vSload || v.k == vCaller }

// selEq builds the result of comparing a with b for equality.
func selEq(a, b value) value {
	if b.k == vSel || b.k == vCDL0 {
		a, b = b, a
	}
	if b.k != vConst {
		return value{}
	}
	switch a.k {
	case vSel:
		for _, x := range b.c[:28] {
			if x != 0 {
				return value{}
			}
		}
		return value{k: vSelEq, c: b.c}
	case vCDL0:
		// bytes4(msg.sig) compared left-aligned.
		for _, x := range b.c[4:] {
			if x != 0 {
				return value{}
			}
		}
		var c [32]byte
		copy(c[28:], b.c[:4])
		return value{k: vSelEq, c: c}
	}
	return value{}
}

// stack is a symbolic EVM stack; reading below its bottom yields value{}.
type stack []value

func (s *stack) pop() value {
	if len(*s) == 0 {
		return value{}
	}
	v := (*s)[len(*s)-1]
	*s = (*s)[:len(*s)-1]
	return v
}

func (s *stack) push(v value) { *s = append(*s, v) }

// peek returns the n-th item from the top (1-based).
func (s stack) peek(n int) value {
	if n > len(s) {
		return value{}
	}
	return s[len(s)-n]
}

// exec applies the stack effect of in (not its control flow).
func exec(s *stack, in Instruction) {
	op := in.Op
	switch {
	case op.IsPush():
		s.push(value{k: vConst, c: in.Value()})
		return
	case op >= DUP1 && op <= DUP16:
		s.push(s.peek(int(op-DUP1) + 1))
		return
	case op >= SWAP1 && op <= SWAP16:
		n := int(op-SWAP1) + 1
		for len(*s) < n+1 {
			*s = append(stack{value{}}, *s...)
		}
		t := len(*s) - 1
		(*s)[t], (*s)[t-n] = (*s)[t-n], (*s)[t]
		return
	}
	switch op {
	case CALLDATALOAD:
		if s.pop().isZero() {
			s.push(value{k: vCDL0})
		} else {
			s.push(value{})
		}
	case CALLER:
		s.push(value{k: vCaller})
	case SHR:
		shift, x := s.pop(), s.pop()
		if n, ok := shift.small(); ok && n == 224 && x.k == vCDL0 {
			s.push(value{k: vSel})
		} else {
			s.push(value{})
		}
	case DIV:
		x, d := s.pop(), s.pop()
		if x.k == vCDL0 && d.pow224() {
			s.push(value{k: vSel})
		} else {
			s.push(value{})
		}
	case EXP:
		b, e := s.pop(), s.pop()
		bv, ok1 := b.small()
		ev, ok2 := e.small()
		if ok1 && ok2 && bv == 2 && ev == 224 {
			v := value{k: vConst}
			v.c[3] = 1
			s.push(v)
		} else {
			s.push(value{})
		}
	case AND:
		a, b := s.pop(), s.pop()
		switch {
		case isTagged(a):
			s.push(a)
		case isTagged(b):
			s.push(b)
		case a.k == vConst && b.k == vConst:
			r := value{k: vConst}
			for i := range r.c {
				r.c[i] = a.c[i] & b.c[i]
			}
			s.push(r)
		default:
			s.push(value{})
		}
	case EQ:
		s.push(selEq(s.pop(), s.pop()))
	case XOR, SUB:
		// Some compilers compare with XOR/SUB and test the result with
		// ISZERO; model them like EQ, inverted.
		if v := selEq(s.pop(), s.pop()); v.k == vSelEq {
			v.k = vSelNe
			s.push(v)
		} else {
			s.push(value{})
		}
	case ISZERO:
		switch a := s.pop(); a.k {
		case vSel:
			s.push(value{k: vSelEq})
		case vSelEq:
			a.k = vSelNe
			s.push(a)
		case vSelNe:
			a.k = vSelEq
			s.push(a)
		case vSelCmp:
			s.push(a)
		default:
			s.push(value{})
		}
	case LT, GT, SLT, SGT:
		a, b := s.pop(), s.pop()
		if a.k == vSel || b.k == vSel {
			s.push(value{k: vSelCmp})
		} else {
			s.push(value{})
		}
	case SLOAD:
		if a := s.pop(); a.k == vConst {
			s.push(value{k: vSload, c: a.c})
		} else {
			s.push(value{})
		}
	default:
		pops, pushes := op.StackIO()
		for range pops {
			s.pop()
		}
		for range pushes {
			s.push(value{})
		}
	}
}

// callSite is a CALL-family instruction reached by the walker, with its
// symbolic target.
type callSite struct {
	pc     int
	op     OpCode
	target value
}

// walkResult is what the dispatcher walker found.
type walkResult struct {
	selectors [][4]byte       // in discovery order, unique
	entries   map[[4]byte]int // selector -> pc where its body starts
	// entryStacks: selector -> the dispatcher's stack at the body's start
	// (via-IR keeps shared constants there, e.g. a zero the bodies DUP).
	entryStacks map[[4]byte]stack
	sawSel      bool       // a selector value was computed
	calls       []callSite // DELEGATECALL/STATICCALL/CALL on the explored paths
	sloads      [][32]byte // constant slots loaded on the explored paths
	incomplete  bool       // budget exhausted
}

const (
	walkMaxSteps  = 200_000
	walkMaxStates = 10_000
	walkMaxStack  = 256
)

// walk runs the dispatcher walker over ins (a linear disassembly of code).
func walk(code []byte, ins []Instruction, jd []bool) walkResult {
	res := walkResult{entries: map[[4]byte]int{}, entryStacks: map[[4]byte]stack{}}
	index := make([]int32, len(code))
	for i := range index {
		index[i] = -1
	}
	for i, in := range ins {
		index[in.PC] = int32(i)
	}
	seenSel := map[[4]byte]bool{}
	seenSlot := map[[32]byte]bool{}
	type state struct {
		pc int
		st stack
	}
	seed := maphash.MakeSeed()
	visited := map[uint64]bool{}
	key := func(pc int, st stack) uint64 {
		var h maphash.Hash
		h.SetSeed(seed)
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], uint64(pc)<<16|uint64(len(st)))
		h.Write(b[:])
		for i := len(st) - 1; i >= 0 && i >= len(st)-24; i-- {
			h.WriteByte(byte(st[i].k))
			h.Write(st[i].c[:])
		}
		return h.Sum64()
	}
	validDest := func(v value) (int, bool) {
		n, ok := v.small()
		if !ok || n >= uint64(len(code)) || !jd[n] {
			return 0, false
		}
		return int(n), true
	}
	work := []state{{pc: 0}}
	steps := 0
	for len(work) > 0 {
		if steps >= walkMaxSteps || len(visited) >= walkMaxStates {
			res.incomplete = true
			break
		}
		cur := work[len(work)-1]
		work = work[:len(work)-1]
		k := key(cur.pc, cur.st)
		if visited[k] {
			continue
		}
		visited[k] = true
		st := cur.st
		pc := cur.pc
	path:
		for steps < walkMaxSteps {
			if pc < 0 || pc >= len(code) || index[pc] < 0 || len(st) > walkMaxStack {
				break
			}
			in := ins[index[pc]]
			steps++
			next := pc + in.Size()
			switch in.Op {
			case JUMP:
				dest, ok := validDest(st.pop())
				if !ok {
					break path
				}
				work = append(work, state{pc: dest, st: st})
				break path
			case JUMPI:
				t, cond := st.pop(), st.pop()
				dest, ok := validDest(t)
				follow, fall := true, true
				switch cond.k {
				case vSelEq, vSelNe:
					sel := [4]byte(cond.c[28:])
					if !seenSel[sel] {
						seenSel[sel] = true
						res.selectors = append(res.selectors, sel)
					}
					if cond.k == vSelEq {
						follow = false // the function body
						if _, seen := res.entries[sel]; !seen && ok {
							res.entries[sel] = dest
							res.entryStacks[sel] = append(stack(nil), st...)
						}
					} else {
						fall = false
						if _, seen := res.entries[sel]; !seen {
							res.entries[sel] = next
							res.entryStacks[sel] = append(stack(nil), st...)
						}
					}
				case vConst:
					if cond.isZero() {
						follow = false
					} else {
						fall = false
					}
				}
				if follow && ok {
					work = append(work, state{pc: dest, st: append(stack(nil), st...)})
				}
				if !fall {
					break path
				}
				work = append(work, state{pc: next, st: st})
				break path
			case DELEGATECALL, STATICCALL, CALL, CALLCODE:
				res.calls = append(res.calls, callSite{pc: in.PC, op: in.Op, target: st.peek(2)})
			case SLOAD:
				if a := st.peek(1); a.k == vConst && !seenSlot[a.c] {
					seenSlot[a.c] = true
					res.sloads = append(res.sloads, a.c)
				}
			}
			if in.Op.Halts() {
				break
			}
			exec(&st, in)
			if in.Op == SHR || in.Op == DIV {
				if st.peek(1).k == vSel {
					res.sawSel = true
				}
			}
			pc = next
		}
		if steps >= walkMaxSteps {
			res.incomplete = true
			break
		}
	}
	return res
}
