package pricing_test

import (
	"math"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/monitor/pricing"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

func eth(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestPricer(t *testing.T) {
	weth, tkn, pool := common.HexToAddress("0xe1"), common.HexToAddress("0xa1"), common.HexToAddress("0xb1")
	other := common.HexToAddress("0xc1")
	p := pricing.New(pricing.Config{WETH: []common.Address{weth},
		Pools: []pricing.Pool{{Address: pool, Token0: tkn, Token1: weth, Reserve0: eth(100_000), Reserve1: eth(1_000)}}})
	v, ok := p.ETHValue(common.Address{}, eth(3))
	near(t, "ETH", v, 3)
	if !ok {
		t.Error("ETH not priced")
	}
	v, _ = p.ETHValue(weth, eth(2))
	near(t, "WETH", v, 2)
	v, ok = p.ETHValue(tkn, eth(1_000))
	near(t, "TKN", v, 10)
	if !ok {
		t.Error("TKN not priced")
	}
	if _, ok := p.ETHValue(other, eth(1)); ok {
		t.Error("unknown token priced")
	}

	// A transaction pumping TKN ×100: the view values TKN at the price
	// before it; once observed as mined, the stored state follows.
	b0, b1 := eth(100_000), eth(1_000)
	pump := &txmodel.Tx{Stage: txmodel.StageMined, Status: txmodel.StatusSuccess, Pools: []txmodel.PoolMove{{
		Pool: pool, Protocol: txmodel.ProtocolUniswapV2, Token0: &tkn, Token1: &weth,
		Reserve0Before: b0, Reserve1Before: b1, Reserve0After: eth(10_000), Reserve1After: eth(10_000)}}}
	v, _ = p.ForTx(pump).ETHValue(tkn, eth(1_000))
	near(t, "TKN in the pumping tx", v, 10)
	p.Observe(pump)
	v, _ = p.ETHValue(tkn, eth(1_000))
	near(t, "TKN after the pump", v, 1_000)

	// A new WETH and pool are learned from a mined transaction.
	weth2, tok2, pool2 := common.HexToAddress("0xe2"), common.HexToAddress("0xa2"), common.HexToAddress("0xb2")
	learn := &txmodel.Tx{Stage: txmodel.StageMined, Status: txmodel.StatusSuccess,
		Logs: []*txmodel.Log{{Address: weth2, Kind: txmodel.KindWETHDeposit, Decoded: &txmodel.WETHDeposit{Wad: eth(1)}}},
		Pools: []txmodel.PoolMove{{Pool: pool2, Protocol: txmodel.ProtocolUniswapV2, Token0: &weth2, Token1: &tok2,
			Reserve0After: eth(50), Reserve1After: eth(500)}}}
	pending := *learn
	pending.Stage = txmodel.StagePending
	p.Observe(&pending)
	if p.IsWETH(weth2) {
		t.Error("learned from a pending tx")
	}
	p.Observe(learn)
	v, ok = p.ETHValue(tok2, eth(10))
	near(t, "learned token", v, 1)
	if !ok || !p.IsWETH(weth2) {
		t.Error("WETH2/pool2 not learned")
	}
	// Shallow pools are ignored.
	tok3, pool3 := common.HexToAddress("0xa3"), common.HexToAddress("0xb3")
	p.SetPool(pricing.Pool{Address: pool3, Token0: tok3, Token1: weth, Reserve0: eth(1), Reserve1: big.NewInt(1e15)})
	if _, ok := p.ETHValue(tok3, eth(1)); ok {
		t.Error("shallow pool used")
	}
	if _, ok := p.ETHValue(tkn, nil); ok {
		t.Error("nil amount priced")
	}
}

// TestPricerRoutes: a token with no WETH pool is valued through the pool
// graph (two hops), the deeper route wins over a shallow direct pool, a
// configured numeraire roots the graph, and a token with no route has no
// price.
func TestPricerRoutes(t *testing.T) {
	weth := common.HexToAddress("0xe1")
	usd := common.HexToAddress("0xd1") // a stablecoin, 6 decimals, numeraire at 1/2000 ETH
	a, b, c := common.HexToAddress("0xa1"), common.HexToAddress("0xa2"), common.HexToAddress("0xa3")
	lone := common.HexToAddress("0xa9")
	usdc := func(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e6)) }
	p := pricing.New(pricing.Config{
		WETH:       []common.Address{weth},
		Numeraires: []pricing.Numeraire{{Token: usd, ETH: 1.0 / 2000, Decimals: 6}},
		Pools: []pricing.Pool{
			// B/WETH: 1 B = 0.01 ETH, deep.
			{Address: common.HexToAddress("0xb1"), Token0: b, Token1: weth, Reserve0: eth(100_000), Reserve1: eth(1_000)},
			// A/B: 1 A = 2 B = 0.02 ETH, deep.
			{Address: common.HexToAddress("0xb2"), Token0: a, Token1: b, Reserve0: eth(50_000), Reserve1: eth(100_000)},
			// A/WETH: shallow direct pool at a wrong price (1 A = 1 ETH).
			{Address: common.HexToAddress("0xb3"), Token0: a, Token1: weth, Reserve0: eth(2), Reserve1: eth(2)},
			// C/USD: 1 C = 4 USD = 0.002 ETH.
			{Address: common.HexToAddress("0xb4"), Token0: c, Token1: usd, Reserve0: eth(10_000), Reserve1: usdc(40_000)},
			// lone/X: X has no route.
			{Address: common.HexToAddress("0xb5"), Token0: lone, Token1: common.HexToAddress("0xf0"), Reserve0: eth(10), Reserve1: eth(10)},
		},
	})
	v, ok := p.ETHValue(a, eth(100))
	if !ok {
		t.Fatal("A not priced through B")
	}
	near(t, "A via B (deep route over the shallow direct pool)", v, 2)
	v, ok = p.ETHValue(c, eth(10))
	if !ok {
		t.Fatal("C not priced through the numeraire")
	}
	near(t, "C via the USD numeraire", v, 0.02)
	v, _ = p.ETHValue(usd, usdc(2000))
	near(t, "the numeraire itself", v, 1)
	if _, ok := p.ETHValue(lone, eth(1)); ok {
		t.Error("token without a route priced")
	}
	// One hop allowed: A is priced only by its (shallow, 2 ETH) direct pool.
	p1 := pricing.New(pricing.Config{WETH: []common.Address{weth}, MaxHops: 1, Pools: []pricing.Pool{
		{Address: common.HexToAddress("0xb1"), Token0: b, Token1: weth, Reserve0: eth(100_000), Reserve1: eth(1_000)},
		{Address: common.HexToAddress("0xb2"), Token0: a, Token1: b, Reserve0: eth(50_000), Reserve1: eth(100_000)},
	}})
	if _, ok := p1.ETHValue(a, eth(1)); ok {
		t.Error("two-hop route used with MaxHops 1")
	}
}

// TestPricerMainnetUSD: on chain 1 the default stablecoins root the graph
// at the ETH/USD rate of the deepest WETH/stablecoin pool (not a shallow
// one at another rate), so a token paired only with USDT is valued; on
// another chain they are plain tokens; without a WETH pool the configured
// fallback rate applies, and without one nothing is priced.
func TestPricerMainnetUSD(t *testing.T) {
	weth := common.HexToAddress("0xe1")
	usdcT, usdtT, daiT := pricing.MainnetUSD[0].Token, pricing.MainnetUSD[1].Token, pricing.MainnetUSD[2].Token
	x := common.HexToAddress("0xa1")
	six := func(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e6)) }
	pools := []pricing.Pool{
		// USDC/WETH, deep: 2000 USD per ETH.
		{Address: common.HexToAddress("0xb1"), Token0: usdcT, Token1: weth, Reserve0: six(20_000_000), Reserve1: eth(10_000)},
		// DAI/WETH, shallower (50 ETH) at 1000 USD per ETH.
		{Address: common.HexToAddress("0xb2"), Token0: daiT, Token1: weth, Reserve0: eth(50_000), Reserve1: eth(50)},
		// X/USDT: 1 X = 4 USD.
		{Address: common.HexToAddress("0xb3"), Token0: x, Token1: usdtT, Reserve0: eth(10_000), Reserve1: six(40_000)},
	}
	p := pricing.New(pricing.Config{WETH: []common.Address{weth}, Pools: pools})
	if _, ok := p.ETHValue(x, eth(1)); ok {
		t.Error("X priced before SetChain(1): USDT is not a numeraire yet")
	}
	p.SetChain(5)
	if _, ok := p.ETHValue(x, eth(1)); ok {
		t.Error("X priced on chain 5: the mainnet stablecoins are not defaults there")
	}
	p.SetChain(1)
	v, ok := p.ETHValue(x, eth(500))
	if !ok {
		t.Fatal("X not priced through USDT on chain 1")
	}
	near(t, "500 X = 2000 USD at the deepest pool's 2000 USD/ETH", v, 1)
	v, ok = p.ETHValue(daiT, eth(2000))
	if !ok {
		t.Fatal("DAI not priced")
	}
	near(t, "2000 DAI (a numeraire: the deep pool's rate, not its own shallow pool's)", v, 1)

	// No WETH/stablecoin pool: the fallback rate, or nothing.
	noWETH := pools[2:]
	p = pricing.New(pricing.Config{WETH: []common.Address{weth}, Pools: noWETH, USDPerETH: 4000})
	p.SetChain(1)
	v, ok = p.ETHValue(x, eth(1000))
	if !ok {
		t.Fatal("X not priced with the fallback rate")
	}
	near(t, "1000 X = 4000 USD at the fallback 4000 USD/ETH", v, 1)
	p = pricing.New(pricing.Config{WETH: []common.Address{weth}, Pools: noWETH})
	p.SetChain(1)
	if _, ok := p.ETHValue(x, eth(1000)); ok {
		t.Error("X priced with no WETH/stablecoin pool and no fallback rate")
	}
	// Configured stablecoins off mainnet: USDT takes its rate from the
	// USDC/WETH pool; USDT alone has no rate.
	p = pricing.New(pricing.Config{WETH: []common.Address{weth}, Pools: pools, USD: []pricing.USDToken{{Token: usdtT, Decimals: 6}}})
	p.SetChain(5)
	if _, ok := p.ETHValue(x, eth(500)); ok {
		t.Error("X priced with USDT the only stablecoin and no USDT/WETH pool")
	}
	p = pricing.New(pricing.Config{WETH: []common.Address{weth}, Pools: pools,
		USD: []pricing.USDToken{{Token: usdtT, Decimals: 6}, {Token: usdcT, Decimals: 6}}})
	p.SetChain(5)
	v, ok = p.ETHValue(x, eth(500))
	if !ok {
		t.Fatal("X not priced through configured USDT at the USDC/WETH rate")
	}
	near(t, "500 X via configured stablecoins", v, 1)
}
