package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"os"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/cluster"
	"github.com/aegis-defi/aegis/internal/index"
	"github.com/aegis-defi/aegis/internal/labels"
	"github.com/aegis-defi/aegis/internal/launder"
	"github.com/aegis-defi/aegis/internal/trace"
)

// DefaultTraceScenario is the scenario `aegis demo` asks the trace
// capability to launder when it is part of the run: its exploit pays the
// attacker's wallet in plain ETH.
const DefaultTraceScenario = "reentrancy"

// TraceOptions configures the forensics capability of the demo.
type TraceOptions struct {
	// Out receives the endpoints as narration; nil is silent.
	Out io.Writer
	// Logger receives the indexer's diagnostics; nil discards them.
	Logger *slog.Logger
	// Scenario names the scenario to launder; "" means the first whose
	// exploit paid the attacker's wallet at least 1 ETH.
	Scenario string
}

// TraceReport is the report's `trace` object: one laundered exploit
// followed forward by aegis index + aegis trace.
type TraceReport struct {
	Scenario  string  `json:"scenario"`
	ExploitTx string  `json:"exploit_tx"`
	StolenETH float64 `json:"stolen_eth"`
	Model     string  `json:"model"`
	// IndexedBlocks counts the blocks indexed (exploit to head);
	// NodesVisited the addresses the trace expanded.
	IndexedBlocks int             `json:"indexed_blocks"`
	NodesVisited  int             `json:"nodes_visited"`
	Endpoints     []TraceEndpoint `json:"endpoints"`
	Findings      []TraceFinding  `json:"findings,omitempty"`
	// Truth is the laundering testbed's record of where the loot went,
	// for comparison (the trace never reads it).
	Truth      TraceTruth `json:"truth"`
	DurationMS int64      `json:"duration_ms"`
}

// TraceEndpoint is where part of the stolen value rests.
type TraceEndpoint struct {
	Address string `json:"address"`
	// Kind is holder, mixer, bridge, exchange-hot-wallet, … (see
	// internal/trace).
	Kind string `json:"kind"`
	// AmountETH is the stolen value resting here, in ETH (tokens at the
	// swap's rate).
	AmountETH float64 `json:"amount_eth"`
	Hops      int     `json:"hops"`
	// Deposits are, for an exchange, its deposit addresses the loot went
	// through.
	Deposits    []string `json:"deposits,omitempty"`
	Explanation string   `json:"explanation"`
}

// TraceFinding is a laundering pattern seen along the trail.
type TraceFinding struct {
	Pattern   string   `json:"pattern"`
	Addresses []string `json:"addresses"`
}

// TraceTruth is the laundering testbed's ground truth.
type TraceTruth struct {
	Holders         []TraceEndpoint `json:"holders"`
	AttackerDeposit string          `json:"attacker_deposit"`
	HotWallet       string          `json:"hot_wallet"`
	Mixer           string          `json:"mixer"`
	Bridge          string          `json:"bridge"`
}

// Trace returns hooks that launder one exploit's loot and follow it: after
// the chosen scenario (OnDone) the attacker's stolen ETH goes through the
// laundering testbed (internal/launder: split, peel chain, swap, mixer,
// bridge, exchange deposit addresses and a hot wallet, benign users mixed
// in); the blocks from the exploit to the head are indexed
// (internal/index, into a temporary directory) and the exploit
// transaction is traced forward (internal/trace, haircut, services
// recognised by behaviour through internal/cluster; the bridge is known
// from its deployment record, as an investigator's labels would know
// it). OnReport puts the result in Report.Trace.
func Trace(opts TraceOptions) *Hooks {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	c := &traceCap{opts: opts}
	return &Hooks{
		OnDone: c.done,
		OnReport: func(_ context.Context, rep *Report) {
			rep.Trace = c.rep
		},
	}
}

type traceCap struct {
	opts TraceOptions
	rep  *TraceReport
}

// done launders and traces the loot of r when it is the chosen scenario
// (or, with none chosen, the first that qualifies).
func (c *traceCap) done(ctx context.Context, s *Session, r *Run) error {
	if c.rep != nil || !r.Report.Succeeded || (c.opts.Scenario != "" && r.Info.Name != c.opts.Scenario) {
		return nil
	}
	tx, loot, err := c.loot(ctx, s, r)
	if err != nil || loot == nil {
		return err
	}
	rep, err := c.follow(ctx, s, r.Info.Name, tx, loot)
	if err != nil {
		return fmt.Errorf("trace capability: %w", err)
	}
	c.rep = rep
	if c.opts.Out != nil {
		writeTraceNarration(c.opts.Out, rep)
	}
	return nil
}

// loot finds the exploit transaction that paid the attacker's wallet the
// most ETH and that amount; nil when no exploit paid it at least 1 ETH
// (the loot is in tokens or stayed in a contract).
func (c *traceCap) loot(ctx context.Context, s *Session, r *Run) (common.Hash, *big.Int, error) {
	be := s.Client.Backend()
	who := s.Env.Attacker.Address
	var best common.Hash
	var most *big.Int
	for _, h := range r.Report.ExploitTxs {
		hash := common.HexToHash(h)
		rc, err := be.TransactionReceipt(ctx, hash)
		if err != nil {
			return best, nil, fmt.Errorf("trace capability: receipt of %s: %w", hash, err)
		}
		before, err := be.BalanceAt(ctx, who, new(big.Int).Sub(rc.BlockNumber, big.NewInt(1)))
		if err != nil {
			return best, nil, fmt.Errorf("trace capability: balance of %s: %w", who, err)
		}
		after, err := be.BalanceAt(ctx, who, rc.BlockNumber)
		if err != nil {
			return best, nil, fmt.Errorf("trace capability: balance of %s: %w", who, err)
		}
		gain := new(big.Int).Sub(after, before)
		if rc.EffectiveGasPrice != nil {
			gain.Add(gain, new(big.Int).Mul(rc.EffectiveGasPrice, new(big.Int).SetUint64(rc.GasUsed)))
		}
		if most == nil || gain.Cmp(most) > 0 {
			best, most = hash, gain
		}
	}
	if most == nil || most.Cmp(chain.Ether(1)) < 0 {
		return best, nil, nil
	}
	return best, most, nil
}

// follow launders loot from the attacker, indexes and traces it.
func (c *traceCap) follow(ctx context.Context, s *Session, scenario string, tx common.Hash, loot *big.Int) (*TraceReport, error) {
	start := time.Now()
	if len(s.Env.Users) < 5 {
		return nil, fmt.Errorf("laundering needs 5 benign users, the demo has %d", len(s.Env.Users))
	}
	rc, err := s.Client.Backend().TransactionReceipt(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("receipt of %s: %w", tx, err)
	}
	thief := s.Env.Attacker
	truth, err := launder.Run(ctx, launder.Env{Client: s.Client, Operator: s.Env.Deployer, Victim: s.Env.Deployer,
		Users: s.Env.Users[:5], Seed: "demo/" + scenario, Thief: &thief, TheftTx: tx, Amount: loot})
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "aegis-demo-index-")
	if err != nil {
		return nil, fmt.Errorf("index directory: %w", err)
	}
	defer func() { _ = os.RemoveAll(dir) }()
	rpcc, err := rpc.DialContext(ctx, s.RPCURL)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", s.RPCURL, err)
	}
	defer rpcc.Close()
	ix, err := index.New(ctx, rpcc, dir, index.Options{From: rc.BlockNumber.Uint64(), Logger: c.opts.Logger})
	if err != nil {
		return nil, err
	}
	defer func() { _ = ix.Close() }()
	ires, err := ix.Run(ctx)
	if err != nil {
		return nil, err
	}
	// What an investigator knows: the bridge's deployment record.
	ls := &labels.Set{}
	ls.Add(labels.Label{Address: truth.BridgeVault, Label: "demo lock-and-mint bridge", Category: labels.Bridge,
		Source: "demo deployment record", Confidence: 1, Modified: time.Now()})
	det := cluster.New(ix.Graph())
	res, err := trace.Run(ctx, ix.Graph(), trace.Options{Tx: &tx, Model: trace.Haircut, Labels: ls, Classify: det.Classify,
		MixerCandidates: det.TraceCandidates})
	if err != nil {
		return nil, err
	}
	rep := &TraceReport{Scenario: scenario, ExploitTx: tx.Hex(), StolenETH: chain.ToEther(loot), Model: string(res.Model),
		IndexedBlocks: ires.Blocks, NodesVisited: res.Visited, Endpoints: []TraceEndpoint{},
		Truth: TraceTruth{AttackerDeposit: truth.AttackerDeposit.Hex(), HotWallet: truth.HotWallet.Hex(),
			Mixer: truth.Mixer.Hex(), Bridge: truth.BridgeVault.Hex()}}
	for _, ep := range res.Endpoints {
		e := TraceEndpoint{Address: ep.Address.Hex(), Kind: ep.Kind, AmountETH: ep.Value, Hops: ep.Hops, Explanation: ep.Explanation}
		for _, d := range ep.Deposits {
			e.Deposits = append(e.Deposits, d.Hex())
		}
		rep.Endpoints = append(rep.Endpoints, e)
	}
	for _, f := range res.Findings {
		tf := TraceFinding{Pattern: f.Pattern}
		for _, a := range f.Addresses {
			if h := a.Hex(); !slices.Contains(tf.Addresses, h) {
				tf.Addresses = append(tf.Addresses, h)
			}
		}
		rep.Findings = append(rep.Findings, tf)
	}
	for _, h := range truth.Holders {
		rep.Truth.Holders = append(rep.Truth.Holders, TraceEndpoint{Address: h.Address.Hex(), Kind: h.Kind, AmountETH: h.ETH})
	}
	rep.DurationMS = time.Since(start).Milliseconds()
	return rep, nil
}

// writeTraceNarration prints the endpoints of the traced loot.
func writeTraceNarration(w io.Writer, rep *TraceReport) {
	fmt.Fprintf(w, "\n  trace: %.4g ETH stolen by %s (tx %s) was laundered; aegis index + trace followed it (%d blocks, %d addresses):\n",
		rep.StolenETH, rep.Scenario, rep.ExploitTx, rep.IndexedBlocks, rep.NodesVisited)
	for _, e := range rep.Endpoints {
		fmt.Fprintf(w, "    %-20s %s  %8.4f ETH  %d hop(s)\n", e.Kind, e.Address, e.AmountETH, e.Hops)
		for _, d := range e.Deposits {
			fmt.Fprintf(w, "    %-20s   via exchange deposit address %s\n", "", d)
		}
	}
	for _, f := range rep.Findings {
		fmt.Fprintf(w, "    pattern %s: %d address(es)\n", f.Pattern, len(f.Addresses))
	}
}
