package attack

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/chain"
)

// exploitGas is the gas limit of every exploit transaction the scenarios in
// this package build: far above what any of them needs, so they can be
// signed before the transactions ahead of them are mined.
const exploitGas = 3_000_000

// deployNamed deploys the contract artifact `name` from `from` with
// constructor args.
func deployNamed(ctx context.Context, c *chain.Client, from chain.Account, name string, args ...any) (*chain.Contract, error) {
	return deployNamedValue(ctx, c, from, nil, name, args...)
}

// deployNamedValue is deployNamed with ETH sent to a payable constructor.
func deployNamedValue(ctx context.Context, c *chain.Client, from chain.Account, value *big.Int, name string, args ...any) (*chain.Contract, error) {
	art, err := contracts.Load(name)
	if err != nil {
		return nil, fmt.Errorf("load artifact %s: %w", name, err)
	}
	k, _, err := c.DeployValue(ctx, from, value, art.ABI, art.Bytecode, args...)
	if err != nil {
		return nil, fmt.Errorf("deploy %s: %w", name, err)
	}
	return k, nil
}

// bindNamed binds the contract at addr with the ABI of artifact `name`.
func bindNamed(c *chain.Client, name string, addr common.Address) (*chain.Contract, error) {
	art, err := contracts.Load(name)
	if err != nil {
		return nil, fmt.Errorf("load artifact %s: %w", name, err)
	}
	return c.Bind(addr, art.ABI), nil
}

// transact calls method on k from `from` and wraps failures with the step
// they belong to.
func transact(ctx context.Context, k *chain.Contract, from chain.Account, value *big.Int, step, method string, args ...any) error {
	if _, err := k.TransactOpts(ctx, from, chain.TxOpts{Value: value}, method, args...); err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}
	return nil
}

// buildCall signs, without sending, a call of method on k from `from` with
// the exploit gas limit.
func buildCall(ctx context.Context, c *chain.Client, from chain.Account, k *chain.Contract, value *big.Int, method string, args ...any) (*types.Transaction, error) {
	data, err := k.Pack(method, args...)
	if err != nil {
		return nil, err
	}
	tx, err := c.BuildTx(ctx, from, &k.Address, data, chain.TxOpts{Value: value, GasLimit: exploitGas})
	if err != nil {
		return nil, fmt.Errorf("build %s from %s: %w", method, from.Address, err)
	}
	return tx, nil
}

// sendETH transfers value wei from `from` to `to` and waits for it.
func sendETH(ctx context.Context, c *chain.Client, from chain.Account, to common.Address, value *big.Int) error {
	if _, err := c.Transact(ctx, from, &to, nil, chain.TxOpts{Value: value}); err != nil {
		return fmt.Errorf("send %s wei to %s: %w", value, to, err)
	}
	return nil
}

// ethBalance returns the ETH balance of addr at the latest block.
func ethBalance(ctx context.Context, c *chain.Client, addr common.Address) (*big.Int, error) {
	b, err := c.Backend().BalanceAt(ctx, addr, nil)
	if err != nil {
		return nil, fmt.Errorf("eth_getBalance %s: %w", addr, err)
	}
	return b, nil
}

// holdings is the ETH plus, when weth is not nil, the WETH balance of addr,
// in wei (WETH is redeemable 1:1 for ETH).
func holdings(ctx context.Context, c *chain.Client, weth *chain.Contract, addr common.Address) (*big.Int, error) {
	total, err := ethBalance(ctx, c, addr)
	if err != nil {
		return nil, err
	}
	if weth == nil {
		return total, nil
	}
	w, err := weth.CallBig(ctx, "balanceOf", addr)
	if err != nil {
		return nil, fmt.Errorf("WETH balance of %s: %w", addr, err)
	}
	return total.Add(total, w), nil
}

// feesPaid sums gasUsed × effectiveGasPrice over the receipts of those txs
// sent by `from` that have been mined; transactions never mined cost nothing.
func feesPaid(ctx context.Context, c *chain.Client, txs []*types.Transaction, from common.Address) (*big.Int, error) {
	total := new(big.Int)
	for _, tx := range txs {
		sender, err := types.Sender(c.Signer(), tx)
		if err != nil {
			return nil, fmt.Errorf("sender of %s: %w", tx.Hash(), err)
		}
		if sender != from {
			continue
		}
		r, err := c.Backend().TransactionReceipt(ctx, tx.Hash())
		if errors.Is(err, ethereum.NotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("eth_getTransactionReceipt %s: %w", tx.Hash(), err)
		}
		price := r.EffectiveGasPrice
		if price == nil {
			price = tx.GasPrice()
		}
		total.Add(total, new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), price))
	}
	return total, nil
}

// profitMeter measures an account's gain in ETH+WETH since a baseline,
// excluding the gas fees of the exploit transactions it sent: fees are read
// from the receipts and added back, so the figure is the value extracted
// from the victim, independent of the gas price.
type profitMeter struct {
	client  *chain.Client
	weth    *chain.Contract
	account common.Address
	start   *big.Int
}

// newProfitMeter records account's current ETH+WETH holdings as the
// baseline; weth may be nil for ETH-only scenarios.
func newProfitMeter(ctx context.Context, c *chain.Client, weth *chain.Contract, account common.Address) (*profitMeter, error) {
	start, err := holdings(ctx, c, weth, account)
	if err != nil {
		return nil, fmt.Errorf("baseline holdings: %w", err)
	}
	return &profitMeter{client: c, weth: weth, account: account, start: start}, nil
}

// profit is the holdings change since the baseline plus the fees the account
// paid for txs.
func (m *profitMeter) profit(ctx context.Context, txs []*types.Transaction) (*big.Int, error) {
	now, err := holdings(ctx, m.client, m.weth, m.account)
	if err != nil {
		return nil, err
	}
	fees, err := feesPaid(ctx, m.client, txs, m.account)
	if err != nil {
		return nil, err
	}
	d := new(big.Int).Sub(now, m.start)
	return d.Add(d, fees), nil
}

// balanceMeter measures how much ETH+WETH left a contract since a baseline.
type balanceMeter struct {
	client *chain.Client
	weth   *chain.Contract
	addr   common.Address
	start  *big.Int
}

// newBalanceMeter records addr's ETH+WETH as the baseline.
func newBalanceMeter(ctx context.Context, c *chain.Client, weth *chain.Contract, addr common.Address) (*balanceMeter, error) {
	start, err := holdings(ctx, c, weth, addr)
	if err != nil {
		return nil, fmt.Errorf("baseline holdings of %s: %w", addr, err)
	}
	return &balanceMeter{client: c, weth: weth, addr: addr, start: start}, nil
}

// loss is the baseline minus the current holdings.
func (m *balanceMeter) loss(ctx context.Context) (*big.Int, error) {
	now, err := holdings(ctx, m.client, m.weth, m.addr)
	if err != nil {
		return nil, err
	}
	return new(big.Int).Sub(m.start, now), nil
}

// deployWETH deploys a fresh WETH9.
func deployWETH(ctx context.Context, c *chain.Client, from chain.Account) (*chain.Contract, error) {
	return deployNamed(ctx, c, from, "WETH9")
}

// wrapAndApprove wraps amount ETH of each account into WETH and approves
// spender for it.
func wrapAndApprove(ctx context.Context, weth *chain.Contract, accounts []chain.Account, amount *big.Int, spender common.Address) error {
	for _, a := range accounts {
		if err := transact(ctx, weth, a, amount, "wrap ETH", "deposit"); err != nil {
			return err
		}
		if spender != (common.Address{}) {
			if err := transact(ctx, weth, a, nil, "approve WETH", "approve", spender, amount); err != nil {
				return err
			}
		}
	}
	return nil
}

// requireUsers checks the environment has at least n users.
func requireUsers(env *Env, n int) error {
	if env == nil || env.Client == nil {
		return errors.New("nil environment")
	}
	if len(env.Users) < n {
		return fmt.Errorf("scenario needs %d users, environment has %d", n, len(env.Users))
	}
	return nil
}
