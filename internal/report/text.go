package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/solidity/source"
)

// ANSI escape sequences.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
	ansiCyan   = "\x1b[36m"
	ansiMag    = "\x1b[35m"
)

// painter applies colors when enabled.
type painter bool

func (p painter) paint(code, s string) string {
	if !p {
		return s
	}
	return code + s + ansiReset
}

func severityColor(s analysis.Severity) string {
	switch s {
	case analysis.Critical:
		return ansiBold + ansiMag
	case analysis.High:
		return ansiBold + ansiRed
	case analysis.Medium:
		return ansiYellow
	case analysis.Low:
		return ansiCyan
	}
	return ansiBlue
}

// WriteText writes a human-readable report grouped by severity, each
// finding with its code excerpt and a caret line under the span.
func WriteText(w io.Writer, r *Result, opts Options) error {
	bw := bufio.NewWriter(w)
	p := painter(opts.Color)
	if len(r.Excluded) > 0 {
		fmt.Fprintf(bw, "%s\n", p.paint(ansiBold, "NOT AUDITED"))
		for _, e := range r.Excluded {
			files := ""
			switch {
			case e.Files == 1:
				files = " (1 file)"
			case e.Files > 1:
				files = fmt.Sprintf(" (%d files)", e.Files)
			}
			fmt.Fprintf(bw, "  %s%s: %s\n", e.Path, files, e.Reason)
		}
		bw.WriteString("\n")
	}
	if len(r.TestDoubles) > 0 {
		fmt.Fprintf(bw, "%s\n", p.paint(ansiBold, "TEST DOUBLES (mock/harness/test by name or folder: their entry points are not treated as deployed)"))
		for _, t := range r.TestDoubles {
			fmt.Fprintf(bw, "  %s (%s)\n", t.Contract, t.File)
		}
		bw.WriteString("\n")
	}
	by := r.BySeverity()
	for _, sev := range severitiesDesc() {
		if by[sev] == 0 {
			continue
		}
		fmt.Fprintf(bw, "%s\n\n", p.paint(severityColor(sev), fmt.Sprintf("%s (%d)", strings.ToUpper(sev.String()), by[sev])))
		for _, f := range r.Findings {
			if f.Severity != sev {
				continue
			}
			where := ""
			if f.Contract != "" || f.Function != "" {
				where = " in " + strings.Trim(f.Contract+"."+f.Function, ".")
			}
			fmt.Fprintf(bw, "  %s %s\n", p.paint(ansiBold, "["+f.Detector+"]"), f.Title)
			fmt.Fprintf(bw, "  %s%s\n", p.paint(ansiDim, fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)), where)
			fmt.Fprintf(bw, "  %s\n", f.Message)
			if src := r.Sources[f.File]; src != nil {
				writeExcerpt(bw, p, src, f)
			}
			bw.WriteString("\n")
		}
	}
	if len(r.Errors) > 0 {
		fmt.Fprintf(bw, "%s\n", p.paint(ansiBold, fmt.Sprintf("ERRORS (%d)", len(r.Errors))))
		for _, e := range r.Errors {
			fmt.Fprintf(bw, "  %s\n", e)
		}
		bw.WriteString("\n")
	}
	fmt.Fprintf(bw, "%s\n", summaryLine(r))
	return bw.Flush()
}

// summaryLine is the one-line run summary.
func summaryLine(r *Result) string {
	by := r.BySeverity()
	var parts []string
	for _, sev := range severitiesDesc() {
		if by[sev] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", by[sev], sev))
		}
	}
	counts := ""
	if len(parts) > 0 {
		counts = " (" + strings.Join(parts, ", ") + ")"
	}
	s := fmt.Sprintf("%d findings%s in %d files, %d lines; %d detectors", len(r.Findings), counts, r.Stats.Files, r.Stats.Lines, r.Stats.Detectors)
	if r.Stats.Suppressed > 0 {
		s += fmt.Sprintf("; %d suppressed", r.Stats.Suppressed)
	}
	if r.Stats.Baselined > 0 {
		s += fmt.Sprintf("; %d in baseline", r.Stats.Baselined)
	}
	if r.Stats.Duration > 0 {
		s += fmt.Sprintf("; %s", r.Stats.Duration.Round(1e6))
	}
	return s
}

// maxExcerptLines bounds the excerpt of a multi-line finding.
const maxExcerptLines = 4

// writeExcerpt prints the finding's lines with a gutter and a caret line
// under the span on each line shown.
func writeExcerpt(w *bufio.Writer, p painter, src *source.File, f analysis.Finding) {
	end := f.EndLine
	if end < f.Line {
		end = f.Line
	}
	truncated := false
	if end-f.Line+1 > maxExcerptLines {
		end, truncated = f.Line+maxExcerptLines-1, true
	}
	width := len(fmt.Sprint(end))
	lines := strings.Split(src.Text(), "\n")
	for ln := f.Line; ln <= end && ln <= len(lines); ln++ {
		text := strings.TrimRight(strings.ReplaceAll(lines[ln-1], "\t", "    "), "\r")
		raw := lines[ln-1]
		fmt.Fprintf(w, "  %s %s\n", p.paint(ansiDim, fmt.Sprintf("%*d |", width, ln)), text)
		from, to := 1, len(raw)+1
		if ln == f.Line {
			from = f.Column
		}
		if ln == f.EndLine && f.EndColumn > 0 {
			to = f.EndColumn
		}
		// Skip leading indentation on continuation lines.
		if ln != f.Line {
			from = len(raw) - len(strings.TrimLeft(raw, " \t")) + 1
		}
		if to <= from {
			to = from + 1
		}
		pad := visualWidth(raw[:min(from-1, len(raw))])
		marks := visualWidth(raw[min(from-1, len(raw)):min(to-1, len(raw))])
		if marks < 1 {
			marks = 1
		}
		fmt.Fprintf(w, "  %s %s%s\n", p.paint(ansiDim, strings.Repeat(" ", width)+" |"), strings.Repeat(" ", pad), p.paint(ansiRed, strings.Repeat("^", marks)))
	}
	if truncated {
		fmt.Fprintf(w, "  %s ...\n", p.paint(ansiDim, strings.Repeat(" ", width)+" |"))
	}
}

// visualWidth counts columns, with tabs as four spaces.
func visualWidth(s string) int {
	n := 0
	for _, r := range s {
		if r == '\t' {
			n += 4
		} else {
			n++
		}
	}
	return n
}
