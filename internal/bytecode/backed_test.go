package bytecode

import (
	"encoding/hex"
	"encoding/json"
	"hash/maphash"
	"math/big"
	"os"
	"strings"
	"testing"
)

// backedFixtures are the runtimes of testdata/backedmint/Fixtures.sol in
// three compiler settings (see compile.mjs there): legacy codegen without
// ("legacy") and with the optimizer ("r200"), and via-IR ("ir").
type backedFixtures struct {
	Runtimes map[string]map[string]struct {
		Runtime string            `json:"runtime"`
		Methods map[string]string `json:"methods"`
	} `json:"runtimes"`
}

var backedSettings = []string{"legacy", "r200", "ir"}

func loadBacked(t *testing.T) backedFixtures {
	t.Helper()
	b, err := os.ReadFile("testdata/backedmint/runtimes.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx backedFixtures
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	for _, s := range backedSettings {
		if len(fx.Runtimes[s]) == 0 {
			t.Fatalf("runtimes.json: no %s runtimes", s)
		}
	}
	return fx
}

// backedFunc analyses contract's runtime in setting and returns the
// behaviour of method (a full signature).
func backedFunc(t *testing.T, fx backedFixtures, setting, contract, method string) *Function {
	t.Helper()
	c, ok := fx.Runtimes[setting][contract]
	if !ok {
		t.Fatalf("%s: no contract %s", setting, contract)
	}
	code, err := hex.DecodeString(strings.TrimPrefix(c.Runtime, "0x"))
	if err != nil {
		t.Fatal(err)
	}
	id, ok := c.Methods[method]
	if !ok {
		t.Fatalf("%s has no method %s", contract, method)
	}
	r, err := Analyze(code, nil)
	if err != nil {
		t.Fatal(err)
	}
	sel, err := hex.DecodeString(id)
	if err != nil || len(sel) != 4 {
		t.Fatalf("bad selector %q", id)
	}
	f := r.Behavior().Function(Sel(sel))
	if f == nil {
		t.Fatalf("%s %s.%s: not walked", setting, contract, method)
	}
	return f
}

// callTo returns the first call of f with selector sel, or nil.
func callTo(f *Function, sel string) *Call {
	for i := range f.Calls {
		if f.Calls[i].Selector == sel {
			return &f.Calls[i]
		}
	}
	return nil
}

// supplyAdds returns the writes of f that add to constant slot n.
func supplyAdds(f *Function, n int64) []Write {
	var out []Write
	for _, w := range f.Writes {
		if w.Loc.Kind == "slot" && w.Loc.Slot == slot(n) && w.Adds && !w.Decreases {
			out = append(out, w)
		}
	}
	return out
}

const (
	selTF  = "0x23b872dd" // transferFrom(address,address,uint256)
	selBal = "0x70a08231" // balanceOf(address)
)

func TestBehaviorCallInput(t *testing.T) {
	fx := loadBacked(t)
	for _, s := range backedSettings {
		t.Run(s, func(t *testing.T) {
			// High-level interface call, OpenZeppelin 5's SafeERC20 (inline
			// assembly, scratch memory) and abi.encodeWithSelector + call.
			for _, c := range [][2]string{
				{"BmMiniVault", "deposit(uint256,address)"},
				{"BmOZVault", "deposit(uint256,address)"},
				{"BmOZVault", "mint(uint256,address)"},
				{"BmLowLevelVault", "deposit(uint256)"},
			} {
				f := backedFunc(t, fx, s, c[0], c[1])
				tf := callTo(f, selTF)
				if tf == nil || tf.Op != "CALL" || tf.CallerArgs&1 == 0 || !tf.PullsFromCaller {
					t.Errorf("%s.%s: want transferFrom(msg.sender, …) pulling, got calls %+v", c[0], c[1], f.Calls)
				}
			}
			mini := backedFunc(t, fx, s, "BmMiniVault", "deposit(uint256,address)")
			if b := callTo(mini, selBal); b == nil || b.Op != "STATICCALL" || b.CallerArgs != 0 || b.PullsFromCaller {
				t.Errorf("MiniVault.deposit: want balanceOf(this) staticcall, got %+v", mini.Calls)
			}
			// transferFrom(this, msg.sender, 1) pays the caller: msg.sender is
			// argument 1, nothing is pulled.
			free := backedFunc(t, fx, s, "BmFreeMintCalls", "mint(address,uint256)")
			tf := callTo(free, selTF)
			if tf == nil || tf.CallerArgs != 2 || tf.PullsFromCaller {
				t.Errorf("FreeMintCalls.mint: want transferFrom with msg.sender as argument 1 only, got %+v", free.Calls)
			}
			if n := callTo(free, "0x25fda176"); n == nil || n.CallerArgs&1 == 0 || n.PullsFromCaller {
				t.Errorf("FreeMintCalls.mint: want notify(msg.sender, …), got %+v", free.Calls)
			}
			// A token chosen by calldata is not a pull.
			anyTok := backedFunc(t, fx, s, "BmAnyTokenVault", "deposit(address,uint256)")
			if tf := callTo(anyTok, selTF); tf == nil || tf.Target != "arg" || tf.CallerArgs&1 == 0 || tf.PullsFromCaller {
				t.Errorf("AnyTokenVault.deposit: want a non-pulling transferFrom on an argument, got %+v", anyTok.Calls)
			}
		})
	}
}

func TestBehaviorPaidWrites(t *testing.T) {
	fx := loadBacked(t)
	cases := []struct {
		contract, method, paidBy string
		paidValue                bool
	}{
		{"BmOZVault", "deposit(uint256,address)", "transferFrom", false},
		{"BmOZVault", "mint(uint256,address)", "transferFrom", false},
		{"BmMiniVault", "deposit(uint256,address)", "transferFrom", false},
		// Mints first, pulls after (a storage asset, encodeWithSelector).
		{"BmLowLevelVault", "deposit(uint256)", "transferFrom", false},
		{"BmPaidMint", "mint(uint256)", "callvalue", true},
		{"BmOwnerMint", "mint(address,uint256)", "", false},
		{"BmFreeMintCalls", "mint(address,uint256)", "", false},
		{"BmAnyTokenVault", "deposit(address,uint256)", "", false},
	}
	for _, s := range backedSettings {
		for _, c := range cases {
			f := backedFunc(t, fx, s, c.contract, c.method)
			ws := supplyAdds(f, 2)
			if len(ws) == 0 {
				t.Errorf("%s %s.%s: no supply increment in %+v", s, c.contract, c.method, f.Writes)
			}
			for _, w := range ws {
				if w.PaidBy != c.paidBy {
					t.Errorf("%s %s.%s: supply write paid by %q, want %q", s, c.contract, c.method, w.PaidBy, c.paidBy)
				}
			}
			// The non-payable check (callvalue == 0) is not a payment.
			if f.PaidValue != c.paidValue {
				t.Errorf("%s %s.%s: PaidValue %v, want %v", s, c.contract, c.method, f.PaidValue, c.paidValue)
			}
		}
	}
}

// TestBehaviorZeroFacts: withdraw/redeem burn the owner's shares through
// ERC20._update, whose from == address(0) branch (a mint) contradicts
// _burn's owner != address(0) check and is not followed; deposit's mint
// branch (from is the constant zero) still is.
func TestBehaviorZeroFacts(t *testing.T) {
	fx := loadBacked(t)
	for _, s := range backedSettings {
		for _, m := range []string{"withdraw(uint256,address,address)", "redeem(uint256,address,address)"} {
			if ws := supplyAdds(backedFunc(t, fx, s, "BmOZVault", m), 2); len(ws) != 0 {
				t.Errorf("%s BmOZVault.%s: supply increments %+v", s, m, ws)
			}
		}
		if ws := supplyAdds(backedFunc(t, fx, s, "BmOwnerMint", "mint(address,uint256)"), 2); len(ws) == 0 {
			t.Errorf("%s BmOwnerMint.mint: no supply increment", s)
		}
	}
}

// asmOps assembles ops: strings are opcodes by name, *big.Int and ints are
// pushed with the smallest PUSH.
func asmOps(t *testing.T, ops ...any) []byte {
	t.Helper()
	names := map[string]OpCode{}
	for op := 0; op < 256; op++ {
		if n := OpCode(op).String(); !strings.HasPrefix(n, "INVALID") {
			names[n] = OpCode(op)
		}
	}
	var out []byte
	for _, o := range ops {
		var v *big.Int
		switch x := o.(type) {
		case string:
			op, ok := names[x]
			if !ok {
				t.Fatalf("unknown opcode %s", x)
			}
			out = append(out, byte(op))
			continue
		case int:
			v = big.NewInt(int64(x))
		case *big.Int:
			v = x
		}
		b := v.Bytes()
		if len(b) == 0 {
			b = []byte{0}
		}
		out = append(out, byte(PUSH1)+byte(len(b)-1))
		out = append(out, b...)
	}
	return out
}

// walkCode walks code as one function body starting at pc 0.
func walkCode(t *testing.T, code []byte) Function {
	t.Helper()
	ins := Disassemble(code)
	index := make([]int32, len(code))
	for i := range index {
		index[i] = -1
	}
	for i, in := range ins {
		index[in.PC] = int32(i)
	}
	return walkFunction(code, ins, JumpDests(code), index, 0, entryStack(nil), &intern{ids: map[[32]byte]uint16{}}, maphash.MakeSeed())
}

func TestBehaviorPaidPathsHandWritten(t *testing.T) {
	selWord := new(big.Int).Lsh(big.NewInt(0x23b872dd), 224)
	token := new(big.Int).SetBytes([]byte{0xaa, 0xbb, 0xcc, 0xdd, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	// pull stores transferFrom(msg.sender, this, amount) at scratch memory 0
	// (as OpenZeppelin 5's SafeERC20) and calls the constant token.
	pull := func(amount []any, between ...any) []any {
		ops := []any{selWord, 0, "MSTORE", "CALLER", 4, "MSTORE", "ADDRESS", 0x24, "MSTORE"}
		ops = append(ops, amount...)
		ops = append(ops, 0x44, "MSTORE")
		ops = append(ops, between...)
		return append(ops, 0x20, 0, 0x64, 0, 0, token, "GAS", "CALL", "POP")
	}
	arg := []any{4, "CALLDATALOAD"}
	// mint: supply (slot 2) += calldata argument 0.
	mint := []any{4, "CALLDATALOAD", 2, "SLOAD", "ADD", 2, "SSTORE"}
	cat := func(parts ...[]any) []any {
		var out []any
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	cases := []struct {
		name   string
		ops    []any
		paidBy string
		pulls  bool
	}{
		{"pull then mint", cat(pull(arg), mint, []any{"STOP"}), "transferFrom", true},
		{"mint then pull", cat(mint, pull(arg), []any{"STOP"}), "transferFrom", true},
		// The selector's first byte overwritten: not decidable.
		{"selector clobbered", cat(pull(arg, 0xff, 1, "MSTORE8"), mint, []any{"STOP"}), "", false},
		// A store at an unknown address may overwrite the input.
		{"unknown store", cat(pull(arg, 0, 0x24, "CALLDATALOAD", "MSTORE"), mint, []any{"STOP"}), "", false},
		{"zero amount", cat(pull([]any{0}), mint, []any{"STOP"}), "", false},
		// A path that mints without pulling (skips the call when
		// calldata argument 1 is non-zero).
		{"skippable pull", cat([]any{0x24, "CALLDATALOAD"}, []any{0}, pull(arg), mint, []any{"STOP"}), "", true},
		// msg.value compared with a price held in slot 5.
		{"priced", cat([]any{5, "SLOAD", "CALLVALUE", "EQ", 0, "JUMPI"}, mint, []any{"STOP"}), "callvalue", false},
		// callvalue == 0 (the non-payable check) is no payment.
		{"non-payable", cat([]any{"CALLVALUE", "ISZERO", 0, "JUMPI"}, mint, []any{"STOP"}), "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code := asmOps(t, c.ops...)
			if c.name == "skippable pull" {
				// Patch the JUMPI: cond, dest (the mint's JUMPDEST).
				code = fixSkip(t, code)
			}
			f := walkCode(t, code)
			ws := supplyAdds(&f, 2)
			if len(ws) != 1 {
				t.Fatalf("supply writes %+v", f.Writes)
			}
			if ws[0].PaidBy != c.paidBy {
				t.Errorf("PaidBy %q, want %q", ws[0].PaidBy, c.paidBy)
			}
			pulls := false
			for _, cl := range f.Calls {
				pulls = pulls || cl.PullsFromCaller
			}
			if pulls != c.pulls {
				t.Errorf("pulls %v, want %v: %+v", pulls, c.pulls, f.Calls)
			}
		})
	}
}

// fixSkip turns the "skippable pull" program (cond, 0, <pull>, <mint>) into
// cond, dest, JUMPI, <pull>, JUMPDEST, <mint>.
func fixSkip(t *testing.T, code []byte) []byte {
	t.Helper()
	ins := Disassemble(code)
	// ins[0..1]: PUSH1 0x24, CALLDATALOAD; ins[2]: PUSH1 0 (placeholder).
	call := -1
	for i, in := range ins {
		if in.Op == CALL {
			call = i
		}
	}
	if call < 0 || ins[2].Op != PUSH1 {
		t.Fatal("unexpected program")
	}
	mintAt := ins[call+2].PC // after CALL, POP
	var out []byte
	out = append(out, code[:ins[2].PC]...)
	// PUSH2 dest JUMPI, then the pull, then JUMPDEST and the mint; the
	// JUMPDEST shifts the mint by 1 and PUSH2+JUMPI by 2 more than PUSH1.
	dest := mintAt - ins[3].PC + ins[2].PC + 4
	out = append(out, byte(PUSH1)+1, byte(dest>>8), byte(dest), byte(JUMPI))
	out = append(out, code[ins[3].PC:mintAt]...)
	out = append(out, byte(JUMPDEST))
	out = append(out, code[mintAt:]...)
	if !JumpDests(out)[dest] {
		t.Fatalf("bad jump destination %d in %x", dest, out)
	}
	return out
}
