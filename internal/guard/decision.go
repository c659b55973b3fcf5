package guard

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/alert"
)

// Trigger is the guard's input: a pending transaction and what the monitor
// concluded about it.
type Trigger struct {
	// Tx is the pending attack transaction.
	Tx *types.Transaction
	// Observations are the detector findings on Tx (may be empty when
	// Alert is set).
	Observations []alert.Observation
	// Alert is the aggregated incident (optional); its signals and victim
	// are used too.
	Alert *alert.Alert
	// FirstSeen is when the pipeline first saw Tx; response_ms is measured
	// from it. Zero means when Handle was called.
	FirstSeen time.Time
	// OnSent, when set, is called once the primary node has accepted every
	// protective transaction (armed mode), before Handle starts watching
	// the attack, with a copy of their records. A caller that mines blocks
	// itself (a devnet, a test) waits for it before mining. It runs on
	// Handle's goroutine and must not block.
	OnSent func(txs []ProtectiveTx)
}

// Verdict is what the guard decided.
type Verdict string

// Verdicts.
const (
	// VerdictNotTriggered: no qualifying signal for a guarded protocol.
	VerdictNotTriggered Verdict = "not-triggered"
	// VerdictRateLimited: a cooldown or hourly budget held the action back.
	VerdictRateLimited Verdict = "rate-limited"
	// VerdictRefused: the simulation gate did not prove the action works.
	VerdictRefused Verdict = "refused"
	// VerdictDryRun: the gate passed; the transactions were signed and
	// recorded but not sent.
	VerdictDryRun Verdict = "dry-run"
	// VerdictActed: the protective transactions were sent.
	VerdictActed Verdict = "acted"
	// VerdictFailed: sending failed.
	VerdictFailed Verdict = "failed"
)

// StageDeployment is Decision.Stage of an early-stage decision: the
// pending transaction is a contract deployment referencing a protected
// address, not an exploit.
const StageDeployment = "deployment"

// SignalRecord is one detector signal the decision considered.
type SignalRecord struct {
	Detector   string           `json:"detector"`
	Severity   alert.Severity   `json:"severity"`
	Confidence alert.Confidence `json:"confidence"`
	Anomaly    bool             `json:"anomaly,omitempty"`
	Stage      alert.Stage      `json:"stage,omitempty"`
	Victim     alert.Protocol   `json:"victim"`
	Message    string           `json:"message,omitempty"`
	// Qualified is true when the signal met the policy's trigger.
	Qualified bool `json:"qualified"`
}

// signal is a SignalRecord before matching.
type signal = SignalRecord

// ProtectiveTx is one signed protective transaction: what was (or, in
// dry-run mode, would have been) sent.
type ProtectiveTx struct {
	Label    string         `json:"label"`
	Hash     common.Hash    `json:"hash"`
	To       common.Address `json:"to"`
	Data     string         `json:"data"`
	Nonce    uint64         `json:"nonce"`
	GasLimit uint64         `json:"gas_limit"`
	Fees     Fees           `json:"fees"`
	// Raw is the signed transaction (hex), exactly as sent or as it would
	// be sent.
	Raw string `json:"raw"`
	// Replaces is the hash this transaction replaced (same nonce).
	Replaces *common.Hash `json:"replaces,omitempty"`
	// AcceptedMS is when the primary node accepted it, in ms after
	// FirstSeen.
	AcceptedMS float64 `json:"accepted_ms,omitempty"`
	// Broadcast lists the extra endpoints' results ("ok" or the error).
	Broadcast []string `json:"broadcast,omitempty"`
	// Block is where it was mined (0 if never), Index its position.
	Block  uint64 `json:"block,omitempty"`
	Index  uint   `json:"index,omitempty"`
	Status string `json:"status,omitempty"`
}

// Outcome is what happened after the protective transactions were sent.
type Outcome struct {
	// Attack is "reverted", "succeeded", "dropped" or "pending" (still
	// unmined when watching stopped).
	Attack      string `json:"attack"`
	AttackBlock uint64 `json:"attack_block,omitempty"`
	AttackIndex uint   `json:"attack_index,omitempty"`
	// ProtectedFirst is true when every protective tx was mined before the
	// attack (earlier block, or same block at a lower index).
	ProtectedFirst bool `json:"protected_first"`
	// VictimETHAfter is the victim's ETH after the attack's block, in wei.
	VictimETHAfter string `json:"victim_eth_after,omitempty"`
}

// Decision is the audit record of one trigger: what the guard saw, what the
// simulations showed, what it sent and what happened. It never contains the
// guardian key.
type Decision struct {
	ID       string  `json:"id"`
	Protocol string  `json:"protocol,omitempty"`
	Mode     Mode    `json:"mode,omitempty"`
	Verdict  Verdict `json:"verdict"`
	// Reason explains refusals and limits in words, e.g. "pause() on
	// VulnerableBank reverts: NotGuardianOrOwner(0x…)".
	Reason   string         `json:"reason,omitempty"`
	Guardian common.Address `json:"guardian"`
	// Stage is StageDeployment for an early-stage decision
	// (Guard.HandleDeployment), empty for an exploit.
	Stage string `json:"stage,omitempty"`
	// Basis says what an early-stage decision acted on, e.g. "acted on a
	// deployment referencing VulnerableBank (0x…); no exploit to replay".
	Basis string `json:"basis,omitempty"`
	// Referenced is the protected address an early-stage decision's
	// deployment references.
	Referenced *common.Address `json:"referenced,omitempty"`
	// AttackTx is the pending attack, or for an early-stage decision the
	// pending deployment; Attacker is its sender.
	AttackTx common.Hash    `json:"attack_tx"`
	Attacker common.Address `json:"attacker"`
	// AttackTip is the attacker's effective tip at decision time, in wei.
	AttackTip string         `json:"attack_tip,omitempty"`
	Signals   []SignalRecord `json:"signals"`
	// Baseline simulates the attack alone; Protected the protective calls
	// followed by the attack.
	Baseline  *Simulation `json:"baseline,omitempty"`
	Protected *Simulation `json:"protected,omitempty"`
	// FundsAtRisk is what the baseline simulation showed the attack would
	// take from the victim.
	FundsAtRisk []Amount       `json:"funds_at_risk,omitempty"`
	Txs         []ProtectiveTx `json:"txs,omitempty"`
	// Replacements counts fee-bumped replacements.
	Replacements int       `json:"replacements"`
	Outcome      *Outcome  `json:"outcome,omitempty"`
	FirstSeen    time.Time `json:"first_seen"`
	DecidedAt    time.Time `json:"decided_at"`
	// GateMS is the simulation gate's duration; ResponseMS the time from
	// FirstSeen until the node accepted the last protective transaction.
	GateMS     float64 `json:"gate_ms,omitempty"`
	ResponseMS float64 `json:"response_ms,omitempty"`
	// Summary is one line, e.g. "paused VulnerableBank in block 42; attack
	// 0xab…cd reverted; 50 ETH protected".
	Summary string `json:"summary"`

	action string // "paused VulnerableBank"
}

// Response converts the decision into the alert's response section.
func (d *Decision) Response() alert.Response {
	r := alert.Response{Action: d.action, At: d.DecidedAt}
	if len(d.Txs) > 0 {
		last := d.Txs[len(d.Txs)-1]
		r.TxHash, r.Block = last.Hash.Hex(), last.Block
	}
	if d.Outcome != nil {
		r.Outcome = "attack " + shortHash(d.AttackTx.Hex()) + " " + d.Outcome.Attack
		if d.Outcome.Attack == "reverted" || d.Outcome.Attack == "dropped" {
			r.FundsProtectedETH = ethOf(d.FundsAtRisk)
		}
		if d.Stage == StageDeployment {
			r.Outcome = deploymentOutcome(d)
		}
	}
	switch d.Verdict {
	case VerdictActed:
	case VerdictDryRun:
		r.Action = "dry-run: would have " + d.action
		r.TxHash = "" // signed, never sent
		r.Outcome = "nothing sent"
	default:
		r.Action = string(d.Verdict) + ": no action"
		if d.action != "" {
			r.Action = string(d.Verdict) + ": did not " + strings.ReplaceAll(d.action, "paused ", "pause ")
		}
		r.Outcome = d.Reason
	}
	return r
}

// ethOf sums the ETH entries of amounts, in ether.
func ethOf(as []Amount) float64 {
	var f float64
	for _, a := range as {
		if a.Asset != "" {
			continue
		}
		if v, ok := new(big.Int).SetString(a.Wei, 10); ok {
			x, _ := new(big.Float).Quo(new(big.Float).SetInt(v), big.NewFloat(1e18)).Float64()
			f += x
		}
	}
	return f
}

// actionText describes the protective calls: "paused VulnerableBank" for a
// single pause(), otherwise "called pauseMarket(address) on Pool, …".
func actionText(calls []Call) string {
	var parts []string
	for _, c := range calls {
		if strings.ReplaceAll(c.Signature, " ", "") == "pause()" {
			parts = append(parts, "paused "+c.Name)
		} else {
			parts = append(parts, fmt.Sprintf("called %s on %s", c.Signature, c.Name))
		}
	}
	return strings.Join(parts, ", ")
}

// summarize fills d.Summary.
func (d *Decision) summarize() {
	short := shortHash(d.AttackTx.Hex())
	risk := amountsText(d.FundsAtRisk)
	switch d.Verdict {
	case VerdictNotTriggered, VerdictRateLimited, VerdictRefused, VerdictFailed:
		what := "attack"
		if d.Stage == StageDeployment {
			what = "deployment"
		}
		d.Summary = fmt.Sprintf("%s: no action on %s for %s %s: %s", d.Verdict, orUnknown(d.Protocol), what, short, d.Reason)
	case VerdictDryRun:
		if d.Stage == StageDeployment {
			d.Summary = fmt.Sprintf("dry-run: would have %s before deployment %s; %s", d.action, short, d.Basis)
			return
		}
		d.Summary = fmt.Sprintf("dry-run: would have %s; attack %s would revert; %s at risk", d.action, short, orNothing(risk))
	case VerdictActed:
		block := uint64(0)
		for _, t := range d.Txs {
			if t.Block > block {
				block = t.Block
			}
		}
		s := d.action
		if block > 0 {
			s += fmt.Sprintf(" in block %d", block)
		} else {
			s = "sent: " + s + " (not mined)"
		}
		if d.Stage == StageDeployment {
			if d.Outcome != nil {
				s += "; " + deploymentOutcome(d)
			}
			d.Summary = s + "; " + d.Basis
			return
		}
		if d.Outcome == nil {
			d.Summary = s
			return
		}
		s += fmt.Sprintf("; attack %s %s", short, d.Outcome.Attack)
		switch d.Outcome.Attack {
		case "reverted", "dropped":
			s += "; " + orNothing(risk) + " protected"
		case "succeeded":
			s += "; " + orNothing(risk) + " at risk"
		}
		d.Summary = s
	}
}

// deploymentOutcome describes what became of the deployment an early-stage
// decision acted on, e.g. "deployment 0xab…cd mined after it in block 42".
func deploymentOutcome(d *Decision) string {
	short := shortHash(d.AttackTx.Hex())
	o := d.Outcome
	switch o.Attack {
	case "succeeded", "reverted":
		order := "before it"
		if o.ProtectedFirst {
			order = "after it"
		}
		s := fmt.Sprintf("deployment %s mined %s in block %d", short, order, o.AttackBlock)
		if o.Attack == "reverted" {
			s += " (reverted)"
		}
		return s
	default:
		return fmt.Sprintf("deployment %s %s", short, o.Attack)
	}
}

func amountsText(as []Amount) string {
	var parts []string
	for _, a := range as {
		parts = append(parts, a.String())
	}
	return strings.Join(parts, " + ")
}

func orUnknown(s string) string {
	if s == "" {
		return "any guarded protocol"
	}
	return s
}

func orNothing(s string) string {
	if s == "" {
		return "0 ETH"
	}
	return s
}

// Recorder receives every decision (the pipeline stores it and forwards it
// to alert sinks).
type Recorder interface {
	Record(d *Decision)
}

// RecorderFunc adapts a function to Recorder.
type RecorderFunc func(d *Decision)

// Record implements Recorder.
func (f RecorderFunc) Record(d *Decision) { f(d) }

// shortHash abbreviates a hex hash to "0xabcd…1234".
func shortHash(h string) string {
	if len(h) <= 12 {
		return h
	}
	return h[:6] + "…" + h[len(h)-4:]
}
