package monitor

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/guard"
	"github.com/aegis-defi/aegis/internal/store"
)

// Guard decides about confirmed pending attacks; *guard.Guard implements
// it.
type Guard interface {
	Handle(ctx context.Context, trig guard.Trigger) (*guard.Decision, error)
}

// DeploymentGuard is a Guard that also acts on an earlier stage of an
// attack: pending contract deployments referencing a protected address
// (early_stage policies). *guard.Guard implements it.
type DeploymentGuard interface {
	Guard
	// WatchesDeployment reports, without RPC, whether tx is a deployment
	// HandleDeployment would decide about.
	WatchesDeployment(tx *types.Transaction) bool
	HandleDeployment(ctx context.Context, tx *types.Transaction, firstSeen time.Time) (*guard.Decision, error)
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
	// deploy marks a pending contract deployment for
	// DeploymentGuard.HandleDeployment (trig.Tx and trig.FirstSeen only).
	deploy bool
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

// offerDeployment queues a pending contract deployment for the guard's
// early stage when the guard implements DeploymentGuard and the
// deployment's init code references an address an early-stage policy
// protects. It shares the incidents' bounded queue: a full queue drops it,
// with a warning.
func (m *Monitor) offerDeployment(p *pendingTx) {
	if m.guardQ == nil || p.tx.To() != nil {
		return
	}
	dg, ok := m.cfg.Guard.(DeploymentGuard)
	if !ok || !dg.WatchesDeployment(p.tx) {
		return
	}
	select {
	case m.guardQ <- guardJob{trig: guard.Trigger{Tx: p.tx, FirstSeen: p.seen}, deploy: true}:
	default:
		m.guardDrop.Add(1)
		m.log.Warn("monitor: guard queue full; deployment not handed to the guard", "tx", p.tx.Hash())
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
	var (
		d   *guard.Decision
		err error
	)
	if dg, ok := m.cfg.Guard.(DeploymentGuard); ok && job.deploy {
		d, err = dg.HandleDeployment(ctx, job.trig.Tx, job.trig.FirstSeen)
	} else {
		d, err = m.cfg.Guard.Handle(ctx, job.trig)
	}
	if err != nil {
		m.log.Error("monitor: guard", "tx", job.trig.Tx.Hash(), "err", err)
	}
	if d == nil {
		return
	}
	// Recording outlives a shutdown that interrupted the watch.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var evs, opened []alert.Event
	var obs []alert.Observation
	if job.deploy && d.Verdict != guard.VerdictNotTriggered {
		// An early-stage decision has no detector incident to attach to:
		// the guard's finding opens (or joins) one.
		obs = []alert.Observation{deploymentObservation(m.env.ChainID, d)}
		var oerr error
		if opened, oerr = m.observe(rctx, obs); oerr != nil {
			m.log.Error("monitor: observe guarded deployment", "tx", d.AttackTx, "err", oerr)
		}
		for _, ev := range opened {
			if !slices.Contains(job.alerts, ev.Alert.ID) {
				job.alerts = append(job.alerts, ev.Alert.ID)
			}
		}
		evs = append(evs, opened...)
	}
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
	if len(obs) > 0 {
		m.markDelivered(rctx, obs, opened)
	}
}

// deploymentObservation is the guard's early-stage finding as an
// observation: a pending deployment referencing a guarded protocol.
func deploymentObservation(chainID uint64, d *guard.Decision) alert.Observation {
	victim := alert.Protocol{Name: d.Protocol}
	if d.Referenced != nil {
		victim.Address = d.Referenced.Hex()
	}
	return alert.Observation{
		Detector: "guard-early-stage", Severity: alert.SeverityHigh, Confidence: 0.5,
		Message: "pending contract deployment references " + victim.String() + "; " + d.Basis,
		ChainID: chainID, TxHash: d.AttackTx.Hex(), Stage: alert.StagePending, Attacker: d.Attacker.Hex(), Victim: victim,
		Title: "Attack contract deployment", Technique: "a contract deployed against " + victim.String(), At: d.FirstSeen,
	}
}
