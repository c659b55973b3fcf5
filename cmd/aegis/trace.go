package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	"github.com/aegis-defi/aegis/internal/cluster"
	"github.com/aegis-defi/aegis/internal/index"
	"github.com/aegis-defi/aegis/internal/labels"
	"github.com/aegis-defi/aegis/internal/store"
	"github.com/aegis-defi/aegis/internal/trace"
)

// loadLabels returns the built-in labels merged with the data
// directory's store.
func loadLabels(dataDir string) (*labels.Set, error) {
	set := labels.Builtin()
	if dataDir == "" { // a PostgreSQL graph without a local directory
		return set, nil
	}
	own, err := labels.Load(filepath.Join(dataDir, labels.FileName))
	if err != nil {
		return nil, err
	}
	set.Merge(own)
	return set, nil
}

func parseAddr(flag, s string) (common.Address, error) {
	if !common.IsHexAddress(s) || !strings.HasPrefix(strings.ToLower(s), "0x") {
		return common.Address{}, fmt.Errorf("%s %q: want a 0x-prefixed 20-byte hex address", flag, s)
	}
	return common.HexToAddress(s), nil
}

// newTraceCmd returns `aegis trace`.
func newTraceCmd() *cobra.Command {
	var (
		txHash, addr, dir, model, format, dataDir string
		incident, monitorDir, dbURL               string
		maxHops, maxNodes                         int
		minValue                                  float64
	)
	cmd := &cobra.Command{
		Use:   "trace (--tx HASH | --address A | --incident ID)",
		Short: "Follow funds through the indexed transfer graph (taint models, service boundaries, explanations)",
		Long: `Trace where the value of a transaction (or an address's outflows) went — or,
with --direction backward, where it came from — over the graph built by
"aegis index". The taint model is poison, haircut (default) or fifo; the
expansion is a local push that follows the largest untraced taint first and
stops after --max-nodes nodes, so the cost does not grow with the chain.

The trace stops at and names service boundaries: labelled exchanges, mixers,
bridges and sanctioned addresses (built-in list plus "aegis labels import"),
exchange hot wallets and fixed-denomination mixer pools recognised by their
behaviour, AMM pools and hubs. Every endpoint comes with its path.`,
		Example: `  aegis trace --data-dir ./aegis-index --tx 0x5c50…
  aegis trace --data-dir ./aegis-index --address 0xAbc… --model poison --format dot | dot -Tsvg > flow.svg`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if dataDir == "" && dbURL == "" {
				return errors.New("--data-dir is required (the directory given to aegis index), or --db for a PostgreSQL graph")
			}
			o := trace.Options{Direction: trace.Direction(dir), Model: trace.Model(model), MaxHops: maxHops, MaxNodes: maxNodes, MinValue: minValue}
			if incident != "" {
				if txHash != "" || addr != "" {
					return errors.New("give exactly one of --tx, --address and --incident")
				}
				h, err := incidentTx(cmd.Context(), monitorDir, incident)
				if err != nil {
					return err
				}
				txHash = h
			}
			switch {
			case (txHash == "") == (addr == ""):
				return errors.New("give exactly one of --tx, --address and --incident")
			case txHash != "":
				b := common.FromHex(txHash)
				if len(b) != 32 || !strings.HasPrefix(txHash, "0x") {
					return fmt.Errorf("--tx %q: want a 0x-prefixed 32-byte hash", txHash)
				}
				h := common.BytesToHash(b)
				o.Tx = &h
			default:
				a, err := parseAddr("--address", addr)
				if err != nil {
					return err
				}
				o.Address = &a
			}
			if !validFormat(format) {
				return fmt.Errorf("--format %q: want one of %s", format, strings.Join(trace.Formats, ", "))
			}
			ctx := cmd.Context()
			g, err := index.OpenAny(ctx, dataDir, dbURL)
			if err != nil {
				return err
			}
			defer g.Close()
			if o.Labels, err = loadLabels(dataDir); err != nil {
				return err
			}
			det := cluster.New(g)
			o.Classify = det.Classify
			o.MixerCandidates = det.TraceCandidates
			untraced, err := g.UntracedBlocks(ctx)
			if err != nil {
				return err
			}
			res, err := trace.Run(ctx, g, o)
			if err != nil {
				return err
			}
			if untraced > 0 {
				res.Notes = append(res.Notes, fmt.Sprintf("%d indexed blocks have no call traces: internal ETH transfers there are missing from this trace", untraced))
			}
			return trace.Write(cmd.OutOrStdout(), res, format)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&txHash, "tx", "", "trace the value moved by this transaction")
	fl.StringVar(&addr, "address", "", "trace this address's outflows (backward: its inflows)")
	fl.StringVar(&dbURL, "db", "", "read the graph from this PostgreSQL database (as given to aegis index --db)")
	fl.StringVar(&incident, "incident", "", "trace the mined attack transaction of this monitor incident (alert ID)")
	fl.StringVar(&monitorDir, "monitor-data-dir", "", "the monitor's --data-dir holding the incident (with --incident)")
	fl.StringVar(&dir, "direction", "forward", "forward (destinations) or backward (origins)")
	fl.StringVar(&model, "model", "haircut", "taint model: poison, haircut or fifo")
	fl.IntVar(&maxHops, "max-hops", 12, "stop expanding this many hops from the seed")
	fl.IntVar(&maxNodes, "max-nodes", 1000, "expand at most this many nodes")
	fl.Float64Var(&minValue, "min-value", 0, "ignore pushes worth less than this many whole units of the main seed asset (default 0.1% of the total)")
	fl.StringVar(&format, "format", "text", "output: "+strings.Join(trace.Formats, ", "))
	fl.StringVar(&dataDir, "data-dir", "", "the index directory (aegis index --data-dir)")
	return cmd
}

// incidentTx returns the first mined transaction of a stored monitor
// incident.
func incidentTx(ctx context.Context, monitorDir, id string) (string, error) {
	if monitorDir == "" {
		return "", errors.New("--incident needs --monitor-data-dir (the monitor's --data-dir)")
	}
	if _, err := os.Stat(filepath.Join(monitorDir, store.FileName)); err != nil {
		return "", fmt.Errorf("--monitor-data-dir %s: no monitor database: %w", monitorDir, err)
	}
	st, err := store.Open(ctx, monitorDir)
	if err != nil {
		return "", err
	}
	defer st.Close()
	alerts, err := st.Alerts(ctx)
	if err != nil {
		return "", err
	}
	for _, a := range alerts {
		if a.ID != id {
			continue
		}
		for _, t := range a.Evidence.Txs {
			if t.Block > 0 {
				return t.Hash, nil
			}
		}
		return "", fmt.Errorf("incident %s has no mined transaction (stage %s): nothing moved yet", id, a.Stage)
	}
	return "", fmt.Errorf("incident %s not found in %s (%d incidents stored)", id, monitorDir, len(alerts))
}

func validFormat(f string) bool {
	for _, x := range trace.Formats {
		if f == x {
			return true
		}
	}
	return false
}

// newClusterCmd returns `aegis cluster`.
func newClusterCmd() *cobra.Command {
	var (
		dataDir string
		dbURL   string
		asJSON  bool
	)
	cmd := &cobra.Command{
		Use:   "cluster ADDRESS",
		Short: "Show addresses likely controlled with ADDRESS, each link with evidence and confidence",
		Long: `List the links of an address found in the indexed graph: exchange deposit
address ↔ hot wallet (an address forwarding nearly all it receives to a hub
that collects from several such), common gas funder, deployer links, and
mixer deposit/withdrawal candidates (same denomination within a time window;
candidates only, never facts).`,
		Example: `  aegis cluster --data-dir ./aegis-index 0xAbc…`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if dataDir == "" && dbURL == "" {
				return errors.New("--data-dir is required (the directory given to aegis index), or --db for a PostgreSQL graph")
			}
			a, err := parseAddr("ADDRESS", args[0])
			if err != nil {
				return err
			}
			g, err := index.OpenAny(cmd.Context(), dataDir, dbURL)
			if err != nil {
				return err
			}
			defer g.Close()
			c, err := cluster.New(g).Cluster(cmd.Context(), a)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(c)
			}
			fmt.Fprintf(out, "%s", a.Hex())
			if c.Role != "" {
				fmt.Fprintf(out, " — %s: %s", c.Role, c.Evidence)
			}
			fmt.Fprintf(out, "\n%d links\n", len(c.Links))
			for _, l := range c.Links {
				cand := ""
				if l.Candidate {
					cand = " (candidate)"
				}
				fmt.Fprintf(out, "  %-16s %s → %s  confidence %.2f%s\n      %s\n", l.Kind, trace.Short(l.From), l.To.Hex(), l.Confidence, cand, l.Evidence)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dataDir, "data-dir", "", "the index directory (aegis index --data-dir)")
	cmd.Flags().StringVar(&dbURL, "db", "", "read the graph from this PostgreSQL database (as given to aegis index --db)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// newLabelsCmd returns `aegis labels` (import, list).
func newLabelsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "labels",
		Short: "Manage address labels (exchange, mixer, bridge, sanctioned …) with provenance",
	}
	var (
		dataDir, format, source, category string
		confidence                        float64
		builtin                           bool
	)
	imp := &cobra.Command{
		Use:   "import FILE...",
		Short: "Import labels from CSV/JSON lists, OFAC-style text lists or GraphSense TagPack YAML",
		Example: `  aegis labels import --data-dir ./aegis-index sdn_eth.txt
  aegis labels import --data-dir ./aegis-index --format tagpack exchanges.yaml`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if dataDir == "" {
				return errors.New("--data-dir is required")
			}
			if confidence < 0 || confidence > 1 {
				return fmt.Errorf("--confidence %v outside [0, 1]", confidence)
			}
			path := filepath.Join(dataDir, labels.FileName)
			set, err := labels.Load(path)
			if err != nil {
				return err
			}
			before := set.Len()
			for _, f := range args {
				fm := format
				if fm == "" {
					if fm, err = labels.DetectFormat(f); err != nil {
						return err
					}
				}
				data, err := os.ReadFile(f)
				if err != nil {
					return err
				}
				d := labels.Defaults{Source: source, Confidence: confidence}
				if category != "" {
					d.Category = labels.ParseCategory(category)
				}
				s, err := labels.Parse(fm, f, data, d)
				if err != nil {
					return err
				}
				set.Merge(s)
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %d labels\n", f, s.Len())
			}
			if err := set.Save(path); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d labels (%d new or updated)\n", path, set.Len(), set.Len()-before)
			return nil
		},
	}
	imp.Flags().StringVar(&dataDir, "data-dir", "", "directory of the label store (labels.jsonl), usually the index directory")
	imp.Flags().StringVar(&format, "format", "", "csv, json, ofac or tagpack (default: from the extension)")
	imp.Flags().StringVar(&source, "source", "", "source recorded for entries without one (default: the file name)")
	imp.Flags().StringVar(&category, "category", "", "category for entries without one")
	imp.Flags().Float64Var(&confidence, "confidence", 0, "confidence for entries without one (default 0.7; ofac 1)")
	list := &cobra.Command{
		Use:   "list",
		Short: "Print the label store (JSON lines), optionally with the built-in set",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			set := &labels.Set{}
			if builtin {
				set = labels.Builtin()
			}
			if dataDir != "" {
				own, err := labels.Load(filepath.Join(dataDir, labels.FileName))
				if err != nil {
					return err
				}
				set.Merge(own)
			}
			return set.Write(cmd.OutOrStdout())
		},
	}
	list.Flags().StringVar(&dataDir, "data-dir", "", "directory of the label store")
	list.Flags().BoolVar(&builtin, "builtin", false, "include the built-in mainnet labels")
	cmd.AddCommand(imp, list)
	return cmd
}
