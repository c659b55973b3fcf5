package risk

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/store"
)

// Incident history: the monitor's past alerts (its SQLite store, read
// without its lock) that involve a protocol contract as the protocol, the
// victim or the attacker.
//
// Points (a behaviour factor "incidents": the history shows it happened),
// per alert: critical 30, high 15, lower severities and allowlisted (benign
// bot) alerts 0 (listed only); times 1 when confirmed (mined), 0.5 when
// pending or retracted by a reorg, 0.25 when dropped from the mempool;
// times 1 when detected in the last 30 days, 0.5 within a year, 0.25 older.
// All incidents of a contract together at most 50.
var incidentBase = map[alert.Severity]int{alert.SeverityCritical: 30, alert.SeverityHigh: 15}

const (
	maxIncidentPoints = 50
	incidentRecent    = 30 * 24 * time.Hour
	incidentYear      = 365 * 24 * time.Hour
)

// Incident is one stored alert involving a contract.
type Incident struct {
	AlertID   string   `json:"alert_id"`
	Severity  string   `json:"severity"`
	Title     string   `json:"title"`
	Detectors []string `json:"detectors"`
	// Stage is the alert's (pending, confirmed, retracted, dropped);
	// Confirmed is true when it was mined.
	Stage     string    `json:"stage"`
	Confirmed bool      `json:"confirmed"`
	Txs       []string  `json:"txs"`
	At        time.Time `json:"at"`
	// Role is how the contract is involved: protocol, victim or attacker.
	Role string `json:"role"`
	// Response is what the guard did, from the alert or a stored decision.
	Response string `json:"response,omitempty"`
	Points   int    `json:"points"`
}

// IncidentHistory says whether the incident history could be read.
type IncidentHistory struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
	// Store is the database read; Alerts counts every alert in it.
	Store  string `json:"store,omitempty"`
	Alerts int    `json:"alerts"`
}

// MonitorHistory is what the monitor's store holds.
type MonitorHistory struct {
	Path      string
	Alerts    []alert.Alert
	Decisions []store.Decision
}

// LoadMonitorHistory reads the alerts and guard decisions of the monitor
// whose --data-dir is dir, read-only: no lock, no migration, and it works
// while the monitor runs.
func LoadMonitorHistory(ctx context.Context, dir string) (*MonitorHistory, error) {
	s, err := store.OpenReadOnly(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	h := &MonitorHistory{Path: s.Path()}
	if h.Alerts, err = s.Alerts(ctx); err != nil {
		return nil, err
	}
	if h.Decisions, err = s.Decisions(ctx); err != nil {
		return nil, err
	}
	return h, nil
}

// incidentPoints scores one alert at time now.
func incidentPoints(a alert.Alert, now time.Time) int {
	if a.Allowlisted != nil {
		return 0
	}
	base := incidentBase[a.Severity]
	stage := 1.0
	switch a.Stage {
	case alert.StagePending, alert.StageRetracted:
		stage = 0.5
	case alert.StageDropped:
		stage = 0.25
	}
	age, rec := now.Sub(alertTime(a)), 1.0
	switch {
	case age > incidentYear:
		rec = 0.25
	case age > incidentRecent:
		rec = 0.5
	}
	return int(math.Round(float64(base) * stage * rec))
}

func alertTime(a alert.Alert) time.Time {
	for _, t := range []time.Time{a.DetectedAt, a.FirstSeen, a.UpdatedAt} {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// ApplyIncidents adds each contract's incident history from h (nil: no
// store was given, the signal is unknown with reason) and recomputes the
// scores. now dates the incidents.
func (pr *ProtocolReport) ApplyIncidents(h *MonitorHistory, reason string, now time.Time) {
	if h == nil {
		pr.IncidentHistory = IncidentHistory{Status: StatusUnknown, Reason: reason}
	} else {
		pr.IncidentHistory = IncidentHistory{Status: StatusOK, Store: h.Path, Alerts: len(h.Alerts)}
	}
	for i := range pr.Contracts {
		cr := &pr.Contracts[i]
		cr.Incidents = []Incident{}
		if cr.Report == nil {
			continue
		}
		r := cr.Report
		r.Signals = slices.DeleteFunc(r.Signals, func(s SignalResult) bool { return s.Name == "incident-history" })
		r.Factors = slices.DeleteFunc(r.Factors, func(f Factor) bool { return f.ID == "incidents" })
		r.Unknowns = slices.DeleteFunc(r.Unknowns, func(u string) bool { return strings.HasPrefix(u, "incident-history: ") })
		res := SignalResult{Name: "incident-history", Status: StatusOK}
		if h == nil {
			res.Status, res.Reason = StatusUnknown, reason
			r.Unknowns = append(r.Unknowns, res.Name+": "+reason)
			r.Signals = append(r.Signals, res)
			r.finish()
			continue
		}
		for _, a := range h.Alerts {
			role := ""
			switch cr.Address {
			case strings.ToLower(a.Protocol.Address):
				role = "protocol"
			case strings.ToLower(a.Victim):
				role = "victim"
			case strings.ToLower(a.Attacker):
				role = "attacker"
			default:
				continue
			}
			in := Incident{AlertID: a.ID, Severity: a.Severity.String(), Title: a.Title, Detectors: a.Detectors, Stage: string(a.Stage),
				Confirmed: a.Stage == alert.StageConfirmed, Txs: []string{}, At: alertTime(a), Role: role, Points: incidentPoints(a, now)}
			for _, t := range a.Evidence.Txs {
				in.Txs = append(in.Txs, t.Hash)
			}
			if a.Response != nil {
				in.Response = a.Response.String()
			}
			for _, d := range h.Decisions {
				if d.AlertID == a.ID && in.Response == "" {
					in.Response = "guard " + d.Verdict + ": " + d.Summary
				}
			}
			cr.Incidents = append(cr.Incidents, in)
		}
		slices.SortStableFunc(cr.Incidents, func(a, b Incident) int { return b.Points - a.Points })
		total, n := 0, 0
		var ev []Evidence
		for _, in := range cr.Incidents {
			e := Evidence{Address: cr.Address, Detail: in.describe()}
			res.Evidence = append(res.Evidence, e)
			if in.Points > 0 {
				total += in.Points
				n++
				ev = append(ev, e)
			}
		}
		if len(cr.Incidents) == 0 {
			res.Evidence = append(res.Evidence, Evidence{Address: cr.Address, Detail: fmt.Sprintf("no alert involves this address among the %d in %s", len(h.Alerts), h.Path)})
		}
		if total > 0 {
			pts := min(total, maxIncidentPoints)
			r.Factors = append(r.Factors, Factor{ID: "incidents", Signal: res.Name, Kind: KindBehaviour,
				Title: fmt.Sprintf("%d past high/critical incident(s) in the monitor's history", n), Points: pts, BasePoints: pts, Evidence: ev})
		}
		r.Signals = append(r.Signals, res)
		r.finish()
	}
	pr.rescore()
}

func (in Incident) describe() string {
	d := fmt.Sprintf("alert %s: %s %s as %s, %s", in.AlertID, in.Severity, in.Title, in.Role, in.Stage)
	if len(in.Detectors) > 0 {
		d += " (" + strings.Join(in.Detectors, ", ") + ")"
	}
	if !in.At.IsZero() {
		d += " at " + in.At.UTC().Format(time.RFC3339)
	}
	if len(in.Txs) > 0 {
		d += "; tx " + strings.Join(in.Txs, ", ")
	}
	if in.Response != "" {
		d += "; response: " + in.Response
	}
	return d + fmt.Sprintf(" [+%d]", in.Points)
}

// rescore sets the protocol's score and level to the worst contract's.
func (pr *ProtocolReport) rescore() {
	pr.RiskScore, pr.Level = 0, LevelLow
	for _, c := range pr.Contracts {
		if c.Report != nil && c.Report.RiskScore > pr.RiskScore {
			pr.RiskScore, pr.Level = c.Report.RiskScore, c.Report.Level
		}
	}
}

// Rescore recomputes the protocol's score after its contracts' reports
// changed (an audit applied by the driver).
func (pr *ProtocolReport) Rescore() { pr.rescore() }
