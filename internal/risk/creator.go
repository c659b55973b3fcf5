package risk

import (
	"context"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/bytecode"
)

// Bounds of the creator-history signal.
const (
	// creatorWindow is how many blocks back the creator's deployments are
	// searched.
	creatorWindow = 500_000
	// creatorCandidates bounds the contracts checked as deployments of the
	// creator (one receipt and one transaction lookup each).
	creatorCandidates = 16
	// creatorJudged bounds the previous tokens whose fate is judged (the
	// most recent first; each costs a holders + sale simulation pass).
	creatorJudged = 12
)

type noCreatorKey struct{}

// withoutCreatorHistory returns a context under which the creator-history
// signal does not run (it reports unknown). The signal uses it when it judges
// a previous token, so the judgement does not recurse.
func withoutCreatorHistory(ctx context.Context) context.Context {
	return context.WithValue(ctx, noCreatorKey{}, true)
}

var creatorSignal = Signal{
	Name: "creator-history",
	Doc: "The creator's other deployments and their fate (serial rug-puller): contracts whose deployment transaction the creator sent and whose constructor minted tokens to the creator (one eth_getLogs for mints to the creator over the last " +
		"500k blocks), each judged by behaviour: a simulated sale that reverts now (honeypot) or the creator returning pool LP tokens to the pair (liquidity removed). At most 12 previous tokens are judged (the most recent first, stopping at the second bad one); a creator with a rugged or honeypot token adds a factor.",
	Needs: "node",
	Run: func(ctx context.Context, p *Pass) error {
		n := p.Node
		if ctx.Value(noCreatorKey{}) != nil {
			return fmt.Errorf("%w: creator history not evaluated in this context", ErrUnknown)
		}
		if n.creator == nil {
			return fmt.Errorf("%w: creator not found (no constructor mint in the token's Transfer logs)", ErrUnknown)
		}
		creator := *n.creator
		latest, err := n.Client.BlockNumber(ctx)
		if err != nil {
			return fmt.Errorf("%w: eth_blockNumber: %v", ErrUnknown, err)
		}
		from := uint64(0)
		if latest > creatorWindow {
			from = latest - creatorWindow
		}
		logs, err := n.Client.FilterLogs(ctx, ethereum.FilterQuery{
			FromBlock: new(big.Int).SetUint64(from), ToBlock: new(big.Int).SetUint64(latest),
			Topics: [][]common.Hash{{transferTopic}, {common.Hash{}}, {common.BytesToHash(creator.Bytes())}},
		})
		if err != nil {
			return fmt.Errorf("%w: eth_getLogs mints to the creator in blocks %d..%d: %v", ErrUnknown, from, latest, err)
		}
		deps, checked, err := creatorDeployments(ctx, n.Client, creator, n.Address, logs)
		if err != nil {
			return err
		}
		scope := fmt.Sprintf("blocks %d..%d", from, latest)
		if len(deps) == 0 {
			p.Evidence(Evidence{Address: strings.ToLower(creator.Hex()), Detail: fmt.Sprintf("creator has no other token deployment in %s (%d minting contracts checked)", scope, checked)})
			return nil
		}
		// The most recent first.
		for i, j := 0, len(deps)-1; i < j; i, j = i+1, j-1 {
			deps[i], deps[j] = deps[j], deps[i]
		}
		judged, unknown := 0, 0
		var bad []Evidence
		for _, d := range deps {
			if judged+unknown >= creatorJudged || countAddrs(bad) >= 2 {
				break
			}
			ev, known := judgeToken(ctx, n, creator, d)
			if !known {
				unknown++
				continue
			}
			judged++
			bad = append(bad, ev...)
		}
		if len(bad) > 0 {
			p.Behaviour("creator-rugged", fmt.Sprintf("the creator deployed %d earlier token(s) that rugged or cannot be sold", countAddrs(bad)), 40, bad...)
			return nil
		}
		if judged == 0 {
			return fmt.Errorf("%w: creator deployed %d other token(s) in %s but none could be judged", ErrUnknown, len(deps), scope)
		}
		p.Evidence(Evidence{Address: strings.ToLower(creator.Hex()), Detail: fmt.Sprintf("creator deployed %d other token(s) in %s; %d judged, none rugged or unsellable", len(deps), scope, judged)})
		return nil
	},
}

// deployment is a contract the creator deployed.
type deployment struct {
	addr  common.Address
	block uint64
	tx    common.Hash
}

// creatorDeployments keeps the minting contracts whose deployment
// transaction the creator sent and that minted in their constructor.
func creatorDeployments(ctx context.Context, c Node, creator, self common.Address, logs []types.Log) ([]deployment, int, error) {
	seen := map[common.Address]bool{self: true}
	var out []deployment
	checked := 0
	for _, l := range logs {
		if seen[l.Address] {
			continue
		}
		seen[l.Address] = true
		if checked >= creatorCandidates {
			break
		}
		checked++
		rc, err := c.TransactionReceipt(ctx, l.TxHash)
		if err != nil {
			return nil, checked, fmt.Errorf("%w: eth_getTransactionReceipt %s: %v", ErrUnknown, l.TxHash.Hex(), err)
		}
		if rc.ContractAddress != l.Address {
			continue // a mint after deployment, or a factory deployment
		}
		tx, _, err := c.TransactionByHash(ctx, l.TxHash)
		if err != nil {
			return nil, checked, fmt.Errorf("%w: eth_getTransactionByHash %s: %v", ErrUnknown, l.TxHash.Hex(), err)
		}
		if from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx); err != nil || from != creator {
			continue
		}
		out = append(out, deployment{addr: l.Address, block: l.BlockNumber, tx: l.TxHash})
	}
	return out, checked, nil
}

// judgeToken runs the holders and sale-simulation signals on a previous
// token, plus a check for the creator pulling its pool's liquidity; it
// returns evidence of a rug or honeypot and whether the fate was decided.
func judgeToken(ctx context.Context, n *NodeInput, creator common.Address, d deployment) ([]Evidence, bool) {
	ctx = withoutCreatorHistory(ctx)
	br, err := bytecode.Fetch(ctx, n.Client, d.addr, nil)
	if err != nil {
		return nil, false
	}
	in := &NodeInput{Client: n.Client, RPC: n.RPC, Address: d.addr, Holders: 3}
	q := newPass(br, in)
	q.HolderWeight = WeightUnknown
	addr := strings.ToLower(d.addr.Hex())
	where := fmt.Sprintf("deployed by the creator in block %d (tx %s)", d.block, d.tx.Hex())
	var ev []Evidence
	known := false
	for _, s := range []Signal{holdersSignal, tradeSignal} {
		q.signal = s.Name
		if err := s.Run(ctx, q); err != nil {
			break
		}
		if s.Name == tradeSignal.Name {
			known = true
		}
	}
	for _, f := range q.factors {
		switch f.ID {
		case "cannot-sell", "transfer-blocked", "siphon":
			ev = append(ev, Evidence{Address: addr, Detail: fmt.Sprintf("earlier token %s: %s (simulated now)", where, f.Title)})
		}
	}
	if len(ev) > 0 {
		return ev, true
	}
	// Liquidity removed: the creator sent LP tokens of one of the token's
	// pools back to the pair (how a Uniswap-V2-style burn starts).
	for _, pl := range in.pools {
		logs, err := n.Client.FilterLogs(ctx, ethereum.FilterQuery{
			FromBlock: new(big.Int).SetUint64(d.block), Addresses: []common.Address{pl.addr},
			Topics: [][]common.Hash{{transferTopic}, {common.BytesToHash(creator.Bytes())}, {common.BytesToHash(pl.addr.Bytes())}},
		})
		if err != nil {
			return nil, false
		}
		if len(logs) > 0 {
			l := logs[0]
			ev = append(ev, Evidence{Address: addr, Detail: fmt.Sprintf("earlier token %s: the creator removed liquidity from pool %s in block %d (tx %s)", where, strings.ToLower(pl.addr.Hex()), l.BlockNumber, l.TxHash.Hex())})
			return ev, true
		}
	}
	return nil, known
}

// countAddrs counts the distinct addresses in evidence.
func countAddrs(ev []Evidence) int {
	m := map[string]bool{}
	for _, e := range ev {
		m[e.Address] = true
	}
	return len(m)
}
