package tokentestbed

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testbed"
)

// Trade is the outcome of a Buy, Sell or Transfer.
type Trade struct {
	// In is what the trader gave: wei of ETH for a buy, token units for a
	// sell or transfer.
	In *big.Int
	// Quoted is what a tax-free token would have returned at the
	// pre-trade reserves (tokens for a buy, WETH for a sell; In for a
	// transfer).
	Quoted *big.Int
	// Out is what arrived: tokens at the buyer, WETH at the seller, tokens
	// at the transfer's recipient.
	Out *big.Int
	// Tax is the measured tax in percent: the share of the tokens the pair
	// sent that did not reach the buyer (buy), of the tokens sent that did
	// not reach the pair (sell), or of a transfer that did not arrive.
	Tax float64
}

// taxPercent returns 100*(1-got/want).
func taxPercent(got, want *big.Int) float64 {
	if want.Sign() == 0 {
		return 0
	}
	g, _ := new(big.Float).SetInt(got).Float64()
	w, _ := new(big.Float).SetInt(want).Float64()
	return 100 * (1 - g/w)
}

// Buy swaps eth for t through the router (swapExactETHForTokens) from who
// and measures the tokens that arrived.
func (tb *Testbed) Buy(ctx context.Context, who chain.Account, t *Token, eth *big.Int) (Trade, error) {
	path := []common.Address{tb.WETH.Address, t.Address}
	res, err := tb.AMM.Router.Call(ctx, "getAmountsOut", eth, path)
	if err != nil {
		return Trade{}, fmt.Errorf("buy %s: quote: %w", t.Name, err)
	}
	amounts, ok := res[0].([]*big.Int)
	if !ok || len(amounts) != 2 {
		return Trade{}, fmt.Errorf("buy %s: getAmountsOut returned %T", t.Name, res[0])
	}
	before, err := t.Contract.CallBig(ctx, "balanceOf", who.Address)
	if err != nil {
		return Trade{}, fmt.Errorf("buy %s: %w", t.Name, err)
	}
	if _, err := tb.AMM.Router.TransactOpts(ctx, who, chain.TxOpts{Value: eth, GasLimit: 1_000_000}, "swapExactETHForTokens",
		new(big.Int), path, who.Address, testbed.Deadline()); err != nil {
		return Trade{}, fmt.Errorf("buy %s: %w", t.Name, err)
	}
	after, err := t.Contract.CallBig(ctx, "balanceOf", who.Address)
	if err != nil {
		return Trade{}, fmt.Errorf("buy %s: %w", t.Name, err)
	}
	got := new(big.Int).Sub(after, before)
	return Trade{In: eth, Quoted: amounts[1], Out: got, Tax: taxPercent(got, amounts[1])}, nil
}

// Reserves returns t's pool reserves: tokens and WETH.
func (tb *Testbed) Reserves(ctx context.Context, t *Token) (tokens, weth *big.Int, err error) {
	tokens, weth, _, err = tb.reserves(ctx, t)
	return tokens, weth, err
}

func (tb *Testbed) reserves(ctx context.Context, t *Token) (tok, weth *big.Int, tokenIs0 bool, err error) {
	t0, err := t.Pair.CallAddress(ctx, "token0")
	if err != nil {
		return nil, nil, false, fmt.Errorf("%s pair token0: %w", t.Name, err)
	}
	res, err := t.Pair.Call(ctx, "getReserves")
	if err != nil {
		return nil, nil, false, fmt.Errorf("%s pair getReserves: %w", t.Name, err)
	}
	r0, ok0 := res[0].(*big.Int)
	r1, ok1 := res[1].(*big.Int)
	if !ok0 || !ok1 {
		return nil, nil, false, fmt.Errorf("%s pair getReserves returned %T, %T", t.Name, res[0], res[1])
	}
	if t0 == t.Address {
		return r0, r1, true, nil
	}
	return r1, r0, false, nil
}

// Sell sells amount of t for WETH from who the way a wallet does: approve
// the swap router, then Router02's fee-on-transfer-safe
// swapExactTokensForTokensSupportingFeeOnTransferTokens, which pulls the
// tokens with transferFrom and pays what actually reached the pair. Tax is
// the share of amount that did not reach the pair. A sell that reverts
// (including one that delivers nothing, so the pair has nothing to pay)
// returns Tax 100 and an error wrapping chain.ErrReverted.
func (tb *Testbed) Sell(ctx context.Context, who chain.Account, t *Token, amount *big.Int) (Trade, error) {
	rTok, rWeth, _, err := tb.reserves(ctx, t)
	if err != nil {
		return Trade{}, fmt.Errorf("sell %s: reserves: %w", t.Name, err)
	}
	quoted, err := tb.SwapRouter.CallBig(ctx, "getAmountOut", amount, rTok, rWeth)
	if err != nil {
		return Trade{}, fmt.Errorf("sell %s: quote: %w", t.Name, err)
	}
	failed := Trade{In: amount, Quoted: quoted, Out: new(big.Int), Tax: 100}
	pairBefore, err := t.Contract.CallBig(ctx, "balanceOf", t.Pair.Address)
	if err != nil {
		return Trade{}, fmt.Errorf("sell %s: %w", t.Name, err)
	}
	wethBefore, err := tb.WETH.CallBig(ctx, "balanceOf", who.Address)
	if err != nil {
		return Trade{}, fmt.Errorf("sell %s: %w", t.Name, err)
	}
	if _, err := t.Contract.TransactOpts(ctx, who, chain.TxOpts{GasLimit: 300_000}, "approve", tb.SwapRouter.Address, amount); err != nil {
		return failed, fmt.Errorf("sell %s: approve: %w", t.Name, err)
	}
	path := []common.Address{t.Address, tb.WETH.Address}
	if _, err := tb.SwapRouter.TransactOpts(ctx, who, chain.TxOpts{GasLimit: 1_500_000},
		"swapExactTokensForTokensSupportingFeeOnTransferTokens", amount, new(big.Int), path, who.Address, testbed.Deadline()); err != nil {
		return failed, fmt.Errorf("sell %s: %w", t.Name, err)
	}
	pairAfter, err := t.Contract.CallBig(ctx, "balanceOf", t.Pair.Address)
	if err != nil {
		return Trade{}, fmt.Errorf("sell %s: %w", t.Name, err)
	}
	wethAfter, err := tb.WETH.CallBig(ctx, "balanceOf", who.Address)
	if err != nil {
		return Trade{}, fmt.Errorf("sell %s: %w", t.Name, err)
	}
	arrived := new(big.Int).Sub(pairAfter, pairBefore)
	out := new(big.Int).Sub(wethAfter, wethBefore)
	return Trade{In: amount, Quoted: quoted, Out: out, Tax: taxPercent(arrived, amount)}, nil
}

// Transfer sends amount of t from who to `to` and measures what arrived.
func (tb *Testbed) Transfer(ctx context.Context, who chain.Account, t *Token, to common.Address, amount *big.Int) (Trade, error) {
	before, err := t.Contract.CallBig(ctx, "balanceOf", to)
	if err != nil {
		return Trade{}, fmt.Errorf("transfer %s: %w", t.Name, err)
	}
	if _, err := t.Contract.TransactOpts(ctx, who, chain.TxOpts{GasLimit: 1_000_000}, "transfer", to, amount); err != nil {
		return Trade{}, fmt.Errorf("transfer %s: %w", t.Name, err)
	}
	after, err := t.Contract.CallBig(ctx, "balanceOf", to)
	if err != nil {
		return Trade{}, fmt.Errorf("transfer %s: %w", t.Name, err)
	}
	got := new(big.Int).Sub(after, before)
	return Trade{In: amount, Quoted: amount, Out: got, Tax: taxPercent(got, amount)}, nil
}
