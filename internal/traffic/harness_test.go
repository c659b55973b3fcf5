package traffic

import (
	"context"
	"testing"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// deployAMMs deploys WETH, a token and two AMMs with a TKN/WETH pool each
// (1000 WETH : 2,000,000 TKN on the first, 600 : 1,200,000 on the second).
func deployAMMs(t *testing.T, env *testchain.Env) addrs {
	t.Helper()
	ctx := context.Background()
	c, dep := env.Client, env.Accounts[0]
	load := func(name string) *contracts.Artifact {
		a, err := contracts.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	deploy := func(name string, args ...any) *chain.Contract {
		a := load(name)
		k, _, err := c.Deploy(ctx, dep, a.ABI, a.Bytecode, args...)
		if err != nil {
			t.Fatalf("deploy %s: %v", name, err)
		}
		return k
	}
	tx := func(k *chain.Contract, method string, args ...any) {
		if _, err := k.Transact(ctx, dep, method, args...); err != nil {
			t.Fatalf("%s: %v", method, err)
		}
	}
	weth := deploy("WETH9")
	tkn := deploy("FixedSupplyToken", "Token", "TKN", chain.Ether(100_000_000))
	if _, err := weth.TransactValue(ctx, dep, chain.Ether(10_000), "deposit"); err != nil {
		t.Fatal(err)
	}
	out := addrs{WETH: weth.Address, TKN: tkn.Address}
	for i, depth := range []int64{1000, 600} {
		f := deploy("AMMFactory")
		r := deploy("AMMRouter", f.Address, weth.Address)
		tx(weth, "approve", r.Address, maxUint256)
		tx(tkn, "approve", r.Address, maxUint256)
		tx(r, "addLiquidity", weth.Address, tkn.Address, chain.Ether(depth), chain.Ether(depth*2000),
			chain.Ether(0), chain.Ether(0), dep.Address, deadline)
		pair, err := f.CallAddress(ctx, "getPair", weth.Address, tkn.Address)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			out.Router0, out.Pair0 = r.Address, pair
		} else {
			out.Router1, out.Pair1 = r.Address, pair
		}
	}
	return out
}

func newTestGenerator(t *testing.T, cfg Config) (*Generator, *testchain.Env) {
	t.Helper()
	env := testchain.New(t)
	a := deployAMMs(t, env)
	w, err := bindWorld(context.Background(), env.Client, a)
	if err != nil {
		t.Fatal(err)
	}
	g, err := newGenerator(cfg, env.Client, w, env.Accounts[1], nil)
	if err != nil {
		t.Fatal(err)
	}
	return g, env
}
