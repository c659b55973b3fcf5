package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors"
	"github.com/aegis-defi/aegis/internal/monitor/pricing"
)

// MonitorOptions configures the monitor capability of the demo.
type MonitorOptions struct {
	// Out receives narration lines (when and at which stage each attack
	// was detected); nil is silent.
	Out io.Writer
	// Logger receives the monitor's diagnostics; nil discards them.
	Logger *slog.Logger
	// PendingTimeout bounds how long OnPending waits for the monitor to
	// simulate an exploit transaction; default 2 s.
	PendingTimeout time.Duration
}

// Monitor returns hooks that run the aegis monitor (internal/monitor with
// the default streaming detectors) on the demo's chain:
//
//   - OnStart starts it on the session's WebSocket endpoint, watching every
//     contract the deployer deploys (the testbed) from then on;
//   - during the benign phase, high and critical alerts are false
//     positives (Report.FalsePositives);
//   - OnStaged watches the scenario's targets under their names;
//   - OnPending waits until the monitor has simulated the exploit
//     transaction in the mempool and run the detectors on it, and records
//     the result in Run.Sightings (for the guard);
//   - OnDone fills the scenario report's detection fields (detected,
//     detected_stage, detection_ms, alerts) from the pending pass, or from
//     the mined pass when the pending one missed;
//   - OnStop stops the monitor.
func Monitor(opts MonitorOptions) *Hooks {
	if opts.PendingTimeout <= 0 {
		opts.PendingTimeout = 2 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	c := &monitorCap{opts: opts, firstSeen: map[common.Hash]time.Time{}, scen: map[string]*detection{}}
	return &Hooks{
		OnStart:      c.start,
		OnBenignDone: c.benignDone,
		OnStaged:     c.staged,
		OnPending:    c.pending,
		OnDone:       c.done,
		OnReport:     c.report,
		OnStop:       c.stop,
	}
}

// detection is what the monitor found for one scenario.
type detection struct {
	stage   string
	ms      float64
	alerts  []string
	pending int // exploit txs seen pending
	// maxSev is the highest severity seen on the exploit txs (any stage,
	// any level); hasSev tells whether there was any.
	maxSev alert.Severity
	hasSev bool
}

// see records an observation's severity.
func (d *detection) see(s alert.Severity) {
	if !d.hasSev || s > d.maxSev {
		d.maxSev, d.hasSev = s, true
	}
}

type monitorCap struct {
	opts MonitorOptions
	m    *monitor.Monitor

	cancel context.CancelFunc
	runErr chan error

	mu        sync.Mutex
	benign    bool // attributing alerts to the benign phase
	fpIDs     map[string]bool
	events    []alert.Event
	firstSeen map[common.Hash]time.Time
	scen      map[string]*detection
}

func (c *monitorCap) say(format string, a ...any) {
	if c.opts.Out != nil {
		fmt.Fprintf(c.opts.Out, format+"\n", a...)
	}
}

func (c *monitorCap) onEvent(ev alert.Event) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.events = append(c.events, ev)
	if c.benign && ev.Alert.Severity >= alert.SeverityHigh {
		if c.fpIDs == nil {
			c.fpIDs = map[string]bool{}
		}
		if !c.fpIDs[ev.Alert.ID] {
			c.fpIDs[ev.Alert.ID] = true
			c.opts.Logger.Warn("demo: alert during the benign phase", "alert", ev.Alert.ID, "severity", ev.Alert.Severity, "stage", ev.Alert.Stage, "title", ev.Alert.Title, "detectors", ev.Alert.Detectors, "summary", ev.Alert.Summary)
		}
	}
}

func (c *monitorCap) start(ctx context.Context, s *Session) error {
	if s.WSURL == "" {
		return errors.New("monitor: the session has no WebSocket endpoint")
	}
	dets, err := detectors.New(detectors.DefaultConfig())
	if err != nil {
		return fmt.Errorf("monitor: %w", err)
	}
	m, err := monitor.New(monitor.Config{
		RPCURL: s.WSURL, Watch: monitor.NewWatchlist(), WatchCreatedBy: []common.Address{s.Env.Deployer.Address},
		Detectors: dets, Prices: pricing.New(pricing.Config{}), OnEvent: c.onEvent, Logger: c.opts.Logger,
		Aggregator: alert.NewAggregator(alert.AggregatorConfig{Logger: c.opts.Logger}),
	})
	if err != nil {
		return fmt.Errorf("monitor: %w", err)
	}
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	c.m, c.cancel, c.runErr = m, cancel, make(chan error, 1)
	go func() { c.runErr <- m.Run(rctx) }()
	select {
	case <-m.Ready():
	case err := <-c.runErr:
		cancel()
		c.runErr <- err // for stop
		return fmt.Errorf("monitor: %w", err)
	case <-ctx.Done():
		return ctx.Err()
	}
	c.mu.Lock()
	c.benign = true
	c.mu.Unlock()
	c.say("▶ monitor up on %s: mempool simulation + %d streaming detectors", s.WSURL, len(dets))
	return nil
}

// catchUp waits until the monitor has processed the chain's current head.
func (c *monitorCap) catchUp(ctx context.Context, s *Session) error {
	head, err := s.Client.Backend().BlockNumber(ctx)
	if err != nil {
		return fmt.Errorf("monitor: eth_blockNumber: %w", err)
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return c.m.WaitBlock(wctx, head)
}

func (c *monitorCap) benignDone(ctx context.Context, s *Session, _ BenignReport) {
	if c.m == nil {
		return
	}
	if err := c.catchUp(ctx, s); err != nil {
		c.opts.Logger.Warn("demo: monitor did not catch up after the benign phase", "err", err)
	}
	c.mu.Lock()
	c.benign = false
	fp := len(c.fpIDs)
	c.mu.Unlock()
	c.say("  monitor: %d false positives (high/critical alerts) during the benign phase", fp)
}

func (c *monitorCap) staged(ctx context.Context, s *Session, r *Run) error {
	if c.m == nil {
		return nil
	}
	c.mu.Lock()
	c.benign = false
	c.mu.Unlock()
	for _, t := range r.Staged.Targets() {
		c.m.Watchlist().Set(detect.Protocol{Name: t.Name, Addresses: []common.Address{t.Address}})
	}
	// The setup's blocks first, so that the exploit meets a monitor that
	// has seen the victim's deployment.
	return c.catchUp(ctx, s)
}

func (c *monitorCap) pending(ctx context.Context, _ *Session, r *Run, tx *types.Transaction) error {
	if c.m == nil {
		return nil
	}
	wctx, cancel := context.WithTimeout(ctx, c.opts.PendingTimeout)
	defer cancel()
	res, err := c.m.WaitPending(wctx, tx.Hash())
	if err == nil && r.Sightings != nil {
		r.Sightings[tx.Hash()] = Sighting{SeenAt: res.SeenAt, Observations: slices.Clone(res.Observations)}
	}
	if r.Guarded {
		// The detection fields describe the unguarded run; the guarded
		// run only hands its sightings to the guard.
		if err != nil {
			c.say("  monitor: exploit tx %s not processed within %v", short(tx.Hash().Hex()), c.opts.PendingTimeout)
		}
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	d := c.scen[r.Info.Name]
	if d == nil {
		d = &detection{}
		c.scen[r.Info.Name] = d
	}
	d.pending++
	if err != nil {
		c.say("  monitor: exploit tx %s not processed within %v", short(tx.Hash().Hex()), c.opts.PendingTimeout)
		return nil // the demo goes on; the mined pass may still catch it
	}
	c.firstSeen[tx.Hash()] = res.SeenAt
	for _, o := range res.Observations {
		c.opts.Logger.Debug("demo: pending observation", "scenario", r.Info.Name, "tx", tx.Hash(), "detector", o.Detector, "severity", o.Severity, "message", o.Message)
	}
	if !hit(res) {
		c.opts.Logger.Debug("demo: pending pass without a high observation", "scenario", r.Info.Name, "tx", tx.Hash(), "simulated", res.Simulated, "relevant", res.Relevant, "err", res.Err)
	}
	var names []string
	hit := false
	for _, o := range res.Observations {
		d.see(o.Severity)
		if o.Severity >= alert.SeverityHigh {
			hit = true
		}
		if !slices.Contains(names, o.Detector) {
			names = append(names, o.Detector)
		}
	}
	if hit && d.stage == "" {
		d.stage = "pending"
		d.ms = millis(res.DoneAt.Sub(res.SeenAt))
		c.say("  ⚑ monitor: DETECTED in the mempool after %.1f ms, before mining (%s)", d.ms, strings.Join(names, ", "))
	}
	for _, n := range names {
		if !slices.Contains(d.alerts, n) {
			d.alerts = append(d.alerts, n)
		}
	}
	return nil
}

func hit(res *monitor.PendingResult) bool {
	for _, o := range res.Observations {
		if o.Severity >= alert.SeverityHigh {
			return true
		}
	}
	return false
}

func (c *monitorCap) done(ctx context.Context, s *Session, r *Run) error {
	if c.m == nil {
		return nil
	}
	if err := c.catchUp(ctx, s); err != nil {
		c.opts.Logger.Warn("demo: monitor did not catch up", "scenario", r.Info.Name, "err", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	d := c.scen[r.Info.Name]
	if d == nil {
		d = &detection{}
		c.scen[r.Info.Name] = d
	}
	if d.stage == "" {
		// The pending pass missed: look for a confirmed alert on an
		// exploit transaction.
		for _, ev := range c.events {
			if ev.Alert.Severity < alert.SeverityHigh {
				continue
			}
			for _, sig := range ev.Alert.Evidence.Signals {
				if !slices.ContainsFunc(r.Report.ExploitTxs, func(h string) bool { return strings.EqualFold(h, sig.TxHash) }) {
					continue
				}
				if d.stage == "" {
					d.stage = "confirmed"
					if seen, ok := c.firstSeen[common.HexToHash(sig.TxHash)]; ok {
						d.ms = millis(ev.At.Sub(seen))
					}
				}
				if !slices.Contains(d.alerts, sig.Detector) {
					d.alerts = append(d.alerts, sig.Detector)
				}
			}
		}
	}
	// Any alert on an exploit transaction, at any severity, counts for the
	// maximum severity.
	for _, ev := range c.events {
		for _, sig := range ev.Alert.Evidence.Signals {
			if !slices.ContainsFunc(r.Report.ExploitTxs, func(h string) bool { return strings.EqualFold(h, sig.TxHash) }) {
				continue
			}
			d.see(sig.Severity)
			// When the pending pass did not detect, every detector that
			// said anything on the mined exploit is worth listing.
			if d.stage != "pending" && !slices.Contains(d.alerts, sig.Detector) {
				d.alerts = append(d.alerts, sig.Detector)
			}
		}
	}
	// Confirmed: once mined, an exploit transaction's incident reached the
	// confirmed stage (promoted from pending, or raised by the mined pass).
	confirmed := false
	for _, ev := range c.events {
		if ev.Alert.Stage != alert.StageConfirmed || ev.Alert.Severity < alert.SeverityHigh {
			continue
		}
		for _, tx := range ev.Alert.Evidence.Txs {
			if slices.ContainsFunc(r.Report.ExploitTxs, func(h string) bool { return strings.EqualFold(h, tx.Hash) }) {
				confirmed = true
			}
		}
	}
	rep := r.Report
	rep.Confirmed = confirmed
	rep.Detected = d.stage != ""
	rep.DetectedStage = d.stage
	rep.DetectionMS = d.ms
	rep.Alerts = slices.Clone(d.alerts)
	if d.hasSev {
		rep.MaxSeverity = d.maxSev.String()
	}
	if rep.Alerts == nil {
		rep.Alerts = []string{}
	}
	slices.Sort(rep.Alerts)
	switch d.stage {
	case "pending":
		c.say("  monitor: detected at the pending stage, %.1f ms after first sight (%s)", d.ms, strings.Join(rep.Alerts, ", "))
	case "confirmed":
		c.say("  monitor: detected only once mined (%s)", strings.Join(rep.Alerts, ", "))
	default:
		c.say("  monitor: NOT detected")
	}
	return nil
}

func (c *monitorCap) report(_ context.Context, rep *Report) {
	if c.m == nil {
		return
	}
	c.mu.Lock()
	fp := len(c.fpIDs)
	c.mu.Unlock()
	rep.FalsePositives = &fp
}

func (c *monitorCap) stop(context.Context) {
	if c.m == nil || c.cancel == nil {
		return
	}
	c.cancel()
	if err := <-c.runErr; err != nil {
		c.opts.Logger.Warn("demo: monitor stopped with an error", "err", err)
	}
	c.cancel = nil
}

// millis converts d to milliseconds with microsecond resolution: in-process
// detection often takes well under a millisecond, which integer
// milliseconds would report as 0.
func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
