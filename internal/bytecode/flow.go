package bytecode

// reachable returns, per instruction index, whether the instruction can be
// reached from pc 0. Static jumps (PUSH target; JUMP/JUMPI) go to their
// target; a dynamic jump may go to any JUMPDEST whose offset is pushed by
// reachable code (over-approximating solc's internal returns), so the result
// errs on the side of reachable.
func reachable(ins []Instruction, jd []bool) []bool {
	byPC := make([]int32, len(jd))
	for i, in := range ins {
		if in.PC < len(byPC) {
			byPC[in.PC] = int32(i)
		}
	}
	dest := func(in Instruction) (int, bool) {
		if in.Op.PushSize() == 0 {
			return 0, false
		}
		n, ok := (value{k: vConst, c: in.Value()}).small()
		if !ok || n >= uint64(len(jd)) || !jd[n] {
			return 0, false
		}
		return int(byPC[n]), true
	}
	reach := make([]bool, len(ins))
	var pushed []int // instruction indexes of JUMPDESTs pushed by reachable code
	dynamic := false
	work := []int{0}
	for len(work) > 0 && len(ins) > 0 {
		i := work[len(work)-1]
		work = work[:len(work)-1]
		for ; i < len(ins) && !reach[i]; i++ {
			reach[i] = true
			in := ins[i]
			if t, ok := dest(in); ok {
				pushed = append(pushed, t)
				if dynamic {
					work = append(work, t)
				}
			}
			if in.Op == JUMP || in.Op == JUMPI {
				if i > 0 && ins[i-1].Op.PushSize() > 0 {
					// Static jump; an invalid destination always fails.
					if t, ok := dest(ins[i-1]); ok {
						work = append(work, t)
					}
				} else if !dynamic {
					dynamic = true
					work = append(work, pushed...)
				}
			}
			if in.Op.Halts() {
				break
			}
		}
	}
	return reach
}

// valueCalls counts CALL and CALLCODE instructions whose value argument is
// not provably zero, simulating each basic block from an unknown stack;
// only instructions marked in reach count.
func valueCalls(ins []Instruction, reach []bool) int {
	// Blocks start from 17 unknown items so that DUP16/SWAP16 never
	// underflow (which would make exec grow the stack at the bottom).
	var pad [17]value
	st := append(make(stack, 0, 64), pad[:]...)
	reset := func() { st = append(st[:0], pad[:]...) }
	n := 0
	for i, in := range ins {
		if in.Op == JUMPDEST {
			reset()
		}
		if (in.Op == CALL || in.Op == CALLCODE) && reach[i] && !st.peek(3).isZero() {
			n++
		}
		exec(&st, in)
		if in.Op == JUMPI || in.Op.Halts() || len(st) > walkMaxStack || len(st) < len(pad)-1 {
			reset()
		}
	}
	return n
}

// RuntimeFromInit recognises creation (init) code that ends by returning a
// constant slice of itself — codecopy(m, offset, size) then return(m, size),
// as solc and Vyper emit — and returns that runtime code. ok is false when
// code does not look like creation code. Immutables in the returned runtime
// are still unset (zero), and constructor arguments appended to the code
// are ignored.
func RuntimeFromInit(code []byte) (runtime []byte, ok bool) {
	var pad [17]value
	st := append(make(stack, 0, 64), pad[:]...)
	reset := func() { st = append(st[:0], pad[:]...) }
	var copied struct {
		valid       bool
		mem, off, n uint64
	}
	called := false // RETURNDATASIZE is 0 until the first call
	for _, in := range Disassemble(code) {
		switch in.Op {
		case CALL, CALLCODE, DELEGATECALL, STATICCALL, CREATE, CREATE2:
			called = true
		case RETURNDATASIZE:
			if !called {
				st.push(value{k: vConst})
				continue
			}
		case JUMPDEST:
			reset()
			copied.valid = false
		case 0x39: // CODECOPY
			m, ok1 := st.peek(1).small()
			off, ok2 := st.peek(2).small()
			n, ok3 := st.peek(3).small()
			copied.valid = ok1 && ok2 && ok3 && n > 0 && off < uint64(len(code)) && n <= uint64(len(code))-off
			copied.mem, copied.off, copied.n = m, off, n
		case RETURN:
			m, ok1 := st.peek(1).small()
			n, ok2 := st.peek(2).small()
			if copied.valid && ok1 && ok2 && m == copied.mem && n == copied.n {
				return code[copied.off : copied.off+copied.n : copied.off+copied.n], true
			}
		}
		exec(&st, in)
		if in.Op == JUMPI || in.Op.Halts() || len(st) > walkMaxStack || len(st) < len(pad)-1 {
			reset()
			if in.Op != JUMPI {
				copied.valid = false
			}
		}
	}
	return nil, false
}
