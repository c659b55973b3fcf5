package bytecode

import (
	"encoding/json"
	"testing"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/sigdb"
)

// fuzzSeeds are small hand-written programs plus every artifact's runtime
// code.
func fuzzSeeds(f *testing.F) {
	for _, h := range []string{
		"", "00", "60", "7f01", "5b", "fe", "ff", "3d602d80600a3d3981f3",
		"363d3d373d3d3d363d73bebebebebebebebebebebebebebebebebebebebe5af43d82803e903d91602b57fd5bf3",
		"365f5f375f5f365f73bebebebebebebebebebebebebebebebebebebebe5af43d5f5f3e5f3d91602a57fd5bf3",
		"5f3560e01c8063a9059cbb1461001a57005b00",
		"6005805600" + "5b33ff",
		"600056", "60ff56", "5b600056", "5b5b5b600157",
		"a264697066735822" + "1220" + "00000000000000000000000000000000000000000000000000000000000000" + "64736f6c6343000818" + "0033",
	} {
		b, err := ParseHex("0x" + h)
		if err != nil {
			b = nil
		}
		f.Add(b)
	}
	for _, name := range contracts.Names() {
		if a, err := contracts.Load(name); err == nil && len(a.DeployedBytecode) > 0 {
			f.Add(a.DeployedBytecode)
		}
	}
}

func FuzzDisassemble(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, code []byte) {
		ins := Disassemble(code)
		pc := 0
		for _, in := range ins {
			if in.PC != pc {
				t.Fatalf("instruction at %d, want %d", in.PC, pc)
			}
			if in.Truncated != (len(in.Arg) < in.Op.PushSize()) {
				t.Fatalf("truncation flag wrong at %d", pc)
			}
			_ = in.String()
			_ = in.Value()
			pc += in.Size()
		}
		if pc != len(code) {
			t.Fatalf("covered %d of %d bytes", pc, len(code))
		}
		jd := JumpDests(code)
		for i, ok := range jd {
			if ok && code[i] != byte(JUMPDEST) {
				t.Fatalf("jumpdest at %d is %#x", i, code[i])
			}
		}
		exe, md := SplitMetadata(code)
		if md != nil && len(exe)+md.Length != len(code) {
			t.Fatalf("metadata split %d + %d != %d", len(exe), md.Length, len(code))
		}
		_, _ = MinimalProxyTarget(code)
		if rt, ok := RuntimeFromInit(code); ok && len(rt) > len(code) {
			t.Fatalf("runtime %d > code %d", len(rt), len(code))
		}
	})
}

func FuzzAnalyze(f *testing.F) {
	fuzzSeeds(f)
	db := sigdb.Default()
	f.Fuzz(func(t *testing.T, code []byte) {
		r, err := Analyze(code, db)
		if len(code) == 0 {
			if err == nil {
				t.Fatal("empty code accepted")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if r.Size != len(code) || r.CodeSize > r.Size {
			t.Fatalf("sizes %d/%d for %d bytes", r.CodeSize, r.Size, len(code))
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatal(err)
		}
		b := r.Behavior()
		if len(b.Functions) > len(r.Selectors) {
			t.Fatalf("%d function behaviours for %d selectors", len(b.Functions), len(r.Selectors))
		}
		if _, err := json.Marshal(b); err != nil {
			t.Fatal(err)
		}
	})
}

func FuzzParseHex(f *testing.F) {
	for _, s := range []string{"", "0x", "0x6001", " 60 01 ", "0x601", "zz", "__$", "60\u00a001", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, err := ParseHex(s)
		if err == nil && len(b) == 0 {
			t.Fatal("empty result without error")
		}
	})
}
