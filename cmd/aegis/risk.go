package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/aegis-defi/aegis/internal/bytecode"
	"github.com/aegis-defi/aegis/internal/risk"
)

// newRiskCmd builds `aegis risk` and its subcommands.
func newRiskCmd(logger func() *slog.Logger) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "risk",
		Short: "Explained risk scores for tokens and protocols (GoPlus-compatible output)",
		Long: `risk scores a token or a protocol from what its code does (runtime bytecode:
no verified source needed), who holds its privileges, its holders and pools,
and simulated sales. Every point of the score is a factor with its evidence;
capabilities (what an admin could do) are weighted by who holds them, behaviour
(what is rigged or was done) is not. Unknown signals are reported, never
treated as safe.`,
	}
	cmd.AddCommand(newRiskTokenCmd(), newRiskProtocolCmd(), newRiskBatchCmd(), newRiskServeCmd(logger))
	return cmd
}

type riskTokenFlags struct {
	code, rpc, pair, format string
	holders                 int
	// evidence is an external-evidence file (risk.ParseEvidence).
	evidence string
	// source is Solidity source to audit (riskaudit.go).
	source string
}

func newRiskTokenCmd() *cobra.Command {
	var f riskTokenFlags
	cmd := &cobra.Command{
		Use:   "token [ADDRESS]",
		Short: "Score one token: offline from --bytecode, or ADDRESS through --rpc",
		Example: `  aegis risk token --bytecode 0x6080…           # offline: runtime bytecode only
  aegis risk token --bytecode runtime.hex --format goplus
  aegis risk token 0x5FbDB2315678afecb367f032d93F642f64180aa3 --rpc http://127.0.0.1:8545 --holders 5`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkRiskFormat(f.format); err != nil {
				return err
			}
			ev, err := readEvidence(f.evidence)
			if err != nil {
				return err
			}
			var rep *risk.Report
			switch {
			case f.code != "" && len(args) > 0:
				return errors.New("give either --bytecode or ADDRESS, not both")
			case f.code != "":
				code, err := readBytecodeArg(f.code)
				if err != nil {
					return err
				}
				rep = risk.AnalyzeBytecode(cmd.Context(), code, nil)
			case len(args) == 1:
				if f.rpc == "" {
					return errors.New("ADDRESS needs --rpc URL (or use --bytecode for offline analysis)")
				}
				if !common.IsHexAddress(args[0]) {
					return fmt.Errorf("ADDRESS %q: not a hex address", args[0])
				}
				o, err := riskOptions(f.pair, f.holders)
				if err != nil {
					return err
				}
				ec, rc, closeFn, err := dialRisk(cmd.Context(), f.rpc)
				if err != nil {
					return err
				}
				defer closeFn()
				if rep, err = risk.AnalyzeToken(cmd.Context(), ec, rc, common.HexToAddress(args[0]), o); err != nil {
					return err
				}
			default:
				return errors.New("give ADDRESS with --rpc, or --bytecode HEX|FILE")
			}
			if ev != nil && rep.Skipped == "" {
				rep.ApplyEvidence(ev)
			}
			if f.source != "" && rep.Skipped == "" {
				if err := applySourceAudit(cmd.Context(), rep, f.source); err != nil {
					return err
				}
			}
			if rep.Skipped != "" {
				fmt.Fprintf(cmd.ErrOrStderr(), "aegis risk: skipped: %s\n", rep.Skipped)
			} else if f.format != "text" {
				for _, u := range rep.Unknowns {
					fmt.Fprintf(cmd.ErrOrStderr(), "aegis risk: unknown: %s\n", u)
				}
			}
			return writeRisk(cmd.OutOrStdout(), f.format, rep)
		},
	}
	cmd.Flags().StringVar(&f.code, "bytecode", "", "runtime bytecode as hex, or a file holding it (offline mode)")
	cmd.Flags().StringVar(&f.rpc, "rpc", "", "JSON-RPC URL (node mode)")
	cmd.Flags().StringVar(&f.pair, "pair", "", "pool to simulate sales into (default: the deepest pool among the holders)")
	cmd.Flags().IntVar(&f.holders, "holders", 5, "real holders to simulate sales from")
	cmd.Flags().StringVar(&f.format, "format", "text", "output: text, json or goplus")
	cmd.Flags().StringVar(&f.source, "source", "", "Solidity source (file, directory, Foundry/Hardhat project) to audit: findings are added as factors")
	cmd.Flags().StringVar(&f.evidence, "evidence", "", "external-evidence file (YAML/JSON: audits, team, incidents with source links and points; never fetched)")
	return cmd
}

// readEvidence loads --evidence ("" : none).
func readEvidence(path string) (*risk.EvidenceFile, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--evidence: %w", err)
	}
	return risk.ParseEvidence(path, data)
}

func checkRiskFormat(f string) error {
	switch f {
	case "text", "json", "goplus":
		return nil
	}
	return fmt.Errorf("--format %q: want text, json or goplus", f)
}

func riskOptions(pair string, holders int) (risk.Options, error) {
	o := risk.Options{Holders: holders}
	if pair != "" {
		if !common.IsHexAddress(pair) {
			return o, fmt.Errorf("--pair %q: not a hex address", pair)
		}
		o.Pair = common.HexToAddress(pair)
	}
	if holders < 0 {
		return o, fmt.Errorf("--holders %d: must be >= 0", holders)
	}
	return o, nil
}

func dialRisk(ctx context.Context, url string) (*ethclient.Client, *rpc.Client, func(), error) {
	rc, err := rpc.DialContext(ctx, url)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("--rpc %s: %w", url, err)
	}
	return ethclient.NewClient(rc), rc, rc.Close, nil
}

func writeRisk(w io.Writer, format string, reps ...*risk.Report) error {
	switch format {
	case "goplus":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(risk.GoPlus(reps...))
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		for _, r := range reps {
			if err := enc.Encode(r); err != nil {
				return err
			}
		}
		return nil
	}
	for i, r := range reps {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := risk.WriteText(w, r); err != nil {
			return err
		}
	}
	return nil
}

func newRiskProtocolCmd() *cobra.Command {
	var rpcURL, format, source, dataDir string
	cmd := &cobra.Command{
		Use:   "protocol ADDRESS...",
		Short: "Score the contracts of a protocol: admin topology, upgradeability, pausability, oracles, deposits, incidents",
		Long: `protocol scores each contract of a protocol: who holds its privileges (EOA,
multisig, timelock and its delay), upgradeability, pausability, the oracle kind
of each price read, who holds its deposits (share-token holders, or net ERC-20
inflows by sender, from Transfer logs), past incidents from the monitor's store
(--data-dir, read-only: works while the monitor runs) and, with --source, the
source auditor's findings attached to the contracts whose deployed code
matches (dispatcher selectors and event topics).`,
		Example: `  aegis risk protocol 0xPool 0xOracle 0xVault --rpc http://127.0.0.1:8545
  aegis risk protocol 0xVault --rpc http://127.0.0.1:8545 --data-dir ./aegis-data --source contracts/src
  aegis risk protocol 0xVault --rpc http://127.0.0.1:8545 --format json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if rpcURL == "" {
				return errors.New("risk protocol needs --rpc URL")
			}
			if format != "text" && format != "json" {
				return fmt.Errorf("--format %q: want text or json", format)
			}
			var addrs []common.Address
			for _, a := range args {
				if !common.IsHexAddress(a) {
					return fmt.Errorf("ADDRESS %q: not a hex address", a)
				}
				addrs = append(addrs, common.HexToAddress(a))
			}
			// Bad paths fail before any node work.
			var hist *risk.MonitorHistory
			if dataDir != "" {
				h, err := risk.LoadMonitorHistory(ctx, dataDir)
				if err != nil {
					return fmt.Errorf("--data-dir %s: %w", dataDir, err)
				}
				hist = h
			}
			if source != "" {
				if _, err := os.Stat(source); err != nil {
					return fmt.Errorf("--source: %w", err)
				}
			}
			ec, rc, closeFn, err := dialRisk(ctx, rpcURL)
			if err != nil {
				return err
			}
			defer closeFn()
			pr, err := risk.AnalyzeProtocol(ctx, ec, rc, addrs, risk.Options{Holders: 2})
			if err != nil {
				return err
			}
			if hist != nil {
				pr.ApplyIncidents(hist, "", time.Now())
			}
			if source != "" {
				if err := applyProtocolSource(ctx, ec, pr, source); err != nil {
					return err
				}
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(pr)
			}
			return writeProtocolText(out, pr)
		},
	}
	cmd.Flags().StringVar(&rpcURL, "rpc", "", "JSON-RPC URL")
	cmd.Flags().StringVar(&format, "format", "text", "output: text or json")
	cmd.Flags().StringVar(&source, "source", "", "Solidity source (file, directory, Foundry/Hardhat project) to audit: findings go to the contracts whose code matches")
	cmd.Flags().StringVar(&dataDir, "data-dir", "", "the data directory of `aegis monitor` (read-only): past alerts on these addresses")
	return cmd
}

// writeProtocolText writes the protocol report for people.
func writeProtocolText(out io.Writer, pr *risk.ProtocolReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "protocol risk %d/100, level %s (worst contract)\n", pr.RiskScore, strings.ToUpper(string(pr.Level)))
	ih := pr.IncidentHistory
	if ih.Status == risk.StatusOK {
		fmt.Fprintf(&b, "incident history: %d alert(s) in %s\n", ih.Alerts, ih.Store)
	} else {
		fmt.Fprintf(&b, "incident history: unknown — %s\n", ih.Reason)
	}
	if len(pr.SourceUnmatched) > 0 {
		fmt.Fprintf(&b, "source: findings in %s match no analysed address\n", strings.Join(pr.SourceUnmatched, ", "))
	}
	for _, c := range pr.Contracts {
		fmt.Fprintf(&b, "\n%s\n", c.Address)
		if c.Skipped != "" {
			fmt.Fprintf(&b, "  skipped: %s\n", c.Skipped)
			continue
		}
		up := "no"
		if c.Upgradeable {
			up = "yes"
			if c.Proxy != "" {
				up += " (" + c.Proxy + ")"
			}
		}
		fmt.Fprintf(&b, "  upgradeable %s, pausable %v\n", up, c.Pausable)
		for _, a := range c.Admins {
			fmt.Fprintf(&b, "  %-12s %s (%s)\n", a.Role, a.Address, a.Kind)
		}
		for _, o := range c.Oracles {
			fmt.Fprintf(&b, "  oracle       %s via %s\n", o.Kind, o.Name)
		}
		if d := c.Deposits; d != nil {
			switch {
			case d.Status != risk.StatusOK:
				fmt.Fprintf(&b, "  deposits     unknown — %s\n", d.Reason)
			case len(d.Pools) == 0:
				fmt.Fprintf(&b, "  deposits     none (%s)\n", d.Note)
			}
			for _, p := range d.Pools {
				top := ""
				if len(p.Top) > 0 {
					top = ", largest " + p.Top[0].Address
				}
				fmt.Fprintf(&b, "  deposits     %s of %s: %d depositor(s), top 1 %s, top 10 %s, HHI %d%s\n",
					p.Mechanism, p.Asset, p.Depositors, p.Top1, p.Top10, p.HHI, top)
			}
		}
		for _, in := range c.Incidents {
			fmt.Fprintf(&b, "  incident     %s %s %s (%s, %s) %s +%d\n", in.AlertID, in.Severity, in.Title, in.Role, in.Stage,
				in.At.UTC().Format(time.RFC3339), in.Points)
		}
		if c.Report != nil {
			fmt.Fprintf(&b, "  score %d, level %s\n", c.Report.RiskScore, c.Report.Level)
			for _, f := range c.Report.Factors {
				if f.Points != 0 {
					fmt.Fprintf(&b, "    %+4d  %-10s %s\n", f.Points, f.Kind, f.Title)
				}
			}
			other := 0
			for _, u := range c.Report.Unknowns {
				if strings.HasPrefix(u, "audit-findings: ") {
					fmt.Fprintf(&b, "    unknown: %s\n", u)
				} else if !strings.HasPrefix(u, "incident-history: ") && !strings.HasPrefix(u, "deposit-concentration: ") {
					other++
				}
			}
			if other > 0 {
				fmt.Fprintf(&b, "    %d token signal(s) unknown (--format json lists them)\n", other)
			}
		}
	}
	_, err := io.WriteString(out, b.String())
	return err
}

// batchItem is one input line of `aegis risk batch`.
type batchItem struct {
	Address  string `json:"address,omitempty"`
	Bytecode string `json:"bytecode,omitempty"`
	File     string `json:"file,omitempty"`
}

// batchResult is one output line.
type batchResult struct {
	Line   int          `json:"line"`
	Input  batchItem    `json:"input"`
	Error  string       `json:"error,omitempty"`
	Report *risk.Report `json:"report,omitempty"`
}

func newRiskBatchCmd() *cobra.Command {
	var input, rpcURL string
	var workers, holders int
	cmd := &cobra.Command{
		Use:   "batch --input FILE",
		Short: "Score many tokens: JSON lines in ({\"address\":…} | {\"bytecode\":…} | {\"file\":…}), JSON lines out",
		Example: `  aegis risk batch --input tokens.jsonl > reports.jsonl
  aegis risk batch --input tokens.jsonl --rpc http://127.0.0.1:8545 --workers 4`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if input == "" {
				return errors.New("risk batch needs --input FILE")
			}
			if workers < 1 {
				return fmt.Errorf("--workers %d: must be >= 1", workers)
			}
			data, err := os.ReadFile(input)
			if err != nil {
				return fmt.Errorf("--input: %w", err)
			}
			var items []batchResult
			sc := bufio.NewScanner(strings.NewReader(string(data)))
			sc.Buffer(make([]byte, 1<<20), 64<<20)
			for n := 1; sc.Scan(); n++ {
				line := strings.TrimSpace(sc.Text())
				if line == "" {
					continue
				}
				it := batchResult{Line: n}
				dec := json.NewDecoder(strings.NewReader(line))
				dec.DisallowUnknownFields()
				if err := dec.Decode(&it.Input); err != nil {
					return fmt.Errorf("%s:%d: %w", input, n, err)
				}
				items = append(items, it)
			}
			if err := sc.Err(); err != nil {
				return fmt.Errorf("--input: %w", err)
			}
			var ec *ethclient.Client
			var rc *rpc.Client
			if rpcURL != "" {
				var closeFn func()
				if ec, rc, closeFn, err = dialRisk(cmd.Context(), rpcURL); err != nil {
					return err
				}
				defer closeFn()
			}
			ctx := cmd.Context()
			g, gctx := errgroup.WithContext(ctx)
			g.SetLimit(workers)
			var mu sync.Mutex
			done := 0
			for i := range items {
				g.Go(func() error {
					it := &items[i]
					rep, err := scoreBatchItem(gctx, ec, rc, it.Input, holders)
					if err != nil {
						it.Error = err.Error()
					}
					it.Report = rep
					mu.Lock()
					done++
					fmt.Fprintf(cmd.ErrOrStderr(), "\raegis risk batch: %d/%d", done, len(items))
					mu.Unlock()
					return nil
				})
			}
			_ = g.Wait()
			fmt.Fprintln(cmd.ErrOrStderr())
			enc := json.NewEncoder(cmd.OutOrStdout())
			for _, it := range items {
				if err := enc.Encode(it); err != nil {
					return err
				}
			}
			return ctx.Err()
		},
	}
	cmd.Flags().StringVar(&input, "input", "", "JSON-lines file")
	cmd.Flags().StringVar(&rpcURL, "rpc", "", "JSON-RPC URL (needed for address lines)")
	cmd.Flags().IntVar(&workers, "workers", 4, "parallel analyses")
	cmd.Flags().IntVar(&holders, "holders", 5, "real holders to simulate sales from (node mode)")
	return cmd
}

func scoreBatchItem(ctx context.Context, ec *ethclient.Client, rc *rpc.Client, in batchItem, holders int) (*risk.Report, error) {
	set := 0
	for _, s := range []string{in.Address, in.Bytecode, in.File} {
		if s != "" {
			set++
		}
	}
	if set != 1 {
		return nil, errors.New("want exactly one of address, bytecode, file")
	}
	switch {
	case in.Address != "":
		if ec == nil {
			return nil, errors.New("address lines need --rpc")
		}
		if !common.IsHexAddress(in.Address) {
			return nil, fmt.Errorf("address %q: not a hex address", in.Address)
		}
		return risk.AnalyzeToken(ctx, ec, rc, common.HexToAddress(in.Address), risk.Options{Holders: holders})
	case in.File != "":
		data, err := os.ReadFile(in.File)
		if err != nil {
			return nil, err
		}
		code, err := bytecode.ParseHex(string(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", in.File, err)
		}
		return risk.AnalyzeBytecode(ctx, code, nil), nil
	}
	code, err := bytecode.ParseHex(in.Bytecode)
	if err != nil {
		return nil, err
	}
	return risk.AnalyzeBytecode(ctx, code, nil), nil
}

func newRiskServeCmd(logger func() *slog.Logger) *cobra.Command {
	var rpcURL, addr string
	var holders int
	cmd := &cobra.Command{
		Use:   "serve --rpc URL --addr 127.0.0.1:PORT",
		Short: "Serve GET /api/v1/token_security/{chain_id}?contract_addresses=A,B in the GoPlus format",
		Long: `serve answers GoPlus token_security requests from a node, so existing GoPlus
integrations switch by changing the base URL. Reports are cached by code hash
and block. /healthz checks the node; /metrics serves Prometheus metrics.
SIGINT/SIGTERM stop it gracefully.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if rpcURL == "" {
				return errors.New("risk serve needs --rpc URL")
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			ec, rc, closeFn, err := dialRisk(ctx, rpcURL)
			if err != nil {
				return err
			}
			defer closeFn()
			id, err := ec.ChainID(ctx)
			if err != nil {
				return fmt.Errorf("--rpc %s: eth_chainId: %w", rpcURL, err)
			}
			reg := prometheus.NewRegistry()
			srv, err := risk.NewServer(ec, rc, id.String(), reg, reg, risk.Options{Holders: holders})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("--addr %s: %w", addr, err)
			}
			hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
			logger().Info("risk serve listening", "addr", ln.Addr().String(), "chain_id", id.String())
			fmt.Fprintf(cmd.ErrOrStderr(), "aegis risk serve: http://%s/api/v1/token_security/%s?contract_addresses=…\n", ln.Addr(), id)
			g, gctx := errgroup.WithContext(ctx)
			g.Go(func() error {
				if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
					return err
				}
				return nil
			})
			g.Go(func() error {
				<-gctx.Done()
				sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				return hs.Shutdown(sctx)
			})
			return g.Wait()
		},
	}
	cmd.Flags().StringVar(&rpcURL, "rpc", "", "JSON-RPC URL")
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8088", "listen address")
	cmd.Flags().IntVar(&holders, "holders", 5, "real holders to simulate sales from")
	return cmd
}
