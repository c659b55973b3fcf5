package testbed

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/chain"
)

// farDeadline is the swap/liquidity deadline the testbed passes to routers:
// 2100-01-01, constant so calldata is reproducible.
const farDeadline = 4_102_444_800

// Deadline returns the far-future router deadline the testbed uses.
func Deadline() *big.Int { return big.NewInt(farDeadline) }

// MaxUint256 returns 2**256-1, the "infinite" ERC-20 allowance.
func MaxUint256() *big.Int { return new(big.Int).Set(abi.MaxUint256) }

// DeployContract deploys the artifact `name` from `from` with constructor
// args and returns it bound with its ABI.
func DeployContract(ctx context.Context, c *chain.Client, from chain.Account, name string, args ...any) (*chain.Contract, error) {
	return DeployContractValue(ctx, c, from, nil, name, args...)
}

// DeployContractValue is DeployContract with ETH sent to a payable constructor.
func DeployContractValue(ctx context.Context, c *chain.Client, from chain.Account, value *big.Int, name string, args ...any) (*chain.Contract, error) {
	art, err := contracts.Load(name)
	if err != nil {
		return nil, fmt.Errorf("deploy %s: %w", name, err)
	}
	if !art.Deployable() {
		return nil, fmt.Errorf("deploy %s: %s has no creation code (%s)", name, name, art.Kind)
	}
	k, _, err := c.DeployValue(ctx, from, value, art.ABI, art.Bytecode, args...)
	if err != nil {
		return nil, fmt.Errorf("deploy %s: %w", name, err)
	}
	return k, nil
}

// Bind binds the contract at addr with the ABI of artifact `name` (an
// interface artifact such as "IERC20" works too).
func Bind(c *chain.Client, name string, addr common.Address) (*chain.Contract, error) {
	art, err := contracts.Load(name)
	if err != nil {
		return nil, fmt.Errorf("bind %s at %s: %w", name, addr, err)
	}
	return c.Bind(addr, art.ABI), nil
}

// call sends method on k from `from` and names the contract in errors.
func call(ctx context.Context, from chain.Account, k *chain.Contract, label, method string, args ...any) error {
	if _, err := k.Transact(ctx, from, method, args...); err != nil {
		return fmt.Errorf("%s.%s: %w", label, method, err)
	}
	return nil
}

// DeployWETH deploys WETH9.
func DeployWETH(ctx context.Context, c *chain.Client, from chain.Account) (*chain.Contract, error) {
	return DeployContract(ctx, c, from, "WETH9")
}

// WrapETH deposits amount ETH of `from` into weth.
func WrapETH(ctx context.Context, from chain.Account, weth *chain.Contract, amount *big.Int) error {
	if _, err := weth.TransactValue(ctx, from, amount, "deposit"); err != nil {
		return fmt.Errorf("WETH9.deposit %s wei: %w", amount, err)
	}
	return nil
}

// DeployToken deploys a MintableToken (18 decimals, owned by `from`, no
// tax, trading on) with supply minted to `from`.
func DeployToken(ctx context.Context, c *chain.Client, from chain.Account, name, symbol string, supply *big.Int) (*chain.Contract, error) {
	return DeployContract(ctx, c, from, "MintableToken", name, symbol, supply)
}

// DeployFixedToken deploys a FixedSupplyToken (no owner, no mint) with
// supply minted to `from`.
func DeployFixedToken(ctx context.Context, c *chain.Client, from chain.Account, name, symbol string, supply *big.Int) (*chain.Contract, error) {
	return DeployContract(ctx, c, from, "FixedSupplyToken", name, symbol, supply)
}

// Approve sets an allowance of amount for spender on token from `from`.
func Approve(ctx context.Context, from chain.Account, token *chain.Contract, spender common.Address, amount *big.Int) error {
	if _, err := token.Transact(ctx, from, "approve", spender, amount); err != nil {
		return fmt.Errorf("approve %s on token %s: %w", spender, token.Address, err)
	}
	return nil
}

// AMM is one Uniswap-V2-style exchange: a factory and its router.
type AMM struct {
	Factory *chain.Contract
	Router  *chain.Contract
	c       *chain.Client
}

// DeployAMM deploys an AMMFactory and an AMMRouter for it over weth.
func DeployAMM(ctx context.Context, c *chain.Client, from chain.Account, weth common.Address) (*AMM, error) {
	f, err := DeployContract(ctx, c, from, "AMMFactory")
	if err != nil {
		return nil, err
	}
	r, err := DeployContract(ctx, c, from, "AMMRouter", f.Address, weth)
	if err != nil {
		return nil, err
	}
	return &AMM{Factory: f, Router: r, c: c}, nil
}

// Pair returns the AMMPair of tokenA/tokenB, or an error if none exists.
func (a *AMM) Pair(ctx context.Context, tokenA, tokenB common.Address) (*chain.Contract, error) {
	p, err := a.Factory.CallAddress(ctx, "getPair", tokenA, tokenB)
	if err != nil {
		return nil, fmt.Errorf("AMMFactory.getPair: %w", err)
	}
	if p == (common.Address{}) {
		return nil, fmt.Errorf("AMMFactory %s has no %s/%s pair", a.Factory.Address, tokenA, tokenB)
	}
	return Bind(a.c, "AMMPair", p)
}

// CreatePairWithLiquidity approves the router and adds amountA of tokenA
// and amountB of tokenB from `from` (creating the pair), minting the LP
// tokens to `from`. It returns the pair.
func (a *AMM) CreatePairWithLiquidity(ctx context.Context, from chain.Account, tokenA, tokenB *chain.Contract, amountA, amountB *big.Int) (*chain.Contract, error) {
	if err := Approve(ctx, from, tokenA, a.Router.Address, amountA); err != nil {
		return nil, err
	}
	if err := Approve(ctx, from, tokenB, a.Router.Address, amountB); err != nil {
		return nil, err
	}
	if _, err := a.Router.Transact(ctx, from, "addLiquidity", tokenA.Address, tokenB.Address, amountA, amountB,
		amountA, amountB, from.Address, Deadline()); err != nil {
		return nil, fmt.Errorf("AMMRouter.addLiquidity: %w", err)
	}
	return a.Pair(ctx, tokenA.Address, tokenB.Address)
}

// DeployFlashPool deploys a FlashLoanPool guarded by guardian with a fee
// of feeBps basis points.
func DeployFlashPool(ctx context.Context, c *chain.Client, from chain.Account, guardian common.Address, feeBps int64) (*chain.Contract, error) {
	return DeployContract(ctx, c, from, "FlashLoanPool", guardian, big.NewInt(feeBps))
}

// FundFlashPool approves and deposits amount of token into pool from `from`.
func FundFlashPool(ctx context.Context, from chain.Account, pool, token *chain.Contract, amount *big.Int) error {
	if err := Approve(ctx, from, token, pool.Address, amount); err != nil {
		return err
	}
	return call(ctx, from, pool, "FlashLoanPool", "deposit", token.Address, amount)
}

// OracleKind selects the price oracle behind a lending market.
type OracleKind string

// The two oracle kinds, i.e. the two lending-market variants.
const (
	// Spot prices collateral from the pair's current reserves (vulnerable).
	Spot OracleKind = "spot"
	// TWAP prices collateral from a time-weighted average (safe).
	TWAP OracleKind = "twap"
)

// DeploySpotOracle deploys a SpotOracle over factory's token/WETH pairs.
func DeploySpotOracle(ctx context.Context, c *chain.Client, from chain.Account, factory, weth common.Address) (*chain.Contract, error) {
	return DeployContract(ctx, c, from, "SpotOracle", factory, weth)
}

// DeployTwapOracle deploys a TwapOracle with the given window and maximum
// age in seconds (maxAge 0: never stale).
func DeployTwapOracle(ctx context.Context, c *chain.Client, from chain.Account, factory, weth common.Address, period uint32, maxAge uint64) (*chain.Contract, error) {
	return DeployContract(ctx, c, from, "TwapOracle", factory, weth, period, maxAge)
}

// DeployLending deploys a LendingMarket lending asset against collateral,
// priced by oracle, guarded by guardian.
func DeployLending(ctx context.Context, c *chain.Client, from chain.Account, guardian, asset, collateral, oracle common.Address) (*chain.Contract, error) {
	return DeployContract(ctx, c, from, "LendingMarket", guardian, asset, collateral, oracle)
}

// SupplyLending approves and supplies amount of the market's asset from `from`.
func SupplyLending(ctx context.Context, from chain.Account, market, asset *chain.Contract, amount *big.Int) error {
	if err := Approve(ctx, from, asset, market.Address, amount); err != nil {
		return err
	}
	return call(ctx, from, market, "LendingMarket", "supply", amount)
}
