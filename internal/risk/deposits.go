package risk

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
)

// Deposit concentration of a protocol contract: who holds what the contract
// holds, decided from on-chain history by mechanism.
//
//   - share-token: the contract is itself an ERC-20 whose shares were
//     minted (Transfer from the zero address) in a transaction in which it
//     received another token (a vault, a pool minting LP shares): the share
//     holder distribution (Transfer logs of the shares) is the deposit
//     distribution.
//   - asset-inflows: otherwise, for every ERC-20 the contract received,
//     each sender's net supply: Transfer logs into the contract from the
//     sender minus Transfer logs out of the contract to that sender (a
//     lending market, a bank, a bridge escrow). A router depositing on
//     behalf of users counts as one depositor.
//
// Ether deposits leave no logs: a contract holding ether and no ERC-20
// flows is reported unknown, not safe.
//
// Points (a behaviour factor "deposit-concentration": history shows it,
// no privilege is needed): the largest depositor holds ≥ 80% of a measured
// asset → 25; ≥ 50% → 15; otherwise an HHI ≥ 2,500 (a highly concentrated
// market in the usual antitrust reading) → 8. The worst asset counts.
const (
	depositTop1High   = 0.8
	depositTop1Medium = 0.5
	depositHHIHigh    = 2500

	depositPointsHigh   = 25
	depositPointsMedium = 15
	depositPointsHHI    = 8
)

// Deposit mechanisms.
const (
	DepositShares = "share-token"
	DepositInflow = "asset-inflows"
)

// Depositor is one holder of a contract's deposits.
type Depositor struct {
	Address string `json:"address"`
	// Amount is raw units of Asset.
	Amount string `json:"amount"`
	// Share is the fraction of the measured total ("0.8").
	Share string `json:"share"`
}

// DepositPool is the distribution of one measured asset.
type DepositPool struct {
	Mechanism string `json:"mechanism"`
	// Asset is the token measured: the contract's own shares for
	// share-token, the received token for asset-inflows.
	Asset      string      `json:"asset"`
	Total      string      `json:"total"`
	Depositors int         `json:"depositors"`
	Top1       string      `json:"top1_share"`
	Top10      string      `json:"top10_share"`
	HHI        int         `json:"hhi"`
	Top        []Depositor `json:"top"`

	top1 float64
}

// Deposits is who holds a contract's deposits.
type Deposits struct {
	// Status is ok or unknown (Reason says why).
	Status string        `json:"status"`
	Reason string        `json:"reason,omitempty"`
	Pools  []DepositPool `json:"pools"`
	// Note says what was seen when there is nothing to measure.
	Note string `json:"note,omitempty"`
}

// distribution is a holder distribution, largest first.
type distribution struct {
	total  *big.Int
	shares []holding
	hhi    float64
}

type holding struct {
	addr common.Address
	amt  *big.Int
}

// distributionOf sorts the positive balances (largest first, then by
// address) and computes the HHI (Σ share² × 10,000).
func distributionOf(bal map[common.Address]*big.Int, skip func(common.Address) bool) distribution {
	d := distribution{total: new(big.Int)}
	for a, b := range bal {
		if b != nil && b.Sign() > 0 && (skip == nil || !skip(a)) {
			d.shares = append(d.shares, holding{a, b})
			d.total.Add(d.total, b)
		}
	}
	slices.SortFunc(d.shares, func(x, y holding) int {
		if c := y.amt.Cmp(x.amt); c != 0 {
			return c
		}
		return strings.Compare(x.addr.Hex(), y.addr.Hex())
	})
	for _, h := range d.shares {
		f := ratio(h.amt, d.total)
		d.hhi += f * f * 10000
	}
	return d
}

// top returns the summed amount of the n largest holdings.
func (d distribution) top(n int) *big.Int {
	s := new(big.Int)
	for i := 0; i < n && i < len(d.shares); i++ {
		s.Add(s, d.shares[i].amt)
	}
	return s
}

func (d distribution) pool(mechanism string, asset common.Address) DepositPool {
	p := DepositPool{Mechanism: mechanism, Asset: strings.ToLower(asset.Hex()), Total: d.total.String(), Depositors: len(d.shares),
		Top1: fraction(d.top(1), d.total), Top10: fraction(d.top(10), d.total), HHI: int(d.hhi + 0.5), Top: []Depositor{},
		top1: ratio(d.top(1), d.total)}
	for i, h := range d.shares {
		if i == 10 {
			break
		}
		p.Top = append(p.Top, Depositor{Address: strings.ToLower(h.addr.Hex()), Amount: h.amt.String(), Share: fraction(h.amt, d.total)})
	}
	return p
}

// erc20Transfer decodes an ERC-20 Transfer log (three topics, one word).
func erc20Transfer(l types.Log) (from, to common.Address, v *big.Int, ok bool) {
	if len(l.Topics) != 3 || l.Topics[0] != transferTopic || len(l.Data) != 32 {
		return from, to, nil, false
	}
	return common.BytesToAddress(l.Topics[1][12:]), common.BytesToAddress(l.Topics[2][12:]), new(big.Int).SetBytes(l.Data), true
}

// analyzeDeposits measures the deposit distribution of addr. erc20 says
// whether its dispatcher is an ERC-20's (a candidate share token).
func analyzeDeposits(ctx context.Context, c Node, rpcc RPC, addr common.Address, erc20 bool) *Deposits {
	out := &Deposits{Status: StatusOK, Pools: []DepositPool{}}
	unknown := func(format string, a ...any) *Deposits {
		out.Status, out.Reason = StatusUnknown, fmt.Sprintf(format, a...)
		return out
	}
	at := common.BytesToHash(addr.Bytes())
	in, err := c.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: big.NewInt(0), Topics: [][]common.Hash{{transferTopic}, nil, {at}}})
	if err != nil {
		return unknown("eth_getLogs (Transfer logs into %s): %v", addr.Hex(), err)
	}
	outLogs, err := c.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: big.NewInt(0), Topics: [][]common.Hash{{transferTopic}, {at}}})
	if err != nil {
		return unknown("eth_getLogs (Transfer logs out of %s): %v", addr.Hex(), err)
	}
	inTx := map[common.Hash]bool{}
	for _, l := range in {
		if _, _, _, ok := erc20Transfer(l); ok && l.Address != addr {
			inTx[l.TxHash] = true
		}
	}
	if erc20 && len(inTx) > 0 {
		mints, err := c.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: big.NewInt(0), Addresses: []common.Address{addr},
			Topics: [][]common.Hash{{transferTopic}, {{}}}})
		if err != nil {
			return unknown("eth_getLogs (share mints of %s): %v", addr.Hex(), err)
		}
		if slices.ContainsFunc(mints, func(l types.Log) bool { return inTx[l.TxHash] }) {
			bal, _, err := balancesFromLogs(ctx, c, addr)
			if err != nil {
				return unknown("%v", err)
			}
			d := distributionOf(bal, func(a common.Address) bool { return a == addr || isBurn(a) })
			if len(d.shares) > 0 {
				out.Pools = append(out.Pools, d.pool(DepositShares, addr))
				return out
			}
		}
	}
	// Asset inflows: net supply per sender and token.
	net := map[common.Address]map[common.Address]*big.Int{}
	add := func(tok, who common.Address, v *big.Int) {
		if net[tok] == nil {
			net[tok] = map[common.Address]*big.Int{}
		}
		if net[tok][who] == nil {
			net[tok][who] = new(big.Int)
		}
		net[tok][who].Add(net[tok][who], v)
	}
	for _, l := range in {
		from, _, v, ok := erc20Transfer(l)
		if !ok || l.Address == addr || from == (common.Address{}) || from == addr {
			continue // not ERC-20, own shares, minted to the contract, self-transfer
		}
		add(l.Address, from, v)
	}
	for _, l := range outLogs {
		_, to, v, ok := erc20Transfer(l)
		if !ok || l.Address == addr || net[l.Address] == nil || net[l.Address][to] == nil {
			continue // outflows count only against a depositor's supply
		}
		add(l.Address, to, new(big.Int).Neg(v))
	}
	toks := make([]common.Address, 0, len(net))
	for t := range net {
		toks = append(toks, t)
	}
	slices.SortFunc(toks, func(a, b common.Address) int { return strings.Compare(a.Hex(), b.Hex()) })
	for _, t := range toks {
		d := distributionOf(net[t], nil)
		if len(d.shares) > 0 {
			out.Pools = append(out.Pools, d.pool(DepositInflow, t))
		}
	}
	if len(out.Pools) > 0 {
		return out
	}
	var wei hexutil.Big
	if rpcc != nil {
		if err := rpcc.CallContext(ctx, &wei, "eth_getBalance", addr, "latest"); err == nil && wei.ToInt().Sign() > 0 {
			return unknown("holds %s wei of ether and no ERC-20 deposits: ether deposits leave no Transfer logs (they need traces)", wei.ToInt())
		}
	}
	out.Note = "no deposits: no ERC-20 was sent to the contract and kept there, and it holds no ether"
	return out
}

// depositFactor turns the worst measured pool into a factor (nil below the
// thresholds).
func depositFactor(d *Deposits) *Factor {
	if d == nil || d.Status != StatusOK || len(d.Pools) == 0 {
		return nil
	}
	worst := d.Pools[0]
	for _, p := range d.Pools[1:] {
		if p.top1 > worst.top1 || (p.top1 == worst.top1 && p.HHI > worst.HHI) {
			worst = p
		}
	}
	pts := 0
	var title string
	what := "deposits"
	if worst.Mechanism == DepositShares {
		what = "the shares"
	}
	switch {
	case worst.top1 >= depositTop1High:
		pts, title = depositPointsHigh, fmt.Sprintf("one address holds %.0f%% of %s", worst.top1*100, what)
	case worst.top1 >= depositTop1Medium:
		pts, title = depositPointsMedium, fmt.Sprintf("one address holds %.0f%% of %s", worst.top1*100, what)
	case worst.HHI >= depositHHIHigh:
		pts, title = depositPointsHHI, fmt.Sprintf("%s are concentrated (HHI %d)", what, worst.HHI)
	default:
		return nil
	}
	var ev []Evidence
	for i, t := range worst.Top {
		if i == 3 {
			break
		}
		ev = append(ev, Evidence{Address: t.Address, Detail: fmt.Sprintf("%s: %s of %s (%s of %s raw units of %s); top 10 hold %s, %d depositor(s), HHI %d",
			worst.Mechanism, t.Share, what, t.Amount, worst.Total, worst.Asset, worst.Top10, worst.Depositors, worst.HHI)})
	}
	return &Factor{ID: "deposit-concentration", Signal: "deposit-concentration", Kind: KindBehaviour, Title: title,
		Points: pts, BasePoints: pts, Evidence: ev}
}

// applyDeposits records the deposit-concentration signal on a contract's
// report.
func applyDeposits(r *Report, d *Deposits) {
	res := SignalResult{Name: "deposit-concentration", Status: d.Status, Reason: d.Reason}
	if d.Status != StatusOK {
		r.Unknowns = append(r.Unknowns, res.Name+": "+d.Reason)
	}
	for _, p := range d.Pools {
		res.Evidence = append(res.Evidence, Evidence{Address: p.Asset, Detail: fmt.Sprintf("%s: %d depositor(s), top 1 %s, top 10 %s, HHI %d",
			p.Mechanism, p.Depositors, p.Top1, p.Top10, p.HHI)})
	}
	if d.Note != "" {
		res.Evidence = append(res.Evidence, Evidence{Detail: d.Note})
	}
	if f := depositFactor(d); f != nil {
		// A share token's top holder is the holders signal's
		// "concentrated" factor too: count the fact once, here.
		if slices.ContainsFunc(d.Pools, func(p DepositPool) bool { return p.Mechanism == DepositShares }) {
			if i := slices.IndexFunc(r.Factors, func(x Factor) bool { return x.ID == "concentrated" }); i >= 0 {
				res.Evidence = append(res.Evidence, Evidence{Detail: "replaces the holders signal's factor: " + r.Factors[i].Title})
				r.Factors = slices.Delete(r.Factors, i, i+1)
			}
		}
		r.Factors = append(r.Factors, *f)
	}
	r.Signals = append(r.Signals, res)
	r.finish()
}
