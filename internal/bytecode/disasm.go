// Package bytecode analyses EVM runtime bytecode without source code: it
// disassembles it, strips and decodes the solc metadata trailer, recovers the
// function selectors of the dispatcher (named with internal/sigdb), detects
// proxy patterns (EIP-1167, EIP-1967, beacon, EIP-1822, generic
// DELEGATECALL forwarders), flags dangerous capabilities and privileged
// admin functions, and turns it all into a JSON-serialisable Report with
// findings. Fetch does the same for a deployed address and follows proxies
// to their implementation.
//
// Nothing in this package panics on any input: malformed, truncated or
// random bytecode yields a (possibly empty) analysis, never a crash.
package bytecode

import (
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common/hexutil"
)

// Instruction is one decoded instruction.
type Instruction struct {
	// PC is the offset of the opcode byte in the code.
	PC int `json:"pc"`
	// Op is the opcode; undefined bytes are kept with their value and print
	// as "INVALID(0xNN)".
	Op OpCode `json:"op"`
	// Arg is the immediate data of a PUSH (nil otherwise). For a PUSH
	// truncated by the end of the code it holds the bytes present.
	Arg hexutil.Bytes `json:"arg,omitempty"`
	// Truncated is set on a PUSH whose immediate runs past the end of the
	// code; the EVM reads the missing bytes as zeros.
	Truncated bool `json:"truncated,omitempty"`
}

// Size returns the number of code bytes the instruction occupies.
func (in Instruction) Size() int { return 1 + len(in.Arg) }

// Value returns the PUSH immediate as the EVM sees it: 32 bytes, big-endian,
// missing bytes of a truncated PUSH read as zero (PUSH0 and non-PUSH
// instructions return zero).
func (in Instruction) Value() [32]byte {
	var v [32]byte
	n := in.Op.PushSize()
	if n == 0 {
		return v
	}
	copy(v[32-n:], in.Arg)
	return v
}

// String formats the instruction as "0x001a PUSH2 0x0a3f".
func (in Instruction) String() string {
	s := fmt.Sprintf("0x%04x %s", in.PC, in.Op)
	if in.Op.PushSize() > 0 {
		s += " " + hexutil.Encode(in.Arg)
		if in.Truncated {
			s += fmt.Sprintf(" (truncated: %d of %d bytes)", len(in.Arg), in.Op.PushSize())
		}
	}
	return s
}

// Disassemble decodes code linearly into instructions. Every byte belongs
// to exactly one instruction; bytes that are not opcodes become INVALID
// instructions carrying their value, and a PUSH cut short by the end of the
// code is marked Truncated.
func Disassemble(code []byte) []Instruction {
	out := make([]Instruction, 0, len(code)/2+1)
	for pc := 0; pc < len(code); {
		op := OpCode(code[pc])
		in := Instruction{PC: pc, Op: op}
		if n := op.PushSize(); n > 0 {
			end := pc + 1 + n
			if end > len(code) {
				end = len(code)
				in.Truncated = true
			}
			in.Arg = hexutil.Bytes(code[pc+1 : end : end])
		}
		out = append(out, in)
		pc += in.Size()
	}
	return out
}

// Format returns a listing of ins, one instruction per line.
func Format(ins []Instruction) string {
	var b strings.Builder
	for _, in := range ins {
		b.WriteString(in.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// JumpDests returns a bitmap of valid jump destinations: jd[pc] is true when
// code[pc] is a JUMPDEST opcode and not part of PUSH data.
func JumpDests(code []byte) []bool {
	jd := make([]bool, len(code))
	for pc := 0; pc < len(code); pc++ {
		op := OpCode(code[pc])
		if op == JUMPDEST {
			jd[pc] = true
		}
		pc += op.PushSize()
	}
	return jd
}
