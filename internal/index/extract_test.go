package index

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/txmodel"
)

var (
	alice = common.HexToAddress("0xa11ce00000000000000000000000000000000001")
	bob   = common.HexToAddress("0xb0b0000000000000000000000000000000000002")
	carol = common.HexToAddress("0xca401000000000000000000000000000000000003")
	pool  = common.HexToAddress("0x9001000000000000000000000000000000000004")
	weth  = common.HexToAddress("0xeeee000000000000000000000000000000000005")
	tkn   = common.HexToAddress("0x7c4e000000000000000000000000000000000006")
)

func bc(a, asset common.Address, d int64) txmodel.BalanceChange {
	return txmodel.BalanceChange{Address: a, Asset: asset, Delta: big.NewInt(d)}
}

func TestFlows(t *testing.T) {
	type want struct {
		kind            string
		from, to, asset common.Address
		amt             int64
		out             common.Address
		amtOut          int64
	}
	swapLogs := []*txmodel.Log{{Address: pool, Kind: txmodel.KindV2Swap}, {Address: weth, Kind: txmodel.KindWETHDeposit}}
	tests := []struct {
		name string
		tx   *txmodel.Tx
		want []want
	}{
		{"transfer", &txmodel.Tx{Status: txmodel.StatusSuccess, Balances: []txmodel.BalanceChange{bc(alice, ETH(), -10), bc(bob, ETH(), 10)}},
			[]want{{FlowTransfer, alice, bob, ETH(), 10, common.Address{}, 0}}},
		{"split", &txmodel.Tx{Status: txmodel.StatusSuccess, Balances: []txmodel.BalanceChange{bc(alice, ETH(), -10), bc(bob, ETH(), 4), bc(carol, ETH(), 6)}},
			[]want{{FlowTransfer, alice, bob, ETH(), 4, common.Address{}, 0}, {FlowTransfer, alice, carol, ETH(), 6, common.Address{}, 0}}},
		{"router swap to a recipient", &txmodel.Tx{Status: txmodel.StatusSuccess, Logs: swapLogs, Balances: []txmodel.BalanceChange{
			bc(alice, ETH(), -3), bc(weth, ETH(), 3), bc(pool, weth, 3), bc(pool, tkn, -500), bc(bob, tkn, 500)}},
			[]want{{FlowSwap, alice, bob, ETH(), 3, tkn, 500}}},
		{"mint has no source", &txmodel.Tx{Status: txmodel.StatusSuccess, Balances: []txmodel.BalanceChange{bc(bob, tkn, 7)}}, nil},
		{"reverted", &txmodel.Tx{Status: txmodel.StatusReverted, Balances: []txmodel.BalanceChange{bc(alice, ETH(), -1), bc(bob, ETH(), 1)}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Flows(tt.tx)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d flows %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Kind != w.kind || g.From != w.from || g.To != w.to || g.Asset != w.asset || g.Amount.Int64() != w.amt {
					t.Errorf("flow %d = %+v, want %+v", i, g, w)
				}
				if w.kind == FlowSwap && (g.AssetOut != w.out || g.AmountOut.Int64() != w.amtOut || len(g.Via) != 2) {
					t.Errorf("swap %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestERC1155(t *testing.T) {
	word := func(v int64) []byte { return common.LeftPadBytes(big.NewInt(v).Bytes(), 32) }
	topics := []common.Hash{topicTransferSingle, common.BytesToHash(carol[:]), common.BytesToHash(alice[:]), common.BytesToHash(bob[:])}
	got := erc1155(&txmodel.Log{Address: tkn, Topics: topics, Data: append(word(42), word(3)...)})
	if len(got) != 1 || got[0].From != alice || got[0].To != bob || got[0].TokenID.Int64() != 42 || got[0].Amount.Int64() != 3 {
		t.Fatalf("single = %+v", got)
	}
	data, err := batchArgs.Pack([]*big.Int{big.NewInt(1), big.NewInt(2)}, []*big.Int{big.NewInt(10), big.NewInt(20)})
	if err != nil {
		t.Fatal(err)
	}
	topics[0] = topicTransferBatch
	got = erc1155(&txmodel.Log{Address: tkn, Topics: topics, Data: data})
	if len(got) != 2 || got[1].TokenID.Int64() != 2 || got[1].Amount.Int64() != 20 {
		t.Fatalf("batch = %+v", got)
	}
	if got := erc1155(&txmodel.Log{Address: tkn, Topics: topics, Data: data[:40]}); got != nil {
		t.Fatalf("truncated batch decoded: %+v", got)
	}
}

// FuzzERC1155 checks the ERC-1155 log decoder never panics on any data.
func FuzzERC1155(f *testing.F) {
	data, _ := batchArgs.Pack([]*big.Int{big.NewInt(1)}, []*big.Int{big.NewInt(10)})
	f.Add(true, data)
	f.Add(false, make([]byte, 64))
	f.Fuzz(func(t *testing.T, batch bool, data []byte) {
		topic := topicTransferSingle
		if batch {
			topic = topicTransferBatch
		}
		for _, tr := range erc1155(&txmodel.Log{Address: tkn, Topics: []common.Hash{topic, {}, {}, {}}, Data: data}) {
			if tr.Amount == nil || tr.TokenID == nil {
				t.Fatal("nil amount or id")
			}
		}
	})
}
