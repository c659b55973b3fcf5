package traffic

import (
	"bytes"
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testbed"
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

// worldFromTestbed binds the generator to tb's WETH, TKN, both AMMs and
// the spot-priced lending market (whose oracle reads the first AMM's pair).
func worldFromTestbed(tb *testbed.Testbed) (*world, error) {
	if tb == nil || tb.WETH == nil || tb.TKN == nil || tb.AMM == nil || tb.AMM2 == nil ||
		tb.Pair == nil || tb.Pair2 == nil || tb.LendingSpot == nil {
		return nil, fmt.Errorf("%w: incomplete testbed", ErrConfig)
	}
	w := &world{weth: tb.WETH, tkn: tb.TKN}
	for i, x := range []struct {
		r, p *chain.Contract
	}{{tb.AMM.Router, tb.Pair}, {tb.AMM2.Router, tb.Pair2}} {
		// Uniswap V2 pairs sort their tokens by address.
		w.pools[i] = &pool{name: fmt.Sprintf("amm%d", i+1), router: x.r, pair: x.p,
			wethIs0: bytes.Compare(tb.WETH.Address[:], tb.TKN.Address[:]) < 0}
	}
	w.pools[0].name = "amm"
	w.lending = &lending{market: tb.LendingSpot, oraclePool: 0,
		debt: map[common.Address]*big.Int{}, coll: map[common.Address]*big.Int{}}
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
