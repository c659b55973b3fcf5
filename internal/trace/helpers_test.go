package trace_test

import (
	"os"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/chain"
)

// tempDir makes a directory for the shared fixture (t.TempDir would be
// removed when the first test ends).
func tempDir() (string, error) { return os.MkdirTemp("", "aegis-trace-test-") }

// chainAddr returns the launder scenario's named account address.
func chainAddr(t *testing.T, _ *fixture, name string) common.Address {
	t.Helper()
	return chain.AccountFromSeed("aegis/launder/trace-test/" + name).Address
}
