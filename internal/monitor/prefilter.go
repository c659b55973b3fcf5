package monitor

import (
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/txmodel"
)

// maxCalls bounds the prefilter's memories; each is reset when full.
const maxCalls = 200_000

// callKey is a (contract, selector) pair.
type callKey struct {
	to  common.Address
	sel [4]byte
}

// callMemory is the prefilter's memory beyond "first time this sender":
//
//   - hot: accounts and contracts whose transactions touched a watched
//     address (in a simulation or a mined block). Their pending
//     transactions are always simulated: an attacker who already probed the
//     protocol, or a contract that calls into it, is not skipped because
//     its sender was seen before.
//   - calls: the (contract, selector) pairs already simulated. The first
//     pending call of a function of a contract is simulated, whoever sends
//     it: an attack contract deployed before the monitor started, called
//     by an account the monitor has seen, is still simulated the first
//     time it is used. Repeated calls of the same function of a contract
//     that never touched a watched address are not.
type callMemory struct {
	mu    sync.Mutex
	hot   map[common.Address]struct{}
	calls map[callKey]struct{}
}

func newCallMemory() *callMemory {
	return &callMemory{hot: map[common.Address]struct{}{}, calls: map[callKey]struct{}{}}
}

// wants reports whether the pending transaction from `from` must be
// simulated by the rules above (and remembers its call).
func (c *callMemory) wants(tx *types.Transaction, from common.Address, knownFrom bool) bool {
	to := tx.To()
	if to == nil {
		return true
	}
	var k callKey
	k.to = *to
	copy(k.sel[:], tx.Data())
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.hot[*to]; ok {
		return true
	}
	if knownFrom {
		if _, ok := c.hot[from]; ok {
			return true
		}
	}
	if len(tx.Data()) < 4 {
		return false // a plain transfer: the sender rule decides
	}
	if _, seen := c.calls[k]; seen {
		return false
	}
	if len(c.calls) >= maxCalls {
		clear(c.calls)
	}
	c.calls[k] = struct{}{}
	return true
}

// touched marks the sender and recipient of a transaction that touched a
// watched address as hot.
func (c *callMemory) touched(tx *txmodel.Tx) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.hot) >= maxCalls {
		clear(c.hot)
	}
	c.hot[tx.From] = struct{}{}
	if tx.To != nil {
		c.hot[*tx.To] = struct{}{}
	}
}
