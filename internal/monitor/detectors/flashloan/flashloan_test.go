package flashloan_test

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/monitor/detectors/flashloan"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

var (
	sender   = common.HexToAddress("0x5e")
	lender   = common.HexToAddress("0x1e")
	receiver = common.HexToAddress("0xa1")
	token    = common.HexToAddress("0x70")
)

func transfer(from, to common.Address, v int64) *txmodel.Call {
	return &txmodel.Call{Type: txmodel.CallCall, From: from, To: token, Logs: []*txmodel.Log{{
		Address: token, Kind: txmodel.KindERC20Transfer,
		Decoded: &txmodel.Transfer{From: from, To: to, Value: big.NewInt(v)},
	}}}
}

func link(c *txmodel.Call, parent *txmodel.Call, depth int) {
	c.Parent, c.Depth = parent, depth
	for _, s := range c.Calls {
		link(s, c, depth+1)
	}
}

// tx builds sender → receiver.run → lender.lend{ transfer out; then
// children } — an unknown lender with its own interface and no events.
func tx(children ...*txmodel.Call) *txmodel.Tx {
	lend := &txmodel.Call{Type: txmodel.CallCall, From: receiver, To: lender,
		Calls: append([]*txmodel.Call{transfer(lender, receiver, 1000)}, children...)}
	root := &txmodel.Call{Type: txmodel.CallCall, From: sender, To: receiver, Calls: []*txmodel.Call{lend}}
	link(root, nil, 0)
	t := &txmodel.Tx{Stage: txmodel.StagePending, Status: txmodel.StatusSuccess, From: sender, To: &receiver, Root: root}
	root.Walk(func(c *txmodel.Call) bool {
		t.Logs = append(t.Logs, c.Logs...)
		return true
	})
	return t
}

func TestShapeLoans(t *testing.T) {
	callback := func(repay int64) *txmodel.Call {
		return &txmodel.Call{Type: txmodel.CallCall, From: lender, To: receiver, Calls: []*txmodel.Call{transfer(receiver, lender, repay)}}
	}
	pull := &txmodel.Call{Type: txmodel.CallCall, From: lender, To: token, Logs: []*txmodel.Log{{
		Address: token, Kind: txmodel.KindERC20Transfer, Decoded: &txmodel.Transfer{From: receiver, To: lender, Value: big.NewInt(1003)}}}}
	for _, tc := range []struct {
		name string
		tx   *txmodel.Tx
		want int
	}{
		{"repaid inside the callback", tx(callback(1000)), 1},
		{"repaid with a 5% fee", tx(callback(1050)), 1},
		{"pulled by the lender after the callback", tx(&txmodel.Call{Type: txmodel.CallCall, From: lender, To: receiver}, pull), 1},
		{"repaid short", tx(callback(999)), 0},
		{"no callback: a payment and an unrelated refund", tx(transfer(receiver, lender, 1000)), 0},
		{"callback into someone else", tx(&txmodel.Call{Type: txmodel.CallCall, From: lender, To: sender, Calls: []*txmodel.Call{transfer(receiver, lender, 1000)}}), 0},
	} {
		got := flashloan.ShapeLoans(tc.tx)
		if len(got) != tc.want {
			t.Errorf("%s: %d loans, want %d", tc.name, len(got), tc.want)
			continue
		}
		if tc.want == 1 && (got[0].Provider != lender || got[0].Receiver != receiver || got[0].Token != token || got[0].Amount.Int64() != 1000 || !got[0].Shape) {
			t.Errorf("%s: loan %+v", tc.name, got[0])
		}
	}
}
