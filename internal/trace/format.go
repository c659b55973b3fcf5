package trace

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Formats are the output formats Write supports.
var Formats = []string{"text", "json", "dot", "graphml", "csv", "html"}

// Write renders r in format.
func Write(w io.Writer, r *Result, format string) error {
	switch format {
	case "text", "":
		return writeText(w, r)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "dot":
		return writeDOT(w, r)
	case "csv":
		return writeCSV(w, r)
	case "html":
		return writeHTML(w, r)
	case "graphml":
		return writeGraphML(w, r)
	}
	return fmt.Errorf("trace: format %q: want one of %s", format, strings.Join(Formats, ", "))
}

func writeText(w io.Writer, r *Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "trace %s of %s (model %s)\n", r.Direction, r.Seed, r.Model)
	for _, t := range r.Totals {
		fmt.Fprintf(&b, "  seed total: %.6g %s\n", Units(t.Amount), AssetName(t.Asset))
	}
	fmt.Fprintf(&b, "  %d nodes expanded (%d expansions), %d tainted edges, %d endpoints\n\n", r.Visited, r.Expansions, len(r.Edges), len(r.Endpoints))
	for i, e := range r.Endpoints {
		fmt.Fprintf(&b, "%2d. %s  %-20s %6.2f%%  hops %d\n", i+1, e.Address.Hex(), e.Kind, 100*e.Share*float64(max(len(r.Totals), 1)), e.Hops)
		for _, h := range e.Holdings {
			fmt.Fprintf(&b, "      holds %.6g %s (tainted)\n", Units(h.Amount), AssetName(h.Asset))
		}
		fmt.Fprintf(&b, "      %s\n", e.Explanation)
		for _, c := range e.Candidates {
			fmt.Fprintf(&b, "      candidate (not proven) %s  confidence %.2f: %s\n", c.Address.Hex(), c.Confidence, c.Evidence)
		}
	}
	if len(r.Findings) > 0 {
		b.WriteString("\nlaundering patterns:\n")
		for _, f := range r.Findings {
			fmt.Fprintf(&b, "  %-16s %s\n", f.Pattern, f.Detail)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\nnote: %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeDOT writes a Graphviz digraph, left to right, edges numbered in
// time order, width by share.
func writeDOT(w io.Writer, r *Result) error {
	var b strings.Builder
	b.WriteString("digraph trace {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n")
	kinds := map[string]string{}
	for _, e := range r.Endpoints {
		kinds[e.Address.Hex()] = e.Kind
	}
	seen := map[string]bool{}
	nodeLine := func(a string) {
		if seen[a] {
			return
		}
		seen[a] = true
		label := a[:10] + "…"
		attr := ""
		if k := kinds[a]; k != "" {
			label += "\\n" + k
			if k != KindHolder {
				attr = ", style=filled, fillcolor=\"#ffe0e0\""
			}
		}
		fmt.Fprintf(&b, "  %q [label=%q%s];\n", a, label, attr)
	}
	for _, s := range r.Seeds {
		nodeLine(s.Hex())
	}
	for _, e := range r.Edges {
		from, to := e.From.Hex(), e.To.Hex()
		nodeLine(from)
		nodeLine(to)
		lbl := fmt.Sprintf("#%d %.4g %s", e.Order, Units(e.Amount), AssetName(e.Asset))
		if e.Kind == "swap" {
			lbl += "→" + AssetName(e.AssetOut)
		}
		fmt.Fprintf(&b, "  %q -> %q [label=%q, penwidth=%.2f];\n", from, to, lbl, 1+8*e.Share*float64(max(len(r.Totals), 1)))
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeCSV writes one row per tainted edge.
func writeCSV(w io.Writer, r *Result) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"order", "block", "tx", "kind", "from", "to", "asset", "amount", "asset_out", "amount_out", "share"})
	for _, e := range r.Edges {
		out := ""
		if e.Kind == "swap" {
			out = e.AssetOut.Hex()
		}
		_ = cw.Write([]string{strconv.Itoa(e.Order), strconv.FormatUint(e.Block, 10), e.Tx.Hex(), e.Kind, e.From.Hex(), e.To.Hex(), e.Asset.Hex(),
			strconv.FormatFloat(e.Amount, 'g', -1, 64), out, strconv.FormatFloat(e.AmountOut, 'g', -1, 64), strconv.FormatFloat(e.Share, 'g', 6, 64)})
	}
	cw.Flush()
	return cw.Error()
}
