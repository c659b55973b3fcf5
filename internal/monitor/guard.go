package monitor

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/guard"
	"github.com/aegis-defi/aegis/internal/store"
)

// Guard decides about confirmed pending attacks; *guard.Guard implements
// it.
type Guard interface {
	Handle(ctx context.Context, trig guard.Trigger) (*guard.Decision, error)
}

// Guard defaults.
const (
	// DefaultGuardQueue is the capacity of the queue between the pending
	// simulator and the guard.
	DefaultGuardQueue = 64
	// DefaultGuardConcurrency is how many triggers the guard handles at
	// once (an armed decision stays in Handle until the attack is mined).
	DefaultGuardConcurrency = 4
)

// guardJob is one pending-stage incident handed to the guard.
type guardJob struct {
	trig   guard.Trigger
	alerts []string // the alert IDs the incident's events carried
}

// offerGuard queues a pending transaction's incident for the guard when it
// carries a high or critical non-anomaly observation (the guard's own
// policies then decide; lesser incidents are not worth a decision record).
// A full queue drops it, with a warning: the simulator never waits.
func (m *Monitor) offerGuard(p *pendingTx, res *PendingResult) {
	if m.guardQ == nil {
		return
	}
	strong := false
	for _, o := range res.Observations {
		if !o.Anomaly && o.Severity >= alert.SeverityHigh {
			strong = true
		}
	}
	if !strong {
		return
	}
	job := guardJob{trig: guard.Trigger{Tx: p.tx, Observations: res.Observations, FirstSeen: p.seen}}
	seen := map[string]bool{}
	for _, ev := range res.Events {
		if ev.Alert != nil && !seen[ev.Alert.ID] {
			seen[ev.Alert.ID] = true
			job.alerts = append(job.alerts, ev.Alert.ID)
		}
	}
	select {
	case m.guardQ <- job:
	default:
		m.guardDrop.Add(1)
		m.log.Warn("monitor: guard queue full; incident not handed to the guard", "tx", res.Hash)
	}
}

// runGuard hands queued incidents to the guard, at most GuardConcurrency at
// a time, until ctx is done; it returns once every Handle call it started
// has returned.
func (m *Monitor) runGuard(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	sem := make(chan struct{}, m.cfg.GuardConcurrency)
	for {
		select {
		case <-ctx.Done():
			return
		case job := <-m.guardQ:
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				m.handleGuard(ctx, job)
			}()
		}
	}
}

// handleGuard runs one decision, stores it and sends the response through
// the aggregator to the sinks.
func (m *Monitor) handleGuard(ctx context.Context, job guardJob) {
	d, err := m.cfg.Guard.Handle(ctx, job.trig)
	if err != nil {
		m.log.Error("monitor: guard", "tx", job.trig.Tx.Hash(), "err", err)
	}
	if d == nil {
		return
	}
	// Recording outlives a shutdown that interrupted the watch.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if m.cfg.Store != nil {
		body, jerr := json.Marshal(d)
		if jerr == nil {
			alertID := ""
			if len(job.alerts) > 0 {
				alertID = job.alerts[0]
			}
			jerr = m.cfg.Store.SaveDecision(rctx, store.Decision{ID: d.ID, ChainID: m.env.ChainID, AlertID: alertID,
				Protocol: d.Protocol, Verdict: string(d.Verdict), AttackTx: d.AttackTx, Decided: d.DecidedAt,
				Summary: d.Summary, Body: body})
		}
		if jerr != nil {
			m.log.Error("monitor: store guard decision", "decision", d.ID, "err", jerr)
		}
	}
	if m.cfg.OnDecision != nil {
		m.cfg.OnDecision(d)
	}
	if d.Verdict == guard.VerdictNotTriggered {
		return // below the policy's trigger: stored, not announced
	}
	r := d.Response()
	var evs []alert.Event
	for _, id := range job.alerts {
		ev, err := m.agg.Respond(id, r)
		if err != nil {
			if !errors.Is(err, alert.ErrUnknownAlert) {
				m.log.Warn("monitor: attach guard response", "alert", id, "err", err)
			}
			continue
		}
		evs = append(evs, ev)
	}
	m.deliver(rctx, evs)
}
