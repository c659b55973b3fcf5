package freshcontract_test

import (
	"context"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/freshcontract"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

type oneProtocol struct{ addr common.Address }

func (w oneProtocol) Protocol(a common.Address) (detect.Protocol, bool) {
	if a == w.addr {
		return detect.Protocol{Name: "Bank", Addresses: []common.Address{w.addr}}, true
	}
	return detect.Protocol{}, false
}

func (w oneProtocol) Protocols() []detect.Protocol {
	return []detect.Protocol{{Name: "Bank", Addresses: []common.Address{w.addr}}}
}

var (
	bank     = common.HexToAddress("0x00000000000000000000000000000000000000aa")
	attacker = common.HexToAddress("0x00000000000000000000000000000000000000bb")
	exploit  = common.HexToAddress("0x00000000000000000000000000000000000000cc")
	other    = common.HexToAddress("0x00000000000000000000000000000000000000dd")
)

// deploy is a mined creation of exploit at block time bt.
func deploy(bt time.Time) *txmodel.Tx {
	c := exploit
	return &txmodel.Tx{Stage: txmodel.StageMined, BlockTime: uint64(bt.Unix()), From: attacker, ContractAddress: &c,
		Value: new(big.Int), Status: txmodel.StatusSuccess,
		Root: &txmodel.Call{Type: txmodel.CallCreate, From: attacker, To: exploit, Value: new(big.Int)}}
}

// call is attacker → exploit → bank; bt zero means pending.
func call(stage txmodel.Stage, bt time.Time) *txmodel.Tx {
	to := exploit
	tx := &txmodel.Tx{Stage: stage, From: attacker, To: &to, Value: new(big.Int), Status: txmodel.StatusSuccess,
		Touched: []common.Address{exploit, bank},
		Root:    &txmodel.Call{Type: txmodel.CallCall, From: attacker, To: exploit, Value: new(big.Int)}}
	if !bt.IsZero() {
		tx.BlockTime = uint64(bt.Unix())
	}
	return tx
}

// unrelated is a mined transfer between two unwatched accounts at bt.
func unrelated(bt time.Time) *txmodel.Tx {
	to := other
	return &txmodel.Tx{Stage: txmodel.StageMined, BlockTime: uint64(bt.Unix()), From: attacker, To: &to, Value: big.NewInt(1),
		Status: txmodel.StatusSuccess, Root: &txmodel.Call{Type: txmodel.CallCall, From: attacker, To: other, Value: big.NewInt(1)}}
}

// TestAgeUsesChainClock: a contract mined in a block whose timestamp is
// ahead of the wall clock (a devnet sealing faster than one block a second;
// skewed producer clocks) is judged, when a pending transaction calls it, on
// the chain's clock: its age is never negative, grows with newer blocks, and
// the wall clock still ages it once it passes the chain's head.
func TestAgeUsesChainClock(t *testing.T) {
	ctx := context.Background()
	wall := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	env := &detect.Env{ChainID: 1337, Watch: oneProtocol{bank}, Now: func() time.Time { return wall }}
	d := freshcontract.New(freshcontract.Config{})
	chainStart := wall.Add(100 * time.Second) // the chain runs 100 s ahead
	if obs, err := d.Inspect(ctx, env, deploy(chainStart)); err != nil || len(obs) != 0 {
		t.Fatalf("deployment touching nothing watched: %v %v", obs, err)
	}
	message := func(tx *txmodel.Tx) string {
		t.Helper()
		obs, err := d.Inspect(ctx, env, tx)
		if err != nil {
			t.Fatal(err)
		}
		if len(obs) != 1 {
			t.Fatalf("%d observations, want 1", len(obs))
		}
		return obs[0].Message
	}
	for _, c := range []struct {
		name string
		tx   func() *txmodel.Tx
		want string
	}{
		// Before the fix: "created -1m40s ago" (wall clock vs block time).
		{"pending, wall clock behind the chain", func() *txmodel.Tx { return call(txmodel.StagePending, time.Time{}) }, "created 0s ago"},
		{"mined in the same block", func() *txmodel.Tx { return call(txmodel.StageMined, chainStart) }, "created 0s ago"},
		{"mined out of order, in an earlier block", func() *txmodel.Tx { return call(txmodel.StageMined, chainStart.Add(-5*time.Second)) }, "created 0s ago"},
		{"pending after a newer block", func() *txmodel.Tx {
			if _, err := d.Inspect(ctx, env, unrelated(chainStart.Add(time.Minute))); err != nil {
				t.Fatal(err)
			}
			return call(txmodel.StagePending, time.Time{})
		}, "created 1m0s ago"},
		{"pending once the wall clock passed the chain", func() *txmodel.Tx {
			wall = wall.Add(30 * time.Minute)
			return call(txmodel.StagePending, time.Time{})
		}, "created 28m20s ago"},
	} {
		msg := message(c.tx())
		if !strings.Contains(msg, c.want) || strings.Contains(msg, "-") {
			t.Errorf("%s: %q, want %q", c.name, msg, c.want)
		}
	}
	// Past MaxAge (1 h) on either clock: nothing to say.
	wall = wall.Add(time.Hour)
	if obs, err := d.Inspect(ctx, env, call(txmodel.StagePending, time.Time{})); err != nil || len(obs) != 0 {
		t.Fatalf("pending call 1.5 h after the creation: %v %v, want none", obs, err)
	}
	if obs, err := d.Inspect(ctx, env, call(txmodel.StageMined, chainStart.Add(2*time.Hour))); err != nil || len(obs) != 0 {
		t.Fatalf("mined call 2 h after the creation: %v %v, want none", obs, err)
	}
}
