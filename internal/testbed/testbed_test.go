package testbed_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testbed"
	"github.com/aegis-defi/aegis/internal/testchain"
)

func setup(t *testing.T) (*testchain.Env, *testbed.Testbed) {
	t.Helper()
	env := testchain.New(t)
	start := time.Now()
	tb, err := testbed.Deploy(context.Background(), env.Client, env.Accounts[0], env.Accounts[1], testbed.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("testbed deployed in %s", time.Since(start).Round(time.Millisecond))
	return env, tb
}

func bal(t *testing.T, token *chain.Contract, who common.Address) *big.Int {
	t.Helper()
	v, err := token.CallBig(context.Background(), "balanceOf", who)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func mustRevert(t *testing.T, err error, reason string) {
	t.Helper()
	if !errors.Is(err, chain.ErrReverted) {
		t.Fatalf("err = %v, want a revert", err)
	}
	if reason == "" {
		return
	}
	msg := err.Error()
	var re *chain.RevertError
	if errors.As(err, &re) {
		msg += " " + contracts.RevertReason(re.Data)
	}
	if !strings.Contains(msg, reason) {
		t.Fatalf("err = %s, want reason %q", msg, reason)
	}
}

// reserves returns (wethReserve, tknReserve) of pair.
func reserves(t *testing.T, tb *testbed.Testbed, pair *chain.Contract) (*big.Int, *big.Int) {
	t.Helper()
	ctx := context.Background()
	out, err := pair.Call(ctx, "getReserves")
	must(t, err)
	t0, err := pair.CallAddress(ctx, "token0")
	must(t, err)
	r0, r1 := out[0].(*big.Int), out[1].(*big.Int)
	if t0 == tb.WETH.Address {
		return r0, r1
	}
	return r1, r0
}

// amountOut is the constant-product formula with the 0.3% fee.
func amountOut(in, rIn, rOut *big.Int) *big.Int {
	inFee := new(big.Int).Mul(in, big.NewInt(997))
	num := new(big.Int).Mul(inFee, rOut)
	den := new(big.Int).Add(new(big.Int).Mul(rIn, big.NewInt(1000)), inFee)
	return num.Quo(num, den)
}

func TestDeploy(t *testing.T) {
	_, tb := setup(t)
	ctx := context.Background()
	w, k := reserves(t, tb, tb.Pair)
	if w.Cmp(chain.Ether(1_000)) != 0 || k.Cmp(chain.Ether(100_000)) != 0 {
		t.Fatalf("main pool reserves = %s WETH / %s TKN", w, k)
	}
	spot, err := tb.SpotOracle.CallBig(ctx, "price", tb.TKN.Address)
	must(t, err)
	twap, err := tb.TwapOracle.CallBig(ctx, "price", tb.TKN.Address)
	must(t, err)
	want := chain.Wei("0.01")
	if spot.Cmp(want) != 0 {
		t.Fatalf("spot price = %s, want %s", spot, want)
	}
	// UQ112x112 truncation may lose a few wei.
	if d := new(big.Int).Sub(want, twap); d.Sign() < 0 || d.Cmp(big.NewInt(1_000)) > 0 {
		t.Fatalf("twap price = %s, want ~%s", twap, want)
	}
	for _, m := range []*chain.Contract{tb.LendingSpot, tb.LendingTWAP} {
		cash, err := m.CallBig(ctx, "getCash")
		must(t, err)
		if cash.Cmp(chain.Ether(2_000)) != 0 {
			t.Fatalf("lending cash = %s", cash)
		}
	}
	if got := bal(t, tb.WETH, tb.FlashPool.Address); got.Cmp(chain.Ether(10_000)) != 0 {
		t.Fatalf("flash pool WETH = %s", got)
	}
	if len(tb.Addresses()) != len(tb.Contracts()) {
		t.Fatal("duplicate testbed names")
	}
}
