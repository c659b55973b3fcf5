// Package alert turns detector signals into one explained alert per incident
// and delivers it to the channels security teams already use.
//
// The pipeline has three parts:
//
//   - [Aggregator] groups [Observation]s (one detector firing on one
//     transaction) into incidents keyed by victim and attacker, follows each
//     transaction through the pending → confirmed → retracted/dropped stages,
//     de-duplicates with a per-incident cooldown and emits [Event]s
//     (opened, updated, promoted, retracted, dropped). It is pure logic with
//     an injected clock: no goroutines, no I/O.
//   - [Sink]s deliver events: [Console], [JSONLFile], [Webhook] (HMAC-signed),
//     [Slack], [Discord], [Telegram] and [PagerDuty], plus the wrappers
//     [WithRetry] and [WithMinSeverity].
//   - [Router] fans one event out to many sinks concurrently with a per-sink
//     timeout, so one slow or failing channel never blocks the others.
//
// Secrets (webhook URLs and secrets, bot tokens, routing keys) never appear in
// errors or logs produced by this package.
package alert

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Severity ranks how bad an alert is. The zero value is [SeverityInfo];
// severities are ordered, so they compare with < and >.
type Severity int

// Severities, lowest first.
const (
	SeverityInfo Severity = iota
	SeverityLow
	SeverityMedium
	SeverityHigh
	SeverityCritical
)

// severityNames is indexed by Severity.
func severityNames() [5]string {
	return [5]string{"info", "low", "medium", "high", "critical"}
}

// String returns the lower-case name ("info" … "critical").
func (s Severity) String() string {
	if s < SeverityInfo || s > SeverityCritical {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames()[s]
}

// Valid reports whether s is one of the defined severities.
func (s Severity) Valid() bool { return s >= SeverityInfo && s <= SeverityCritical }

// ParseSeverity parses a severity name, case-insensitively. "warn"/"warning"
// are accepted for medium and "error" for high, to ease configuration.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "info", "informational":
		return SeverityInfo, nil
	case "low":
		return SeverityLow, nil
	case "medium", "warn", "warning":
		return SeverityMedium, nil
	case "high", "error":
		return SeverityHigh, nil
	case "critical":
		return SeverityCritical, nil
	}
	return 0, fmt.Errorf("alert: unknown severity %q (want info, low, medium, high or critical)", s)
}

// MarshalText encodes the severity as its name.
func (s Severity) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, fmt.Errorf("alert: invalid severity %d", int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Stage is where an incident's transactions are in their life cycle.
type Stage string

// Stages. An incident is confirmed if any of its transactions is mined,
// otherwise pending if any is still in the mempool, otherwise retracted if
// any was reorged out, otherwise dropped.
const (
	StagePending   Stage = "pending"   // seen in the mempool, not mined yet
	StageConfirmed Stage = "confirmed" // mined in a canonical block
	StageRetracted Stage = "retracted" // was mined, then removed by a reorg
	StageDropped   Stage = "dropped"   // left the mempool without being mined
)

// Valid reports whether s is one of the defined stages.
func (s Stage) Valid() bool {
	switch s {
	case StagePending, StageConfirmed, StageRetracted, StageDropped:
		return true
	}
	return false
}

// stageRank orders stages for deriving an incident's stage from its
// transactions: the highest-ranked transaction stage wins.
func stageRank(s Stage) int {
	switch s {
	case StageConfirmed:
		return 4
	case StagePending:
		return 3
	case StageRetracted:
		return 2
	case StageDropped:
		return 1
	}
	return 0
}

// Confidence is the probability, in [0, 1], that an alert is a true attack.
//
// aegis uses a number rather than low/medium/high buckets so that signals
// from independent detectors can be combined (the aggregator uses a
// noisy-OR: 1 − Π(1 − cᵢ) over the strongest signal of each detector) and so
// that thresholds are configurable. [Confidence.Level] gives the bucket for
// display: below 0.5 is low, below 0.8 medium, otherwise high.
type Confidence float64

// Level returns "low", "medium" or "high".
func (c Confidence) Level() string {
	switch {
	case c < 0.5:
		return "low"
	case c < 0.8:
		return "medium"
	}
	return "high"
}

// clamp limits c to [0, 1].
func (c Confidence) clamp() Confidence {
	switch {
	case c < 0 || math.IsNaN(float64(c)):
		return 0
	case c > 1:
		return 1
	}
	return c
}

// Protocol identifies a DeFi protocol contract.
type Protocol struct {
	Name    string `json:"name,omitempty"`
	Address string `json:"address"`
}

// String returns the name, or the shortened address when there is no name.
func (p Protocol) String() string {
	if p.Name != "" {
		return p.Name
	}
	if p.Address == "" {
		return "unknown protocol"
	}
	return ShortAddr(p.Address)
}

// TxRef is one transaction of an incident and its current stage.
type TxRef struct {
	Hash string `json:"hash"`
	// Block is the block the transaction was (last) mined in; 0 while it
	// has never been mined.
	Block uint64 `json:"block,omitempty"`
	Stage Stage  `json:"stage"`
}

// Signal is one detector's finding, as kept in an alert's evidence.
type Signal struct {
	Detector   string             `json:"detector"`
	Severity   Severity           `json:"severity"`
	Confidence Confidence         `json:"confidence"`
	Message    string             `json:"message"`
	Numbers    map[string]float64 `json:"numbers,omitempty"`
	// TxHash is the transaction the signal fired on ("" for state-based
	// signals).
	TxHash string `json:"tx_hash,omitempty"`
	// Anomaly marks a statistical (anomaly-only) signal as opposed to a rule
	// that recognises an attack pattern.
	Anomaly bool `json:"anomaly,omitempty"`
}

// Evidence is what the alert is based on.
type Evidence struct {
	Txs     []TxRef  `json:"txs"`
	Signals []Signal `json:"signals"`
	// Numbers summarises the incident: loss_eth, profit_eth, price_impact,
	// anomaly_score… Amounts (keys ending in _eth, _usd or _wei) are summed
	// over transactions; everything else is the maximum over signals.
	Numbers map[string]float64 `json:"numbers,omitempty"`
}

// Response is what the guard did about an incident, filled in after the fact.
type Response struct {
	// Action is a human description, e.g. "paused LendingPool".
	Action string `json:"action"`
	TxHash string `json:"tx_hash,omitempty"`
	Block  uint64 `json:"block,omitempty"`
	// Outcome, e.g. "attack 0x… reverted".
	Outcome           string    `json:"outcome,omitempty"`
	FundsProtectedETH float64   `json:"funds_protected_eth,omitempty"`
	At                time.Time `json:"at"`
}

// String renders the response as one line, e.g. "paused LendingPool in block
// 123; attack 0xab…cd reverted; 412 ETH protected".
func (r Response) String() string {
	parts := []string{}
	a := r.Action
	if r.Block != 0 {
		a += fmt.Sprintf(" in block %d", r.Block)
	}
	if a != "" {
		parts = append(parts, a)
	}
	if r.Outcome != "" {
		parts = append(parts, r.Outcome)
	}
	if r.FundsProtectedETH > 0 {
		parts = append(parts, FormatETH(r.FundsProtectedETH)+" ETH protected")
	}
	return strings.Join(parts, "; ")
}

// AllowlistMatch records that the attacker is a known benign actor (an MEV or
// arbitrage bot) and what the aggregator did about it.
type AllowlistMatch struct {
	Address string `json:"address"`
	Label   string `json:"label"`
	Action  string `json:"action"` // "downgraded"
	Reason  string `json:"reason"`
}

// Alert is one incident, explained. It is the unit delivered to sinks.
type Alert struct {
	// ID is unique per incident and stable across its updates (a pending
	// alert promoted to confirmed keeps its ID).
	ID string `json:"id"`
	// DedupKey identifies the (chain, victim, attacker) triple; external
	// de-duplicating services (PagerDuty) use it to fold updates into one
	// incident.
	DedupKey   string     `json:"dedup_key"`
	Severity   Severity   `json:"severity"`
	Confidence Confidence `json:"confidence"`
	Title      string     `json:"title"`
	// Summary is one sentence, e.g. "0xabc…1234 drained 412 ETH from
	// LendingPool via flash-loan manipulation of the TKN/WETH pool".
	Summary   string   `json:"summary"`
	Stage     Stage    `json:"stage"`
	ChainID   uint64   `json:"chain_id"`
	Protocol  Protocol `json:"protocol"`
	Attacker  string   `json:"attacker,omitempty"`
	Victim    string   `json:"victim,omitempty"`
	Detectors []string `json:"detectors"`
	Evidence  Evidence `json:"evidence"`
	// AnomalyOnly is true while every signal is statistical; such alerts
	// are capped at medium severity.
	AnomalyOnly bool            `json:"anomaly_only,omitempty"`
	Allowlisted *AllowlistMatch `json:"allowlisted,omitempty"`
	FirstSeen   time.Time       `json:"first_seen"`
	DetectedAt  time.Time       `json:"detected_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
	Response    *Response       `json:"response,omitempty"`
}

// Clone returns a deep copy, so that an emitted alert can be read by sinks
// on other goroutines while the aggregator keeps updating its own copy.
func (a *Alert) Clone() *Alert {
	if a == nil {
		return nil
	}
	c := *a
	c.Detectors = append([]string(nil), a.Detectors...)
	c.Evidence.Txs = append([]TxRef(nil), a.Evidence.Txs...)
	c.Evidence.Signals = make([]Signal, len(a.Evidence.Signals))
	for i, s := range a.Evidence.Signals {
		s.Numbers = cloneNumbers(s.Numbers)
		c.Evidence.Signals[i] = s
	}
	c.Evidence.Numbers = cloneNumbers(a.Evidence.Numbers)
	if a.Allowlisted != nil {
		m := *a.Allowlisted
		c.Allowlisted = &m
	}
	if a.Response != nil {
		r := *a.Response
		c.Response = &r
	}
	return &c
}

func cloneNumbers(m map[string]float64) map[string]float64 {
	if m == nil {
		return nil
	}
	c := make(map[string]float64, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// EventKind says what happened to an alert.
type EventKind string

// Event kinds.
const (
	EventOpened    EventKind = "opened"    // a new incident
	EventUpdated   EventKind = "updated"   // new evidence, higher severity or a response
	EventPromoted  EventKind = "promoted"  // pending → confirmed (same alert ID)
	EventRetracted EventKind = "retracted" // its transactions were reorged out
	EventDropped   EventKind = "dropped"   // its transactions left the mempool unmined
)

// Resolves reports whether the event ends the incident (retracted or
// dropped): paging sinks resolve rather than trigger.
func (k EventKind) Resolves() bool { return k == EventRetracted || k == EventDropped }

// Event is one notification about an alert, emitted by the [Aggregator] and
// delivered by [Sink]s.
type Event struct {
	Kind EventKind `json:"kind"`
	// Seq increases by one for every event an aggregator emits.
	Seq uint64 `json:"seq"`
	// At is when the aggregator emitted the event.
	At time.Time `json:"at"`
	// Reason explains why this event was emitted, e.g. "severity rose from
	// medium to high".
	Reason string `json:"reason,omitempty"`
	Alert  *Alert `json:"alert"`
}

// DeliveryID identifies this event for receivers that de-duplicate
// deliveries: "<alert id>-<seq>". Retries of the same event share it.
func (e Event) DeliveryID() string {
	if e.Alert == nil {
		return fmt.Sprintf("-%d", e.Seq)
	}
	return fmt.Sprintf("%s-%d", e.Alert.ID, e.Seq)
}
