package risk

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Node is what node mode needs from a JSON-RPC endpoint; *ethclient.Client
// satisfies it.
type Node interface {
	CodeAt(ctx context.Context, account common.Address, blockNumber *big.Int) ([]byte, error)
	StorageAt(ctx context.Context, account common.Address, key common.Hash, blockNumber *big.Int) ([]byte, error)
	CallContract(ctx context.Context, call ethereum.CallMsg, blockNumber *big.Int) ([]byte, error)
	FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error)
	BlockNumber(ctx context.Context) (uint64, error)
}

// NodeInput is the node-mode input of a pass.
type NodeInput struct {
	Client  Node
	Address common.Address
	// Pair is the pool to trade on (--pair); zero means discover.
	Pair common.Address
	// Holders is how many real holders to simulate sales from.
	Holders int
}

var adminSignal = Signal{
	Name:  "admin-topology",
	Doc:   "Who holds the privileges: the address in the owner slot (and the EIP-1967 admin of a proxy) classified as renounced (zero), externally owned account, multisig (Safe-style getThreshold/getOwners), timelock (getMinDelay/delay) or other contract; sets the holder weight of capability factors.",
	Needs: "node",
	Run: func(ctx context.Context, p *Pass) error {
		return fmt.Errorf("%w: not implemented", ErrUnknown)
	},
}

var holdersSignal = Signal{
	Name:  "holders",
	Doc:   "Holder distribution from Transfer logs: holder count, top 10, HHI, owner share.",
	Needs: "node",
	Run: func(ctx context.Context, p *Pass) error {
		return fmt.Errorf("%w: not implemented", ErrUnknown)
	},
}

var tradeSignal = Signal{
	Name:  "trade-simulation",
	Doc:   "Simulated sells and wallet-to-wallet transfers in one eth_simulateV1 batch, from a fresh address and from real holders: taxes, sellable fraction, revert reasons, balance changes without Transfer events.",
	Needs: "node",
	Run: func(ctx context.Context, p *Pass) error {
		return fmt.Errorf("%w: not implemented", ErrUnknown)
	},
}

var probeSignal = Signal{
	Name:  "privilege-probing",
	Doc:   "Dynamic privilege probing: every dispatcher selector simulated from the owner and from a stranger with argument patterns, reading the state diff.",
	Needs: "node",
	Run: func(ctx context.Context, p *Pass) error {
		return fmt.Errorf("%w: not implemented in this build", ErrUnknown)
	},
}
