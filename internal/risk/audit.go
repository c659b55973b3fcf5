package risk

import (
	"fmt"
	"slices"
	"strings"
)

// AuditFinding is one finding of aegis's source auditor on the subject's
// source (`aegis risk token --source PATH`); the driver runs the audit and
// passes the findings here, so this package does not depend on the auditor.
type AuditFinding struct {
	Detector string
	// Severity is the auditor's: critical, high, medium, low or info.
	Severity string
	Title    string
	Message  string
	// Location is file:line:col.
	Location string
}

// Points of audit findings by severity: each detector counts once (its
// most severe finding), and all audit factors together at most
// maxAuditPoints. Low and informational findings are listed, at 0.
var auditPoints = map[string]int{"critical": 40, "high": 25, "medium": 10}

const maxAuditPoints = 50

// ApplyAudit adds the audit findings as factors of the audit-findings
// signal (kind evidence: a finding is what the source shows could go
// wrong, not what was done) and recomputes the score. A nil slice with
// ran=true means the audit ran and found nothing.
func (r *Report) ApplyAudit(findings []AuditFinding, ran bool, reason string) {
	res := SignalResult{Name: "audit-findings", Status: StatusOK}
	if !ran {
		res.Status, res.Reason = StatusUnknown, reason
		r.Unknowns = append(r.Unknowns, res.Name+": "+reason)
		r.Signals = append(r.Signals, res)
		r.finish()
		return
	}
	best := map[string]int{} // detector → index in factors
	var factors []Factor
	for _, f := range findings {
		e := Evidence{Name: f.Detector, Detail: fmt.Sprintf("%s: %s (%s)", f.Location, f.Message, f.Severity)}
		res.Evidence = append(res.Evidence, e)
		p := auditPoints[strings.ToLower(f.Severity)]
		if i, ok := best[f.Detector]; ok {
			factors[i].Evidence = append(factors[i].Evidence, e)
			if p > factors[i].BasePoints {
				factors[i].BasePoints, factors[i].Points = p, p
			}
			continue
		}
		best[f.Detector] = len(factors)
		factors = append(factors, Factor{ID: "audit-" + f.Detector, Signal: res.Name, Kind: KindEvidence,
			Title: "source audit: " + f.Title, Points: p, BasePoints: p, Evidence: []Evidence{e}})
	}
	slices.SortStableFunc(factors, func(a, b Factor) int { return b.BasePoints - a.BasePoints })
	left := maxAuditPoints
	for i := range factors {
		factors[i].Points = min(factors[i].Points, left)
		left -= factors[i].Points
	}
	r.Factors = append(r.Factors, factors...)
	r.Signals = append(r.Signals, res)
	r.finish()
}
