// Package testbed deploys the core DeFi protocols the rest of Aegis works
// against: WETH, a project token (TKN), two independent Uniswap-V2-style
// exchanges with a TKN/WETH pool each, an ERC-3156 flash-loan pool, a spot
// and a TWAP oracle, and a lending market in two variants (spot-priced,
// vulnerable; TWAP-priced, safe).
//
// Deploy builds the whole thing with realistic liquidity; the Deploy*
// helpers build single pieces for scenarios and tests. The traffic
// generator, the demo, the monitor and the guard all address the testbed
// through the Testbed struct.
package testbed

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/chain"
)

// Options sizes the testbed. Zero fields take the DefaultOptions value.
type Options struct {
	// TokenSupply is TKN's initial supply, minted to the deployer.
	TokenSupply *big.Int
	// PoolWETH and PoolTKN seed the main TKN/WETH pool (AMM, the one the
	// oracles read).
	PoolWETH, PoolTKN *big.Int
	// Pool2WETH and Pool2TKN seed the second exchange's TKN/WETH pool; a
	// slightly different price leaves arbitrage bots a gap to close.
	Pool2WETH, Pool2TKN *big.Int
	// FlashWETH and FlashTKN are deposited into the flash-loan pool.
	FlashWETH, FlashTKN *big.Int
	// FlashFeeBps is the flash-loan fee in basis points.
	FlashFeeBps int64
	// LendingWETH is supplied by the deployer (as lender) to each market.
	LendingWETH *big.Int
	// TwapPeriod is the TWAP window in seconds; TwapMaxAge the age after
	// which the TWAP price is stale (keepers must update() within it).
	TwapPeriod uint32
	TwapMaxAge uint64
}

// DefaultOptions returns the standard testbed sizing: a 1,000 WETH /
// 100,000 TKN main pool (1 TKN = 0.01 WETH), a 500 WETH / 49,000 TKN
// second pool (about 2% dearer), 10,000 WETH and 1,000,000 TKN of flash
// liquidity at 0.09%, 2,000 WETH of lender supply per lending market and a
// 5-second TWAP window stale after one day. (Production TWAPs use 10-30
// minute windows; the testbed's chain advances about one second per block.)
func DefaultOptions() Options {
	return Options{
		TokenSupply: chain.Ether(10_000_000),
		PoolWETH:    chain.Ether(1_000),
		PoolTKN:     chain.Ether(100_000),
		Pool2WETH:   chain.Ether(500),
		Pool2TKN:    chain.Ether(49_000),
		FlashWETH:   chain.Ether(10_000),
		FlashTKN:    chain.Ether(1_000_000),
		FlashFeeBps: 9,
		LendingWETH: chain.Ether(2_000),
		TwapPeriod:  5,
		TwapMaxAge:  86_400,
	}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	pick := func(v, def *big.Int) *big.Int {
		if v == nil || v.Sign() == 0 {
			return def
		}
		return v
	}
	o.TokenSupply = pick(o.TokenSupply, d.TokenSupply)
	o.PoolWETH = pick(o.PoolWETH, d.PoolWETH)
	o.PoolTKN = pick(o.PoolTKN, d.PoolTKN)
	o.Pool2WETH = pick(o.Pool2WETH, d.Pool2WETH)
	o.Pool2TKN = pick(o.Pool2TKN, d.Pool2TKN)
	o.FlashWETH = pick(o.FlashWETH, d.FlashWETH)
	o.FlashTKN = pick(o.FlashTKN, d.FlashTKN)
	o.LendingWETH = pick(o.LendingWETH, d.LendingWETH)
	if o.FlashFeeBps == 0 {
		o.FlashFeeBps = d.FlashFeeBps
	}
	if o.TwapPeriod == 0 {
		o.TwapPeriod = d.TwapPeriod
	}
	if o.TwapMaxAge == 0 {
		o.TwapMaxAge = d.TwapMaxAge
	}
	return o
}

// Testbed is the deployed core testbed. Every contract is bound with its
// full ABI (artifact of the same name).
type Testbed struct {
	// Deployer deployed everything, owns every Guarded protocol and TKN, and
	// is the initial LP and lender.
	Deployer chain.Account
	// Guardian can pause FlashPool, LendingSpot and LendingTWAP.
	Guardian chain.Account
	// Options are the sizes the testbed was deployed with.
	Options Options

	// WETH is WETH9.
	WETH *chain.Contract
	// TKN is the project token (MintableToken "Aegis Token", 18 decimals).
	TKN *chain.Contract

	// AMM is the main exchange (AMMFactory + AMMRouter); the oracles read
	// its pair.
	AMM *AMM
	// Pair is AMM's TKN/WETH AMMPair.
	Pair *chain.Contract
	// AMM2 is the second, independent exchange with the same token pair.
	AMM2 *AMM
	// Pair2 is AMM2's TKN/WETH AMMPair.
	Pair2 *chain.Contract

	// FlashPool is the ERC-3156 FlashLoanPool holding WETH and TKN.
	FlashPool *chain.Contract

	// SpotOracle prices TKN from Pair's current reserves (manipulable).
	SpotOracle *chain.Contract
	// TwapOracle prices TKN from Pair's time-weighted average; keepers
	// call update(TKN) (see UpdateTwap).
	TwapOracle *chain.Contract

	// LendingSpot is the LendingMarket (WETH against TKN) priced by
	// SpotOracle: the vulnerable variant.
	LendingSpot *chain.Contract
	// LendingTWAP is the same market priced by TwapOracle: the safe variant.
	LendingTWAP *chain.Contract
}

// Named is one testbed contract with its role.
type Named struct {
	// Name is the testbed's name for it, e.g. "lending-spot".
	Name string
	// Artifact is the contract's artifact name, e.g. "LendingMarket".
	Artifact string
	// Contract is the bound contract.
	Contract *chain.Contract
	// Pausable reports whether it inherits Guarded (pause()/unpause()).
	Pausable bool
}

// Contracts lists every testbed contract, in deployment order.
func (t *Testbed) Contracts() []Named {
	return []Named{
		{"weth", "WETH9", t.WETH, false},
		{"tkn", "MintableToken", t.TKN, false},
		{"amm-factory", "AMMFactory", t.AMM.Factory, false},
		{"amm-router", "AMMRouter", t.AMM.Router, false},
		{"amm-pair", "AMMPair", t.Pair, false},
		{"amm2-factory", "AMMFactory", t.AMM2.Factory, false},
		{"amm2-router", "AMMRouter", t.AMM2.Router, false},
		{"amm2-pair", "AMMPair", t.Pair2, false},
		{"flash-pool", "FlashLoanPool", t.FlashPool, true},
		{"spot-oracle", "SpotOracle", t.SpotOracle, false},
		{"twap-oracle", "TwapOracle", t.TwapOracle, false},
		{"lending-spot", "LendingMarket", t.LendingSpot, true},
		{"lending-twap", "LendingMarket", t.LendingTWAP, true},
	}
}

// Lending returns the lending market priced by the given oracle kind.
func (t *Testbed) Lending(kind OracleKind) (*chain.Contract, error) {
	switch kind {
	case Spot:
		return t.LendingSpot, nil
	case TWAP:
		return t.LendingTWAP, nil
	}
	return nil, fmt.Errorf("testbed: unknown oracle kind %q", kind)
}

// Addresses maps each Contracts() name to its address.
func (t *Testbed) Addresses() map[string]common.Address {
	m := make(map[string]common.Address)
	for _, n := range t.Contracts() {
		m[n.Name] = n.Contract.Address
	}
	return m
}

// UpdateTwap is the keeper action: it calls TwapOracle.update(TKN) from
// keeper (a no-op on chain until the window has elapsed).
func (t *Testbed) UpdateTwap(ctx context.Context, keeper chain.Account) error {
	return updateTwap(ctx, keeper, t.TwapOracle, t.TKN.Address)
}

// Deploy deploys and funds the core testbed from deployer (who needs about
// 16,000 ETH with the default options), with guardian as the pause
// guardian of every Guarded protocol, and mines everything.
func Deploy(ctx context.Context, c *chain.Client, deployer, guardian chain.Account, opts Options) (*Testbed, error) {
	o := opts.withDefaults()
	tb := &Testbed{Deployer: deployer, Guardian: guardian, Options: o}
	var err error
	if tb.WETH, err = DeployWETH(ctx, c, deployer); err != nil {
		return nil, fmt.Errorf("testbed: %w", err)
	}
	if tb.TKN, err = DeployToken(ctx, c, deployer, "Aegis Token", "TKN", o.TokenSupply); err != nil {
		return nil, fmt.Errorf("testbed: %w", err)
	}
	needWETH := new(big.Int).Add(o.PoolWETH, o.Pool2WETH)
	needWETH.Add(needWETH, o.FlashWETH)
	needWETH.Add(needWETH, new(big.Int).Mul(o.LendingWETH, big.NewInt(2)))
	if err := WrapETH(ctx, deployer, tb.WETH, needWETH); err != nil {
		return nil, fmt.Errorf("testbed: %w", err)
	}

	if tb.AMM, err = DeployAMM(ctx, c, deployer, tb.WETH.Address); err != nil {
		return nil, fmt.Errorf("testbed: amm: %w", err)
	}
	if tb.Pair, err = tb.AMM.CreatePairWithLiquidity(ctx, deployer, tb.TKN, tb.WETH, o.PoolTKN, o.PoolWETH); err != nil {
		return nil, fmt.Errorf("testbed: amm pool: %w", err)
	}
	if tb.AMM2, err = DeployAMM(ctx, c, deployer, tb.WETH.Address); err != nil {
		return nil, fmt.Errorf("testbed: amm2: %w", err)
	}
	if tb.Pair2, err = tb.AMM2.CreatePairWithLiquidity(ctx, deployer, tb.TKN, tb.WETH, o.Pool2TKN, o.Pool2WETH); err != nil {
		return nil, fmt.Errorf("testbed: amm2 pool: %w", err)
	}

	if tb.FlashPool, err = DeployFlashPool(ctx, c, deployer, guardian.Address, o.FlashFeeBps); err != nil {
		return nil, fmt.Errorf("testbed: %w", err)
	}
	if err := FundFlashPool(ctx, deployer, tb.FlashPool, tb.WETH, o.FlashWETH); err != nil {
		return nil, fmt.Errorf("testbed: flash pool WETH: %w", err)
	}
	if err := FundFlashPool(ctx, deployer, tb.FlashPool, tb.TKN, o.FlashTKN); err != nil {
		return nil, fmt.Errorf("testbed: flash pool TKN: %w", err)
	}

	if tb.SpotOracle, err = DeploySpotOracle(ctx, c, deployer, tb.AMM.Factory.Address, tb.WETH.Address); err != nil {
		return nil, fmt.Errorf("testbed: %w", err)
	}
	if tb.TwapOracle, err = DeployTwapOracle(ctx, c, deployer, tb.AMM.Factory.Address, tb.WETH.Address, o.TwapPeriod, o.TwapMaxAge); err != nil {
		return nil, fmt.Errorf("testbed: %w", err)
	}
	if err := updateTwap(ctx, deployer, tb.TwapOracle, tb.TKN.Address); err != nil {
		return nil, fmt.Errorf("testbed: first TWAP observation: %w", err)
	}

	if tb.LendingSpot, err = DeployLending(ctx, c, deployer, guardian.Address, tb.WETH.Address, tb.TKN.Address, tb.SpotOracle.Address); err != nil {
		return nil, fmt.Errorf("testbed: spot lending: %w", err)
	}
	if tb.LendingTWAP, err = DeployLending(ctx, c, deployer, guardian.Address, tb.WETH.Address, tb.TKN.Address, tb.TwapOracle.Address); err != nil {
		return nil, fmt.Errorf("testbed: twap lending: %w", err)
	}
	if err := SupplyLending(ctx, deployer, tb.LendingSpot, tb.WETH, o.LendingWETH); err != nil {
		return nil, fmt.Errorf("testbed: supply spot lending: %w", err)
	}
	if err := SupplyLending(ctx, deployer, tb.LendingTWAP, tb.WETH, o.LendingWETH); err != nil {
		return nil, fmt.Errorf("testbed: supply twap lending: %w", err)
	}
	// By now several blocks have passed since the first observation; this
	// waits out the rest of the window (if any) and stores the first average.
	if err := WarmTwap(ctx, c, deployer, tb.TwapOracle, tb.TKN); err != nil {
		return nil, fmt.Errorf("testbed: %w", err)
	}
	return tb, nil
}
