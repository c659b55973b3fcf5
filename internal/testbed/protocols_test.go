package testbed_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testbed"
)

func TestSwapMatchesConstantProduct(t *testing.T) {
	env, tb := setup(t)
	ctx := context.Background()
	user := env.Accounts[2]
	must(t, testbed.WrapETH(ctx, user, tb.WETH, chain.Ether(100)))
	must(t, testbed.Approve(ctx, user, tb.WETH, tb.AMM.Router.Address, testbed.MaxUint256()))

	rW, rT := reserves(t, tb, tb.Pair)
	in := chain.Ether(10)
	want := amountOut(in, rW, rT)
	path := []common.Address{tb.WETH.Address, tb.TKN.Address}
	quoted, err := tb.AMM.Router.Call(ctx, "getAmountsOut", in, path)
	must(t, err)
	if q := quoted[0].([]*big.Int)[1]; q.Cmp(want) != 0 {
		t.Fatalf("getAmountsOut = %s, formula %s", q, want)
	}
	// Slippage protection: one wei above the achievable output reverts.
	_, err = tb.AMM.Router.Transact(ctx, user, "swapExactTokensForTokens", in, new(big.Int).Add(want, big.NewInt(1)), path, user.Address, testbed.Deadline())
	mustRevert(t, err, "InsufficientOutputAmount")
	// An expired deadline reverts.
	_, err = tb.AMM.Router.Transact(ctx, user, "swapExactTokensForTokens", in, want, path, user.Address, big.NewInt(1))
	mustRevert(t, err, "Expired")

	_, err = tb.AMM.Router.Transact(ctx, user, "swapExactTokensForTokens", in, want, path, user.Address, testbed.Deadline())
	must(t, err)
	if got := bal(t, tb.TKN, user.Address); got.Cmp(want) != 0 {
		t.Fatalf("received %s TKN, want %s", got, want)
	}
	w2, t2 := reserves(t, tb, tb.Pair)
	if w2.Cmp(new(big.Int).Add(rW, in)) != 0 || t2.Cmp(new(big.Int).Sub(rT, want)) != 0 {
		t.Fatalf("reserves after = %s/%s", w2, t2)
	}
	// 10 WETH into 1000/100000 at 0.3% fee: 987.158034397061298850 TKN.
	if want.String() != "987158034397061298850" {
		t.Fatalf("amount out = %s", want)
	}
	t.Logf("10 WETH -> %s TKN", want)

	// Exact-out: buying exactly 500 TKN costs getAmountIn.
	out := chain.Ether(500)
	num := new(big.Int).Mul(new(big.Int).Mul(w2, out), big.NewInt(1000))
	den := new(big.Int).Mul(new(big.Int).Sub(t2, out), big.NewInt(997))
	wantIn := num.Quo(num, den)
	wantIn.Add(wantIn, big.NewInt(1))
	before := bal(t, tb.WETH, user.Address)
	_, err = tb.AMM.Router.Transact(ctx, user, "swapTokensForExactTokens", out, chain.Ether(100), path, user.Address, testbed.Deadline())
	must(t, err)
	if spent := new(big.Int).Sub(before, bal(t, tb.WETH, user.Address)); spent.Cmp(wantIn) != 0 {
		t.Fatalf("exact-out spent %s, want %s", spent, wantIn)
	}

	// ETH variants: swap 1 ETH in, then the TKN back out for ETH.
	_, err = tb.AMM.Router.TransactValue(ctx, user, chain.Ether(1), "swapExactETHForTokens", big.NewInt(0), path, user.Address, testbed.Deadline())
	must(t, err)
	must(t, testbed.Approve(ctx, user, tb.TKN, tb.AMM.Router.Address, testbed.MaxUint256()))
	_, err = tb.AMM.Router.Transact(ctx, user, "swapExactTokensForETH", chain.Ether(100), big.NewInt(0), []common.Address{tb.TKN.Address, tb.WETH.Address}, user.Address, testbed.Deadline())
	must(t, err)
}

func TestLiquidityAddRemove(t *testing.T) {
	env, tb := setup(t)
	ctx := context.Background()
	lp := env.Accounts[2]
	must(t, testbed.Approve(ctx, tb.Deployer, tb.TKN, lp.Address, big.NewInt(0)))
	_, err := tb.TKN.Transact(ctx, tb.Deployer, "transfer", lp.Address, chain.Ether(1_000))
	must(t, err)
	must(t, testbed.Approve(ctx, lp, tb.TKN, tb.AMM.Router.Address, testbed.MaxUint256()))
	_, err = tb.AMM.Router.TransactValue(ctx, lp, chain.Ether(20), "addLiquidityETH", tb.TKN.Address, chain.Ether(1_000), big.NewInt(0), big.NewInt(0), lp.Address, testbed.Deadline())
	must(t, err)
	lpBal := bal(t, tb.Pair, lp.Address)
	if lpBal.Sign() == 0 {
		t.Fatal("no LP tokens minted")
	}
	// 1000 TKN matches 10 WETH at 0.01; the other 10 ETH is refunded.
	if got := bal(t, tb.TKN, lp.Address); got.Sign() != 0 {
		t.Fatalf("TKN left = %s", got)
	}
	must(t, testbed.Approve(ctx, lp, tb.Pair, tb.AMM.Router.Address, testbed.MaxUint256()))
	_, err = tb.AMM.Router.Transact(ctx, lp, "removeLiquidityETH", tb.TKN.Address, lpBal, big.NewInt(0), big.NewInt(0), lp.Address, testbed.Deadline())
	must(t, err)
	if got := bal(t, tb.TKN, lp.Address); got.Cmp(chain.Wei("999.99")) < 0 {
		t.Fatalf("TKN back = %s", got)
	}
}

func TestFlashSwapAndFlashLoan(t *testing.T) {
	env, tb := setup(t)
	ctx := context.Background()
	user := env.Accounts[2]
	mock, err := testbed.DeployContract(ctx, env.Client, user, "FlashBorrowerMock")
	must(t, err)
	// Fund the mock with fees.
	must(t, testbed.WrapETH(ctx, user, tb.WETH, chain.Ether(50)))
	_, err = tb.WETH.Transact(ctx, user, "transfer", mock.Address, chain.Ether(50))
	must(t, err)
	const (
		repay uint8 = iota
		noRepay
		wrongReturn
	)

	// ERC-3156: 1,000 WETH at 0.09% costs exactly 0.9 WETH.
	poolBefore := bal(t, tb.WETH, tb.FlashPool.Address)
	fee, err := tb.FlashPool.CallBig(ctx, "flashFee", tb.WETH.Address, chain.Ether(1_000))
	must(t, err)
	if fee.Cmp(chain.Wei("0.9")) != 0 {
		t.Fatalf("flashFee = %s", fee)
	}
	_, err = mock.Transact(ctx, user, "flashLoan", tb.FlashPool.Address, tb.WETH.Address, chain.Ether(1_000), repay)
	must(t, err)
	if got := new(big.Int).Sub(bal(t, tb.WETH, tb.FlashPool.Address), poolBefore); got.Cmp(fee) != 0 {
		t.Fatalf("pool gained %s, want fee %s", got, fee)
	}
	_, err = mock.Transact(ctx, user, "flashLoan", tb.FlashPool.Address, tb.WETH.Address, chain.Ether(1_000), noRepay)
	mustRevert(t, err, "InsufficientAllowance")
	_, err = mock.Transact(ctx, user, "flashLoan", tb.FlashPool.Address, tb.WETH.Address, chain.Ether(1_000), wrongReturn)
	mustRevert(t, err, "CallbackFailed")
	_, err = mock.Transact(ctx, user, "flashLoan", tb.FlashPool.Address, tb.WETH.Address, chain.Ether(20_000), repay)
	mustRevert(t, err, "InvalidAmount")

	// Flash swap: borrow 100 WETH from the pair and repay it plus the fee.
	t0, err := tb.Pair.CallAddress(ctx, "token0")
	must(t, err)
	out0, out1 := big.NewInt(0), chain.Ether(100)
	if t0 == tb.WETH.Address {
		out0, out1 = out1, out0
	}
	kBefore := func() *big.Int { w, k := reserves(t, tb, tb.Pair); return new(big.Int).Mul(w, k) }
	k0 := kBefore()
	_, err = mock.Transact(ctx, user, "flashSwap", tb.Pair.Address, out0, out1, repay)
	must(t, err)
	if kBefore().Cmp(k0) <= 0 {
		t.Fatal("flash swap fee did not grow k")
	}
	_, err = mock.Transact(ctx, user, "flashSwap", tb.Pair.Address, out0, out1, noRepay)
	mustRevert(t, err, "")
}

func TestTwapResistsSameBlockManipulation(t *testing.T) {
	env, tb := setup(t)
	ctx := context.Background()
	whale := env.Accounts[2]
	must(t, testbed.WrapETH(ctx, whale, tb.WETH, chain.Ether(5_000)))
	must(t, testbed.Approve(ctx, whale, tb.WETH, tb.AMM.Router.Address, testbed.MaxUint256()))
	spot0, err := tb.SpotOracle.CallBig(ctx, "price", tb.TKN.Address)
	must(t, err)
	twap0, err := tb.TwapOracle.CallBig(ctx, "price", tb.TKN.Address)
	must(t, err)
	// Let the TWAP window elapse so that the keeper's update in the
	// manipulation block really stores a new average.
	for range 6 {
		must(t, env.Commit(ctx))
	}
	// One block: the whale pumps TKN with 5,000 WETH, then the keeper updates.
	path := []common.Address{tb.WETH.Address, tb.TKN.Address}
	swap, err := tb.AMM.Router.Send(ctx, whale, chain.TxOpts{GasLimit: 1_000_000}, "swapExactTokensForTokens", chain.Ether(5_000), big.NewInt(0), path, whale.Address, testbed.Deadline())
	must(t, err)
	upd, err := tb.TwapOracle.Send(ctx, tb.Deployer, chain.TxOpts{GasLimit: 1_000_000}, "update", tb.TKN.Address)
	must(t, err)
	must(t, env.Commit(ctx))
	r1, err := env.Client.WaitMined(ctx, swap)
	must(t, err)
	r2, err := env.Client.WaitMined(ctx, upd)
	must(t, err)
	if r1.BlockNumber.Cmp(r2.BlockNumber) != 0 || len(r2.Logs) == 0 {
		t.Fatalf("swap in block %s, update in %s with %d logs", r1.BlockNumber, r2.BlockNumber, len(r2.Logs))
	}
	spot1, err := tb.SpotOracle.CallBig(ctx, "price", tb.TKN.Address)
	must(t, err)
	twap1, err := tb.TwapOracle.CallBig(ctx, "price", tb.TKN.Address)
	must(t, err)
	t.Logf("spot %s -> %s, twap %s -> %s", spot0, spot1, twap0, twap1)
	if new(big.Int).Mul(spot0, big.NewInt(10)).Cmp(spot1) > 0 {
		t.Fatalf("spot price only moved %s -> %s", spot0, spot1)
	}
	diff := new(big.Int).Abs(new(big.Int).Sub(twap1, twap0))
	if diff.Mul(diff, big.NewInt(10_000)).Cmp(twap0) > 0 {
		t.Fatalf("TWAP moved %s -> %s in the manipulation block", twap0, twap1)
	}
}

func TestLendingBorrowRepayLiquidate(t *testing.T) {
	env, tb := setup(t)
	ctx := context.Background()
	m := tb.LendingSpot
	borrower, liquidator, whale := env.Accounts[2], env.Accounts[3], env.Accounts[4]
	_, err := tb.TKN.Transact(ctx, tb.Deployer, "transfer", borrower.Address, chain.Ether(10_000))
	must(t, err)
	must(t, testbed.Approve(ctx, borrower, tb.TKN, m.Address, testbed.MaxUint256()))
	must(t, testbed.Approve(ctx, borrower, tb.WETH, m.Address, testbed.MaxUint256()))
	_, err = m.Transact(ctx, borrower, "deposit", chain.Ether(10_000))
	must(t, err)
	// 10,000 TKN at 0.01 = 100 WETH; 75% collateral factor: limit 75 WETH.
	limit, err := m.CallBig(ctx, "borrowLimit", borrower.Address)
	must(t, err)
	if limit.Cmp(chain.Ether(75)) != 0 {
		t.Fatalf("borrow limit = %s", limit)
	}
	_, err = m.Transact(ctx, borrower, "borrow", chain.Wei("75.000000000000000001"))
	mustRevert(t, err, "InsufficientCollateral")
	_, err = m.Transact(ctx, borrower, "borrow", chain.Ether(70))
	must(t, err)
	debt0, err := m.CallBig(ctx, "borrowBalance", borrower.Address)
	must(t, err)
	for range 5 {
		must(t, env.Commit(ctx))
	}
	_, err = m.Transact(ctx, borrower, "accrueInterest")
	must(t, err)
	debt1, err := m.CallBig(ctx, "borrowBalance", borrower.Address)
	must(t, err)
	if debt1.Cmp(debt0) <= 0 {
		t.Fatalf("no interest: %s -> %s", debt0, debt1)
	}
	t.Logf("debt %s -> %s after 6+ seconds", debt0, debt1)
	// Withdrawing collateral below the limit reverts.
	_, err = m.Transact(ctx, borrower, "withdraw", chain.Ether(1_000))
	mustRevert(t, err, "InsufficientCollateral")

	// Healthy positions cannot be liquidated.
	must(t, testbed.WrapETH(ctx, liquidator, tb.WETH, chain.Ether(100)))
	must(t, testbed.Approve(ctx, liquidator, tb.WETH, m.Address, testbed.MaxUint256()))
	_, err = m.Transact(ctx, liquidator, "liquidate", borrower.Address, chain.Ether(10))
	mustRevert(t, err, "PositionHealthy")

	// A whale dumps TKN: the price falls ~20%, the position goes under water.
	_, err = tb.TKN.Transact(ctx, tb.Deployer, "transfer", whale.Address, chain.Ether(12_000))
	must(t, err)
	must(t, testbed.Approve(ctx, whale, tb.TKN, tb.AMM.Router.Address, testbed.MaxUint256()))
	_, err = tb.AMM.Router.Transact(ctx, whale, "swapExactTokensForTokens", chain.Ether(12_000), big.NewInt(0), []common.Address{tb.TKN.Address, tb.WETH.Address}, whale.Address, testbed.Deadline())
	must(t, err)
	hf, err := m.CallBig(ctx, "healthFactor", borrower.Address)
	must(t, err)
	if hf.Cmp(chain.Ether(1)) >= 0 {
		t.Fatalf("health factor %s still >= 1", hf)
	}
	_, err = m.Transact(ctx, liquidator, "liquidate", borrower.Address, chain.Ether(40))
	mustRevert(t, err, "RepayTooMuch")
	price, err := tb.SpotOracle.CallBig(ctx, "price", tb.TKN.Address)
	must(t, err)
	repayAmt := chain.Ether(20)
	_, err = m.Transact(ctx, liquidator, "liquidate", borrower.Address, repayAmt)
	must(t, err)
	seized := bal(t, tb.TKN, liquidator.Address)
	wantSeized := new(big.Int).Mul(repayAmt, big.NewInt(10_500))
	wantSeized.Quo(wantSeized, big.NewInt(10_000))
	wantSeized.Mul(wantSeized, chain.Ether(1))
	wantSeized.Quo(wantSeized, price)
	if seized.Cmp(wantSeized) != 0 {
		t.Fatalf("seized %s TKN, want %s", seized, wantSeized)
	}
	t.Logf("liquidated 20 WETH at price %s: seized %s TKN", price, seized)

	// The borrower repays the rest; the debt is gone and collateral can leave.
	_, err = m.Transact(ctx, borrower, "borrow", chain.Wei("0.000000001")) // still unhealthy: reverts
	mustRevert(t, err, "InsufficientCollateral")
	must(t, testbed.WrapETH(ctx, borrower, tb.WETH, chain.Ether(60)))
	_, err = m.Transact(ctx, borrower, "repay", borrower.Address, testbed.MaxUint256())
	must(t, err)
	if d, err := m.CallBig(ctx, "borrowBalance", borrower.Address); err != nil || d.Sign() != 0 {
		t.Fatalf("debt after full repay = %v (%v)", d, err)
	}
	coll, err := m.CallBig(ctx, "collateralOf", borrower.Address)
	must(t, err)
	_, err = m.Transact(ctx, borrower, "withdraw", coll)
	must(t, err)

	// Lenders earned the interest: the exchange rate is above 1.
	rate, err := m.CallBig(ctx, "exchangeRate")
	must(t, err)
	if rate.Cmp(chain.Ether(1)) <= 0 {
		t.Fatalf("exchange rate %s", rate)
	}
}

func TestPauseBlocksValueMovement(t *testing.T) {
	env, tb := setup(t)
	ctx := context.Background()
	user := env.Accounts[2]
	must(t, testbed.WrapETH(ctx, user, tb.WETH, chain.Ether(10)))
	must(t, testbed.Approve(ctx, user, tb.WETH, tb.LendingSpot.Address, testbed.MaxUint256()))
	must(t, testbed.Approve(ctx, user, tb.WETH, tb.FlashPool.Address, testbed.MaxUint256()))

	for _, k := range []*chain.Contract{tb.LendingSpot, tb.FlashPool} {
		_, err := k.Transact(ctx, user, "pause")
		mustRevert(t, err, "NotGuardianOrOwner")
		_, err = k.Transact(ctx, user, "setGuardian", user.Address)
		mustRevert(t, err, "NotOwner")
	}
	_, err := tb.LendingSpot.Transact(ctx, tb.Guardian, "pause")
	must(t, err)
	_, err = tb.FlashPool.Transact(ctx, tb.Deployer, "pause")
	must(t, err)
	_, err = tb.LendingSpot.Transact(ctx, user, "supply", chain.Ether(1))
	mustRevert(t, err, "EnforcedPause")
	_, err = tb.LendingSpot.Transact(ctx, user, "borrow", chain.Ether(1))
	mustRevert(t, err, "EnforcedPause")
	_, err = tb.FlashPool.Transact(ctx, user, "deposit", tb.WETH.Address, chain.Ether(1))
	mustRevert(t, err, "EnforcedPause")
	if m, err := tb.FlashPool.CallBig(ctx, "maxFlashLoan", tb.WETH.Address); err != nil || m.Sign() != 0 {
		t.Fatalf("maxFlashLoan while paused = %v (%v)", m, err)
	}
	// The unpaused twin keeps working.
	_, err = tb.LendingTWAP.Transact(ctx, user, "supply", chain.Ether(1))
	mustRevert(t, err, "InsufficientAllowance")
	_, err = tb.LendingSpot.Transact(ctx, tb.Guardian, "unpause")
	must(t, err)
	_, err = tb.LendingSpot.Transact(ctx, user, "supply", chain.Ether(1))
	must(t, err)
}
