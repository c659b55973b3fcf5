package trace_test

import (
	"os"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/chain"
)

// fixtureDirs are the shared fixture's directories, removed by TestMain
// (t.TempDir would be removed when the first test using it ends).
var fixtureDirs []string

func TestMain(m *testing.M) {
	code := m.Run()
	if fix != nil {
		_ = fix.graph.Close()
		_ = fix.env.Close()
	}
	if pg != nil {
		if pg.graph != nil {
			_ = pg.graph.Close()
		}
		_ = pg.server.Stop()
	}
	for _, d := range fixtureDirs {
		_ = os.RemoveAll(d)
	}
	os.Exit(code)
}

// tempDir makes a directory for the shared fixture.
func tempDir() (string, error) {
	d, err := os.MkdirTemp("", "aegis-trace-test-")
	if err == nil {
		fixtureDirs = append(fixtureDirs, d)
	}
	return d, err
}

// chainAddr returns the launder scenario's named account address.
func chainAddr(t *testing.T, _ *fixture, name string) common.Address {
	t.Helper()
	return chain.AccountFromSeed("aegis/launder/trace-test/" + name).Address
}
