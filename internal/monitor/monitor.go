// Package monitor is aegis's real-time chain monitor: it follows a node's
// head and mempool, normalizes every relevant transaction with
// internal/txmodel, runs the streaming detectors (internal/monitor/detect)
// on it, folds their observations into incidents with an alert.Aggregator
// and delivers the events to sinks.
//
// # Architecture
//
// Monitor.Run owns everything. It dials the node and runs one session per
// connection; a session is a run group (errgroup) of components, each a
// goroutine with a Run-style loop stopped by the group's context:
//
//   - heads: a newHeads WebSocket subscription (eth_blockNumber polling over
//     HTTP, or when the node cannot subscribe) that publishes the latest
//     head number on a one-slot, latest-wins channel;
//   - blocks: the only writer of the canonical-chain state. For every head
//     it checks the last processed block is still canonical (reorgs are
//     found by parent hash against the last N hashes: the common ancestor
//     is located, Aggregator.Reorg retracts the alerts of the orphaned
//     blocks and the new branch is processed), then processes every block
//     from the checkpoint up to head − confirmations: fetch (block,
//     receipts and call traces in one batch), select the transactions that
//     touch a watched address, run the detectors, aggregate, deliver,
//     commit the checkpoint. A block is processed to the end once fetched,
//     even when the context is cancelled, so a shutdown never leaves half a
//     block delivered;
//   - pending: a newPendingTransactions subscription (full transactions
//     when the node offers them, else hashes resolved with
//     eth_getTransactionByHash) feeding a bounded queue; over HTTP, an
//     eth_newPendingTransactionFilter polled with eth_getFilterChanges;
//   - simulator: prefilters each pending transaction, simulates it with
//     debug_traceCall (txmodel.Fetcher.Pending), runs the detectors and
//     delivers pending-stage alerts before the transaction is mined;
//   - ticker: Aggregator.Tick every few seconds (cooldown-held updates).
//
// Health reports whether a session is up, the head fresh (MaxHeadAge) and
// the lag small (MaxLag); CaughtUp is closed after the initial backfill.
//
// With a Config.Guard, Run also owns a guard component across sessions:
// the simulator offers each pending-stage incident with a high or critical
// signal to a bounded queue, and the guard goroutine hands it to
// Guard.Handle (a few at a time), stores the decision and attaches its
// response ("paused X in block N; attack 0x… reverted; 50 ETH protected")
// to the alert with Aggregator.Respond, delivered like any event. When the
// guard also implements DeploymentGuard, pending contract deployments that
// an early-stage policy watches go through the same queue to
// HandleDeployment; their decisions are attached to a `guard-early-stage`
// alert, since no detector alert exists for a deployment.
//
// When a component fails (connection lost, subscription error) the group
// is cancelled, every goroutine returns, the client is closed and Run
// reconnects with exponential backoff; the blocks component then backfills
// the gap from its checkpoint. Detectors are called by one goroutine at a
// time (a mutex serialises the blocks and simulator components).
//
// # Pending prefilter
//
// Attackers call their own contracts, so "To is watched" misses most
// exploits. A pending transaction is simulated when it is sent to a watched
// address, creates a contract, carries a watched address in its calldata,
// or comes from a sender the monitor has not seen before. After simulation
// only transactions whose trace touches a watched address (a call frame, a
// log or a balance change) are shown to the detectors.
//
// # Stages
//
// A pending transaction's observations carry stage pending; the mined pass
// of the same transaction carries confirmed, which the aggregator turns into
// a promotion of the same alert. A pending transaction that alerted and is
// neither mined nor in the node's pool DropAfter blocks later is dropped
// (Aggregator.Drop).
//
// # Durability
//
// With a store.Store the checkpoint and recent canonical hashes survive
// restarts (Run resumes at checkpoint+1, no block skipped), alerts are
// upserted by ID, and every delivered (detector, transaction, stage)
// observation is marked so that re-processing a block after a crash does
// not alert again. Alerts still pending when the previous run stopped are
// restored into the aggregator at start (same ID): their transactions are
// promoted when mined or dropped when they leave the pool. On every
// connection the node's genesis hash and its hash of the oldest remembered
// block below the checkpoint are compared with the stored ones; a new chain
// under the same chain id restarts processing from the start block.
//
// # Delivery
//
// Events never go to the sinks from the pipeline: deliver stores them and
// queues them in the outbox (the store's outbox table, or memory), which
// has one bounded queue and one goroutine per sink, retries failed
// attempts with backoff and, when full, drops the oldest event of the
// lowest severity. Detection, the guard hand-off and block processing
// never wait for a delivery.
package monitor

import (
	"context"
	"encoding"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"golang.org/x/sync/errgroup"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/guard"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/store"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// Sender delivers events; *alert.Router and every alert.Sink implement it.
type Sender interface {
	Send(ctx context.Context, ev alert.Event) error
}

// Config configures a Monitor.
type Config struct {
	// RPCURL is the node's JSON-RPC endpoint: ws:// or wss:// for
	// subscriptions (heads and mempool), http(s):// for polling
	// (eth_blockNumber and a pending-transaction filter).
	RPCURL string
	// Dial connects to RPCURL; default rpc.DialContext. Tests wrap it.
	Dial func(ctx context.Context, url string) (*rpc.Client, error)
	// Watch is the watchlist; required.
	Watch *Watchlist
	// WatchCreatedBy adds every contract created by a mined transaction
	// sent from one of these accounts to the watchlist (named "contract
	// 0x…"), e.g. everything a protocol's deployer deploys.
	WatchCreatedBy []common.Address
	// Detectors are run on every relevant transaction, in order.
	Detectors []detect.Detector
	// Aggregator groups observations; default a fresh one with a zero
	// config.
	Aggregator *alert.Aggregator
	// Sink and Sinks receive every event through the outbox (none: events
	// are only stored and passed to OnEvent). Each gets its own queue and
	// delivery goroutine, owned by Run: the pipeline never waits for a
	// delivery.
	Sink  Sender
	Sinks []alert.Sink
	// Outbox bounds and paces the deliveries to the sinks. With a Store the
	// queue is persistent: what was not delivered when Run returned is
	// delivered by the next run.
	Outbox OutboxConfig
	// OnEvent, when set, is called synchronously with every event when it
	// is queued for the sinks.
	OnEvent func(alert.Event)
	// OnBlock, when set, is called synchronously after each block is
	// processed and checkpointed.
	OnBlock func(number uint64, hash common.Hash)
	// Store persists the checkpoint, alerts and marks; nil keeps
	// everything in memory.
	Store *store.Store
	// Decoder names functions and events (nil: txmodel.NewDecoder(nil)).
	Decoder *txmodel.Decoder
	// FromBlock is where a monitor without a checkpoint starts (nil: the
	// current head). A stored checkpoint takes precedence.
	FromBlock *uint64
	// Confirmations delays the mined pass until a block is this deep
	// (0: process the head as soon as it arrives).
	Confirmations uint64
	// ReorgDepth is how many recent canonical hashes are kept to find the
	// common ancestor of a reorg; default 128.
	ReorgDepth int
	// DisablePending turns mempool monitoring off.
	DisablePending bool
	// FreshBlocks is how long (in blocks) a newly created contract counts
	// as fresh for the pending prefilter; default 7200 (about a day).
	FreshBlocks uint64
	// BackfillBlocks is how many blocks of history before the first block
	// the monitor processes are replayed through the detectors on start-up
	// (backfill.go), so that they know each account's deposits; default
	// DefaultBackfillBlocks, negative disables the backfill.
	BackfillBlocks int
	// DropAfter is how many blocks after it was seen an alerting pending
	// transaction that is neither mined nor in the pool is dropped;
	// default 5.
	DropAfter uint64
	// PollInterval is the head polling period over HTTP; default 2 s.
	PollInterval time.Duration
	// MinBackoff and MaxBackoff bound the reconnection backoff; defaults
	// 250 ms and 30 s.
	MinBackoff, MaxBackoff time.Duration
	// TickInterval is the period of Aggregator.Tick; default 5 s.
	TickInterval time.Duration
	// Prices values assets for the detectors. When it also implements
	// TxPricer (internal/monitor/pricing.Pricer does), each transaction is
	// inspected with ForTx(tx) and every mined transaction is Observed
	// after inspection.
	Prices detect.Pricer
	// Labels names addresses for the detectors (optional).
	Labels detect.Labels
	// Holdings overrides the default holdings lookup (eth_getBalance /
	// balanceOf with eth_call, at the parent block for mined transactions
	// and the head for pending ones).
	Holdings func(ctx context.Context, addr, asset common.Address) (*big.Int, error)
	// Metrics records Prometheus metrics (nil: none).
	Metrics *Metrics
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
	// Clock defaults to time.Now.
	Clock func() time.Time
	// Guard, when set, receives every pending-stage incident with a high or
	// critical signal (the transaction, its observations and when it was
	// first seen) on a bounded queue; a goroutine owned by Run hands them
	// to Guard.Handle, stores each decision (Store) and attaches its
	// response to the incident's alerts (Aggregator.Respond), which go to
	// the sink.
	Guard Guard
	// GuardQueue and GuardConcurrency bound the guard's queue and the
	// decisions in progress; defaults DefaultGuardQueue and
	// DefaultGuardConcurrency.
	GuardQueue, GuardConcurrency int
	// OnDecision, when set, is called with every guard decision after it
	// is stored.
	OnDecision func(*guard.Decision)
	// MaxHeadAge is how long the node may go without a new head before
	// Health reports the monitor unhealthy; default 60 s.
	MaxHeadAge time.Duration
	// MaxLag is how many blocks the last processed block may trail the head
	// before Health reports the monitor unhealthy; default 10 (raised to
	// Confirmations+MaxLag).
	MaxLag uint64
	// Risk, when set, scores every new pool of its factories and every
	// token first seen in a swap on a watched pool (or of a watched token)
	// with internal/risk, off the detection path (risk.go).
	Risk *RiskConfig
}

// TxPricer is a Pricer that values each transaction with the state from
// before it and learns from mined transactions.
type TxPricer interface {
	ForTx(tx *txmodel.Tx) detect.Pricer
	Observe(tx *txmodel.Tx)
}

// ChainPricer is a Config.Prices that applies per-chain defaults (e.g.
// pricing.Pricer's mainnet USD stablecoins); the monitor calls SetChain
// with the node's chain id on its first connection.
type ChainPricer interface {
	SetChain(chainID uint64)
}

// Stats are the monitor's counters.
type Stats struct {
	ChainID          uint64         `json:"chain_id"`
	Head             uint64         `json:"head"`
	LastProcessed    uint64         `json:"last_processed"`
	HeadLag          uint64         `json:"head_lag"`
	BlocksProcessed  uint64         `json:"blocks_processed"`
	TxsProcessed     uint64         `json:"txs_processed"`
	TxsRelevant      uint64         `json:"txs_relevant"`
	TxPerSecond      float64        `json:"tx_per_second"`
	PendingSeen      uint64         `json:"pending_seen"`
	PendingSimulated uint64         `json:"pending_simulated"`
	PendingQueueDrop uint64         `json:"pending_queue_dropped"`
	GuardQueueDrop   uint64         `json:"guard_queue_dropped,omitempty"`
	Reorgs           uint64         `json:"reorgs"`
	Reconnects       uint64         `json:"reconnects"`
	NewChains        uint64         `json:"new_chains,omitempty"`
	OutboxDepth      int64          `json:"outbox_depth"`
	OutboxDelivered  uint64         `json:"outbox_delivered"`
	OutboxFailures   uint64         `json:"outbox_failures"`
	OutboxDropped    uint64         `json:"outbox_dropped"`
	AlertsByDetector map[string]int `json:"alerts_by_detector"`
}

// PendingResult is what the monitor did with one pending transaction.
type PendingResult struct {
	Hash common.Hash
	// Simulated is false when the prefilter skipped the transaction or
	// it was already mined; Relevant when its simulation touched a watched
	// address.
	Simulated, Relevant bool
	// Observations are the detectors' findings; Events what the
	// aggregator emitted for them.
	Observations []alert.Observation
	Events       []alert.Event
	// SeenAt is when the monitor received the transaction; DoneAt when it
	// finished with it.
	SeenAt, DoneAt time.Time
	// Err is the simulation error, if any.
	Err error
}

// Monitor watches a chain. Create it with New and run it with Run.
type Monitor struct {
	cfg Config
	log *slog.Logger
	dec *txmodel.Decoder
	agg *alert.Aggregator
	env detect.Env

	detMu sync.Mutex // serialises detector calls

	// chain state, owned by the blocks component (guarded by mu for readers)
	mu       sync.Mutex
	chainID  uint64
	started  bool
	next     uint64 // next block to process
	canon    map[uint64]common.Hash
	canonMin uint64
	head     uint64
	mined    map[common.Hash]uint64 // recently mined tx → block
	tracked  map[common.Hash]*tracked
	results  map[common.Hash]*PendingResult
	waiters  map[common.Hash][]chan struct{}
	blockW   []blockWaiter
	senders  map[common.Address]struct{}
	fresh    map[common.Address]uint64 // contracts created recently → block
	byDet    map[string]int
	firstTx  time.Time

	ready     chan struct{} // closed once the first session's subscriptions are up
	readyOnce sync.Once

	genesis   common.Hash // the node's genesis hash, once known
	headAt    time.Time   // when the head last changed (guarded by mu)
	connected atomic.Bool // a session is up
	caughtUp  chan struct{}
	caughtMu  sync.Once

	ob *outbox

	guardQ chan guardJob // nil without a guard

	calls *callMemory // prefilter memory (prefilter.go)
	risk  *riskScorer // nil without Config.Risk (risk.go)

	backfilled BackfillResult              // guarded by mu
	history    map[common.Address]struct{} // watched addresses whose history was backfilled (mu)
	tried      map[common.Address]struct{} // watched addresses a backfill ran for, or was skipped for (blocks component only)

	blocks, txs, relevantTxs, pendSeen, pendSim, pendDrop, reorgs, reconnects, guardDrop, newChains atomic.Uint64
}

type tracked struct {
	block    uint64 // head when first seen
	alerting bool
}

type blockWaiter struct {
	n  uint64
	ch chan struct{}
}

// New validates cfg and returns a monitor.
func New(cfg Config) (*Monitor, error) {
	if cfg.RPCURL == "" {
		return nil, errors.New("monitor: no RPC URL")
	}
	if cfg.Watch == nil {
		return nil, errors.New("monitor: no watchlist")
	}
	if cfg.Dial == nil {
		cfg.Dial = rpc.DialContext
	}
	if cfg.Aggregator == nil {
		cfg.Aggregator = alert.NewAggregator(alert.AggregatorConfig{})
	}
	if cfg.Decoder == nil {
		cfg.Decoder = txmodel.NewDecoder(nil)
	}
	if cfg.ReorgDepth <= 0 {
		cfg.ReorgDepth = 128
	}
	if cfg.FreshBlocks == 0 {
		cfg.FreshBlocks = 7200
	}
	if cfg.BackfillBlocks == 0 {
		cfg.BackfillBlocks = DefaultBackfillBlocks
	}
	if cfg.DropAfter == 0 {
		cfg.DropAfter = 5
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 2 * time.Second
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = 250 * time.Millisecond
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = max(30*time.Second, cfg.MinBackoff)
	}
	if cfg.TickInterval <= 0 {
		cfg.TickInterval = 5 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.GuardQueue <= 0 {
		cfg.GuardQueue = DefaultGuardQueue
	}
	if cfg.GuardConcurrency <= 0 {
		cfg.GuardConcurrency = DefaultGuardConcurrency
	}
	if cfg.MaxHeadAge <= 0 {
		cfg.MaxHeadAge = 60 * time.Second
	}
	if cfg.MaxLag == 0 {
		cfg.MaxLag = 10
	}
	m := &Monitor{
		cfg: cfg, log: cfg.Logger, dec: cfg.Decoder, agg: cfg.Aggregator,
		canon:    map[uint64]common.Hash{},
		mined:    map[common.Hash]uint64{},
		tracked:  map[common.Hash]*tracked{},
		results:  map[common.Hash]*PendingResult{},
		waiters:  map[common.Hash][]chan struct{}{},
		senders:  map[common.Address]struct{}{},
		fresh:    map[common.Address]uint64{},
		byDet:    map[string]int{},
		ready:    make(chan struct{}),
		caughtUp: make(chan struct{}),
		calls:    newCallMemory(),
		history:  map[common.Address]struct{}{},
		tried:    map[common.Address]struct{}{},
	}
	var sinks []Sender
	if cfg.Sink != nil {
		sinks = append(sinks, cfg.Sink)
	}
	for _, sk := range cfg.Sinks {
		sinks = append(sinks, sk)
	}
	if len(sinks) > 0 {
		var q outboxQueue = newMemOutbox()
		if cfg.Store != nil {
			q = cfg.Store
		}
		m.ob = newOutbox(cfg.Outbox, q, sinks, cfg.Logger, cfg.Metrics, cfg.Clock)
	}
	if cfg.Guard != nil {
		m.guardQ = make(chan guardJob, cfg.GuardQueue)
	}
	m.risk = newRiskScorer(cfg.Risk)
	m.env = detect.Env{Watch: cfg.Watch, Prices: cfg.Prices, Labels: cfg.Labels, Now: cfg.Clock, Holdings: cfg.Holdings,
		HistoryKnown: m.historyKnown, TokenRisk: m.tokenRisk}
	return m, nil
}

// Watchlist returns the monitor's watchlist (it may be extended while the
// monitor runs).
func (m *Monitor) Watchlist() *Watchlist { return m.cfg.Watch }

// Aggregator returns the monitor's aggregator.
func (m *Monitor) Aggregator() *alert.Aggregator { return m.agg }

// session is one connection's worth of clients.
type session struct {
	rpc     *rpc.Client
	eth     *ethclient.Client
	fetcher *txmodel.Fetcher
	ws      bool
	// up is called by each subscribing component once it is subscribed;
	// when all are, the monitor is ready.
	up func()
}

// Run monitors the chain until ctx is cancelled; it returns nil then. The
// first connection must succeed (an unreachable node is reported at once,
// naming the URL and the failing method); later connection losses are
// retried with exponential backoff.
func (m *Monitor) Run(ctx context.Context) error {
	if err := m.loadState(ctx); err != nil {
		return err
	}
	if m.ob != nil {
		// The outbox outlives everything else in Run (the last deferred
		// call): events emitted during shutdown are still delivered, for
		// up to Outbox.DrainTimeout.
		stop := make(chan struct{})
		hard, cancelHard := context.WithCancel(context.WithoutCancel(ctx))
		done := make(chan struct{})
		go func() { defer close(done); m.ob.run(hard, stop) }()
		defer func() {
			close(stop)
			t := time.AfterFunc(m.ob.cfg.DrainTimeout, cancelHard)
			<-done
			t.Stop()
			cancelHard()
			if n := m.ob.depth(); n > 0 {
				m.log.Warn("monitor: alerts left undelivered at shutdown", "queued", n, "persistent", m.cfg.Store != nil)
			}
		}()
	}
	defer func() {
		if err := m.SaveState(context.WithoutCancel(ctx)); err != nil {
			m.log.Error("monitor: save detector state", "err", err)
		}
	}()
	if m.guardQ != nil {
		// The guard outlives sessions (it has its own node connection):
		// a reconnect does not interrupt a decision being watched.
		gctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); m.runGuard(gctx) }()
		defer func() { cancel(); <-done }()
	}
	defer m.startRisk(ctx)() // outlives sessions too (own connection)
	backoff := m.cfg.MinBackoff
	first := true
	for {
		began := time.Now()
		err := m.session(ctx, first)
		m.connected.Store(false)
		if ctx.Err() != nil {
			return nil
		}
		var fatal *fatalError
		if errors.As(err, &fatal) {
			return fatal.err
		}
		if first && err != nil && !m.isStarted() {
			return err
		}
		first = false
		if time.Since(began) > 2*m.cfg.MaxBackoff {
			backoff = m.cfg.MinBackoff
		}
		m.reconnects.Add(1)
		m.cfg.Metrics.reconnect()
		m.log.Warn("monitor: connection lost; reconnecting", "rpc", redactURL(m.cfg.RPCURL), "err", err, "backoff", backoff)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		backoff = min(2*backoff, m.cfg.MaxBackoff)
	}
}

// stateKey is the store's model name of a detector's state.
func stateKey(name string) string { return "detector:" + name }

// loadState restores the state of detectors that implement
// encoding.BinaryUnmarshaler (the anomaly models) from the store.
func (m *Monitor) loadState(ctx context.Context) error {
	if m.cfg.Store == nil {
		return nil
	}
	m.detMu.Lock()
	defer m.detMu.Unlock()
	for _, d := range m.cfg.Detectors {
		u, ok := d.(encoding.BinaryUnmarshaler)
		if !ok {
			continue
		}
		name := d.Meta().Name
		blob, ok, err := m.cfg.Store.LoadModel(ctx, stateKey(name))
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := u.UnmarshalBinary(blob); err != nil {
			m.log.Warn("monitor: discarding unreadable detector state", "detector", name, "err", err)
			continue
		}
		m.log.Info("monitor: detector state restored", "detector", name, "bytes", len(blob))
	}
	return nil
}

// SaveState saves the state of detectors that implement
// encoding.BinaryMarshaler to the store (a no-op without one). Run calls
// it every 100 blocks and when it returns.
func (m *Monitor) SaveState(ctx context.Context) error {
	if m.cfg.Store == nil {
		return nil
	}
	m.detMu.Lock()
	defer m.detMu.Unlock()
	var errs []error
	for _, d := range m.cfg.Detectors {
		bm, ok := d.(encoding.BinaryMarshaler)
		if !ok {
			continue
		}
		blob, err := bm.MarshalBinary()
		if err == nil {
			err = m.cfg.Store.SaveModel(ctx, stateKey(d.Meta().Name), blob)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("detector %s: %w", d.Meta().Name, err))
		}
	}
	return errors.Join(errs...)
}

type fatalError struct{ err error }

func (e *fatalError) Error() string { return e.err.Error() }

func (m *Monitor) isStarted() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.started
}

// session runs the components over one connection until one fails or ctx
// is done.
func (m *Monitor) session(ctx context.Context, first bool) error {
	url := m.cfg.RPCURL
	dctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	c, err := m.cfg.Dial(dctx, url)
	cancel()
	if err != nil {
		return fmt.Errorf("monitor: connect to %s: %w", redactURL(url), err)
	}
	defer c.Close()
	s := &session{rpc: c, eth: ethclient.NewClient(c), ws: isWS(url)}
	s.fetcher = txmodel.NewFetcher(c, m.dec, txmodel.WithLogger(m.log),
		txmodel.WithTokenResolver(txmodel.NewRPCTokenResolver(c)))

	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	id, err := s.eth.ChainID(cctx)
	cancel()
	if err != nil {
		return fmt.Errorf("monitor: eth_chainId on %s: %w", redactURL(url), err)
	}
	if err := m.init(ctx, s, id.Uint64()); err != nil {
		return err
	}
	if first {
		// Also after a restart: the detectors' ledgers are not persisted.
		addrs := m.cfg.Watch.Addresses()
		r := m.backfill(ctx, s, addrs, true)
		for _, a := range addrs {
			m.tried[a] = struct{}{}
		}
		m.mu.Lock()
		m.backfilled = r
		m.mu.Unlock()
	}

	pending := !m.cfg.DisablePending
	need := int32(1)
	if pending {
		need++
	}
	var ups atomic.Int32
	s.up = func() {
		if ups.Add(1) == need {
			m.readyOnce.Do(func() { close(m.ready) })
		}
	}

	g, gctx := errgroup.WithContext(ctx)
	heads := make(chan uint64, 1)
	g.Go(func() error { return m.runHeads(gctx, s, heads) })
	g.Go(func() error { return m.runBlocks(gctx, s, heads) })
	if pending {
		queue := make(chan *pendingTx, 1024)
		if s.ws {
			g.Go(func() error { return m.runPending(gctx, s, queue) })
		} else {
			g.Go(func() error { return m.runPendingPoll(gctx, s, queue) })
		}
		g.Go(func() error { return m.runSimulator(gctx, s, queue) })
	}
	g.Go(func() error { return m.runTicker(gctx) })
	return g.Wait()
}

// init sets the chain id and, on the first connection, loads the
// checkpoint and the starting block and restores the incidents still
// pending when the previous run stopped. On every connection it checks
// the node still serves the chain the state belongs to (see checkChain).
func (m *Monitor) init(ctx context.Context, s *session, chainID uint64) error {
	m.mu.Lock()
	started, prev := m.started, m.chainID
	m.mu.Unlock()
	if started {
		if prev != chainID {
			return &fatalError{fmt.Errorf("monitor: node at %s switched from chain %d to chain %d", redactURL(m.cfg.RPCURL), prev, chainID)}
		}
		return m.checkChain(ctx, s)
	}
	if cp, ok := m.cfg.Prices.(ChainPricer); ok {
		cp.SetChain(chainID)
	}
	var next uint64
	canon := map[uint64]common.Hash{}
	resumed := false
	if m.cfg.Store != nil {
		cp, ok, err := m.cfg.Store.Checkpoint(ctx, chainID)
		if err != nil {
			return &fatalError{err}
		}
		if ok {
			refs, err := m.cfg.Store.Canonical(ctx, chainID)
			if err != nil {
				return &fatalError{err}
			}
			for _, r := range refs {
				canon[r.Number] = r.Hash
			}
			if cp.Hash != (common.Hash{}) { // zero after a reorg deeper than the window
				canon[cp.Number] = cp.Hash
			}
			next, resumed = cp.Number+1, true
			if m.cfg.FromBlock != nil {
				m.log.Warn("monitor: resuming from the stored checkpoint; --from-block ignored", "checkpoint", cp.Number, "from_block", *m.cfg.FromBlock)
			}
			m.log.Info("monitor: resuming", "chain", chainID, "checkpoint", cp.Number)
		}
		g, ok, err := m.cfg.Store.Genesis(ctx, chainID)
		if err != nil {
			return &fatalError{err}
		}
		if ok {
			m.genesis = g
		}
	}
	if !resumed {
		if m.cfg.FromBlock != nil {
			next = *m.cfg.FromBlock
		} else {
			cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
			h, err := s.eth.BlockNumber(cctx)
			cancel()
			if err != nil {
				return fmt.Errorf("monitor: eth_blockNumber on %s: %w", redactURL(m.cfg.RPCURL), err)
			}
			next = h
		}
	}
	m.mu.Lock()
	m.chainID, m.started, m.next, m.canon = chainID, true, next, canon
	m.canonMin = next
	for n := range canon {
		m.canonMin = min(m.canonMin, n)
	}
	m.mu.Unlock()
	m.env.ChainID = chainID
	if err := m.restoreIncidents(ctx, chainID, next); err != nil {
		return &fatalError{err}
	}
	return m.checkChain(ctx, s)
}

// restoreIncidents puts the stored alerts of chainID that were still
// pending back into the aggregator (same IDs) and tracks their pending
// transactions: the mined pass promotes them, or dropStale drops them.
func (m *Monitor) restoreIncidents(ctx context.Context, chainID, next uint64) error {
	if m.cfg.Store == nil {
		return nil
	}
	als, err := m.cfg.Store.OpenAlerts(ctx, chainID)
	if err != nil {
		return err
	}
	seenAt := next
	if seenAt > 0 {
		seenAt--
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range als {
		al := &als[i].Alert
		m.agg.Restore(al, als[i].Seq)
		for _, t := range al.Evidence.Txs {
			if t.Stage == alert.StagePending {
				m.tracked[common.HexToHash(t.Hash)] = &tracked{block: seenAt, alerting: true}
			}
		}
	}
	if len(als) > 0 {
		m.log.Info("monitor: restored incidents still pending at the last stop", "chain", chainID, "incidents", len(als))
	}
	return nil
}

// checkChain verifies that the node serves the chain the monitor's state
// belongs to: the same genesis hash and, below the last processed block,
// the same canonical hash at the oldest block still remembered (above
// genesis: dev chains share theirs). A node
// restarted with a fresh chain under the same chain id fails one of the
// two; the monitor then logs both hashes, drops the old chain's pending
// incidents, forgets its position and restarts from the configured start
// block (FromBlock, else 0), so no block of the new chain is skipped.
func (m *Monitor) checkChain(ctx context.Context, s *session) error {
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	g, err := s.eth.HeaderByNumber(cctx, big.NewInt(0))
	if err != nil {
		return fmt.Errorf("monitor: eth_getBlockByNumber 0 (genesis) on %s: %w", redactURL(m.cfg.RPCURL), err)
	}
	genesis := g.Hash()
	m.mu.Lock()
	known := m.genesis
	var anc uint64
	var want common.Hash
	found := false
	if m.next > 0 {
		for n, h := range m.canon {
			// The oldest remembered block above genesis and below the
			// checkpoint: a reorg within the window leaves it in place.
			if n > 0 && n+1 < m.next && (!found || n < anc) {
				anc, want, found = n, h, true
			}
		}
	}
	m.mu.Unlock()

	reason, block, stored, got := "", uint64(0), common.Hash{}, common.Hash{}
	switch {
	case known != (common.Hash{}) && known != genesis:
		reason, stored, got = "genesis hash differs", known, genesis
	case found:
		hd, err := s.eth.HeaderByNumber(cctx, new(big.Int).SetUint64(anc))
		switch {
		case errors.Is(err, ethereum.NotFound):
			reason, block, stored = "the node has no block at a processed height", anc, want
		case err != nil:
			return fmt.Errorf("monitor: eth_getBlockByNumber %d on %s: %w", anc, redactURL(m.cfg.RPCURL), err)
		case hd.Hash() != want:
			reason, block, stored, got = "canonical hash below the checkpoint differs", anc, want, hd.Hash()
		}
	}
	if reason == "" {
		if known != genesis {
			if m.cfg.Store != nil {
				if err := m.cfg.Store.SetGenesis(ctx, m.env.ChainID, genesis); err != nil {
					return &fatalError{err}
				}
			}
			m.mu.Lock()
			m.genesis = genesis
			m.mu.Unlock()
		}
		return nil
	}
	start := uint64(0)
	if m.cfg.FromBlock != nil {
		start = *m.cfg.FromBlock
	}
	m.log.Warn("monitor: the node serves a new chain under the same chain id; restarting from the start block",
		"chain", m.env.ChainID, "reason", reason, "block", block, "stored_hash", stored, "node_hash", got,
		"stored_genesis", known, "node_genesis", genesis, "start_block", start)
	m.newChains.Add(1)

	// The old chain's pending incidents can no longer be mined.
	m.mu.Lock()
	var drop []common.Hash
	for h, t := range m.tracked {
		if t.alerting {
			drop = append(drop, h)
		}
	}
	m.mu.Unlock()
	for _, h := range drop {
		m.deliver(ctx, m.agg.Drop(m.env.ChainID, h.Hex()))
	}
	m.agg.Forget(m.env.ChainID)
	if m.cfg.Store != nil {
		if err := m.cfg.Store.ResetChain(context.WithoutCancel(ctx), m.env.ChainID, genesis); err != nil {
			return &fatalError{err}
		}
	}
	m.mu.Lock()
	m.genesis = genesis
	m.next, m.canonMin = start, start
	clear(m.canon)
	clear(m.mined)
	clear(m.tracked)
	clear(m.results)
	clear(m.fresh)
	m.mu.Unlock()
	return nil
}

// runTicker flushes the aggregator's cooldown-held updates.
func (m *Monitor) runTicker(ctx context.Context) error {
	t := time.NewTicker(m.cfg.TickInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			m.deliver(ctx, m.agg.Tick())
		}
	}
}

// deliver stores events, queues them in the outbox for the sinks (it never
// waits for a delivery) and calls OnEvent. It uses a context detached from
// cancellation (bounded by a timeout) so that a shutdown does not lose
// events already emitted by the aggregator.
func (m *Monitor) deliver(ctx context.Context, evs []alert.Event) {
	if len(evs) == 0 {
		return
	}
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	for _, ev := range evs {
		m.ob.enqueue(dctx, ev)
		if m.cfg.Store != nil {
			if err := m.cfg.Store.SaveEvent(dctx, ev); err != nil {
				m.log.Error("monitor: store alert", "alert", ev.Alert.ID, "err", err)
			}
		}
		if m.cfg.OnEvent != nil {
			m.cfg.OnEvent(ev)
		}
	}
}

// Stats returns a snapshot of the counters.
func (m *Monitor) Stats() Stats {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := Stats{
		ChainID: m.chainID, Head: m.head,
		BlocksProcessed: m.blocks.Load(), TxsProcessed: m.txs.Load(), TxsRelevant: m.relevantTxs.Load(),
		PendingSeen: m.pendSeen.Load(), PendingSimulated: m.pendSim.Load(), PendingQueueDrop: m.pendDrop.Load(), GuardQueueDrop: m.guardDrop.Load(),
		Reorgs: m.reorgs.Load(), Reconnects: m.reconnects.Load(), NewChains: m.newChains.Load(),
		AlertsByDetector: make(map[string]int, len(m.byDet)),
	}
	if m.ob != nil {
		st.OutboxDepth, st.OutboxDelivered = m.ob.depth(), m.ob.delivered.Load()
		st.OutboxFailures, st.OutboxDropped = m.ob.failed.Load(), m.ob.dropped.Load()
	}
	if m.next > 0 {
		st.LastProcessed = m.next - 1
	}
	if m.head > st.LastProcessed {
		st.HeadLag = m.head - st.LastProcessed
	}
	for k, v := range m.byDet {
		st.AlertsByDetector[k] = v
	}
	if !m.firstTx.IsZero() {
		if d := m.cfg.Clock().Sub(m.firstTx).Seconds(); d > 0 {
			st.TxPerSecond = float64(st.TxsProcessed) / d
		}
	}
	return st
}

// Ready returns a channel closed once the monitor is connected and its
// head (and, over WebSocket, mempool) subscriptions are established: a
// transaction sent after that is seen.
func (m *Monitor) Ready() <-chan struct{} { return m.ready }

// WaitPending waits until the monitor has finished with the pending
// transaction hash (simulated and run through the detectors, or skipped)
// and returns what it did.
func (m *Monitor) WaitPending(ctx context.Context, hash common.Hash) (*PendingResult, error) {
	m.mu.Lock()
	if r, ok := m.results[hash]; ok {
		m.mu.Unlock()
		return r, nil
	}
	ch := make(chan struct{})
	m.waiters[hash] = append(m.waiters[hash], ch)
	m.mu.Unlock()
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("monitor: waiting for pending tx %s: %w", hash, ctx.Err())
	case <-ch:
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.results[hash], nil
}

// WaitBlock waits until block n has been processed (the checkpoint is at or
// above n).
func (m *Monitor) WaitBlock(ctx context.Context, n uint64) error {
	m.mu.Lock()
	if m.started && m.next > n {
		m.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	m.blockW = append(m.blockW, blockWaiter{n: n, ch: ch})
	m.mu.Unlock()
	select {
	case <-ctx.Done():
		return fmt.Errorf("monitor: waiting for block %d: %w", n, ctx.Err())
	case <-ch:
		return nil
	}
}

// LastProcessed returns the last processed block number and whether any
// block was processed.
func (m *Monitor) LastProcessed() (uint64, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.started || m.next == 0 {
		return 0, false
	}
	_, ok := m.canon[m.next-1]
	return m.next - 1, ok
}

func isWS(url string) bool {
	u := strings.ToLower(url)
	return strings.HasPrefix(u, "ws://") || strings.HasPrefix(u, "wss://")
}

// redactURL drops the user info, path and query of url, which commonly
// carry API keys.
func redactURL(url string) string {
	scheme, rest, ok := strings.Cut(url, "://")
	if !ok {
		return url
	}
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		rest = rest[i+1:]
	}
	host, path, _ := strings.Cut(rest, "/")
	if path != "" {
		return scheme + "://" + host + "/…"
	}
	return scheme + "://" + host
}

// sender returns tx's sender, if it can be recovered.
func sender(tx *types.Transaction) (common.Address, bool) {
	from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx)
	return from, err == nil
}
