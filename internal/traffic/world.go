package traffic

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/chain"
)

// deadline is the swap deadline the generator passes to routers: far in the
// future and constant, so that calldata (and tx hashes) are reproducible.
var deadline = big.NewInt(4_102_444_800) // 2100-01-01

// pool is one AMM's TKN/WETH pair with its router and the generator's
// prediction of its state: A is the WETH reserve, B the TKN reserve. The
// prediction is re-read from the chain after every block and advanced by
// each transaction the generator sends, which (sent in order with equal
// tips) execute in that order.
type pool struct {
	name    string
	router  *chain.Contract
	pair    *chain.Contract
	wethIs0 bool
	res     reserves
	supply  *big.Int
}

// world is the set of testbed contracts the generator drives.
type world struct {
	weth, tkn *chain.Contract
	pools     [2]*pool
	lending   *lending
}

// addrs are the testbed addresses the generator needs.
type addrs struct {
	WETH, TKN                   common.Address
	Router0, Pair0, Router1, Pair1 common.Address
}

func bindWorld(ctx context.Context, c *chain.Client, a addrs) (*world, error) {
	wethArt, err := contracts.Load("IWETH")
	if err != nil {
		return nil, fmt.Errorf("load IWETH artifact: %w", err)
	}
	ercArt, err := contracts.Load("IERC20")
	if err != nil {
		return nil, fmt.Errorf("load IERC20 artifact: %w", err)
	}
	routerArt, err := contracts.Load("IUniswapV2Router")
	if err != nil {
		return nil, fmt.Errorf("load IUniswapV2Router artifact: %w", err)
	}
	pairArt, err := contracts.Load("IUniswapV2Pair")
	if err != nil {
		return nil, fmt.Errorf("load IUniswapV2Pair artifact: %w", err)
	}
	w := &world{weth: c.Bind(a.WETH, wethArt.ABI), tkn: c.Bind(a.TKN, ercArt.ABI)}
	for i, ra := range [2][2]common.Address{{a.Router0, a.Pair0}, {a.Router1, a.Pair1}} {
		p := &pool{name: fmt.Sprintf("amm%d", i), router: c.Bind(ra[0], routerArt.ABI), pair: c.Bind(ra[1], pairArt.ABI)}
		t0, err := p.pair.CallAddress(ctx, "token0")
		if err != nil {
			return nil, fmt.Errorf("%s token0: %w", p.name, err)
		}
		p.wethIs0 = t0 == a.WETH
		w.pools[i] = p
	}
	return w, nil
}

// refresh re-reads the pool's reserves and LP supply from the chain.
func (p *pool) refresh(ctx context.Context) error {
	out, err := p.pair.Call(ctx, "getReserves")
	if err != nil {
		return fmt.Errorf("%s getReserves: %w", p.name, err)
	}
	if len(out) < 2 {
		return fmt.Errorf("%s getReserves: %d outputs", p.name, len(out))
	}
	r0, ok0 := out[0].(*big.Int)
	r1, ok1 := out[1].(*big.Int)
	if !ok0 || !ok1 {
		return fmt.Errorf("%s getReserves: unexpected types %T, %T", p.name, out[0], out[1])
	}
	if p.wethIs0 {
		p.res = reserves{A: r0, B: r1}
	} else {
		p.res = reserves{A: r1, B: r0}
	}
	ts, err := p.pair.CallBig(ctx, "totalSupply")
	if err != nil {
		return fmt.Errorf("%s totalSupply: %w", p.name, err)
	}
	p.supply = ts
	return nil
}
