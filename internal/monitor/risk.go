package monitor

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/risk"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// Token risk scoring (internal/risk in node mode) of every new pool a
// configured factory creates and of every token first seen in a swap on a
// watched pool. It runs off the detection path: the blocks component only
// matches log topics and offers a job to a bounded queue (a full queue
// drops the job, counted); one goroutine owned by Run, with its own node
// connection, scores the tokens and raises a `token-risk` alert for a high
// or critical report, with the top factors as evidence.

// RiskDetector is the detector name of token-risk alerts.
const RiskDetector = "token-risk"

// Risk defaults.
const (
	// DefaultRiskQueue is the capacity of the scoring queue.
	DefaultRiskQueue = 256
	// DefaultRiskTimeout bounds the scoring of one token.
	DefaultRiskTimeout = 30 * time.Second
	// maxRiskSeen bounds the memory of tokens already scored.
	maxRiskSeen = 100_000
)

// Pool-creation events of Uniswap-V2-style and V3-style factories.
var (
	topicPairCreated = crypto.Keccak256Hash([]byte("PairCreated(address,address,address,uint256)"))
	topicPoolCreated = crypto.Keccak256Hash([]byte("PoolCreated(address,address,uint24,int24,address)"))
	topicV3Mint      = crypto.Keccak256Hash([]byte("Mint(address,address,int24,int24,uint128,uint256,uint256)"))
)

// RiskConfig turns token risk scoring on (Config.Risk).
type RiskConfig struct {
	// Factories are the pool factories whose PairCreated (V2-style) and
	// PoolCreated (V3-style) logs are scored: each side of a new pool not
	// scored before.
	Factories []common.Address
	// Holders is how many real holders the trade simulation sells from
	// (default 3).
	Holders int
	// Queue bounds the scoring queue (default DefaultRiskQueue); Timeout
	// bounds one token (default DefaultRiskTimeout).
	Queue   int
	Timeout time.Duration
	// Analyze scores one token; default risk.AnalyzeToken over the
	// monitor's own connection to Config.RPCURL.
	Analyze func(ctx context.Context, token, pair common.Address) (*risk.Report, error)
	// OnReport, when set, is called with every report (any level).
	OnReport func(RiskResult)
}

// RiskResult is one scored token.
type RiskResult struct {
	Token common.Address
	// Pair is the new pool (zero for a token first seen in a swap).
	Pair common.Address
	// Reason is "new pool", "liquidity added" (a new pool scored before it
	// had liquidity, scored again at its first deposit) or "first swap".
	Reason string
	// TxHash and Block are where the pool was created or the swap mined.
	TxHash common.Hash
	Block  uint64
	Report *risk.Report
	// Events are the alert events raised for it (high or critical only).
	Events []alert.Event
}

type riskJob struct {
	// emitter emitted the log that queued the job (factory or pool)
	token, pair, from, emitter common.Address
	reason                     string
	tx                         common.Hash
	block                      uint64
}

// riskScorer is the monitor's risk component.
type riskScorer struct {
	cfg RiskConfig
	q   chan riskJob

	mu   sync.Mutex
	seen map[common.Address]struct{}
	// dry are new pools not yet scored with liquidity: pool → token. The
	// first deposit into one (in a later transaction) queues the token
	// again: a token that creates its pair in its constructor is listed
	// before it can be traded. A score whose trade simulation ran removes
	// the pool.
	dry map[common.Address][]common.Address
	// reports are the latest report per token (detect.Env.TokenRisk).
	reports map[common.Address]*risk.Report

	dropped, scored atomic.Uint64
}

func newRiskScorer(cfg *RiskConfig) *riskScorer {
	if cfg == nil {
		return nil
	}
	c := *cfg
	if c.Holders <= 0 {
		c.Holders = 3
	}
	if c.Queue <= 0 {
		c.Queue = DefaultRiskQueue
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultRiskTimeout
	}
	return &riskScorer{cfg: c, q: make(chan riskJob, c.Queue), seen: map[common.Address]struct{}{},
		dry: map[common.Address][]common.Address{}, reports: map[common.Address]*risk.Report{}}
}

// first reports whether token was not offered before, and remembers it.
func (r *riskScorer) first(token common.Address) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.seen[token]; ok {
		return false
	}
	if len(r.seen) >= maxRiskSeen {
		clear(r.seen)
	}
	r.seen[token] = struct{}{}
	return true
}

// offerRisk is called by the blocks component for every mined transaction:
// it matches log topics and addresses only (no RPC) and queues each new
// token without waiting; a full queue drops the job, with a warning.
func (m *Monitor) offerRisk(tx *txmodel.Tx, block uint64) {
	r := m.risk
	if r == nil || tx.Status != txmodel.StatusSuccess {
		return
	}
	offer := func(j riskJob) {
		if j.token == (common.Address{}) || (j.reason != "liquidity added" && !r.first(j.token)) {
			return
		}
		select {
		case r.q <- j:
		default:
			r.dropped.Add(1)
			r.mu.Lock()
			delete(r.seen, j.token) // a later sighting may queue it
			r.mu.Unlock()
			m.log.Warn("monitor: risk queue full; token not scored", "token", j.token, "tx", tx.Hash)
		}
	}
	created := map[common.Address]bool{}
	for _, l := range tx.Logs {
		if l.Index < 0 || len(l.Topics) < 3 {
			continue
		}
		var pair common.Address
		switch {
		case l.Topics[0] == topicPairCreated && len(l.Data) >= 32 && r.factory(l.Address):
			pair = common.BytesToAddress(l.Data[:32])
		case l.Topics[0] == topicPoolCreated && len(l.Topics) >= 4 && len(l.Data) >= 64 && r.factory(l.Address):
			pair = common.BytesToAddress(l.Data[32:64])
		default:
			continue
		}
		created[pair] = true
		for _, t := range []common.Hash{l.Topics[1], l.Topics[2]} {
			tok := common.BytesToAddress(t[:])
			r.mu.Lock()
			if _, seen := r.seen[tok]; !seen && len(r.dry) < maxRiskSeen {
				r.dry[pair] = append(r.dry[pair], tok)
			}
			r.mu.Unlock()
			offer(riskJob{token: common.BytesToAddress(t[:]), pair: pair, from: tx.From, reason: "new pool", tx: tx.Hash, block: block, emitter: l.Address})
		}
	}
	for _, l := range tx.Logs {
		if l.Index < 0 || len(l.Topics) == 0 || (l.Kind != txmodel.KindV2Mint && l.Topics[0] != topicV3Mint) {
			continue
		}
		r.mu.Lock()
		tokens := r.dry[l.Address]
		delete(r.dry, l.Address)
		r.mu.Unlock()
		if created[l.Address] {
			continue // created and funded at once: the creation job sees the liquidity
		}
		for _, token := range tokens {
			offer(riskJob{token: token, pair: l.Address, reason: "liquidity added", tx: tx.Hash, block: block, emitter: l.Address})
		}
	}
	for _, l := range tx.Logs {
		if l.Kind != txmodel.KindV2Swap && l.Kind != txmodel.KindV3Swap {
			continue
		}
		pm := tx.Pool(l.Address)
		if pm == nil {
			continue
		}
		if !m.cfg.Watch.Watched(l.Address) && (pm.Token0 == nil || !m.cfg.Watch.Watched(*pm.Token0)) && (pm.Token1 == nil || !m.cfg.Watch.Watched(*pm.Token1)) {
			continue
		}
		for _, t := range []*common.Address{pm.Token0, pm.Token1} {
			if t != nil {
				offer(riskJob{token: *t, pair: l.Address, reason: "first swap", tx: tx.Hash, block: block, emitter: l.Address})
			}
		}
	}
}

func (r *riskScorer) factory(a common.Address) bool {
	for _, f := range r.cfg.Factories {
		if f == a {
			return true
		}
	}
	return false
}

// startRisk starts the risk goroutine (when configured) and returns the
// function that stops it and waits for it.
func (m *Monitor) startRisk(ctx context.Context) (stop func()) {
	if m.risk == nil {
		return func() {}
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); m.runRisk(rctx) }()
	return func() { cancel(); <-done }
}

// runRisk scores queued tokens one at a time until ctx is done. Its node
// connection is its own (dialed lazily, re-dialed after a failure), so a
// slow simulation never holds the detection path's connection.
func (m *Monitor) runRisk(ctx context.Context) {
	var cl *rpc.Client
	defer func() {
		if cl != nil {
			cl.Close()
		}
	}()
	analyze := func(ctx context.Context, j riskJob) (*risk.Report, error) {
		return m.risk.cfg.Analyze(ctx, j.token, j.pair)
	}
	if m.risk.cfg.Analyze == nil {
		analyze = func(ctx context.Context, j riskJob) (*risk.Report, error) {
			if cl == nil {
				c, err := m.cfg.Dial(ctx, m.cfg.RPCURL)
				if err != nil {
					return nil, fmt.Errorf("dial %s: %w", redactURL(m.cfg.RPCURL), err)
				}
				cl = c
			}
			eth := ethclient.NewClient(cl)
			waitLogs(ctx, eth, j)
			rep, err := risk.AnalyzeToken(ctx, eth, cl, j.token, risk.Options{Pair: j.pair, Holders: m.risk.cfg.Holders})
			if err != nil {
				cl.Close()
				cl = nil
			}
			return rep, err
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-m.risk.q:
			m.scoreToken(ctx, j, analyze)
		}
	}
}

// waitLogs waits (a few seconds at most) until the node's eth_getLogs
// returns the log that queued j: nodes index logs asynchronously
// (go-ethereum's log index trails the head), and the engine rebuilds
// holders and pools from Transfer logs.
func waitLogs(ctx context.Context, eth *ethclient.Client, j riskJob) {
	b := new(big.Int).SetUint64(j.block)
	q := ethereum.FilterQuery{FromBlock: b, ToBlock: b, Addresses: []common.Address{j.emitter}}
	for i := 0; i < 50; i++ {
		logs, err := eth.FilterLogs(ctx, q)
		if err != nil || len(logs) > 0 {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// scoreToken scores one token and raises the alert.
func (m *Monitor) scoreToken(ctx context.Context, j riskJob, analyze func(context.Context, riskJob) (*risk.Report, error)) {
	jctx, cancel := context.WithTimeout(ctx, m.risk.cfg.Timeout)
	rep, err := analyze(jctx, j)
	cancel()
	if err != nil {
		if ctx.Err() == nil {
			m.log.Warn("monitor: token risk", "token", j.token, "pair", j.pair, "err", err)
		}
		return
	}
	m.risk.scored.Add(1)
	m.risk.mu.Lock()
	if len(m.risk.reports) >= maxRiskSeen {
		clear(m.risk.reports)
	}
	m.risk.reports[j.token] = rep
	m.risk.mu.Unlock()
	if !tradeUnknown(rep) {
		m.risk.mu.Lock()
		if ts := slices.DeleteFunc(m.risk.dry[j.pair], func(t common.Address) bool { return t == j.token }); len(ts) > 0 {
			m.risk.dry[j.pair] = ts
		} else {
			delete(m.risk.dry, j.pair)
		}
		m.risk.mu.Unlock()
	}
	res := RiskResult{Token: j.token, Pair: j.pair, Reason: j.reason, TxHash: j.tx, Block: j.block, Report: rep}
	m.log.Debug("monitor: token scored", "token", j.token, "reason", j.reason, "score", rep.RiskScore, "level", rep.Level)
	if rep.Level == risk.LevelHigh || rep.Level == risk.LevelCritical {
		obs := []alert.Observation{riskObservation(m.env.ChainID, j, rep)}
		dctx, dcancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		evs, err := m.observe(dctx, obs)
		if err != nil {
			m.log.Error("monitor: observe token risk", "token", j.token, "err", err)
		}
		m.deliver(dctx, evs)
		m.markDelivered(dctx, obs, evs)
		dcancel()
		res.Events = evs
	}
	if m.risk.cfg.OnReport != nil {
		m.risk.cfg.OnReport(res)
	}
}

// tradeUnknown reports whether the trade simulation could not run (a pool
// without liquidity yet).
func tradeUnknown(rep *risk.Report) bool {
	for _, s := range rep.Signals {
		if s.Name == "trade-simulation" {
			return s.Status == risk.StatusUnknown
		}
	}
	return false
}

// RiskMessage is the one-line explanation of a risky token: what it is and
// its top factors ("new pair 0x… lists a honeypot 0x…: sale reverts …").
func RiskMessage(reason string, token, pair common.Address, rep *risk.Report) string {
	what := fmt.Sprintf("a %s-risk token", rep.Level)
	if rep.Flag("is_honeypot") == "1" {
		what = "a honeypot"
	}
	var b strings.Builder
	switch reason {
	case "new pool", "liquidity added":
		fmt.Fprintf(&b, "new pair %s lists %s %s", pair.Hex(), what, token.Hex())
	default:
		fmt.Fprintf(&b, "%s, first traded on %s, is %s", token.Hex(), pair.Hex(), what)
	}
	fmt.Fprintf(&b, " (risk %d/100)", rep.RiskScore)
	for i, f := range rep.Factors {
		if i == 3 || f.Points <= 0 {
			break
		}
		sep := "; "
		if i == 0 {
			sep = ": "
		}
		fmt.Fprintf(&b, "%s%s (+%d)", sep, f.Title, f.Points)
	}
	return b.String()
}

// riskObservation turns a high or critical report into an observation.
func riskObservation(chainID uint64, j riskJob, rep *risk.Report) alert.Observation {
	sev, conf := alert.SeverityHigh, alert.Confidence(0.7)
	if rep.Level == risk.LevelCritical {
		sev, conf = alert.SeverityCritical, 0.85
	}
	var ids []string
	nums := map[string]float64{"risk_score": float64(rep.RiskScore)}
	for i, f := range rep.Factors {
		if i == 5 || f.Points <= 0 {
			break
		}
		ids = append(ids, f.ID)
		nums["factor_"+f.ID] = float64(f.Points)
	}
	title := "High-risk token"
	if rep.Flag("is_honeypot") == "1" {
		title = "Honeypot token"
	}
	o := alert.Observation{
		Detector: RiskDetector, Severity: sev, Confidence: conf,
		Message: RiskMessage(j.reason, j.token, j.pair, rep), Numbers: nums,
		ChainID: chainID, TxHash: j.tx.Hex(), Stage: alert.StageConfirmed, Block: j.block,
		Victim: alert.Protocol{Name: "token " + j.token.Hex(), Address: j.token.Hex()},
		Title:  title, Technique: "token risk (" + strings.Join(ids, ", ") + ")",
	}
	if j.reason != "first swap" {
		o.Attacker = j.from.Hex() // whoever listed it
	}
	return o
}

// tokenRisk is detect.Env.TokenRisk: the latest report of token, if any.
func (m *Monitor) tokenRisk(token common.Address) *risk.Report {
	if m.risk == nil {
		return nil
	}
	m.risk.mu.Lock()
	defer m.risk.mu.Unlock()
	return m.risk.reports[token]
}

// RiskStats are the risk component's counters.
type RiskStats struct {
	Scored  uint64 `json:"scored"`
	Dropped uint64 `json:"dropped"`
}

// RiskStats returns the risk component's counters (zero without Config.Risk).
func (m *Monitor) RiskStats() RiskStats {
	if m.risk == nil {
		return RiskStats{}
	}
	return RiskStats{Scored: m.risk.scored.Load(), Dropped: m.risk.dropped.Load()}
}
