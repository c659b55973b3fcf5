package risk

import (
	"testing"

	"github.com/aegis-defi/aegis/internal/bytecode"
)

func newPassFromCode(t *testing.T, code []byte) *Pass {
	t.Helper()
	br, err := bytecode.Analyze(code, nil)
	if err != nil {
		t.Fatal(err)
	}
	return newPass(br, nil)
}
