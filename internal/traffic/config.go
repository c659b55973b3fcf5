package traffic

import (
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/aegis-defi/aegis/internal/chain"
)

// Kind names one kind of benign action; Stats.ByKind and Action.Kind use
// these values.
type Kind string

// The kinds of traffic the generator produces.
const (
	KindSwap            Kind = "swap"
	KindAddLiquidity    Kind = "add-liquidity"
	KindRemoveLiquidity Kind = "remove-liquidity"
	KindDeposit         Kind = "deposit-collateral"
	KindWithdraw        Kind = "withdraw-collateral"
	KindSupply          Kind = "supply"
	KindRedeem          Kind = "redeem-supply"
	KindBorrow          Kind = "borrow"
	KindRepay           Kind = "repay"
	KindLiquidate       Kind = "liquidate"
	KindTransferETH     Kind = "transfer-eth"
	KindTransferToken   Kind = "transfer-token"
	KindWrap            Kind = "wrap"
	KindUnwrap          Kind = "unwrap"
	KindArbitrage       Kind = "arbitrage"
	KindSandwichFront   Kind = "sandwich-front"
	KindSandwichVictim  Kind = "sandwich-victim"
	KindSandwichBack    Kind = "sandwich-back"
	// KindSetup covers funding and approvals before the main phase.
	KindSetup Kind = "setup"
)

// Mix holds the relative weights of the actions the generator draws at each
// step. Bots (arbitrage) act on their own whenever an opportunity exists and
// are not drawn. A zero weight disables a kind.
type Mix struct {
	Swap            float64
	AddLiquidity    float64
	RemoveLiquidity float64
	// Lend covers collateral deposits, WETH supply and their withdrawals.
	Lend     float64
	Borrow   float64
	Repay    float64
	Transfer float64
	// Wrap covers WETH wraps and unwraps.
	Wrap float64
	// Sandwich is the weight of a large victim swap that the sandwich bot
	// front- and back-runs in the same block.
	Sandwich float64
	// Liquidation is the weight of a price move against the risky borrower
	// followed by a liquidation.
	Liquidation float64
}

// DefaultMix is a DEX-heavy mix loosely shaped like mainnet activity.
func DefaultMix() Mix {
	return Mix{
		Swap:            34,
		AddLiquidity:    6,
		RemoveLiquidity: 4,
		Lend:            12,
		Borrow:          6,
		Repay:           5,
		Transfer:        16,
		Wrap:            10,
		Sandwich:        3,
		Liquidation:     2,
	}
}

func (m Mix) weights() []float64 {
	return []float64{m.Swap, m.AddLiquidity, m.RemoveLiquidity, m.Lend, m.Borrow, m.Repay,
		m.Transfer, m.Wrap, m.Sandwich, m.Liquidation}
}

// Config configures a Generator. Zero values select the defaults noted.
type Config struct {
	// Seed makes the run reproducible: the same seed on a fresh testbed
	// yields the same actions.
	Seed int64
	// Transactions is the number of main-phase transactions to send (setup
	// transactions are not counted). Zero means no limit; then Duration
	// must be set.
	Transactions int
	// Duration bounds the main phase in wall time; zero means no limit.
	Duration time.Duration
	// Rate is the target rate in transactions per second; zero sends as
	// fast as the chain accepts them.
	Rate float64
	// Actors is the number of user accounts (default 12).
	Actors int
	// TxsPerBlock is how many transactions are sent before the generator
	// calls client.Mine (default 8). Bots may add theirs to a block.
	TxsPerBlock int
	// Mix weights the actions; the zero Mix means DefaultMix.
	Mix Mix
	// NoArbitrage disables the arbitrage bot.
	NoArbitrage bool
	// ActorFunding is the ETH each actor receives from the funder (default
	// 200 ETH); bots receive ten times as much.
	ActorFunding *big.Int
}

// ErrConfig is wrapped by configuration errors.
var ErrConfig = errors.New("invalid traffic config")

func (c Config) withDefaults() (Config, error) {
	if c.Transactions < 0 || c.Actors < 0 || c.TxsPerBlock < 0 || c.Rate < 0 || c.Duration < 0 {
		return c, fmt.Errorf("%w: negative value in %+v", ErrConfig, c)
	}
	if c.Transactions == 0 && c.Duration == 0 {
		return c, fmt.Errorf("%w: set Transactions or Duration", ErrConfig)
	}
	if c.Actors == 0 {
		c.Actors = 12
	}
	if c.Actors < 4 {
		return c, fmt.Errorf("%w: need at least 4 actors, have %d", ErrConfig, c.Actors)
	}
	if c.TxsPerBlock == 0 {
		c.TxsPerBlock = 8
	}
	if c.Mix == (Mix{}) {
		c.Mix = DefaultMix()
	}
	for _, w := range c.Mix.weights() {
		if w < 0 {
			return c, fmt.Errorf("%w: negative mix weight in %+v", ErrConfig, c.Mix)
		}
	}
	if c.ActorFunding == nil {
		c.ActorFunding = chain.Ether(200)
	}
	if c.ActorFunding.Sign() <= 0 {
		return c, fmt.Errorf("%w: ActorFunding must be positive", ErrConfig)
	}
	return c, nil
}
