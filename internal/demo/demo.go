// Package demo is the scenario runner behind `aegis demo`. It starts the
// embedded devnet, deploys the testbed, runs a benign-traffic phase and then
// each attack scenario of the library, and reports what happened.
//
// The runner is not a script: capabilities (narration, the monitor, the
// guard) plug in as Hooks, a struct of optional functions in the style of
// go-ethereum's tracing hooks, and add their observations to the report
// entries.
//
// Each scenario runs its vulnerable variant unguarded (the attack lands),
// then, when a capability defines OnGuardedDone, the vulnerable variant again
// on a fresh deployment with that capability protecting it (Run.Guarded),
// then the safe variant.
package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/alert"

	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/chain"
)

// ErrUnknownScenario is returned when a requested scenario is not in the
// library.
var ErrUnknownScenario = errors.New("unknown scenario")

// Session is the live environment the hooks see.
type Session struct {
	// Client sends transactions to the devnet.
	Client *chain.Client
	// Env holds the accounts with their roles.
	Env *attack.Env
	// RPCURL is the devnet's HTTP JSON-RPC endpoint, WSURL its WebSocket.
	RPCURL, WSURL string
}

// Run is one scenario in progress.
type Run struct {
	Info    attack.Info
	Variant attack.Variant
	// Guarded is true for the second run of the vulnerable variant, the
	// one a guard capability protects.
	Guarded bool
	Staged  attack.Staged
	Report  *ScenarioReport
	// Sightings are what the monitor capability saw of each pending exploit
	// transaction of this run, by hash (hooks that run after the monitor's
	// OnPending read them).
	Sightings map[common.Hash]Sighting
}

// Sighting is the monitor's pending-stage result for one exploit
// transaction.
type Sighting struct {
	// SeenAt is when the monitor received the transaction.
	SeenAt time.Time
	// Observations are the detectors' findings on its simulation.
	Observations []alert.Observation
}

// Hooks lets a capability take part in the demo. Every field is optional.
type Hooks struct {
	// OnStart runs once the chain is up, before any traffic.
	OnStart func(ctx context.Context, s *Session) error
	// OnPhase runs when a phase starts ("benign", "attacks").
	OnPhase func(ctx context.Context, phase string)
	// OnBenignDone runs after the benign phase.
	OnBenignDone func(ctx context.Context, s *Session, st BenignReport)
	// OnStaged runs after a scenario's setup, before its exploit is sent.
	OnStaged func(ctx context.Context, s *Session, r *Run) error
	// OnPending runs for each exploit transaction while it is pending.
	OnPending func(ctx context.Context, s *Session, r *Run, tx *types.Transaction) error
	// OnGuardedDone runs after the guarded run of the vulnerable variant
	// with its result; it fills the guard fields of r.Report. The runner
	// makes the guarded run only when some hook sets OnGuardedDone.
	OnGuardedDone func(ctx context.Context, s *Session, r *Run, res *attack.Result) error
	// OnDone runs after a scenario finished; it may add to r.Report.
	OnDone func(ctx context.Context, s *Session, r *Run) error
	// OnReport runs once every scenario has run, before Run returns the
	// report; it may add to the report's top level.
	OnReport func(ctx context.Context, rep *Report)
	// OnStop runs at the end, also after a failure.
	OnStop func(ctx context.Context)
}

// Benign generates benign traffic for the benign phase. The traffic
// generator implements it; a nil Benign skips the phase.
type Benign func(ctx context.Context, s *Session) (BenignReport, error)

// BenignReport summarises the benign phase.
type BenignReport struct {
	Transactions int            `json:"transactions"`
	Blocks       int            `json:"blocks"`
	ByKind       map[string]int `json:"by_kind,omitempty"`
	DurationMS   int64          `json:"duration_ms"`
}

// ScenarioReport is one entry of the report's scenarios array.
type ScenarioReport struct {
	Name      string `json:"name"`
	Class     string `json:"class"`
	Incident  string `json:"incident"`
	Summary   string `json:"summary"`
	Variant   string `json:"variant"`
	Succeeded bool   `json:"succeeded"`
	// AttackerProfitETH and ProtocolLossETH are valued in ETH.
	AttackerProfitETH float64  `json:"attacker_profit_eth"`
	ProtocolLossETH   float64  `json:"protocol_loss_eth"`
	ExploitTxs        []string `json:"exploit_txs"`
	// ProfitUnit, AttackerProfitUnits, ProtocolLossUnits and
	// SafeAttackerProfitUnits are set for scenarios whose value is in their
	// own tokens (attack.Outcome.Units): the figures in that unit of
	// account (whole tokens). The ETH fields then count ETH moves only.
	ProfitUnit              string   `json:"profit_unit,omitempty"`
	AttackerProfitUnits     *float64 `json:"attacker_profit_units,omitempty"`
	ProtocolLossUnits       *float64 `json:"protocol_loss_units,omitempty"`
	SafeAttackerProfitUnits *float64 `json:"safe_attacker_profit_units,omitempty"`
	// SafeVariantHeld reports whether the same exploit failed against the
	// fixed variant of the protocol (nil when the safe run was skipped).
	SafeVariantHeld       *bool   `json:"safe_variant_held,omitempty"`
	SafeAttackerProfitETH float64 `json:"safe_attacker_profit_eth"`
	DurationMS            int64   `json:"duration_ms"`
	// Detected, DetectedStage ("pending" or "confirmed"), DetectionMS
	// (first sight of the exploit transaction to the alert) and Alerts
	// (the detectors that fired) are filled by the monitor capability.
	Detected      bool    `json:"detected"`
	DetectedStage string  `json:"detected_stage,omitempty"`
	DetectionMS   float64 `json:"detection_ms"`
	// Confirmed reports that the incident reached the confirmed stage once
	// the exploit was mined.
	Confirmed bool     `json:"confirmed"`
	Alerts    []string `json:"alerts,omitempty"`
	// MaxSeverity is the highest severity of any observation or alert the
	// monitor raised on the exploit transactions, at either stage, also
	// below the high threshold that counts as detected ("" when none).
	MaxSeverity string `json:"max_severity,omitempty"`
	// The guard fields describe the guarded run of the vulnerable variant
	// and are filled by the guard capability (absent without it). Blocked
	// is true when the guard acted and the attack reverted or yielded
	// nothing; FundsProtectedETH is the unguarded run's protocol loss
	// minus the guarded run's; ResponseMS is first sight of the exploit
	// to the protective transaction accepted by the node; GuardMode is
	// "armed" or "dry-run"; GuardVerdict the guard's decision; GuardNote
	// its summary or the reason it did not act.
	Blocked                  *bool    `json:"blocked,omitempty"`
	FundsProtectedETH        float64  `json:"funds_protected_eth,omitempty"`
	ResponseMS               float64  `json:"response_ms,omitempty"`
	GuardedAttackerProfitETH *float64 `json:"guarded_attacker_profit_eth,omitempty"`
	GuardedProtocolLossETH   *float64 `json:"guarded_protocol_loss_eth,omitempty"`
	// GuardedAttackerProfitUnits, GuardedProtocolLossUnits and
	// FundsProtectedUnits are the guard figures in ProfitUnit, for
	// scenarios valued in their own tokens.
	GuardedAttackerProfitUnits *float64 `json:"guarded_attacker_profit_units,omitempty"`
	GuardedProtocolLossUnits   *float64 `json:"guarded_protocol_loss_units,omitempty"`
	FundsProtectedUnits        *float64 `json:"funds_protected_units,omitempty"`
	GuardMode                  string   `json:"guard_mode,omitempty"`
	GuardVerdict               string   `json:"guard_verdict,omitempty"`
	GuardNote                  string   `json:"guard_note,omitempty"`
}

// Report is the demo's result; `aegis demo --json` prints it.
type Report struct {
	Seed      int64            `json:"seed"`
	ChainID   uint64           `json:"chain_id"`
	Benign    *BenignReport    `json:"benign,omitempty"`
	Scenarios []ScenarioReport `json:"scenarios"`
	// FalsePositives counts the high and critical alerts the monitor
	// raised during the benign phase (nil when the monitor did not run).
	FalsePositives *int  `json:"false_positives,omitempty"`
	DurationMS     int64 `json:"duration_ms"`
	// Trace is one exploit's laundered loot followed by the trace
	// capability (nil without it).
	Trace *TraceReport `json:"trace,omitempty"`
	// Risk are the token scores of the risk capability (risk.go).
	Risk []RiskEntry `json:"risk,omitempty"`
}

// Options configures a Runner.
type Options struct {
	// Seed makes the benign traffic reproducible.
	Seed int64
	// Only restricts the run to these scenario names (empty: all).
	Only []string
	// SkipSafe skips re-running each exploit against the safe variant.
	SkipSafe bool
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
}

// Runner runs the demo.
type Runner struct {
	opts    Options
	library []attack.Scenario
	benign  Benign
	hooks   []*Hooks
}

// NewRunner returns a runner over the given attack library, benign traffic
// and capability hooks. It fails when Options.Only names a scenario the
// library does not have.
func NewRunner(opts Options, library []attack.Scenario, benign Benign, hooks ...*Hooks) (*Runner, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	names := make([]string, len(library))
	for i, sc := range library {
		names[i] = sc.Info().Name
	}
	for _, n := range opts.Only {
		if !slices.Contains(names, n) {
			return nil, fmt.Errorf("%w %q (have: %s)", ErrUnknownScenario, n, strings.Join(names, ", "))
		}
	}
	return &Runner{opts: opts, library: library, benign: benign, hooks: hooks}, nil
}

// Scenarios returns the scenarios the runner will run, in order.
func (r *Runner) Scenarios() []attack.Scenario {
	if len(r.opts.Only) == 0 {
		return r.library
	}
	var out []attack.Scenario
	for _, sc := range r.library {
		if slices.Contains(r.opts.Only, sc.Info().Name) {
			out = append(out, sc)
		}
	}
	return out
}

// Run runs the benign phase and every selected scenario on the session's
// chain and returns the report.
func (r *Runner) Run(ctx context.Context, s *Session) (*Report, error) {
	start := time.Now()
	defer func() {
		for _, h := range r.hooks {
			if h.OnStop != nil {
				h.OnStop(ctx)
			}
		}
	}()
	rep := &Report{Seed: r.opts.Seed, ChainID: s.Client.ChainID().Uint64(), Scenarios: []ScenarioReport{}}
	for _, h := range r.hooks {
		if h.OnStart != nil {
			if err := h.OnStart(ctx, s); err != nil {
				return nil, fmt.Errorf("start: %w", err)
			}
		}
	}
	if r.benign != nil {
		r.phase(ctx, "benign")
		b, err := r.benign(ctx, s)
		if err != nil {
			return nil, fmt.Errorf("benign traffic: %w", err)
		}
		rep.Benign = &b
		for _, h := range r.hooks {
			if h.OnBenignDone != nil {
				h.OnBenignDone(ctx, s, b)
			}
		}
	}
	r.phase(ctx, "attacks")
	for _, sc := range r.Scenarios() {
		sr, err := r.runScenario(ctx, s, sc)
		if err != nil {
			return nil, fmt.Errorf("scenario %s: %w", sc.Info().Name, err)
		}
		rep.Scenarios = append(rep.Scenarios, *sr)
	}
	for _, h := range r.hooks {
		if h.OnReport != nil {
			h.OnReport(ctx, rep)
		}
	}
	rep.DurationMS = time.Since(start).Milliseconds()
	return rep, nil
}

func (r *Runner) phase(ctx context.Context, name string) {
	for _, h := range r.hooks {
		if h.OnPhase != nil {
			h.OnPhase(ctx, name)
		}
	}
}

func (r *Runner) runScenario(ctx context.Context, s *Session, sc attack.Scenario) (*ScenarioReport, error) {
	start := time.Now()
	info := sc.Info()
	rep := &ScenarioReport{
		Name: info.Name, Class: info.Class, Incident: info.Incident, Summary: info.Summary,
		Variant: string(attack.Vulnerable), ExploitTxs: []string{},
	}
	run := &Run{Info: info, Variant: attack.Vulnerable, Report: rep, Sightings: map[common.Hash]Sighting{}}
	res, err := r.execute(ctx, s, sc, run)
	if err != nil {
		return nil, err
	}
	rep.Succeeded = res.Succeeded
	rep.AttackerProfitETH = chain.ToEther(res.AttackerProfit)
	rep.ProtocolLossETH = chain.ToEther(res.ProtocolLoss)
	if u := res.Units; u != nil {
		p, l := unitsFloat(u.AttackerProfit, u.Decimals), unitsFloat(u.ProtocolLoss, u.Decimals)
		rep.ProfitUnit, rep.AttackerProfitUnits, rep.ProtocolLossUnits = u.Symbol, &p, &l
	}
	for _, tx := range res.Txs {
		rep.ExploitTxs = append(rep.ExploitTxs, tx.Hash().Hex())
	}
	if r.guarded() {
		grun := &Run{Info: info, Variant: attack.Vulnerable, Guarded: true, Report: rep, Sightings: map[common.Hash]Sighting{}}
		gres, err := r.execute(ctx, s, sc, grun)
		if err != nil {
			return nil, fmt.Errorf("guarded run: %w", err)
		}
		for _, h := range r.hooks {
			if h.OnGuardedDone != nil {
				if err := h.OnGuardedDone(ctx, s, grun, gres); err != nil {
					return nil, err
				}
			}
		}
	}
	if !r.opts.SkipSafe {
		safeRun := &Run{Info: info, Variant: attack.Safe, Report: &ScenarioReport{}}
		sres, err := r.execute(ctx, s, sc, safeRun)
		if err != nil {
			return nil, fmt.Errorf("safe variant: %w", err)
		}
		held := !sres.Succeeded && sres.Profit().Sign() <= 0
		rep.SafeVariantHeld = &held
		rep.SafeAttackerProfitETH = chain.ToEther(sres.AttackerProfit)
		if u := sres.Units; u != nil {
			p := unitsFloat(u.AttackerProfit, u.Decimals)
			rep.SafeAttackerProfitUnits = &p
		}
	}
	rep.DurationMS = time.Since(start).Milliseconds()
	for _, h := range r.hooks {
		if h.OnDone != nil {
			if err := h.OnDone(ctx, s, run); err != nil {
				return nil, err
			}
		}
	}
	return rep, nil
}

// guarded reports whether a hook protects a guarded run.
func (r *Runner) guarded() bool {
	return slices.ContainsFunc(r.hooks, func(h *Hooks) bool { return h.OnGuardedDone != nil })
}

// execute sets up one variant and runs its exploit with the hooks attached.
func (r *Runner) execute(ctx context.Context, s *Session, sc attack.Scenario, run *Run) (*attack.Result, error) {
	staged, err := sc.Setup(ctx, s.Env, run.Variant)
	if err != nil {
		return nil, fmt.Errorf("setup %s variant: %w", run.Variant, err)
	}
	run.Staged = staged
	if run.Variant == attack.Vulnerable {
		for _, h := range r.hooks {
			if h.OnStaged != nil {
				if err := h.OnStaged(ctx, s, run); err != nil {
					return nil, err
				}
			}
		}
	}
	onPending := func(ctx context.Context, tx *types.Transaction) error {
		if run.Variant != attack.Vulnerable {
			return nil
		}
		for _, h := range r.hooks {
			if h.OnPending != nil {
				if err := h.OnPending(ctx, s, run, tx); err != nil {
					return err
				}
			}
		}
		return nil
	}
	res, err := attack.Execute(ctx, s.Client, staged, onPending)
	if err != nil {
		return nil, fmt.Errorf("execute %s variant: %w", run.Variant, err)
	}
	r.opts.Logger.Debug("scenario executed", "scenario", run.Info.Name, "variant", run.Variant,
		"succeeded", res.Succeeded, "profit_wei", res.AttackerProfit, "loss_wei", res.ProtocolLoss)
	return res, nil
}

// unitsFloat converts base units of a token with the given decimals to
// whole tokens.
func unitsFloat(v *big.Int, decimals uint8) float64 {
	if v == nil {
		return 0
	}
	f, _ := new(big.Float).Quo(new(big.Float).SetInt(v), new(big.Float).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil))).Float64()
	return f
}
