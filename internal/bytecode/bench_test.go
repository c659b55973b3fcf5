package bytecode

import (
	"testing"
	"time"

	"github.com/aegis-defi/aegis/internal/sigdb"
)

func BenchmarkAnalyze(b *testing.B) {
	arts := deployable(b)
	db := sigdb.Default()
	total := 0
	for _, a := range arts {
		total += len(a.DeployedBytecode)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		for _, a := range arts {
			if _, err := Analyze(a.DeployedBytecode, db); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// adversarial builds 24 KiB of code that maximises the dispatcher walker's
// branching: a deep stack, then many JUMPIs on unknown conditions.
func adversarial() []byte {
	var code []byte
	for range 200 {
		code = append(code, 0x60, 0x01) // PUSH1 1
	}
	for len(code) < 24_000 {
		dest := len(code) + 7
		// PUSH1 0; CALLDATALOAD; PUSH2 dest; JUMPI; JUMPDEST
		code = append(code, 0x60, 0x00, 0x35, 0x61, byte(dest>>8), byte(dest), 0x57, 0x5b)
	}
	return code
}

func TestAdversarialIsBounded(t *testing.T) {
	start := time.Now()
	if _, err := Analyze(adversarial(), nil); err != nil {
		t.Fatal(err)
	}
	t.Logf("adversarial 24 KiB: %v", time.Since(start))
}

func BenchmarkAnalyzeAdversarial(b *testing.B) {
	code := adversarial()
	b.SetBytes(int64(len(code)))
	for b.Loop() {
		if _, err := Analyze(code, nil); err != nil {
			b.Fatal(err)
		}
	}
}
