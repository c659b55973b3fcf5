package alert

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Observation is one detector firing on one transaction: the input of the
// [Aggregator].
type Observation struct {
	Detector   string
	Severity   Severity
	Confidence Confidence
	// Message explains the finding in one short sentence.
	Message string
	// Numbers are the detector's measurements: loss_eth, profit_eth,
	// price_impact, anomaly_score…
	Numbers map[string]float64
	// Anomaly marks a statistical signal (unusual, but not a recognised
	// attack pattern). Incidents made only of anomaly signals are capped at
	// medium severity.
	Anomaly bool

	ChainID uint64
	TxHash  string
	// Stage is StagePending (seen in the mempool) or StageConfirmed (mined
	// in Block). Empty means confirmed when Block > 0, pending otherwise.
	Stage Stage
	Block uint64

	// Attacker is the account behind the transaction (usually its sender).
	Attacker string
	// Victim is the protocol being attacked.
	Victim Protocol

	// Title optionally names the attack class, e.g. "Flash-loan price
	// manipulation". The title of the most severe signal wins.
	Title string
	// Technique optionally completes the summary's "via …", e.g.
	// "flash-loan manipulation of the TKN/WETH pool".
	Technique string
	// At is when the detector saw it; zero means now.
	At time.Time
}

// AggregatorConfig configures an [Aggregator]. The zero value is usable.
type AggregatorConfig struct {
	// Clock returns the current time; default time.Now.
	Clock func() time.Time
	// Window is how long after an incident's last activity another
	// transaction by the same attacker against the same victim still joins
	// it; default 10 minutes. It is raised to at least Cooldown, so that a
	// dedup key is never re-notified within its cooldown by a new incident.
	Window time.Duration
	// Cooldown suppresses re-notification of a dedup key's incident (new
	// transactions, new detectors) for this long after its last
	// notification, unless its severity rises, its stage changes or the
	// guard responds; default 5 minutes. Negative disables the cooldown.
	// Held-back changes are reported by [Aggregator.Tick].
	Cooldown time.Duration
	// Retention is how long an idle incident is remembered; default 24 hours.
	Retention time.Duration
	// Allowlist of known bots; nil disables the check.
	Allowlist *Allowlist
	// AllowlistMode: downgrade (default) or drop.
	AllowlistMode AllowlistMode
	// AllowlistSeverity is the severity an allowlisted attacker's signals
	// are downgraded to; default (zero) info.
	AllowlistSeverity Severity
	// MaxSignals bounds the evidence kept per incident; default 64. The
	// most severe signals are kept.
	MaxSignals int
	// MaxSuppressions bounds the suppression log; default 256.
	MaxSuppressions int
	// Logger receives debug records for suppressed signals; default discard.
	Logger *slog.Logger
}

// AnomalyCap is the highest severity an incident made only of anomaly
// signals can reach.
const AnomalyCap = SeverityMedium

// Suppression records an observation the aggregator discarded, and why.
type Suppression struct {
	At       time.Time `json:"at"`
	Detector string    `json:"detector"`
	TxHash   string    `json:"tx_hash,omitempty"`
	Attacker string    `json:"attacker,omitempty"`
	Victim   string    `json:"victim,omitempty"`
	Reason   string    `json:"reason"`
}

// AggregatorStats counts what the aggregator has done.
type AggregatorStats struct {
	Observed   int `json:"observed"`
	Suppressed int `json:"suppressed"`
	Incidents  int `json:"incidents"` // currently remembered
	Opened     int `json:"opened"`
	Events     int `json:"events"`
	// Quiet counts observations absorbed into an incident without a
	// notification (duplicates and cooldown).
	Quiet int `json:"quiet"`
}

// Aggregator groups observations into incidents and decides when to notify.
// It does no I/O and starts no goroutines; it is safe for concurrent use.
type Aggregator struct {
	cfg AggregatorConfig

	mu           sync.Mutex
	incidents    map[string]*incident // by alert ID
	byTx         map[string]string    // chain:tx hash → alert ID
	byKey        map[string]string    // dedup key → latest alert ID
	seq          uint64
	suppressions []Suppression
	stats        AggregatorStats
}

type incident struct {
	alert        *Alert
	txNumbers    map[string]map[string]float64 // tx hash → numbers (max per key)
	detConf      map[string]Confidence         // detector → strongest confidence
	lastActivity time.Time
	lastNotified time.Time
	notifiedSev  Severity
	notifiedStg  Stage
	// dirty is set when a change was absorbed by the cooldown; [Aggregator.Tick]
	// reports it once the cooldown ends.
	dirty       string
	bestSev     Severity
	bestTitle   string
	bestTech    string
	bestMessage string
}

// NewAggregator returns an aggregator with cfg's defaults filled in.
func NewAggregator(cfg AggregatorConfig) *Aggregator {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.Window <= 0 {
		cfg.Window = 10 * time.Minute
	}
	if cfg.Cooldown == 0 {
		cfg.Cooldown = 5 * time.Minute
	}
	if cfg.Window < cfg.Cooldown {
		cfg.Window = cfg.Cooldown
	}
	if cfg.Retention <= 0 {
		cfg.Retention = 24 * time.Hour
	}
	cfg.Retention = max(cfg.Retention, cfg.Window)
	if cfg.MaxSignals <= 0 {
		cfg.MaxSignals = 64
	}
	if cfg.MaxSuppressions <= 0 {
		cfg.MaxSuppressions = 256
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Aggregator{
		cfg:       cfg,
		incidents: map[string]*incident{},
		byTx:      map[string]string{},
		byKey:     map[string]string{},
	}
}

// ErrUnknownAlert is returned by [Aggregator.Respond] for an ID the
// aggregator does not (or no longer) remember.
var ErrUnknownAlert = errors.New("alert: unknown alert id")

func txKey(chain uint64, hash string) string {
	return strconv.FormatUint(chain, 10) + ":" + strings.ToLower(hash)
}

// DedupKeyFor returns the dedup key of incidents on chain against victim by
// attacker: "aegis:<chain>:<victim>:<attacker>" (lower-case).
func DedupKeyFor(chain uint64, victim Protocol, attacker string) string {
	v := normAddr(victim.Address)
	if v == "" {
		v = strings.ToLower(victim.Name)
	}
	return fmt.Sprintf("aegis:%d:%s:%s", chain, v, normAddr(attacker))
}

// Observe folds one observation into its incident and returns the events to
// deliver: none (suppressed, duplicate or within cooldown) or one.
func (a *Aggregator) Observe(obs Observation) ([]Event, error) {
	if obs.Detector == "" {
		return nil, errors.New("alert: observation without detector")
	}
	if !obs.Severity.Valid() {
		return nil, fmt.Errorf("alert: observation from %s: invalid severity %d", obs.Detector, int(obs.Severity))
	}
	if obs.Victim.Address == "" && obs.Victim.Name == "" {
		return nil, fmt.Errorf("alert: observation from %s: no victim protocol", obs.Detector)
	}
	switch obs.Stage {
	case "":
		obs.Stage = StagePending
		if obs.Block > 0 {
			obs.Stage = StageConfirmed
		}
	case StagePending, StageConfirmed:
	default:
		return nil, fmt.Errorf("alert: observation from %s: stage %q (want pending or confirmed)", obs.Detector, obs.Stage)
	}
	obs.Attacker = normAddr(obs.Attacker)
	obs.Victim.Address = normAddr(obs.Victim.Address)
	obs.TxHash = strings.ToLower(obs.TxHash)
	obs.Confidence = obs.Confidence.clamp()

	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.cfg.Clock()
	if obs.At.IsZero() {
		obs.At = now
	}
	a.prune(now)
	a.stats.Observed++

	var match *AllowlistMatch
	if e, ok := a.cfg.Allowlist.Lookup(obs.Attacker); ok {
		reason := fmt.Sprintf("attacker %s is allowlisted as %s", e.Address, e.Label)
		if e.Kind != "" {
			reason += " (" + e.Kind + ")"
		}
		if a.cfg.AllowlistMode == AllowlistDrop {
			a.suppress(Suppression{At: now, Detector: obs.Detector, TxHash: obs.TxHash,
				Attacker: obs.Attacker, Victim: obs.Victim.String(), Reason: reason + ": signal dropped"})
			return nil, nil
		}
		if obs.Severity > a.cfg.AllowlistSeverity {
			obs.Severity = a.cfg.AllowlistSeverity
		}
		match = &AllowlistMatch{Address: e.Address, Label: e.Label, Action: "downgraded",
			Reason: reason + ": severity downgraded to " + a.cfg.AllowlistSeverity.String()}
	}

	key := DedupKeyFor(obs.ChainID, obs.Victim, obs.Attacker)
	inc := a.find(obs, key, now)
	if inc == nil {
		inc = a.open(obs, key, now)
		a.apply(inc, obs, match, now)
		a.stats.Opened++
		return []Event{a.emit(inc, EventOpened, "new incident", now)}, nil
	}
	before := inc.alert.Stage
	change := a.apply(inc, obs, match, now)
	if ev, ok := a.decide(inc, before, change, now); ok {
		return []Event{ev}, nil
	}
	a.stats.Quiet++
	return nil, nil
}

// find returns the incident obs belongs to: the one that already holds its
// transaction, else the live incident of the same victim and attacker whose
// last activity is within the window.
func (a *Aggregator) find(obs Observation, key string, now time.Time) *incident {
	if obs.TxHash != "" {
		if id, ok := a.byTx[txKey(obs.ChainID, obs.TxHash)]; ok {
			if inc, ok := a.incidents[id]; ok {
				return inc
			}
		}
	}
	if id, ok := a.byKey[key]; ok {
		if inc, ok := a.incidents[id]; ok && now.Sub(inc.lastActivity) <= a.cfg.Window {
			return inc
		}
	}
	return nil
}

func (a *Aggregator) open(obs Observation, key string, now time.Time) *incident {
	h := sha256.Sum256([]byte(fmt.Sprintf("%s|%s|%d|%d", key, obs.TxHash, now.UnixNano(), a.seq)))
	id := hex.EncodeToString(h[:8])
	inc := &incident{
		alert: &Alert{
			ID:         id,
			DedupKey:   key,
			ChainID:    obs.ChainID,
			Protocol:   obs.Victim,
			Attacker:   obs.Attacker,
			Victim:     obs.Victim.Address,
			FirstSeen:  obs.At,
			DetectedAt: now,
			Evidence:   Evidence{Txs: []TxRef{}, Signals: []Signal{}},
			Detectors:  []string{},
		},
		txNumbers: map[string]map[string]float64{},
		detConf:   map[string]Confidence{},
		bestSev:   -1,
	}
	a.incidents[id] = inc
	a.byKey[key] = id
	return inc
}

// apply merges obs into inc and describes what materially changed ("" for
// nothing).
func (a *Aggregator) apply(inc *incident, obs Observation, match *AllowlistMatch, now time.Time) string {
	al := inc.alert
	var changes []string
	inc.lastActivity = now
	al.UpdatedAt = now
	if obs.At.Before(al.FirstSeen) {
		al.FirstSeen = obs.At
	}
	if match != nil && al.Allowlisted == nil {
		al.Allowlisted = match
	}

	if obs.TxHash != "" {
		a.byTx[txKey(obs.ChainID, obs.TxHash)] = al.ID
		i := slices.IndexFunc(al.Evidence.Txs, func(t TxRef) bool { return t.Hash == obs.TxHash })
		if i < 0 {
			al.Evidence.Txs = append(al.Evidence.Txs, TxRef{Hash: obs.TxHash, Block: obs.Block, Stage: obs.Stage})
			changes = append(changes, "new transaction "+ShortAddr(obs.TxHash))
		} else {
			t := &al.Evidence.Txs[i]
			switch {
			case obs.Stage == StageConfirmed:
				t.Stage, t.Block = StageConfirmed, obs.Block
			case t.Stage == StageDropped || t.Stage == StageRetracted:
				t.Stage = StagePending // back in the mempool
			}
		}
		nums := inc.txNumbers[obs.TxHash]
		if nums == nil {
			nums = map[string]float64{}
			inc.txNumbers[obs.TxHash] = nums
		}
		for k, v := range obs.Numbers {
			if old, ok := nums[k]; !ok || v > old {
				nums[k] = v
			}
		}
	}

	// Evidence: one signal per (detector, tx); a repeat keeps the stronger.
	sig := Signal{Detector: obs.Detector, Severity: obs.Severity, Confidence: obs.Confidence,
		Message: obs.Message, Numbers: cloneNumbers(obs.Numbers), TxHash: obs.TxHash, Anomaly: obs.Anomaly}
	i := slices.IndexFunc(al.Evidence.Signals, func(s Signal) bool {
		return s.Detector == sig.Detector && s.TxHash == sig.TxHash
	})
	if i < 0 {
		al.Evidence.Signals = append(al.Evidence.Signals, sig)
	} else if sig.Severity > al.Evidence.Signals[i].Severity ||
		sig.Severity == al.Evidence.Signals[i].Severity && sig.Confidence >= al.Evidence.Signals[i].Confidence {
		al.Evidence.Signals[i] = sig
	}
	if len(al.Evidence.Signals) > a.cfg.MaxSignals {
		slices.SortStableFunc(al.Evidence.Signals, func(x, y Signal) int { return int(y.Severity) - int(x.Severity) })
		al.Evidence.Signals = al.Evidence.Signals[:a.cfg.MaxSignals]
	}
	if c, ok := inc.detConf[obs.Detector]; !ok || obs.Confidence > c {
		if !ok {
			changes = append(changes, "new detector "+obs.Detector)
		}
		inc.detConf[obs.Detector] = obs.Confidence
	}
	if obs.Severity > inc.bestSev || inc.bestTitle == "" && obs.Title != "" || inc.bestTech == "" && obs.Technique != "" {
		if obs.Severity > inc.bestSev {
			inc.bestSev = obs.Severity
			inc.bestMessage = obs.Message
		}
		if obs.Title != "" {
			inc.bestTitle = obs.Title
		}
		if obs.Technique != "" {
			inc.bestTech = obs.Technique
		}
	}
	if inc.alert.Protocol.Name == "" && obs.Victim.Name != "" {
		inc.alert.Protocol.Name = obs.Victim.Name
	}
	a.recompute(inc)
	return strings.Join(changes, ", ")
}

// recompute derives severity, confidence, stage, numbers, detectors, title
// and summary from the evidence.
func (a *Aggregator) recompute(inc *incident) {
	al := inc.alert
	sev, anomalyOnly := SeverityInfo, true
	for _, s := range al.Evidence.Signals {
		sev = max(sev, s.Severity)
		anomalyOnly = anomalyOnly && s.Anomaly
	}
	if anomalyOnly && sev > AnomalyCap {
		sev = AnomalyCap
	}
	// Severity never falls within an incident: evidence trimming must not
	// silently de-escalate.
	al.Severity = max(al.Severity, sev)
	if anomalyOnly && al.Severity > AnomalyCap {
		al.Severity = AnomalyCap
	}
	al.AnomalyOnly = anomalyOnly

	miss := 1.0
	dets := make([]string, 0, len(inc.detConf))
	for d, c := range inc.detConf {
		miss *= 1 - float64(c)
		dets = append(dets, d)
	}
	slices.Sort(dets)
	al.Detectors = dets
	al.Confidence = Confidence(1 - miss).clamp()

	best := Stage("")
	for _, t := range al.Evidence.Txs {
		if stageRank(t.Stage) > stageRank(best) {
			best = t.Stage
		}
	}
	if best == "" {
		best = StageConfirmed // state-based signals without a transaction
	}
	al.Stage = best

	// Amounts sum over live transactions (all of them if none is live);
	// other measurements take the maximum.
	live := map[string]bool{}
	for _, t := range al.Evidence.Txs {
		if t.Stage == StagePending || t.Stage == StageConfirmed {
			live[t.Hash] = true
		}
	}
	nums := map[string]float64{}
	for h, m := range inc.txNumbers {
		for k, v := range m {
			if isAmount(k) {
				if len(live) == 0 || live[h] {
					nums[k] += v
				}
			} else if old, ok := nums[k]; !ok || v > old {
				nums[k] = v
			}
		}
	}
	for _, s := range al.Evidence.Signals {
		if s.TxHash != "" {
			continue
		}
		for k, v := range s.Numbers {
			if old, ok := nums[k]; !ok || v > old {
				nums[k] = v
			}
		}
	}
	if len(nums) == 0 {
		nums = nil
	}
	al.Evidence.Numbers = nums

	al.Title = inc.bestTitle
	if al.Title == "" {
		if anomalyOnly {
			al.Title = "Anomalous activity"
		} else {
			al.Title = "Attack"
		}
	}
	al.Title += " on " + al.Protocol.String()
	al.Summary = summarize(al, inc.bestTech, inc.bestMessage)
}

func isAmount(k string) bool {
	return strings.HasSuffix(k, "_eth") || strings.HasSuffix(k, "_usd") || strings.HasSuffix(k, "_wei")
}

// summarize writes the alert's one-sentence summary.
func summarize(al *Alert, technique, message string) string {
	who := "An unknown account"
	if al.Attacker != "" {
		who = ShortAddr(al.Attacker)
	}
	via := ""
	if technique != "" {
		via = " via " + technique
	}
	loss := al.Evidence.Numbers["loss_eth"]
	what := ""
	if technique == "" && message != "" {
		what = ": " + strings.TrimSuffix(message, ".")
	}
	p := al.Protocol.String()
	switch al.Stage {
	case StagePending:
		if loss > 0 {
			return fmt.Sprintf("%s is attempting to drain %s ETH from %s%s (pending transaction)%s", who, FormatETH(loss), p, via, what)
		}
		return fmt.Sprintf("%s is attacking %s%s (pending transaction)%s", who, p, via, what)
	case StageRetracted:
		return fmt.Sprintf("%s's attack on %s%s was removed from the chain by a reorg%s", who, p, via, what)
	case StageDropped:
		return fmt.Sprintf("%s's pending attack on %s%s left the mempool without being mined%s", who, p, via, what)
	}
	if loss > 0 {
		return fmt.Sprintf("%s drained %s ETH from %s%s%s", who, FormatETH(loss), p, via, what)
	}
	return fmt.Sprintf("%s attacked %s%s%s", who, p, via, what)
}

// decide turns a change to inc into an event, or none.
func (a *Aggregator) decide(inc *incident, before Stage, change string, now time.Time) (Event, bool) {
	al := inc.alert
	switch {
	case al.Stage != inc.notifiedStg:
		reason := fmt.Sprintf("stage %s → %s", inc.notifiedStg, al.Stage)
		if before != inc.notifiedStg {
			reason = fmt.Sprintf("stage %s → %s", before, al.Stage)
		}
		return a.emit(inc, stageEvent(al.Stage), reason, now), true
	case al.Severity > inc.notifiedSev:
		return a.emit(inc, EventUpdated, fmt.Sprintf("severity rose from %s to %s", inc.notifiedSev, al.Severity), now), true
	}
	if change == "" && inc.dirty == "" {
		return Event{}, false
	}
	if a.cfg.Cooldown > 0 && now.Sub(inc.lastNotified) < a.cfg.Cooldown {
		if change != "" {
			if inc.dirty != "" {
				inc.dirty += ", "
			}
			inc.dirty += change
		}
		return Event{}, false
	}
	reason := inc.dirty
	if change != "" {
		if reason != "" {
			reason += ", "
		}
		reason += change
	}
	return a.emit(inc, EventUpdated, reason, now), true
}

func stageEvent(s Stage) EventKind {
	switch s {
	case StageConfirmed:
		return EventPromoted
	case StageRetracted:
		return EventRetracted
	case StageDropped:
		return EventDropped
	}
	return EventUpdated
}

func (a *Aggregator) emit(inc *incident, kind EventKind, reason string, now time.Time) Event {
	a.seq++
	a.stats.Events++
	inc.lastNotified = now
	inc.notifiedSev = inc.alert.Severity
	inc.notifiedStg = inc.alert.Stage
	inc.dirty = ""
	return Event{Kind: kind, Seq: a.seq, At: now, Reason: reason, Alert: inc.alert.Clone()}
}

// Drop marks a pending transaction as gone from the mempool without being
// mined. An incident left with only dropped transactions emits a dropped
// event.
func (a *Aggregator) Drop(chainID uint64, txHash string) []Event {
	return a.txTransition(chainID, txHash, func(t *TxRef) bool {
		if t.Stage != StagePending {
			return false
		}
		t.Stage = StageDropped
		return true
	})
}

// Retract marks a mined transaction as removed by a reorg.
func (a *Aggregator) Retract(chainID uint64, txHash string) []Event {
	return a.txTransition(chainID, txHash, func(t *TxRef) bool {
		if t.Stage != StageConfirmed {
			return false
		}
		t.Stage = StageRetracted
		return true
	})
}

func (a *Aggregator) txTransition(chainID uint64, txHash string, f func(*TxRef) bool) []Event {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.cfg.Clock()
	a.prune(now)
	txHash = strings.ToLower(txHash)
	id, ok := a.byTx[txKey(chainID, txHash)]
	if !ok {
		return nil
	}
	inc := a.incidents[id]
	i := slices.IndexFunc(inc.alert.Evidence.Txs, func(t TxRef) bool { return t.Hash == txHash })
	if i < 0 || !f(&inc.alert.Evidence.Txs[i]) {
		return nil
	}
	return a.afterTransition(inc, now)
}

func (a *Aggregator) afterTransition(inc *incident, now time.Time) []Event {
	before := inc.alert.Stage
	inc.alert.UpdatedAt = now
	a.recompute(inc)
	if ev, ok := a.decide(inc, before, "", now); ok {
		return []Event{ev}
	}
	return nil
}

// Reorg retracts every transaction on chainID mined at or above fromBlock,
// returning one event per incident whose stage changed (in ID order).
func (a *Aggregator) Reorg(chainID uint64, fromBlock uint64) []Event {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.cfg.Clock()
	a.prune(now)
	ids := make([]string, 0)
	for id, inc := range a.incidents {
		if inc.alert.ChainID == chainID {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var evs []Event
	for _, id := range ids {
		inc := a.incidents[id]
		hit := false
		for i := range inc.alert.Evidence.Txs {
			t := &inc.alert.Evidence.Txs[i]
			if t.Stage == StageConfirmed && t.Block >= fromBlock {
				t.Stage = StageRetracted
				hit = true
			}
		}
		if hit {
			evs = append(evs, a.afterTransition(inc, now)...)
		}
	}
	return evs
}

// Respond records the guard's response on an alert and returns the update
// event; responses are always notified, regardless of cooldown.
func (a *Aggregator) Respond(id string, r Response) (Event, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.cfg.Clock()
	inc, ok := a.incidents[id]
	if !ok {
		return Event{}, fmt.Errorf("%w %q", ErrUnknownAlert, id)
	}
	if r.At.IsZero() {
		r.At = now
	}
	inc.alert.Response = &r
	inc.alert.UpdatedAt = now
	inc.lastActivity = now
	reason := "guard responded" // the response itself is on the alert
	if inc.dirty != "" {
		reason += "; " + inc.dirty
	}
	return a.emit(inc, EventUpdated, reason, now), nil
}

// Tick emits the updates the cooldown held back once it has expired, in ID
// order. Call it periodically (every few seconds) from the monitor loop.
func (a *Aggregator) Tick() []Event {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.cfg.Clock()
	a.prune(now)
	var ids []string
	for id, inc := range a.incidents {
		if inc.dirty != "" && now.Sub(inc.lastNotified) >= a.cfg.Cooldown {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	evs := make([]Event, 0, len(ids))
	for _, id := range ids {
		inc := a.incidents[id]
		evs = append(evs, a.emit(inc, EventUpdated, inc.dirty, now))
	}
	return evs
}

// Get returns a copy of the alert with the given ID.
func (a *Aggregator) Get(id string) (*Alert, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	inc, ok := a.incidents[id]
	if !ok {
		return nil, false
	}
	return inc.alert.Clone(), true
}

// Suppressions returns the most recent discarded observations, oldest first.
func (a *Aggregator) Suppressions() []Suppression {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.suppressions)
}

// Stats returns counters.
func (a *Aggregator) Stats() AggregatorStats {
	a.mu.Lock()
	defer a.mu.Unlock()
	s := a.stats
	s.Incidents = len(a.incidents)
	return s
}

func (a *Aggregator) suppress(s Suppression) {
	a.stats.Suppressed++
	a.suppressions = append(a.suppressions, s)
	if n := len(a.suppressions) - a.cfg.MaxSuppressions; n > 0 {
		a.suppressions = slices.Delete(a.suppressions, 0, n)
	}
	a.cfg.Logger.Debug("alert: signal suppressed", "detector", s.Detector, "tx", s.TxHash,
		"attacker", s.Attacker, "victim", s.Victim, "reason", s.Reason)
}

// prune forgets incidents idle for longer than the retention.
func (a *Aggregator) prune(now time.Time) {
	for id, inc := range a.incidents {
		if now.Sub(inc.lastActivity) <= a.cfg.Retention {
			continue
		}
		delete(a.incidents, id)
		for _, t := range inc.alert.Evidence.Txs {
			k := txKey(inc.alert.ChainID, t.Hash)
			if a.byTx[k] == id {
				delete(a.byTx, k)
			}
		}
		if a.byKey[inc.alert.DedupKey] == id {
			delete(a.byKey, inc.alert.DedupKey)
		}
	}
}

// Restore re-creates the incident of a stored alert, e.g. one still pending
// when the previous process stopped, so that later observations of its
// transactions, Drop and Reorg update it in place (same ID) instead of
// opening a duplicate. seq is the sequence number of the alert's last
// event: the aggregator's sequence continues above it, so stores that keep
// the newest event per alert accept the next one. An alert whose ID is
// already known is left alone.
func (a *Aggregator) Restore(al *Alert, seq uint64) {
	if al == nil || al.ID == "" {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.incidents[al.ID]; ok {
		return
	}
	now := a.cfg.Clock()
	c := al.Clone()
	if c.Evidence.Txs == nil {
		c.Evidence.Txs = []TxRef{}
	}
	if c.Evidence.Signals == nil {
		c.Evidence.Signals = []Signal{}
	}
	inc := &incident{
		alert:        c,
		txNumbers:    map[string]map[string]float64{},
		detConf:      map[string]Confidence{},
		lastActivity: now,
		lastNotified: now,
		notifiedSev:  c.Severity,
		notifiedStg:  c.Stage,
		bestSev:      -1,
		bestTitle:    strings.TrimSuffix(c.Title, " on "+c.Protocol.String()),
	}
	if inc.bestTitle == "Attack" || inc.bestTitle == "Anomalous activity" {
		inc.bestTitle = ""
	}
	for _, s := range c.Evidence.Signals {
		if cf, ok := inc.detConf[s.Detector]; !ok || s.Confidence > cf {
			inc.detConf[s.Detector] = s.Confidence
		}
		if s.Severity > inc.bestSev {
			inc.bestSev, inc.bestMessage = s.Severity, s.Message
		}
		if s.TxHash == "" {
			continue
		}
		nums := inc.txNumbers[s.TxHash]
		if nums == nil {
			nums = map[string]float64{}
			inc.txNumbers[s.TxHash] = nums
		}
		for k, v := range s.Numbers {
			if old, ok := nums[k]; !ok || v > old {
				nums[k] = v
			}
		}
	}
	a.incidents[c.ID] = inc
	for _, t := range c.Evidence.Txs {
		a.byTx[txKey(c.ChainID, t.Hash)] = c.ID
	}
	if c.DedupKey != "" {
		a.byKey[c.DedupKey] = c.ID
	}
	a.seq = max(a.seq, seq)
}

// Forget removes every incident of chainID without emitting events, e.g.
// when the node turned out to serve a new chain under the same id (its
// transaction hashes may repeat those of the old one).
func (a *Aggregator) Forget(chainID uint64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for id, inc := range a.incidents {
		if inc.alert.ChainID != chainID {
			continue
		}
		delete(a.incidents, id)
		for _, t := range inc.alert.Evidence.Txs {
			if k := txKey(chainID, t.Hash); a.byTx[k] == id {
				delete(a.byTx, k)
			}
		}
		if a.byKey[inc.alert.DedupKey] == id {
			delete(a.byKey, inc.alert.DedupKey)
		}
	}
}
