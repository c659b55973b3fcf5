package demo

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/ethereum/go-ethereum/core/types"
)

// Narrator returns hooks that tell the story of the demo in readable lines
// on w as it happens.
func Narrator(w io.Writer) *Hooks {
	p := func(format string, a ...any) { fmt.Fprintf(w, format+"\n", a...) }
	return &Hooks{
		OnStart: func(_ context.Context, s *Session) error {
			p("▶ devnet up: chain id %s, RPC %s (WebSocket %s)", s.Client.ChainID(), s.RPCURL, s.WSURL)
			return nil
		},
		OnPhase: func(_ context.Context, phase string) {
			switch phase {
			case "benign":
				p("\n▶ phase 1: benign traffic (swaps, liquidity, lending, transfers, arbitrage and sandwich bots)")
			case "attacks":
				p("\n▶ phase 2: attack library (each exploit runs against the vulnerable variant, then the safe one)")
			}
		},
		OnBenignDone: func(_ context.Context, _ *Session, b BenignReport) {
			p("  %d benign transactions in %d blocks (%.1fs)%s", b.Transactions, b.Blocks,
				float64(b.DurationMS)/1000, kinds(b.ByKind))
		},
		OnStaged: func(_ context.Context, _ *Session, r *Run) error {
			if r.Guarded {
				p("  ↻ guarded run: the same exploit against a fresh deployment, guard on")
				return nil
			}
			p("\n● %s — %s (mirrors %s)", r.Info.Name, r.Info.Class, r.Info.Incident)
			p("  %s", r.Info.Summary)
			for _, t := range r.Staged.Targets() {
				p("  target %s at %s", t.Name, t.Address.Hex())
			}
			return nil
		},
		OnPending: func(_ context.Context, _ *Session, _ *Run, tx *types.Transaction) error {
			p("  exploit tx %s pending in the mempool", short(tx.Hash().Hex()))
			return nil
		},
		OnDone: func(_ context.Context, _ *Session, r *Run) error {
			rep := r.Report
			verdict := "FAILED"
			if rep.Succeeded {
				verdict = "SUCCEEDED"
			}
			if rep.ProfitUnit != "" && rep.AttackerProfitUnits != nil && rep.ProtocolLossUnits != nil {
				p("  attack %s: attacker profit %.4f %s, protocol loss %.4f %s", verdict,
					*rep.AttackerProfitUnits, rep.ProfitUnit, *rep.ProtocolLossUnits, rep.ProfitUnit)
			} else {
				p("  attack %s: attacker profit %.4f ETH, protocol loss %.4f ETH", verdict, rep.AttackerProfitETH, rep.ProtocolLossETH)
			}
			if rep.SafeVariantHeld != nil {
				safeProfit := fmt.Sprintf("%.4f ETH", rep.SafeAttackerProfitETH)
				if rep.SafeAttackerProfitUnits != nil {
					safeProfit = fmt.Sprintf("%.4f %s", *rep.SafeAttackerProfitUnits, rep.ProfitUnit)
				}
				if *rep.SafeVariantHeld {
					p("  safe variant held: the same exploit failed (attacker profit %s)", safeProfit)
				} else {
					p("  safe variant DID NOT hold (attacker profit %s)", safeProfit)
				}
			}
			return nil
		},
	}
}

// WriteTable prints the closing summary table of a report.
func WriteTable(w io.Writer, rep *Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	guarded := slices.ContainsFunc(rep.Scenarios, func(s ScenarioReport) bool { return s.Blocked != nil })
	head := "SCENARIO\tCLASS\tREAL INCIDENT\tRESULT\tATTACKER PROFIT (ETH)\tPROTOCOL LOSS (ETH)\tSAFE VARIANT"
	if guarded {
		head += "\tGUARDED\tPROTECTED (ETH)\tRESPONSE (ms)"
	}
	fmt.Fprintln(tw, head)
	for _, s := range rep.Scenarios {
		res := "failed"
		if s.Succeeded {
			res = "succeeded"
		}
		safe := "-"
		if s.SafeVariantHeld != nil {
			safe = "breached"
			if *s.SafeVariantHeld {
				safe = "held"
			}
		}
		profit, loss := fmt.Sprintf("%.4f", s.AttackerProfitETH), fmt.Sprintf("%.4f", s.ProtocolLossETH)
		if s.ProfitUnit != "" && s.AttackerProfitUnits != nil && s.ProtocolLossUnits != nil {
			// Scenarios valued in their own tokens say so in the cell.
			profit = fmt.Sprintf("%.4f %s", *s.AttackerProfitUnits, s.ProfitUnit)
			loss = fmt.Sprintf("%.4f %s", *s.ProtocolLossUnits, s.ProfitUnit)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s", s.Name, s.Class, s.Incident, res, profit, loss, safe)
		if guarded {
			g, resp := "-", "-"
			switch {
			case s.Blocked == nil:
			case *s.Blocked:
				g, resp = "blocked", fmt.Sprintf("%.1f", s.ResponseMS)
			case s.GuardMode == "dry-run":
				g = "dry-run (landed)"
			default:
				g = "not blocked"
			}
			protected := fmt.Sprintf("%.4f", s.FundsProtectedETH)
			if s.ProfitUnit != "" && s.FundsProtectedUnits != nil {
				protected = fmt.Sprintf("%.4f %s", *s.FundsProtectedUnits, s.ProfitUnit)
			}
			fmt.Fprintf(tw, "\t%s\t%s\t%s", g, protected, resp)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

func kinds(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return ": " + strings.Join(parts, ", ")
}

func short(h string) string {
	if len(h) <= 14 {
		return h
	}
	return h[:10] + "…" + h[len(h)-4:]
}

// WriteDetectionTable prints, per scenario, what the monitor made of it:
// whether the attack worked and its profit, whether it was detected, at
// which stage, the highest severity raised on its exploit transactions and
// the detectors that spoke. markdown selects a Markdown table (for
// docs/generalisation.md) instead of aligned text. It is a measurement: a
// missed detection is a row, not an error.
func WriteDetectionTable(w io.Writer, rep *Report, markdown bool) error {
	head := []string{"scenario", "real incident", "attack", "attacker profit", "detected", "stage", "max severity", "detectors"}
	rows := [][]string{}
	detected := 0
	pending := 0
	for _, s := range rep.Scenarios {
		attack := "failed"
		if s.Succeeded {
			attack = "succeeded"
		}
		profit := fmt.Sprintf("%.4f ETH", s.AttackerProfitETH)
		if s.ProfitUnit != "" && s.AttackerProfitUnits != nil {
			profit = fmt.Sprintf("%.2f %s", *s.AttackerProfitUnits, s.ProfitUnit)
		}
		det, stage, sev, dets := "no", "-", "-", "-"
		if s.Detected {
			det, stage = "yes", s.DetectedStage
			detected++
			if s.DetectedStage == "pending" {
				pending++
			}
		}
		if s.MaxSeverity != "" {
			sev = s.MaxSeverity
		}
		if len(s.Alerts) > 0 {
			dets = strings.Join(s.Alerts, ", ")
		}
		rows = append(rows, []string{s.Name, s.Incident, attack, profit, det, stage, sev, dets})
	}
	if markdown {
		fmt.Fprintf(w, "| %s |\n", strings.Join(head, " | "))
		fmt.Fprintf(w, "|%s\n", strings.Repeat("---|", len(head)))
		for _, r := range rows {
			fmt.Fprintf(w, "| %s |\n", strings.Join(r, " | "))
		}
		fmt.Fprintf(w, "\nDetected %d/%d (%d/%d while pending).\n", detected, len(rows), pending, len(rows))
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(head, "\t")))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	fmt.Fprintf(tw, "detected %d/%d (%d/%d while pending)\n", detected, len(rows), pending, len(rows))
	return tw.Flush()
}
