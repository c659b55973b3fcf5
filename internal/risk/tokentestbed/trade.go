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

// reserves returns the pair's token and WETH reserves.
func (tb *Testbed) reserves(ctx context.Context, t *Token) (tok, weth *big.Int, tokenIs0 bool, err error) {
	t0, err := t.Pair.CallAddress(ctx, "token0")
	if err != nil {
		return nil, nil, false, err
	}
	res, err := t.Pair.Call(ctx, "getReserves")
	if err != nil {
		return nil, nil, false, err
	}
	r0, ok0 := res[0].(*big.Int)
	r1, ok1 := res[1].(*big.Int)
	if !ok0 || !ok1 {
		return nil, nil, false, fmt.Errorf("getReserves returned %T, %T", res[0], res[1])
	}
	if t0 == t.Address {
		return r0, r1, true, nil
	}
	return r1, r0, false, nil
}

// Sell sells amount of t from who the fee-on-transfer-safe way (as Uniswap
// V2's ...SupportingFeeOnTransferTokens): the tokens are transferred to
// the pair, then the pair is asked for the WETH that what actually arrived
// is worth. A transfer that reverts returns an error wrapping
// chain.ErrReverted; a transfer that delivers nothing returns Out = 0.
func (tb *Testbed) Sell(ctx context.Context, who chain.Account, t *Token, amount *big.Int) (Trade, error) {
	rTok, rWeth, tokenIs0, err := tb.reserves(ctx, t)
	if err != nil {
		return Trade{}, fmt.Errorf("sell %s: reserves: %w", t.Name, err)
	}
	quoted, err := tb.AMM.Router.CallBig(ctx, "getAmountOut", amount, rTok, rWeth)
	if err != nil {
		return Trade{}, fmt.Errorf("sell %s: quote: %w", t.Name, err)
	}
	before, err := t.Contract.CallBig(ctx, "balanceOf", t.Pair.Address)
	if err != nil {
		return Trade{}, fmt.Errorf("sell %s: %w", t.Name, err)
	}
	if _, err := t.Contract.TransactOpts(ctx, who, chain.TxOpts{GasLimit: 1_000_000}, "transfer", t.Pair.Address, amount); err != nil {
		return Trade{In: amount, Quoted: quoted, Out: new(big.Int), Tax: 100}, fmt.Errorf("sell %s: %w", t.Name, err)
	}
	after, err := t.Contract.CallBig(ctx, "balanceOf", t.Pair.Address)
	if err != nil {
		return Trade{}, fmt.Errorf("sell %s: %w", t.Name, err)
	}
	arrived := new(big.Int).Sub(after, before)
	tr := Trade{In: amount, Quoted: quoted, Out: new(big.Int), Tax: taxPercent(arrived, amount)}
	if arrived.Sign() <= 0 {
		return tr, nil
	}
	out, err := tb.AMM.Router.CallBig(ctx, "getAmountOut", arrived, rTok, rWeth)
	if err != nil {
		return tr, fmt.Errorf("sell %s: quote arrived: %w", t.Name, err)
	}
	if out.Sign() == 0 {
		return tr, nil
	}
	out0, out1 := new(big.Int), out
	if !tokenIs0 {
		out0, out1 = out, new(big.Int)
	}
	if _, err := t.Pair.TransactOpts(ctx, who, chain.TxOpts{GasLimit: 1_000_000}, "swap", out0, out1, who.Address, []byte{}); err != nil {
		return tr, fmt.Errorf("sell %s: pair swap: %w", t.Name, err)
	}
	tr.Out = out
	return tr, nil
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
