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
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/guard"
)

// DefaultDryRunScenario is the scenario whose guarded run uses the guard in
// dry-run mode, for contrast: the decision records the pause() it would have
// sent and the attack lands.
const DefaultDryRunScenario = "bridge-forgery"

// GuardOptions configures the guard capability of the demo.
type GuardOptions struct {
	// Out receives narration lines; nil is silent.
	Out io.Writer
	// Logger receives the guard's decision log lines; nil discards them.
	Logger *slog.Logger
	// DryRun names the scenarios guarded in dry-run mode; nil means
	// DefaultDryRunScenario (an empty non-nil slice arms every scenario).
	DryRun []string
	// AcceptTimeout bounds how long OnPending waits for the protective
	// transaction to be accepted by the node; default 10 s.
	AcceptTimeout time.Duration
	// Decisions, when set, receives every decision (the guardian key is
	// never part of one).
	Decisions guard.Recorder
}

// Guard returns hooks that protect a second, guarded run of each
// scenario's vulnerable variant with the aegis guard (internal/guard),
// acting as the devnet's guardian (Env.Guardian). It needs the monitor
// capability, listed before it: the guard acts on the monitor's
// pending-stage observations.
//
//   - OnStaged (guarded run) creates a guard whose policies pause() each
//     of the scenario's pausable targets (armed, or dry-run for the
//     scenarios in GuardOptions.DryRun). A scenario without a pausable
//     target (the rug-pull's token and pool belong to the attacker) gets
//     the same policy on its targets, and the simulation gate says why
//     it cannot work;
//   - OnPending (guarded run) hands the monitor's sighting of the exploit
//     transaction to Guard.Handle on a goroutine the capability owns and
//     waits until the protective transaction is accepted by the node (or
//     the guard decided not to act); the runner then mines, and the node
//     orders the higher-tip pause() before the attack;
//   - OnGuardedDone waits for the decisions and fills the scenario
//     report's guard fields;
//   - OnStop cancels and waits for anything still running.
func Guard(opts GuardOptions) *Hooks {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.AcceptTimeout <= 0 {
		opts.AcceptTimeout = 10 * time.Second
	}
	if opts.DryRun == nil {
		opts.DryRun = []string{DefaultDryRunScenario}
	}
	c := &guardCap{opts: opts}
	return &Hooks{
		OnStart:       c.start,
		OnStaged:      c.staged,
		OnPending:     c.pending,
		OnGuardedDone: c.guardedDone,
		OnStop:        c.stop,
	}
}

// handled is the end of one Handle call.
type handled struct {
	d   *guard.Decision
	err error
}

type guardCap struct {
	opts   GuardOptions
	rpc    *rpc.Client
	signer *guard.Signer

	// ctx bounds every Handle call; cancel and wg stop them (OnStop).
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	// Per guarded run, on the runner's goroutine.
	g        *guard.Guard
	mode     guard.Mode
	note     string // why no policy can help, when known up front
	inflight []chan handled
	txIndex  []int // the exploit tx index of each inflight entry
	nTxs     int   // exploit txs seen in this run
	missed   int   // exploit txs the monitor did not hand over
}

func (c *guardCap) say(format string, a ...any) {
	if c.opts.Out != nil {
		fmt.Fprintf(c.opts.Out, format+"\n", a...)
	}
}

func (c *guardCap) start(ctx context.Context, s *Session) error {
	if s.RPCURL == "" {
		return errors.New("guard: the session has no JSON-RPC endpoint")
	}
	rc, err := rpc.DialContext(ctx, s.RPCURL)
	if err != nil {
		return fmt.Errorf("guard: dial %s: %w", s.RPCURL, err)
	}
	signer, err := guard.NewSigner(s.Env.Guardian.Key)
	if err != nil {
		rc.Close()
		return fmt.Errorf("guard: %w", err)
	}
	c.rpc, c.signer = rc, signer
	c.ctx, c.cancel = context.WithCancel(context.WithoutCancel(ctx))
	c.say("▶ guard ready: guardian %s; each vulnerable variant runs a second time with the guard on (dry-run for %s)",
		signer.Address().Hex(), strings.Join(c.opts.DryRun, ", "))
	return nil
}

// demoTrigger is the guard's trigger in the demo: any pending high or
// critical signal (confidence ≥ 0.7) of one detector on the guarded
// protocol. The guard's own defaults (critical, 0.85, two corroborating
// detectors) are stricter; the demo's victims are its own deployments,
// and the guard still proves by simulation that pause() stops the attack
// before it sends anything.
func demoTrigger() guard.TriggerRule {
	return guard.TriggerRule{MinSeverity: alert.SeverityHigh, MinConfidence: 0.7, MinDetectors: 1}
}

// policies returns the scenario's guard policies and, when no target is
// pausable, a note saying so.
func policies(targets []attack.Target, mode guard.Mode) ([]guard.Policy, string) {
	var ps []guard.Policy
	add := func(t attack.Target) {
		ps = append(ps, guard.Policy{
			Protocol:  t.Name,
			Addresses: []common.Address{t.Address},
			Actions:   []guard.Call{{Target: t.Address, Signature: "pause()"}},
			Trigger:   demoTrigger(),
			Mode:      mode,
		})
	}
	for _, t := range targets {
		if t.Pausable {
			add(t)
		}
	}
	if len(ps) > 0 {
		return ps, ""
	}
	var names []string
	for _, t := range targets {
		add(t)
		names = append(names, t.Name)
	}
	return ps, "not blockable: no target the guardian can pause (" + strings.Join(names, ", ") + ")"
}

func (c *guardCap) staged(ctx context.Context, _ *Session, r *Run) error {
	if c.rpc == nil || !r.Guarded {
		return nil
	}
	c.mode = guard.ModeArmed
	if slices.Contains(c.opts.DryRun, r.Info.Name) {
		c.mode = guard.ModeDryRun
	}
	ps, note := policies(r.Staged.Targets(), c.mode)
	g, err := guard.New(ctx, guard.Config{
		RPC: c.rpc, Signer: c.signer, Policies: guard.Policies{Protocols: ps}, Recorder: c.opts.Decisions,
		Logger: c.opts.Logger, RevertDecoder: contracts.RevertReason, PollInterval: 5 * time.Millisecond,
		WatchTimeout: 30 * time.Second,
	})
	if err != nil {
		return fmt.Errorf("guard: %w", err)
	}
	c.g, c.note, c.inflight, c.txIndex, c.nTxs, c.missed = g, note, nil, nil, 0, 0
	return nil
}

func (c *guardCap) pending(ctx context.Context, _ *Session, r *Run, tx *types.Transaction) error {
	if c.g == nil || !r.Guarded {
		return nil
	}
	c.nTxs++
	sight, ok := r.Sightings[tx.Hash()]
	if !ok {
		c.missed++
		c.say("  guard: the monitor did not hand over exploit tx %s", short(tx.Hash().Hex()))
		return nil
	}
	sent := make(chan []guard.ProtectiveTx, 1)
	done := make(chan handled, 1)
	trig := guard.Trigger{Tx: tx, Observations: sight.Observations, FirstSeen: sight.SeenAt,
		OnSent: func(txs []guard.ProtectiveTx) { sent <- txs }}
	g := c.g
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		d, err := g.Handle(c.ctx, trig)
		done <- handled{d, err}
	}()
	c.inflight = append(c.inflight, done)
	c.txIndex = append(c.txIndex, c.nTxs)
	t := time.NewTimer(c.opts.AcceptTimeout)
	defer t.Stop()
	select {
	case <-sent: // protective tx accepted: the runner may mine
	case h := <-done: // decided without sending
		done <- h // for guardedDone
	case <-t.C:
		c.say("  guard: no decision on %s within %v", short(tx.Hash().Hex()), c.opts.AcceptTimeout)
	case <-ctx.Done():
		return fmt.Errorf("guard: %w", ctx.Err())
	}
	return nil
}

// decisive picks the decision that describes the run: an action, else a
// dry run, else the first that got past the trigger, else the first.
func decisive(ds []*guard.Decision) *guard.Decision {
	for _, v := range []guard.Verdict{guard.VerdictActed, guard.VerdictDryRun} {
		for _, d := range ds {
			if d.Verdict == v {
				return d
			}
		}
	}
	for _, d := range ds {
		if d.Verdict != guard.VerdictNotTriggered {
			return d
		}
	}
	if len(ds) > 0 {
		return ds[0]
	}
	return nil
}

func (c *guardCap) guardedDone(ctx context.Context, s *Session, r *Run, res *attack.Result) error {
	if c.g == nil || !r.Guarded {
		return nil
	}
	// The guard sent from the guardian behind the client's back.
	s.Client.ResetNonce(s.Env.Guardian.Address)
	var ds []*guard.Decision
	var errs []error
	at := map[*guard.Decision]int{}
	for i, ch := range c.inflight {
		select {
		case h := <-ch:
			if h.d != nil {
				ds = append(ds, h.d)
				at[h.d] = c.txIndex[i]
			}
			if h.err != nil {
				errs = append(errs, h.err)
			}
		case <-ctx.Done():
			return fmt.Errorf("guard: %w", ctx.Err())
		}
	}
	c.g, c.inflight = nil, nil
	rep := r.Report
	profit, loss := chain.ToEther(res.AttackerProfit), chain.ToEther(res.ProtocolLoss)
	rep.GuardedAttackerProfitETH, rep.GuardedProtocolLossETH = &profit, &loss
	// profitText is the attacker's profit in the scenario's unit of account.
	profitText := fmt.Sprintf("%.4f ETH", profit)
	if u := res.Units; u != nil {
		up, ul := unitsFloat(u.AttackerProfit, u.Decimals), unitsFloat(u.ProtocolLoss, u.Decimals)
		rep.GuardedAttackerProfitUnits, rep.GuardedProtocolLossUnits = &up, &ul
		profitText = fmt.Sprintf("%.4f %s", up, u.Symbol)
	}
	rep.GuardMode = string(c.mode)
	d := decisive(ds)
	acted := d != nil && d.Verdict == guard.VerdictActed
	blocked := acted && res.Profit().Sign() <= 0
	rep.Blocked = &blocked
	if blocked {
		rep.FundsProtectedETH = max(0, rep.ProtocolLossETH-loss)
		if rep.ProtocolLossUnits != nil && rep.GuardedProtocolLossUnits != nil {
			p := max(0, *rep.ProtocolLossUnits-*rep.GuardedProtocolLossUnits)
			rep.FundsProtectedUnits = &p
		}
	}
	if acted {
		rep.ResponseMS = d.ResponseMS
	}
	if d != nil {
		rep.GuardVerdict = string(d.Verdict)
	}
	rep.GuardNote = c.noteFor(d, errs)
	if blocked && at[d] > 1 {
		// Honest accounting: what earlier, unflagged exploit txs already
		// did is not protected (a multi-block attack is caught at the
		// transaction that moves funds, not at its preparation).
		cost := ""
		switch {
		case loss > 0:
			cost = fmt.Sprintf(" and cost the protocol %s ETH, which the pause froze but did not protect", fmtETH(loss))
		case rep.GuardedProtocolLossUnits != nil && *rep.GuardedProtocolLossUnits > 0:
			cost = fmt.Sprintf(" and cost the protocol %.4f %s, which the pause froze but did not protect", *rep.GuardedProtocolLossUnits, rep.ProfitUnit)
		default:
			cost = " without taking anything from the protocol"
		}
		rep.GuardNote += fmt.Sprintf("; the guard acted on exploit tx %d of %d: the %d before it (not flagged high/critical) were already mined%s",
			at[d], c.nTxs, at[d]-1, cost)
	}
	switch {
	case blocked && rep.FundsProtectedETH <= 0 && (rep.FundsProtectedUnits == nil || *rep.FundsProtectedUnits <= 0):
		c.say("  🛡 guard %s in %.1f ms; attack reverted (attacker profit %s) but %s", actionOf(d), d.ResponseMS, profitText,
			rep.GuardNote[strings.LastIndex(rep.GuardNote, "; ")+2:])
	case blocked:
		protected := fmtETH(rep.FundsProtectedETH) + " ETH"
		if rep.FundsProtectedUnits != nil {
			protected = fmt.Sprintf("%.4f %s", *rep.FundsProtectedUnits, rep.ProfitUnit)
		}
		c.say("  🛡 guard %s in %.1f ms; attack reverted; %s protected (attacker profit %s)",
			actionOf(d), d.ResponseMS, protected, profitText)
	case d != nil && d.Verdict == guard.VerdictDryRun:
		c.say("  🛡 dry-run: would have %s (signed %s, not sent); attack landed: attacker profit %s",
			actionOf(d), short(d.Txs[0].Hash.Hex()), profitText)
	case acted:
		c.say("  🛡 guard %s but the attack still paid: attacker profit %s (%s)", actionOf(d), profitText, d.Summary)
	default:
		c.say("  🛡 guard did not act: %s; attack landed: attacker profit %s", rep.GuardNote, profitText)
	}
	return nil
}

// noteFor is the report's guard_note.
func (c *guardCap) noteFor(d *guard.Decision, errs []error) string {
	var parts []string
	if c.note != "" {
		parts = append(parts, c.note)
	}
	switch {
	case d == nil && c.missed > 0:
		parts = append(parts, "the monitor did not hand the exploit to the guard")
	case d == nil:
		parts = append(parts, "no decision")
	case d.Verdict == guard.VerdictActed || d.Verdict == guard.VerdictDryRun:
		parts = append(parts, d.Summary)
	default:
		parts = append(parts, string(d.Verdict)+": "+d.Reason)
	}
	if err := errors.Join(errs...); err != nil {
		parts = append(parts, "error: "+err.Error())
	}
	return strings.Join(parts, "; ")
}

// actionOf is the decision's action, e.g. "paused VulnerableBank".
func actionOf(d *guard.Decision) string {
	a := d.Response().Action
	a = strings.TrimPrefix(a, "dry-run: would have ")
	return a
}

func fmtETH(f float64) string {
	s := fmt.Sprintf("%.4f", f)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

func (c *guardCap) stop(context.Context) {
	if c.cancel == nil {
		return
	}
	c.cancel()
	c.wg.Wait()
	c.rpc.Close()
	c.cancel = nil
}
