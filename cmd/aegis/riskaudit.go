package main

import (
	"context"
	"fmt"

	"github.com/aegis-defi/aegis/analysis/checker"
	"github.com/aegis-defi/aegis/internal/risk"
)

// applySourceAudit runs the source auditor (the default suite, as `aegis
// audit` does) on path and adds its findings to rep.
func applySourceAudit(ctx context.Context, rep *risk.Report, path string) error {
	files, loadErrs, _, _, err := loadSources(ctx, []string{path}, nil)
	if err != nil {
		return fmt.Errorf("--source: %w", err)
	}
	if len(files) == 0 {
		rep.ApplyAudit(nil, false, fmt.Sprintf("no Solidity source found under %s", path))
		return nil
	}
	res, err := checker.Run(ctx, defaultSuite(), files, checker.Options{})
	if err != nil {
		return fmt.Errorf("--source: audit: %w", err)
	}
	var fs []risk.AuditFinding
	for _, f := range res.Findings {
		fs = append(fs, risk.AuditFinding{Detector: f.Detector, Severity: f.Severity.String(), Title: f.Title,
			Message: f.Message, Location: fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)})
	}
	rep.ApplyAudit(fs, true, "")
	for _, e := range append(loadErrs, res.Errors...) {
		rep.Unknowns = append(rep.Unknowns, "audit-findings: "+e.Error())
	}
	return nil
}
