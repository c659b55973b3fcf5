package bytecode

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/sigdb"
)

func TestDisassembleExact(t *testing.T) {
	code := asm(t, "6080 6040 52 5f 5c 5d 5e 49 4a 0c fe ff 1e 5b 7f", bytes.Repeat([]byte{0xaa}, 32), "61 01")
	want := []string{
		"0x0000 PUSH1 0x80",
		"0x0002 PUSH1 0x40",
		"0x0004 MSTORE",
		"0x0005 PUSH0",
		"0x0006 TLOAD",
		"0x0007 TSTORE",
		"0x0008 MCOPY",
		"0x0009 BLOBHASH",
		"0x000a BLOBBASEFEE",
		"0x000b INVALID(0x0c)",
		"0x000c INVALID",
		"0x000d SELFDESTRUCT",
		"0x000e CLZ",
		"0x000f JUMPDEST",
		"0x0010 PUSH32 0x" + strings.Repeat("aa", 32),
		"0x0031 PUSH2 0x01 (truncated: 1 of 2 bytes)",
	}
	ins := Disassemble(code)
	var got []string
	for _, in := range ins {
		got = append(got, in.String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("Disassemble:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if Format(ins) != strings.Join(want, "\n")+"\n" {
		t.Error("Format differs from String")
	}
	if ins[9].Op.Defined() || !ins[10].Op.Defined() || ins[9].Op != 0x0c {
		t.Error("undefined opcode 0x0c must keep its value and be undefined; 0xfe is defined INVALID")
	}
}

func TestTruncatedPush(t *testing.T) {
	ins := Disassemble([]byte{0x7f, 0x01, 0x02})
	if len(ins) != 1 || !ins[0].Truncated || !bytes.Equal(ins[0].Arg, []byte{1, 2}) || ins[0].Size() != 3 {
		t.Fatalf("got %+v", ins)
	}
	// Missing bytes read as zeros at the end of the immediate.
	v := ins[0].Value()
	if v[0] != 1 || v[1] != 2 || v[31] != 0 {
		t.Errorf("Value = %x", v)
	}
	if ins := Disassemble([]byte{0x60}); len(ins) != 1 || !ins[0].Truncated || len(ins[0].Arg) != 0 {
		t.Errorf("lone PUSH1: %+v", ins)
	}
	// A PUSH ending exactly at the end is not truncated.
	if ins := Disassemble([]byte{0x61, 1, 2}); ins[0].Truncated {
		t.Error("complete PUSH2 marked truncated")
	}
}

func TestJumpDests(t *testing.T) {
	jd := JumpDests([]byte{0x60, 0x5b, 0x5b, 0x7f})
	if !slices.Equal(jd, []bool{false, false, true, false}) {
		t.Errorf("JumpDests = %v", jd)
	}
}

func loadArtifact(t testing.TB, name string) *contracts.Artifact {
	t.Helper()
	a, err := contracts.Load(name)
	if err != nil {
		t.Skipf("artifact %s: %v", name, err)
	}
	return a
}

func TestMetadataStripping(t *testing.T) {
	a := loadArtifact(t, "MintableToken")
	code := a.DeployedBytecode
	exe, md := SplitMetadata(code)
	if md == nil {
		t.Fatal("no metadata found")
	}
	if md.Compiler != "solc "+a.Compiler || !strings.HasPrefix(md.IPFS, "Qm") || len(md.IPFS) != 46 {
		t.Errorf("metadata = %+v (artifact compiler %s)", md, a.Compiler)
	}
	if len(exe)+md.Length != len(code) || !bytes.Equal(exe, code[:len(exe)]) {
		t.Errorf("split sizes %d + %d != %d", len(exe), md.Length, len(code))
	}
	if !bytes.HasPrefix(code[len(exe):], []byte{0xa2, 0x64, 'i', 'p', 'f', 's'}) {
		t.Errorf("trailer starts %x", code[len(exe):len(exe)+6])
	}
	// Without a trailer nothing is stripped.
	if e, m := SplitMetadata(exe[:len(exe)-1]); m != nil || len(e) != len(exe)-1 {
		t.Error("stripped metadata from code without a trailer")
	}

	// Older and other trailers.
	for _, tc := range []struct {
		trailer, compiler string
		check             func(*Metadata) bool
	}{
		{"a2 65627a7a7230 5820" + strings.Repeat("11", 32) + " 64736f6c6343 000511 0032", "solc 0.5.17",
			func(m *Metadata) bool { return m.Bzzr0 == strings.Repeat("11", 32) }},
		{"a1 65627a7a7231 5820" + strings.Repeat("22", 32) + " 0029", "",
			func(m *Metadata) bool { return m.Bzzr1 == strings.Repeat("22", 32) }},
		{"a3 6c6578706572696d656e74616c f5 64736f6c6343 000818 6469706673 4200ff 0020", "solc 0.8.24",
			func(m *Metadata) bool { return m.Experimental }},
		{"a1 657679706572 83 00 03 07 000b", "vyper 0.3.7", func(*Metadata) bool { return true }},
	} {
		trailer := asm(t, tc.trailer)
		code := append([]byte{0x60, 0x00, 0x00}, trailer...)
		exe, md := SplitMetadata(code)
		if md == nil || md.Compiler != tc.compiler || !tc.check(md) || len(exe) != 3 || md.Length != len(trailer) {
			t.Errorf("trailer %s: exe %x md %+v", tc.trailer, exe, md)
		}
	}
}

func TestSelectorsFromHandWrittenDispatchers(t *testing.T) {
	for _, tc := range []struct {
		name, code string
		want       []string
		source     string
	}{
		{
			// solc >= 0.5: shr(224, calldataload(0)), DUP1 PUSH4 EQ PUSH JUMPI,
			// and a 3-byte PUSH for a selector with a leading zero byte.
			name: "shr", source: "dispatcher",
			code: "5f35 60e0 1c 80 63a9059cbb 14 6100 1a 57 80 6200fdd5 14 6100 1a 57 5f 80 fd 5b 00",
			want: []string{"0x0000fdd5", "0xa9059cbb"},
		},
		{
			// solc 0.4: div(calldataload(0), 2**224) & 0xffffffff, PUSH4 DUP2 EQ.
			name: "div", source: "dispatcher",
			code: "6000 35 7c01" + strings.Repeat("00", 28) + " 90 04 63ffffffff 16 63095ea7b3 81 14 6100 3e 57 00 00 00 00 5b 00",
			want: []string{"0x095ea7b3"},
		},
		{
			// Binary-search split (GT) then EQ in both halves.
			name: "binary", source: "dispatcher",
			code: "5f35 60e0 1c 80 6380000000 11 6100 1c 57 80 6311111111 14 6100 29 57 00 5b 80 6399999999 14 6100 29 57 00 5b 00",
			want: []string{"0x11111111", "0x99999999"},
		},
		{
			// No recognisable selector computation: byte pattern fallback.
			name: "pattern", source: "pattern",
			code: "33 63deadbeef 81 14 6100 0d 57 00 5b 00",
			want: []string{"0xdeadbeef"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code := asm(t, tc.code)
			r, err := Analyze(code, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range r.Selectors {
				got = append(got, s.Selector.String())
			}
			if !slices.Equal(got, tc.want) || r.SelectorSource != tc.source {
				t.Errorf("selectors %v (%s), want %v (%s)\n%s", got, r.SelectorSource, tc.want, tc.source, Format(Disassemble(code)))
			}
		})
	}
}

func TestMinimalProxy(t *testing.T) {
	target := common.HexToAddress("0xbebebebebebebebebebebebebebebebebebebebe")
	std := asm(t, "363d3d373d3d3d363d73", target, "5af43d82803e903d91602b57fd5bf3")
	if len(std) != 45 {
		t.Fatalf("len %d", len(std))
	}
	short := asm(t, "363d3d373d3d3d363d6f", target.Bytes()[4:], "5af43d82803e903d91602757fd5bf3")
	push0 := asm(t, "365f5f375f5f365f73", target, "5af43d5f5f3e5f3d91602a57fd5bf3")
	for name, code := range map[string][]byte{"eip1167": std, "push16": short, "erc7511": push0} {
		got, ok := MinimalProxyTarget(code)
		want := target
		if name == "push16" {
			want = common.BytesToAddress(target.Bytes()[4:])
		}
		if !ok || got != want {
			t.Errorf("%s: target %s %v, want %s", name, got.Hex(), ok, want.Hex())
		}
		r, err := Analyze(code, nil)
		if err != nil || r.Proxy == nil || r.Proxy.Kind != ProxyEIP1167 || *r.Proxy.Target != want {
			t.Errorf("%s: Analyze proxy = %+v, %v", name, r.Proxy, err)
		}
		if f := r.Finding("minimal-proxy"); f == nil || !strings.Contains(f.Title, want.Hex()) {
			t.Errorf("%s: finding %+v", name, f)
		}
	}
	bad := slices.Clone(std)
	bad[44] = 0xfd
	if _, ok := MinimalProxyTarget(bad); ok {
		t.Error("altered clone accepted")
	}
	if _, ok := MinimalProxyTarget(std[:44]); ok {
		t.Error("truncated clone accepted")
	}
}

func TestEIP1967Detection(t *testing.T) {
	r, err := Analyze(eip1967Runtime(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := r.Proxy
	if p == nil || p.Kind != ProxyEIP1967 || p.ImplementationSlot == nil || p.ImplementationSlot.Hex() != SlotEIP1967Implementation {
		t.Fatalf("proxy = %+v", p)
	}
	if len(p.Slots) != 1 || p.Slots[0].Name != "eip1967.implementation" {
		t.Errorf("slots = %+v", p.Slots)
	}
	if f := r.Finding("upgradeable-proxy"); f == nil || f.Severity != SeverityMedium {
		t.Errorf("finding = %+v", f)
	}
	if r.Finding("delegatecall") != nil {
		t.Error("proxy also reported as bare delegatecall")
	}

	// A non-standard slot (0) and a hard-coded target.
	slot0 := asm(t, "36 5f 5f 37 5f 5f 36 5f 5f 54 5a f4 3d 5f 5f 3e 60 18 57 3d 5f fd 00 00 5b 3d 5f f3")
	if r, _ := Analyze(slot0, nil); r.Proxy == nil || r.Proxy.Kind != ProxyForwarder || r.Proxy.ImplementationSlot == nil ||
		*r.Proxy.ImplementationSlot != (common.Hash{}) {
		t.Errorf("slot-0 forwarder: %+v", r.Proxy)
	}
	target := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	fixed := asm(t, "36 5f 5f 37 5f 5f 36 5f 73", target, "5a f4 00")
	if r, _ := Analyze(fixed, nil); r.Proxy == nil || r.Proxy.Kind != ProxyForwarder || r.Proxy.Target == nil || *r.Proxy.Target != target {
		t.Errorf("hard-coded forwarder: %+v", r.Proxy)
	}
	beacon := beaconProxyRuntime(t)
	if r, _ := Analyze(beacon, nil); r.Proxy == nil || r.Proxy.Kind != ProxyBeacon {
		t.Errorf("beacon: %+v", r.Proxy)
	}
}

func TestMintableTokenFlagged(t *testing.T) {
	a := loadArtifact(t, "MintableToken")
	r, err := Analyze(a.DeployedBytecode, sigdb.Default())
	if err != nil {
		t.Fatal(err)
	}
	cats := map[string]string{}
	for _, p := range r.Privileged {
		cats[p.Name] = p.Category
	}
	for name, cat := range map[string]string{
		"mint(address,uint256)":      sigdb.CategoryMint,
		"setSellTax(uint256)":        sigdb.CategoryFee,
		"setTradingEnabled(bool)":    sigdb.CategoryTrading,
		"transferOwnership(address)": sigdb.CategoryOwnership,
	} {
		if cats[name] != cat {
			t.Errorf("%s: category %q, want %q (privileged: %+v)", name, cats[name], cat, r.Privileged)
		}
	}
	for id, sev := range map[string]Severity{
		"privileged-mint": SeverityHigh, "privileged-fee": SeverityMedium, "privileged-trading": SeverityHigh,
	} {
		if f := r.Finding(id); f == nil || f.Severity != sev {
			t.Errorf("finding %s = %+v, want severity %s", id, f, sev)
		}
	}
	if r.Finding("privileged-mint").Title != "owner can mint" {
		t.Error("mint finding title")
	}
	if r.Proxy != nil || r.Opcodes.Delegatecall || r.Opcodes.SelfdestructReachable {
		t.Errorf("unexpected proxy/capabilities: %+v %+v", r.Proxy, r.Opcodes)
	}
}

func TestWETHNotPrivileged(t *testing.T) {
	a := loadArtifact(t, "WETH9")
	r, err := Analyze(a.DeployedBytecode, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Privileged) != 0 {
		t.Errorf("WETH9 privileged: %+v", r.Privileged)
	}
	for _, f := range r.Findings {
		if f.Severity.Rank() > SeverityInfo.Rank() {
			t.Errorf("WETH9 finding %+v", f)
		}
	}
	// withdraw(uint256) is named.
	var names []string
	for _, s := range r.Selectors {
		names = append(names, s.Names...)
	}
	if !slices.Contains(names, "withdraw(uint256)") || !slices.Contains(names, "deposit()") {
		t.Errorf("names = %v", names)
	}
	if r.Opcodes.CallsWithValue == 0 {
		t.Error("WETH9 withdraw sends ether")
	}
}

func TestSelfdestructReachability(t *testing.T) {
	r, _ := Analyze(asm(t, "33 ff"), nil)
	if !r.Opcodes.SelfdestructReachable || r.Finding("selfdestruct") == nil || r.Finding("selfdestruct").Severity != SeverityHigh {
		t.Errorf("reachable: %+v %+v", r.Opcodes, r.Findings)
	}
	r, _ = Analyze(asm(t, "00 33 ff"), nil)
	if r.Opcodes.SelfdestructReachable || !r.Opcodes.Selfdestruct || r.Finding("selfdestruct-unreachable") == nil {
		t.Errorf("unreachable: %+v %+v", r.Opcodes, r.Findings)
	}
	// Reachable through a dynamic jump to a pushed JUMPDEST.
	r, _ = Analyze(asm(t, "6005 80 56 00 5b 33 ff"), nil)
	if !r.Opcodes.SelfdestructReachable {
		t.Errorf("via jump: %+v", r.Opcodes)
	}
}

func TestParseHex(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []byte
	}{
		{"0x6001", []byte{0x60, 0x01}},
		{"6001", []byte{0x60, 0x01}},
		{"  0X60 01\n\t5B\r\n", []byte{0x60, 0x01, 0x5b}},
		{"60\u00a001", []byte{0x60, 0x01}},
	} {
		got, err := ParseHex(tc.in)
		if err != nil || !bytes.Equal(got, tc.want) {
			t.Errorf("ParseHex(%q) = %x, %v", tc.in, got, err)
		}
	}
	for _, tc := range []struct{ in, err string }{
		{"0x60zz", "invalid hex at offset 4"},
		{"60 0g", "invalid hex at offset 4"},
		{"0x601", "odd number of hex digits (3)"},
		{"0x", "no hex digits"},
		{"", "no hex digits"},
		{"0x6073__$abcdef$__", "unlinked library placeholder at offset 6"},
	} {
		if _, err := ParseHex(tc.in); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("ParseHex(%q) error = %v, want %q", tc.in, err, tc.err)
		}
	}
}

func TestReportJSON(t *testing.T) {
	a := loadArtifact(t, "MintableToken")
	r, err := Analyze(a.DeployedBytecode, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"size", "code_size", "code_hash", "compiler", "metadata", "instructions", "jump_dests",
		"selectors", "selector_source", "opcodes", "privileged", "findings"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	op := m["opcodes"].(map[string]any)
	for _, k := range []string{"selfdestruct_reachable", "delegatecall", "calls_with_value", "sstores", "origin"} {
		if _, ok := op[k]; !ok {
			t.Errorf("opcodes JSON lacks %q", k)
		}
	}
	if !strings.Contains(string(b), `"selector":"0x40c10f19"`) || !strings.Contains(string(b), `"category":"mint"`) {
		t.Error("selector/category encoding")
	}
	var back Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("round trip: %v", err)
	}
	if len(back.Selectors) != len(r.Selectors) || back.Selectors[0].Selector != r.Selectors[0].Selector {
		t.Error("selectors did not round-trip")
	}
}

func TestAnalyzeEmptyAndUserABI(t *testing.T) {
	if _, err := Analyze(nil, nil); err != ErrEmptyCode {
		t.Errorf("empty: %v", err)
	}
	// A user ABI names an otherwise unknown selector.
	code := asm(t, "5f35 60e0 1c 80 63c0ffee00 14 6100 10 57 00 00 5b 00")
	db := sigdb.Default()
	if err := db.Add("function brew(uint256)"); err != nil {
		t.Fatal(err)
	}
	r, _ := Analyze(code, nil)
	if len(r.Selectors) != 1 || len(r.Selectors[0].Names) != 0 {
		t.Fatalf("selectors = %+v", r.Selectors)
	}
	e, _ := sigdb.NewEntry(sigdb.KindFunction, "brew(uint256)")
	code = asm(t, "5f35 60e0 1c 80 63", e.Hash.Bytes()[:4], "14 6100 10 57 00 00 5b 00")
	if r, _ := Analyze(code, db); len(r.Selectors) != 1 || !slices.Equal(r.Selectors[0].Names, []string{"brew(uint256)"}) {
		t.Errorf("user ABI: %+v", r.Selectors)
	}
}

func TestRuntimeFromInit(t *testing.T) {
	for _, name := range []string{"MintableToken", "WETH9", "AMMPair"} {
		a := loadArtifact(t, name)
		rt, ok := RuntimeFromInit(a.Bytecode)
		if !ok || !bytes.Equal(rt, a.DeployedBytecode) {
			t.Errorf("%s: runtime %d bytes ok=%v, want the %d-byte deployed code", name, len(rt), ok, len(a.DeployedBytecode))
		}
		if _, ok := RuntimeFromInit(a.DeployedBytecode); ok {
			t.Errorf("%s: runtime code taken for creation code", name)
		}
		r, _ := Analyze(a.Bytecode, nil)
		if f := r.Finding("creation-code"); f == nil {
			t.Errorf("%s: no creation-code finding on init code", name)
		}
	}
	clone := asm(t, "3d602d80600a3d3981f3 363d3d373d3d3d363d73", common.Address{1}, "5af43d82803e903d91602b57fd5bf3")
	if rt, ok := RuntimeFromInit(clone); !ok || len(rt) != 45 {
		t.Errorf("clone init: %x %v", rt, ok)
	}
	if r, _ := Analyze(clone, nil); r.Proxy != nil || r.Finding("creation-code") == nil {
		t.Errorf("clone init code: proxy %+v findings %+v", r.Proxy, r.Findings)
	}
}
