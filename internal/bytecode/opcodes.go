package bytecode

import (
	"fmt"
	"strconv"
)

// OpCode is one EVM opcode byte. Every byte value is an OpCode; those not
// defined by the EVM (legacy bytecode, up to Prague, plus Osaka's CLZ) behave
// like INVALID and print as "INVALID(0xNN)".
type OpCode byte

// Opcodes referred to by the analysis.
const (
	STOP           OpCode = 0x00
	ADD            OpCode = 0x01
	MUL            OpCode = 0x02
	SUB            OpCode = 0x03
	DIV            OpCode = 0x04
	EXP            OpCode = 0x0a
	LT             OpCode = 0x10
	GT             OpCode = 0x11
	SLT            OpCode = 0x12
	SGT            OpCode = 0x13
	EQ             OpCode = 0x14
	ISZERO         OpCode = 0x15
	AND            OpCode = 0x16
	OR             OpCode = 0x17
	XOR            OpCode = 0x18
	NOT            OpCode = 0x19
	SHL            OpCode = 0x1b
	SHR            OpCode = 0x1c
	CLZ            OpCode = 0x1e
	KECCAK256      OpCode = 0x20
	BALANCE        OpCode = 0x31
	ORIGIN         OpCode = 0x32
	CALLER         OpCode = 0x33
	CALLVALUE      OpCode = 0x34
	CALLDATALOAD   OpCode = 0x35
	CALLDATASIZE   OpCode = 0x36
	CALLDATACOPY   OpCode = 0x37
	CODECOPY       OpCode = 0x39
	EXTCODECOPY    OpCode = 0x3c
	RETURNDATASIZE OpCode = 0x3d
	RETURNDATACOPY OpCode = 0x3e
	BLOCKHASH      OpCode = 0x40
	COINBASE       OpCode = 0x41
	TIMESTAMP      OpCode = 0x42
	NUMBER         OpCode = 0x43
	PREVRANDAO     OpCode = 0x44
	SELFBALANCE    OpCode = 0x47
	BLOBHASH       OpCode = 0x49
	BLOBBASEFEE    OpCode = 0x4a
	POP            OpCode = 0x50
	MLOAD          OpCode = 0x51
	MSTORE         OpCode = 0x52
	MSTORE8        OpCode = 0x53
	SLOAD          OpCode = 0x54
	SSTORE         OpCode = 0x55
	JUMP           OpCode = 0x56
	JUMPI          OpCode = 0x57
	JUMPDEST       OpCode = 0x5b
	TLOAD          OpCode = 0x5c
	TSTORE         OpCode = 0x5d
	MCOPY          OpCode = 0x5e
	PUSH0          OpCode = 0x5f
	PUSH1          OpCode = 0x60
	PUSH4          OpCode = 0x63
	PUSH20         OpCode = 0x73
	PUSH32         OpCode = 0x7f
	DUP1           OpCode = 0x80
	DUP16          OpCode = 0x8f
	SWAP1          OpCode = 0x90
	SWAP16         OpCode = 0x9f
	LOG0           OpCode = 0xa0
	LOG4           OpCode = 0xa4
	CREATE         OpCode = 0xf0
	CALL           OpCode = 0xf1
	CALLCODE       OpCode = 0xf2
	RETURN         OpCode = 0xf3
	DELEGATECALL   OpCode = 0xf4
	CREATE2        OpCode = 0xf5
	STATICCALL     OpCode = 0xfa
	REVERT         OpCode = 0xfd
	INVALID        OpCode = 0xfe
	SELFDESTRUCT   OpCode = 0xff
)

// IsPush reports whether op is PUSH0..PUSH32.
func (op OpCode) IsPush() bool { return op >= PUSH0 && op <= PUSH32 }

// PushSize returns the number of immediate bytes of op (0 for non-PUSH
// opcodes and PUSH0).
func (op OpCode) PushSize() int {
	if op >= PUSH1 && op <= PUSH32 {
		return int(op-PUSH1) + 1
	}
	return 0
}

// Defined reports whether op is a defined EVM opcode (INVALID, 0xfe, is
// defined: it is the designated invalid instruction).
func (op OpCode) Defined() bool {
	return (op >= PUSH1 && op <= LOG4) || op.name() != ""
}

// String returns the mnemonic, e.g. "PUSH1", "SELFDESTRUCT", or
// "INVALID(0x0c)" for a byte that is not an opcode.
func (op OpCode) String() string {
	switch {
	case op >= PUSH1 && op <= PUSH32:
		return "PUSH" + strconv.Itoa(op.PushSize())
	case op >= DUP1 && op <= DUP16:
		return "DUP" + strconv.Itoa(int(op-DUP1)+1)
	case op >= SWAP1 && op <= SWAP16:
		return "SWAP" + strconv.Itoa(int(op-SWAP1)+1)
	case op >= LOG0 && op <= LOG4:
		return "LOG" + strconv.Itoa(int(op-LOG0))
	}
	if n := op.name(); n != "" {
		return n
	}
	return fmt.Sprintf("INVALID(0x%02x)", byte(op))
}

// MarshalText encodes op as its String form.
func (op OpCode) MarshalText() ([]byte, error) { return []byte(op.String()), nil }

// Halts reports whether op ends execution or transfers control
// unconditionally (no fall-through to the next instruction).
func (op OpCode) Halts() bool {
	switch op {
	case STOP, JUMP, RETURN, REVERT, INVALID, SELFDESTRUCT:
		return true
	}
	return !op.Defined()
}

// name returns the mnemonic of the opcodes outside the PUSH1..LOG4 range
// ("" if undefined).
func (op OpCode) name() string {
	switch op {
	case 0x00:
		return "STOP"
	case 0x01:
		return "ADD"
	case 0x02:
		return "MUL"
	case 0x03:
		return "SUB"
	case 0x04:
		return "DIV"
	case 0x05:
		return "SDIV"
	case 0x06:
		return "MOD"
	case 0x07:
		return "SMOD"
	case 0x08:
		return "ADDMOD"
	case 0x09:
		return "MULMOD"
	case 0x0a:
		return "EXP"
	case 0x0b:
		return "SIGNEXTEND"
	case 0x10:
		return "LT"
	case 0x11:
		return "GT"
	case 0x12:
		return "SLT"
	case 0x13:
		return "SGT"
	case 0x14:
		return "EQ"
	case 0x15:
		return "ISZERO"
	case 0x16:
		return "AND"
	case 0x17:
		return "OR"
	case 0x18:
		return "XOR"
	case 0x19:
		return "NOT"
	case 0x1a:
		return "BYTE"
	case 0x1b:
		return "SHL"
	case 0x1c:
		return "SHR"
	case 0x1d:
		return "SAR"
	case 0x1e:
		return "CLZ"
	case 0x20:
		return "KECCAK256"
	case 0x30:
		return "ADDRESS"
	case 0x31:
		return "BALANCE"
	case 0x32:
		return "ORIGIN"
	case 0x33:
		return "CALLER"
	case 0x34:
		return "CALLVALUE"
	case 0x35:
		return "CALLDATALOAD"
	case 0x36:
		return "CALLDATASIZE"
	case 0x37:
		return "CALLDATACOPY"
	case 0x38:
		return "CODESIZE"
	case 0x39:
		return "CODECOPY"
	case 0x3a:
		return "GASPRICE"
	case 0x3b:
		return "EXTCODESIZE"
	case 0x3c:
		return "EXTCODECOPY"
	case 0x3d:
		return "RETURNDATASIZE"
	case 0x3e:
		return "RETURNDATACOPY"
	case 0x3f:
		return "EXTCODEHASH"
	case 0x40:
		return "BLOCKHASH"
	case 0x41:
		return "COINBASE"
	case 0x42:
		return "TIMESTAMP"
	case 0x43:
		return "NUMBER"
	case 0x44:
		return "PREVRANDAO"
	case 0x45:
		return "GASLIMIT"
	case 0x46:
		return "CHAINID"
	case 0x47:
		return "SELFBALANCE"
	case 0x48:
		return "BASEFEE"
	case 0x49:
		return "BLOBHASH"
	case 0x4a:
		return "BLOBBASEFEE"
	case 0x50:
		return "POP"
	case 0x51:
		return "MLOAD"
	case 0x52:
		return "MSTORE"
	case 0x53:
		return "MSTORE8"
	case 0x54:
		return "SLOAD"
	case 0x55:
		return "SSTORE"
	case 0x56:
		return "JUMP"
	case 0x57:
		return "JUMPI"
	case 0x58:
		return "PC"
	case 0x59:
		return "MSIZE"
	case 0x5a:
		return "GAS"
	case 0x5b:
		return "JUMPDEST"
	case 0x5c:
		return "TLOAD"
	case 0x5d:
		return "TSTORE"
	case 0x5e:
		return "MCOPY"
	case 0x5f:
		return "PUSH0"
	case 0xf0:
		return "CREATE"
	case 0xf1:
		return "CALL"
	case 0xf2:
		return "CALLCODE"
	case 0xf3:
		return "RETURN"
	case 0xf4:
		return "DELEGATECALL"
	case 0xf5:
		return "CREATE2"
	case 0xfa:
		return "STATICCALL"
	case 0xfd:
		return "REVERT"
	case 0xfe:
		return "INVALID"
	case 0xff:
		return "SELFDESTRUCT"
	}
	return ""
}

// StackIO returns how many stack items op pops and pushes. Undefined
// opcodes pop and push nothing (they abort execution).
func (op OpCode) StackIO() (pops, pushes int) {
	switch {
	case op.IsPush():
		return 0, 1
	case op >= DUP1 && op <= DUP16:
		n := int(op-DUP1) + 1
		return n, n + 1
	case op >= SWAP1 && op <= SWAP16:
		n := int(op-SWAP1) + 2
		return n, n
	case op >= LOG0 && op <= LOG4:
		return int(op-LOG0) + 2, 0
	}
	switch op {
	case 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0a, 0x0b,
		0x10, 0x11, 0x12, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1a, 0x1b, 0x1c, 0x1d, 0x20:
		return 2, 1
	case 0x08, 0x09:
		return 3, 1
	case 0x15, 0x19, 0x1e, 0x31, 0x35, 0x3b, 0x3f, 0x40, 0x49, 0x51, 0x54, 0x5c:
		return 1, 1
	case 0x30, 0x32, 0x33, 0x34, 0x36, 0x38, 0x3a, 0x3d, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46,
		0x47, 0x48, 0x4a, 0x58, 0x59, 0x5a:
		return 0, 1
	case 0x37, 0x39, 0x3e, 0x5e:
		return 3, 0
	case 0x3c:
		return 4, 0
	case 0x50, 0x56:
		return 1, 0
	case 0x52, 0x53, 0x55, 0x57, 0x5d, 0xf3, 0xfd:
		return 2, 0
	case 0xf0:
		return 3, 1
	case 0xf1, 0xf2:
		return 7, 1
	case 0xf4, 0xfa:
		return 6, 1
	case 0xf5:
		return 4, 1
	case 0xff:
		return 1, 0
	}
	return 0, 0
}
