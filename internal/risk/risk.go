// Package risk scores tokens (and the contracts of a protocol) from what
// their code does, what a node shows about them, and their on-chain history,
// and explains every point of the score.
//
// A Signal is a value in an explicit list (Signals), like the auditor's
// analyzers: a name, a description of what it measures, the mode it needs
// (code only, or a node) and a run function that returns evidence, factors
// and GoPlus-style flags. The engine runs every signal that its inputs allow;
// a signal that cannot run is reported with status "unknown" and the reason,
// never as safe.
//
// # Score model
//
// The score is additive: every Factor carries Points and the evidence that
// produced it, and risk_score = min(100, Σ points). Factors are of three
// kinds, kept apart on purpose:
//
//   - capability: what a privileged address COULD do (mint, pause,
//     blacklist, upgrade, change a bounded fee). Its points are the base
//     points times the weight of whoever holds the privilege: renounced 0,
//     timelock 0.3, multisig 0.5, unknown holder 0.5 (bytecode mode: a
//     capability alone is never more than medium offline), another
//     contract 0.75, externally owned account 1. A USDC-style token (admin pause and
//     blacklist, upgradeable, minters) held by a multisig therefore stays
//     medium.
//   - behaviour: what the code or a simulation shows is rigged or was done
//     (a function that edits holders' balances, a transferFrom that skips
//     the allowance for an admin, a hidden second owner, a fee that can be
//     set to 100%, a sale that reverts). These are not weighted by the
//     holder: a token that cannot be sold gets 90 points on its own and is
//     critical whatever else it has.
//   - evidence: an item of an external-evidence file (evidence.go: audits,
//     team disclosure, incidents, with source links), with the points the
//     file gives it (−20 … 50). Negative evidence never brings the score
//     below the sum of behaviour factors.
//
// Levels: low < 20 ≤ medium < 50 ≤ high < 80 ≤ critical.
package risk

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Level is a risk level.
type Level string

// Levels, lowest first.
const (
	LevelLow      Level = "low"
	LevelMedium   Level = "medium"
	LevelHigh     Level = "high"
	LevelCritical Level = "critical"
)

// LevelOf maps a score to its level.
func LevelOf(score int) Level {
	switch {
	case score >= 80:
		return LevelCritical
	case score >= 50:
		return LevelHigh
	case score >= 20:
		return LevelMedium
	}
	return LevelLow
}

// Factor kinds.
const (
	// KindCapability is what a privileged address could do.
	KindCapability = "capability"
	// KindBehaviour is what the code or a simulation shows is rigged or done.
	KindBehaviour = "behaviour"
)

// Evidence is one checkable fact behind a factor: where it was found.
type Evidence struct {
	// Selector is the function ("0x40c10f19"), Name its sigdb name when
	// known.
	Selector string `json:"selector,omitempty"`
	Name     string `json:"name,omitempty"`
	// Slot is a storage slot (a constant slot, or a mapping's base slot).
	Slot string `json:"slot,omitempty"`
	// Address is an account involved (owner, holder, pool).
	Address string `json:"address,omitempty"`
	// PC is the code offset of the instruction.
	PC int `json:"pc,omitempty"`
	// RevertReason is the decoded revert reason of a failed simulation.
	RevertReason string `json:"revert_reason,omitempty"`
	// Source is the link behind an external-evidence item.
	Source string `json:"source,omitempty"`
	// Detail says what was seen, in words.
	Detail string `json:"detail"`
}

// Factor is one contribution to the score.
type Factor struct {
	// ID is stable, e.g. "mint-path", "cannot-sell".
	ID string `json:"id"`
	// Signal is the signal that raised it.
	Signal string `json:"signal"`
	Kind   string `json:"kind"`
	Title  string `json:"title"`
	// Points is the contribution to the score; for capabilities it is
	// BasePoints × HolderWeight, rounded.
	Points       int        `json:"points"`
	BasePoints   int        `json:"base_points"`
	HolderWeight float64    `json:"holder_weight,omitempty"`
	Evidence     []Evidence `json:"evidence"`
}

// Signal statuses.
const (
	StatusOK      = "ok"
	StatusUnknown = "unknown"
)

// SignalResult is the outcome of one signal.
type SignalResult struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	// Reason says why the signal could not run (status unknown).
	Reason   string     `json:"reason,omitempty"`
	Evidence []Evidence `json:"evidence,omitempty"`
}

// Report is the risk report of one token (or contract).
type Report struct {
	Address  string `json:"address,omitempty"`
	ChainID  string `json:"chain_id,omitempty"`
	CodeHash string `json:"code_hash,omitempty"`
	// Mode is "bytecode" (offline) or "node".
	Mode      string         `json:"mode"`
	RiskScore int            `json:"risk_score"`
	Level     Level          `json:"level"`
	Factors   []Factor       `json:"factors"`
	Signals   []SignalResult `json:"signals"`
	// Unknowns lists what could not be decided and why.
	Unknowns []string `json:"unknowns"`
	// Flags are the GoPlus token_security fields decided so far (string
	// values, "1"/"0" for booleans); a missing key means unknown.
	Flags map[string]any `json:"flags"`
	// Skipped is set when the input could not be analysed at all (not a
	// contract, unparsable bytecode): it says what was skipped and why.
	Skipped string `json:"skipped,omitempty"`
}

// Sum returns Σ factor points (before the cap at 100).
func (r *Report) Sum() int {
	n := 0
	for _, f := range r.Factors {
		n += f.Points
	}
	return n
}

// finish computes the score and level from the factors and sorts them by
// points.
func (r *Report) finish() {
	slices.SortStableFunc(r.Factors, func(a, b Factor) int { return b.Points - a.Points })
	// Negative (reassuring) evidence never lowers what behaviour factors
	// showed, and the score is never below 0.
	behaviour := 0
	for _, f := range r.Factors {
		if f.Kind == KindBehaviour && f.Points > 0 {
			behaviour += f.Points
		}
	}
	r.RiskScore = min(100, max(r.Sum(), behaviour, 0))
	r.Level = LevelOf(r.RiskScore)
	if r.Unknowns == nil {
		r.Unknowns = []string{}
	}
	if r.Factors == nil {
		r.Factors = []Factor{}
	}
}

// Factor returns the factor with id, or nil.
func (r *Report) Factor(id string) *Factor {
	for i := range r.Factors {
		if r.Factors[i].ID == id {
			return &r.Factors[i]
		}
	}
	return nil
}

// Flag returns the GoPlus flag key as a string ("" when unknown).
func (r *Report) Flag(key string) string {
	v, ok := r.Flags[key]
	if !ok {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

// Holder weights for capability factors.
const (
	WeightRenounced = 0.0
	WeightTimelock  = 0.3
	WeightMultisig  = 0.5
	WeightUnknown   = 0.5
	WeightContract  = 0.75
	WeightEOA       = 1.0
)

// points rounds base × weight.
func points(base int, w float64) int { return int(math.Round(float64(base) * w)) }

// boolFlag renders a GoPlus boolean.
func boolFlag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// joinNames formats evidence names for a title.
func joinNames(ev []Evidence) string {
	var names []string
	for _, e := range ev {
		n := e.Name
		if n == "" {
			n = e.Selector
		}
		if n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}
