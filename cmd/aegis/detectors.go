package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/internal/report"
)

func newDetectorsCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "detectors",
		Short: "List the audit detectors with their severity, confidence and documentation",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return writeDetectors(cmd.OutOrStdout(), format, defaultSuite())
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or markdown")
	return cmd
}

// detectorJSON is the JSON form of one detector.
type detectorJSON struct {
	Name           string              `json:"name"`
	Title          string              `json:"title"`
	Severity       analysis.Severity   `json:"severity"`
	Confidence     analysis.Confidence `json:"confidence"`
	Category       string              `json:"category"`
	SWC            string              `json:"swc,omitempty"`
	Summary        string              `json:"summary"`
	Exploit        string              `json:"exploit,omitempty"`
	Recommendation string              `json:"recommendation"`
}

// writeDetectors lists the detectors among analyzers in format.
func writeDetectors(w io.Writer, format string, analyzers []*analysis.Analyzer) error {
	var dets []*analysis.Analyzer
	for _, a := range analyzers {
		if a.ReportsFindings() {
			dets = append(dets, a)
		}
	}
	switch format {
	case "text":
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tSEVERITY\tCONFIDENCE\tCATEGORY\tSWC\tTITLE")
		for _, a := range dets {
			swc := a.SWC
			if swc == "" {
				swc = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", a.Name, a.Severity, a.Confidence, a.Category, swc, a.Title)
		}
		if err := tw.Flush(); err != nil {
			return fmt.Errorf("write detectors: %w", err)
		}
		return nil
	case "json":
		out := make([]detectorJSON, 0, len(dets))
		for _, a := range dets {
			out = append(out, detectorJSON{
				Name: a.Name, Title: a.Title, Severity: a.Severity, Confidence: a.Confidence,
				Category: a.Category, SWC: a.SWC, Summary: a.Doc.Summary, Exploit: a.Doc.Exploit,
				Recommendation: a.Doc.Recommendation,
			})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return fmt.Errorf("write detectors: %w", err)
		}
		return nil
	case "markdown", "md":
		if err := report.WriteDetectorsMarkdown(w, dets); err != nil {
			return fmt.Errorf("write detectors: %w", err)
		}
		return nil
	}
	return fmt.Errorf("--format %q: want text, json or markdown", format)
}
