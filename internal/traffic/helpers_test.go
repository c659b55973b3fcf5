package traffic

import (
	"context"
	"testing"

	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testbed"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// newTestGenerator deploys the testbed on a fresh devnet and returns a
// generator funded by the third dev account.
func newTestGenerator(t *testing.T, cfg Config) (*Generator, *testchain.Env) {
	t.Helper()
	env := testchain.New(t)
	tb, err := testbed.Deploy(context.Background(), env.Client, env.Accounts[0], env.Accounts[1], testbed.Options{})
	if err != nil {
		t.Logf("testbed.Deploy: %v; deploying the pieces the generator uses", err)
		env = testchain.New(t)
		tb = deployCore(t, env)
	}
	g, err := New(cfg, env.Client, tb, env.Accounts[2], nil)
	if err != nil {
		t.Fatal(err)
	}
	return g, env
}

// deployCore deploys the testbed pieces the generator drives with the
// testbed's default sizes, through the testbed's own helpers.
func deployCore(t *testing.T, env *testchain.Env) *testbed.Testbed {
	t.Helper()
	ctx := context.Background()
	c, dep := env.Client, env.Accounts[0]
	o := testbed.DefaultOptions()
	tb := &testbed.Testbed{Deployer: dep, Guardian: env.Accounts[1], Options: o}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var err error
	tb.WETH, err = testbed.DeployWETH(ctx, c, dep)
	must(err)
	tb.TKN, err = testbed.DeployToken(ctx, c, dep, "Aegis Token", "TKN", o.TokenSupply)
	must(err)
	must(testbed.WrapETH(ctx, dep, tb.WETH, chain.Ether(5000)))
	tb.AMM, err = testbed.DeployAMM(ctx, c, dep, tb.WETH.Address)
	must(err)
	tb.Pair, err = tb.AMM.CreatePairWithLiquidity(ctx, dep, tb.TKN, tb.WETH, o.PoolTKN, o.PoolWETH)
	must(err)
	tb.AMM2, err = testbed.DeployAMM(ctx, c, dep, tb.WETH.Address)
	must(err)
	tb.Pair2, err = tb.AMM2.CreatePairWithLiquidity(ctx, dep, tb.TKN, tb.WETH, o.Pool2TKN, o.Pool2WETH)
	must(err)
	tb.SpotOracle, err = testbed.DeploySpotOracle(ctx, c, dep, tb.AMM.Factory.Address, tb.WETH.Address)
	must(err)
	tb.LendingSpot, err = testbed.DeployLending(ctx, c, dep, tb.Guardian.Address, tb.WETH.Address, tb.TKN.Address, tb.SpotOracle.Address)
	must(err)
	must(testbed.SupplyLending(ctx, dep, tb.LendingSpot, tb.WETH, o.LendingWETH))
	return tb
}
