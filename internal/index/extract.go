package index

import (
	"math/big"
	"sort"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/aegis-defi/aegis/internal/txmodel"
)

// Transfer kinds stored in the transfers table.
const (
	KindETH     = "eth"
	KindERC20   = "erc20"
	KindERC721  = "erc721"
	KindERC1155 = "erc1155"
)

// Flow kinds stored in the flows table.
const (
	// FlowTransfer moves Amount of Asset from Src to Dst (net within one
	// transaction).
	FlowTransfer = "transfer"
	// FlowSwap converts Amount of Asset given up by Src into AmountOut of
	// AssetOut received by Dst through the converters in Via (AMM pools,
	// wrappers) within one transaction.
	FlowSwap = "swap"
)

// ETH returns the asset key of ether (the zero address).
func ETH() common.Address { return common.Address{} }

var (
	topicTransferSingle = crypto.Keccak256Hash([]byte("TransferSingle(address,address,address,uint256,uint256)"))
	topicTransferBatch  = crypto.Keccak256Hash([]byte("TransferBatch(address,address,address,uint256[],uint256[])"))
	batchArgs           = func() abi.Arguments {
		t, _ := abi.NewType("uint256[]", "", nil)
		return abi.Arguments{{Type: t}, {Type: t}}
	}()
)

// Transfer is one raw asset movement: an ETH value transfer of any call
// frame (internal ones included when the node serves traces) or a token
// Transfer log.
type Transfer struct {
	Seq     int
	Kind    string
	Asset   common.Address
	From    common.Address
	To      common.Address
	Amount  *big.Int
	TokenID *big.Int
	Depth   int
}

// Flow is one edge of the trace graph: the net movement of value between
// two addresses within one transaction, or a conversion (swap/wrap) of
// the same trader.
type Flow struct {
	Seq       int
	Kind      string
	From, To  common.Address
	Asset     common.Address
	Amount    *big.Int
	AssetOut  common.Address
	AmountOut *big.Int
	Via       []common.Address
}

// Transfers lists every raw movement of t in execution order.
func Transfers(t *txmodel.Tx) []Transfer {
	var out []Transfer
	if t.Reverted() {
		return nil
	}
	t.Walk(func(c *txmodel.Call) bool {
		if c.Error != "" {
			return false
		}
		if c.Value != nil && c.Value.Sign() > 0 && c.Type.TransfersValue() {
			out = append(out, Transfer{Kind: KindETH, From: c.From, To: c.To, Amount: new(big.Int).Set(c.Value), Depth: c.Depth})
		}
		return true
	})
	for _, l := range t.Logs {
		switch ev := l.Decoded.(type) {
		case *txmodel.Transfer:
			out = append(out, Transfer{Kind: KindERC20, Asset: l.Address, From: ev.From, To: ev.To, Amount: ev.Value, Depth: l.Depth})
		case *txmodel.NFTTransfer:
			out = append(out, Transfer{Kind: KindERC721, Asset: l.Address, From: ev.From, To: ev.To, Amount: big.NewInt(1), TokenID: ev.TokenID, Depth: l.Depth})
		default:
			out = append(out, erc1155(l)...)
		}
	}
	for i := range out {
		out[i].Seq = i
	}
	return out
}

// erc1155 decodes TransferSingle / TransferBatch logs.
func erc1155(l *txmodel.Log) []Transfer {
	if len(l.Topics) != 4 {
		return nil
	}
	from := common.BytesToAddress(l.Topics[2][12:])
	to := common.BytesToAddress(l.Topics[3][12:])
	switch l.Topics[0] {
	case topicTransferSingle:
		if len(l.Data) != 64 {
			return nil
		}
		return []Transfer{{Kind: KindERC1155, Asset: l.Address, From: from, To: to,
			TokenID: new(big.Int).SetBytes(l.Data[:32]), Amount: new(big.Int).SetBytes(l.Data[32:]), Depth: l.Depth}}
	case topicTransferBatch:
		vals, err := batchArgs.Unpack(l.Data)
		if err != nil || len(vals) != 2 {
			return nil
		}
		ids, ok1 := vals[0].([]*big.Int)
		amts, ok2 := vals[1].([]*big.Int)
		if !ok1 || !ok2 || len(ids) != len(amts) {
			return nil
		}
		var out []Transfer
		for i := range ids {
			out = append(out, Transfer{Kind: KindERC1155, Asset: l.Address, From: from, To: to, TokenID: ids[i], Amount: amts[i], Depth: l.Depth})
		}
		return out
	}
	return nil
}

// Converters returns the addresses that converted one asset into another
// in t, by mechanism: AMM pools (Uniswap V2/V3-style Swap, Mint, Burn,
// Sync events) and ETH wrappers (WETH9-style Deposit/Withdrawal that
// txmodel verified against the value moved), with their kind.
func Converters(t *txmodel.Tx) map[common.Address]string {
	out := map[common.Address]string{}
	for _, l := range t.Logs {
		switch l.Kind {
		case txmodel.KindV2Swap, txmodel.KindV2Mint, txmodel.KindV2Burn, txmodel.KindV2Sync:
			out[l.Address] = "amm-v2"
		case txmodel.KindV3Swap:
			out[l.Address] = "amm-v3"
		case txmodel.KindWETHDeposit, txmodel.KindWETHWithdrawal:
			out[l.Address] = "wrapper"
		}
	}
	return out
}

// Flows derives t's trace edges from its net balance changes
// (txmodel.Tx.Balances): pass-through contracts (routers, multicall,
// attacker contracts that forward in the same transaction) net to zero
// and disappear. Per asset, each net loser's amount is split over the net
// gainers in proportion; when the transaction went through converters,
// the converters' own changes are dropped and each non-converter that
// gave up asset A is linked to each non-converter that received another
// asset B by a swap edge.
func Flows(t *txmodel.Tx) []Flow {
	if t.Reverted() || len(t.Balances) == 0 {
		return nil
	}
	conv := Converters(t)
	type side struct {
		addr common.Address
		amt  *big.Int
	}
	losers := map[common.Address][]side{}
	gainers := map[common.Address][]side{}
	var assets []common.Address
	seen := map[common.Address]bool{}
	for _, b := range t.Balances {
		if _, ok := conv[b.Address]; ok {
			continue
		}
		if !seen[b.Asset] {
			seen[b.Asset] = true
			assets = append(assets, b.Asset)
		}
		if b.Delta.Sign() < 0 {
			losers[b.Asset] = append(losers[b.Asset], side{b.Address, new(big.Int).Neg(b.Delta)})
		} else {
			gainers[b.Asset] = append(gainers[b.Asset], side{b.Address, new(big.Int).Set(b.Delta)})
		}
	}
	sort.Slice(assets, func(i, j int) bool { return assets[i].Cmp(assets[j]) < 0 })
	sum := func(s []side) *big.Int {
		x := new(big.Int)
		for _, v := range s {
			x.Add(x, v.amt)
		}
		return x
	}
	// share returns v × num / den.
	share := func(v, num, den *big.Int) *big.Int {
		if den.Sign() == 0 {
			return new(big.Int)
		}
		x := new(big.Int).Mul(v, num)
		return x.Quo(x, den)
	}
	var out []Flow
	remL := map[common.Address][]side{}
	remG := map[common.Address][]side{}
	for _, a := range assets {
		L, G := losers[a], gainers[a]
		sl, sg := sum(L), sum(G)
		moved := sl
		if sg.Cmp(moved) < 0 {
			moved = sg
		}
		for _, l := range L {
			for _, g := range G {
				amt := share(share(moved, l.amt, sl), g.amt, sg)
				if amt.Sign() > 0 {
					out = append(out, Flow{Kind: FlowTransfer, From: l.addr, To: g.addr, Asset: a, Amount: amt})
				}
			}
		}
		// What the same-asset flows did not explain is what went into
		// (or came out of) the converters.
		for _, l := range L {
			if r := new(big.Int).Sub(l.amt, share(moved, l.amt, sl)); r.Sign() > 0 {
				remL[a] = append(remL[a], side{l.addr, r})
			}
		}
		for _, g := range G {
			if r := new(big.Int).Sub(g.amt, share(moved, g.amt, sg)); r.Sign() > 0 {
				remG[a] = append(remG[a], side{g.addr, r})
			}
		}
	}
	if len(conv) > 0 {
		via := make([]common.Address, 0, len(conv))
		for c := range conv {
			via = append(via, c)
		}
		sort.Slice(via, func(i, j int) bool { return via[i].Cmp(via[j]) < 0 })
		for _, a := range assets {
			for _, l := range remL[a] {
				sl := sum(remL[a])
				var outAssets []common.Address
				for _, b := range assets {
					if b != a && len(remG[b]) > 0 {
						outAssets = append(outAssets, b)
					}
				}
				k := int64(len(outAssets))
				for _, b := range outAssets {
					sg := sum(remG[b])
					m := int64(0)
					for _, c := range assets {
						if c != b && len(remL[c]) > 0 {
							m++
						}
					}
					for _, g := range remG[b] {
						in := share(l.amt, g.amt, sg)
						in.Quo(in, big.NewInt(k))
						o := share(g.amt, l.amt, sl)
						o.Quo(o, big.NewInt(max(m, 1)))
						if in.Sign() > 0 && o.Sign() > 0 {
							out = append(out, Flow{Kind: FlowSwap, From: l.addr, To: g.addr, Asset: a, Amount: in, AssetOut: b, AmountOut: o, Via: via})
						}
					}
				}
			}
		}
	}
	for i := range out {
		out[i].Seq = i
	}
	return out
}
