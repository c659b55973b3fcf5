package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/aegis-defi/aegis/analysis"
)

// WriteMarkdown writes an audit-style report: a summary table by
// severity, then each finding with its description, exploit scenario,
// recommendation, location and code excerpt.
func WriteMarkdown(w io.Writer, r *Result) error {
	bw := bufio.NewWriter(w)
	by := r.BySeverity()
	bw.WriteString("# aegis audit report\n\n## Summary\n\n| Severity | Findings |\n| --- | ---: |\n")
	for _, sev := range severitiesDesc() {
		fmt.Fprintf(bw, "| %s | %d |\n", titleCase(sev.String()), by[sev])
	}
	fmt.Fprintf(bw, "| **Total** | **%d** |\n\n", len(r.Findings))
	fmt.Fprintf(bw, "%d files and %d lines analyzed by %d detectors.\n", r.Stats.Files, r.Stats.Lines, r.Stats.Detectors)
	n := 0
	for _, sev := range severitiesDesc() {
		if by[sev] == 0 {
			continue
		}
		fmt.Fprintf(bw, "\n## %s\n", titleCase(sev.String()))
		for _, f := range r.Findings {
			if f.Severity != sev {
				continue
			}
			n++
			fmt.Fprintf(bw, "\n### %d. %s\n\n", n, mdEscape(f.Title))
			fmt.Fprintf(bw, "- **Detector:** `%s`", f.Detector)
			if f.SWC != "" {
				fmt.Fprintf(bw, " (%s)", f.SWC)
			}
			fmt.Fprintf(bw, "\n- **Severity:** %s, **confidence:** %s\n", f.Severity, f.Confidence)
			fmt.Fprintf(bw, "- **Location:** `%s:%d:%d`", f.File, f.Line, f.Column)
			if loc := strings.Trim(f.Contract+"."+f.Function, "."); loc != "" {
				fmt.Fprintf(bw, " in `%s`", loc)
			}
			fmt.Fprintf(bw, "\n- **Fingerprint:** `%s`\n\n%s\n", f.Fingerprint, mdEscape(f.Message))
			if src := r.Sources[f.File]; src != nil {
				bw.WriteString("\n```solidity\n")
				lines := strings.Split(src.Text(), "\n")
				end := max(f.EndLine, f.Line)
				end = min(end, f.Line+maxExcerptLines-1, len(lines))
				for ln := f.Line; ln <= end; ln++ {
					bw.WriteString(strings.TrimRight(lines[ln-1], "\r") + "\n")
				}
				bw.WriteString("```\n")
			}
			if a := r.detector(f.Detector); a != nil {
				writeDoc(bw, a)
			}
		}
	}
	if len(r.Errors) > 0 {
		bw.WriteString("\n## Errors\n\n")
		for _, e := range r.Errors {
			fmt.Fprintf(bw, "- %s\n", mdEscape(e.Error()))
		}
	}
	return bw.Flush()
}

// writeDoc writes an analyzer's documentation sections.
func writeDoc(w *bufio.Writer, a *analysis.Analyzer) {
	if a.Doc.Summary != "" {
		fmt.Fprintf(w, "\n**Description.** %s\n", a.Doc.Summary)
	}
	if a.Doc.Exploit != "" {
		fmt.Fprintf(w, "\n**Exploit scenario.** %s\n", a.Doc.Exploit)
	}
	if a.Doc.Recommendation != "" {
		fmt.Fprintf(w, "\n**Recommendation.** %s\n", a.Doc.Recommendation)
	}
}

// WriteDetectorsMarkdown documents analyzers as Markdown, one section each.
func WriteDetectorsMarkdown(w io.Writer, analyzers []*analysis.Analyzer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("# aegis detectors\n\n| Detector | Severity | Confidence | Category | SWC | Title |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, a := range analyzers {
		fmt.Fprintf(bw, "| [`%s`](#%s) | %s | %s | %s | %s | %s |\n", a.Name, a.Name, a.Severity, a.Confidence, a.Category, a.SWC, mdEscape(a.Title))
	}
	for _, a := range analyzers {
		fmt.Fprintf(bw, "\n## %s\n\n%s — severity %s, confidence %s, category %s", a.Name, mdEscape(a.Title), a.Severity, a.Confidence, a.Category)
		if a.SWC != "" {
			fmt.Fprintf(bw, ", %s", a.SWC)
		}
		bw.WriteString(".\n")
		writeDoc(bw, a)
	}
	return bw.Flush()
}

func titleCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// mdEscape escapes characters that would start Markdown markup mid-line.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(s)
}
