package pricemanip_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/pricemanip"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

type watch map[common.Address]string

func (w watch) Protocol(a common.Address) (detect.Protocol, bool) {
	n, ok := w[a]
	return detect.Protocol{Name: n, Addresses: []common.Address{a}}, ok
}

func (w watch) Protocols() []detect.Protocol { return nil }

func e18(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }

// TestReserveDestruction: a pool whose constant product falls without a
// Burn had its reserves destroyed outside a swap; trades (the product
// grows by the fee) and liquidity removals do not fire, nor do unwatched
// pools.
func TestReserveDestruction(t *testing.T) {
	pool := common.HexToAddress("0xb1")
	t0, t1 := common.HexToAddress("0xa1"), common.HexToAddress("0xa2")
	env := &detect.Env{Watch: watch{pool: "pool"}}
	move := func(b0, b1, a0, a1 *big.Int, burns int) *txmodel.Tx {
		pb := 1.0
		return &txmodel.Tx{Stage: txmodel.StagePending, Status: txmodel.StatusSuccess, Root: &txmodel.Call{},
			Pools: []txmodel.PoolMove{{Pool: pool, Protocol: txmodel.ProtocolUniswapV2, Token0: &t0, Token1: &t1,
				Reserve0Before: b0, Reserve1Before: b1, Reserve0After: a0, Reserve1After: a1, PriceBefore: &pb,
				PriceMin: 1, PriceMax: 1, Burns: burns}}}
	}
	d := pricemanip.New(pricemanip.DefaultConfig())
	for _, tc := range []struct {
		name string
		env  *detect.Env
		tx   *txmodel.Tx
		want alert.Severity
	}{
		{"burnt reserve then drained", env, move(e18(100_000), e18(100_000), e18(1_000), big.NewInt(97), 0), alert.SeverityCritical},
		{"over 30% of the product gone", env, move(e18(100), e18(100), e18(40), e18(100), 0), alert.SeverityHigh},
		{"under 30% gone", env, move(e18(100), e18(100), e18(60), e18(100), 0), -1},
		{"a whale swap (product grows by the fee)", env, move(e18(100), e18(100), e18(150), big.NewInt(0).Add(e18(66), e18(1)), 0), -1},
		{"liquidity removed", env, move(e18(100), e18(100), e18(10), e18(10), 1), -1},
		{"unwatched pool", &detect.Env{Watch: watch{}}, move(e18(100_000), e18(100_000), e18(1_000), big.NewInt(97), 0), -1},
	} {
		obs, err := d.Inspect(context.Background(), tc.env, tc.tx)
		if err != nil {
			t.Fatal(err)
		}
		got := alert.Severity(-1)
		for _, o := range obs {
			if o.Numbers["reserve_drop"] > 0 {
				got = o.Severity
			}
		}
		if got != tc.want {
			t.Errorf("%s: severity %v, want %v (%v)", tc.name, got, tc.want, obs)
		}
	}
}
