package risk

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// WriteText writes a human-readable report: the verdict, every factor with
// its points and evidence (the points sum to the score), the flags and what
// is unknown.
func WriteText(w io.Writer, r *Report) error {
	var b strings.Builder
	subject := r.Address
	if subject == "" {
		subject = "code " + r.CodeHash
	}
	if r.Skipped != "" {
		fmt.Fprintf(&b, "%s: skipped: %s\n", subject, r.Skipped)
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "%s (%s mode)\n", subject, r.Mode)
	fmt.Fprintf(&b, "risk score %d/100, level %s", r.RiskScore, strings.ToUpper(string(r.Level)))
	if n := len(r.Unknowns); n > 0 {
		fmt.Fprintf(&b, " — %d signal(s) unknown, unknown is not safe", n)
	}
	b.WriteString("\n")
	if len(r.Factors) > 0 {
		b.WriteString("\nfactors (points sum to the score")
		if r.Sum() > 100 {
			fmt.Fprintf(&b, "; %d capped at 100", r.Sum())
		}
		b.WriteString("):\n")
	}
	for _, f := range r.Factors {
		fmt.Fprintf(&b, "  %+4d  %-10s %s\n", f.Points, f.Kind, f.Title)
		for _, e := range f.Evidence {
			var at []string
			if e.Selector != "" {
				s := e.Selector
				if e.Name != "" {
					s = e.Name + " " + s
				}
				at = append(at, s)
			}
			if e.Slot != "" {
				at = append(at, "slot "+e.Slot)
			}
			if e.Address != "" {
				at = append(at, e.Address)
			}
			if e.PC > 0 {
				at = append(at, fmt.Sprintf("pc 0x%x", e.PC))
			}
			line := e.Detail
			if e.RevertReason != "" {
				line += " — revert: " + e.RevertReason
			}
			if e.Source != "" {
				line += " — source: " + e.Source
			}
			if len(at) > 0 {
				line = "[" + strings.Join(at, ", ") + "] " + line
			}
			fmt.Fprintf(&b, "          %s\n", line)
		}
	}
	if len(r.Flags) > 0 {
		b.WriteString("\nflags (GoPlus names; missing = unknown):\n")
		keys := make([]string, 0, len(r.Flags))
		for k, v := range r.Flags {
			if _, ok := v.(string); ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "  %-30s %s\n", k, r.Flags[k])
		}
	}
	if len(r.Unknowns) > 0 {
		b.WriteString("\nunknown:\n")
		for _, u := range r.Unknowns {
			fmt.Fprintf(&b, "  %s\n", u)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
