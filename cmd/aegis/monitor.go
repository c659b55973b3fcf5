package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/config"
	"github.com/aegis-defi/aegis/internal/devnet"
	"github.com/aegis-defi/aegis/internal/guard"
	"github.com/aegis-defi/aegis/internal/monitor"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors"
	"github.com/aegis-defi/aegis/internal/monitor/pricing"
	"github.com/aegis-defi/aegis/internal/redact"
	"github.com/aegis-defi/aegis/internal/store"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// monitorFlags are `aegis monitor`'s flags; they override aegis.yaml.
type monitorFlags struct {
	rpc           string
	watch         []string
	alertsJSONL   string
	dataDir       string
	configPath    string
	fromBlock     int64
	confirmations int64
	metricsAddr   string
	devnet        bool
	noPending     bool
	// backfillBlocks overrides monitor.backfill_blocks when ≥ 0.
	backfillBlocks int
	quiet          bool
	list           bool
	// requireGuard is set by `aegis guard`.
	requireGuard bool
	// riskFactories add to monitor.risk.factories (monitorrisk.go).
	riskFactories []string
}

func newMonitorCmd(logger func() *slog.Logger) *cobra.Command {
	var f monitorFlags
	cmd := &cobra.Command{
		Use:   "monitor",
		Short: "Watch a chain for attacks on your protocols, in the mempool and in blocks",
		Long: `monitor follows a node's head and mempool, simulates every relevant pending
transaction (debug_traceCall) and re-checks it once mined, runs the streaming
detectors on it and delivers alerts: pending (before the transaction is mined),
confirmed (mined), retracted (reorged out) or dropped (left the mempool).

Use a ws:// endpoint for mempool monitoring; http:// polls blocks only. With
--data-dir the monitor keeps its checkpoint, alerts and anomaly models in a
SQLite database and resumes where it stopped. SIGINT/SIGTERM stop it
gracefully (sinks flushed, checkpoint and models saved).`,
		Example: `  aegis monitor --rpc ws://127.0.0.1:8545 --watch 0x5FbDB2315678afecb367f032d93F642f64180aa3=LendingPool
  aegis monitor --config aegis.yaml --data-dir ./aegis-data --metrics-addr 127.0.0.1:9464
  aegis monitor --devnet --watch 0x5FbDB2315678afecb367f032d93F642f64180aa3 --alerts-jsonl alerts.jsonl
  aegis monitor --list-detectors`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.list {
				return listMonitorDetectors(cmd.OutOrStdout())
			}
			return runMonitor(cmd.Context(), cmd, f, logger())
		},
	}
	addMonitorFlags(cmd, &f)
	return cmd
}

// addMonitorFlags registers the flags `aegis monitor` and `aegis guard`
// share.
func addMonitorFlags(cmd *cobra.Command, f *monitorFlags) {
	fl := cmd.Flags()
	fl.StringVar(&f.rpc, "rpc", "", "node JSON-RPC URL (ws:// for mempool monitoring)")
	fl.StringArrayVar(&f.watch, "watch", nil, "watched contract 0xADDR[=Name] (repeatable)")
	fl.StringVar(&f.alertsJSONL, "alerts-jsonl", "", "append alert events to this JSONL file")
	fl.StringVar(&f.dataDir, "data-dir", "", "directory of the monitor's database (checkpoint, alerts, models)")
	fl.StringVar(&f.configPath, "config", "", "aegis.yaml (monitor: section); flags override it")
	fl.Int64Var(&f.fromBlock, "from-block", -1, "first block to process on a fresh data dir (default: the head)")
	fl.Int64Var(&f.confirmations, "confirmations", -1, "blocks to wait before the mined pass (default 0)")
	fl.StringVar(&f.metricsAddr, "metrics-addr", "", "serve Prometheus /metrics and /healthz on this address")
	fl.BoolVar(&f.devnet, "devnet", false, "start the embedded devnet (automine) and monitor it")
	fl.BoolVar(&f.noPending, "no-pending", false, "do not monitor the mempool")
	fl.IntVar(&f.backfillBlocks, "backfill-blocks", -1, "blocks of the watched protocols' history to learn deposits from on start-up (default 7200, 0 = off)")
	fl.BoolVar(&f.quiet, "quiet", false, "do not print alerts on stdout")
	fl.BoolVar(&f.list, "list-detectors", false, "list the streaming detectors and exit")
	fl.StringArrayVar(&f.riskFactories, "risk-factory", nil, "score every pool this factory creates with aegis risk; alert on high/critical (repeatable)")
}

func listMonitorDetectors(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSEVERITY\tTITLE")
	for _, d := range detectors.Default(detectors.DefaultConfig()) {
		m := d.Meta()
		fmt.Fprintf(tw, "%s\t%s\t%s\n", m.Name, m.Severity, m.Title)
	}
	return tw.Flush()
}

// monitorDetectorNames lists the streaming detectors' names.
func monitorDetectorNames() []string {
	var out []string
	for _, d := range detectors.Default(detectors.DefaultConfig()) {
		out = append(out, d.Meta().Name)
	}
	return out
}

// detectorConfig maps monitor.detectors and monitor.disable onto the
// detectors' Config.
func detectorConfig(mc *config.Monitor) (detectors.Config, error) {
	dc := detectors.DefaultConfig()
	targets := map[string]any{
		"flash-loan":           &dc.FlashLoan,
		"price-manipulation":   &dc.PriceManip,
		"reentrancy":           &dc.Reentrancy,
		"abnormal-outflow":     &dc.AbnormalOutflow,
		"attacker-profit":      &dc.AttackerProfit,
		"fresh-contract":       &dc.FreshContract,
		"governance-takeover":  &dc.Governance,
		"privileged-operation": &dc.Privileged,
		"rug-pull":             &dc.RugPull,
		"anomaly":              &dc.Anomaly,
	}
	for name := range mc.Detectors {
		dst, ok := targets[name]
		if !ok {
			return dc, fmt.Errorf("monitor.detectors.%s: unknown detector", name)
		}
		if err := mc.DetectorSettings(name, dst); err != nil {
			return dc, err
		}
	}
	dc.Disabled = mc.Disable
	return dc, nil
}

// parseWatch parses --watch 0xADDR[=Name].
func parseWatch(s string) (detect.Protocol, error) {
	addr, name, _ := strings.Cut(s, "=")
	if !common.IsHexAddress(addr) || !strings.HasPrefix(strings.ToLower(addr), "0x") {
		return detect.Protocol{}, fmt.Errorf("--watch %q: want 0xADDRESS or 0xADDRESS=Name", s)
	}
	return detect.Protocol{Name: name, Addresses: []common.Address{common.HexToAddress(addr)}}, nil
}

func runMonitor(ctx context.Context, cmd *cobra.Command, f monitorFlags, log *slog.Logger) error {
	cfg := config.Default()
	if f.configPath != "" {
		c, err := config.Load(f.configPath)
		if err != nil {
			return err
		}
		if err := checkConfig(c); err != nil {
			return fmt.Errorf("%s: %w", f.configPath, err)
		}
		cfg = c
	}
	mc := &cfg.Monitor
	red := redact.FromContext(ctx)
	red.AddURL(mc.RPC)
	red.AddURL(cfg.Guard.RPC)
	for _, u := range cfg.Guard.Broadcast {
		red.AddURL(u)
	}
	if f.rpc != "" {
		mc.RPC = f.rpc
	}
	if f.dataDir != "" {
		mc.DataDir = f.dataDir
	}
	if f.metricsAddr != "" {
		mc.MetricsAddr = f.metricsAddr
	}
	if f.fromBlock >= 0 {
		fb := uint64(f.fromBlock)
		mc.FromBlock = &fb
	}
	if f.confirmations >= 0 {
		mc.Confirmations = uint64(f.confirmations)
	}
	if f.alertsJSONL != "" {
		mc.Sinks.JSONL = &config.JSONLSink{Path: f.alertsJSONL, MinSeverity: jsonlMin(mc.Sinks.JSONL)}
	}

	watch := monitor.NewWatchlist()
	dec := txmodel.NewDecoder(nil)
	for i, w := range mc.Watch {
		p := detect.Protocol{Name: w.Name}
		for _, a := range w.AllAddresses() {
			p.Addresses = append(p.Addresses, common.HexToAddress(a))
		}
		watch.Add(p)
		if w.ABI != "" {
			path := w.ABI
			if !filepath.IsAbs(path) && f.configPath != "" {
				path = filepath.Join(filepath.Dir(f.configPath), path)
			}
			a, err := txmodel.LoadABIFile(path)
			if err != nil {
				return fmt.Errorf("monitor.watch[%d].abi: %w", i, err)
			}
			dec.AddABI(w.Name, a)
		}
	}
	for _, s := range f.watch {
		p, err := parseWatch(s)
		if err != nil {
			return err
		}
		watch.Add(p)
	}
	riskCfg, err := monitorRiskConfig(mc, f.riskFactories)
	if err != nil {
		return err
	}
	if len(watch.Protocols()) == 0 && (riskCfg == nil || len(riskCfg.Factories) == 0) {
		return errors.New("nothing to watch: give --watch 0xADDR[=Name] or monitor.watch in --config (or --risk-factory 0xFACTORY)")
	}

	dc, err := detectorConfig(mc)
	if err != nil {
		return err
	}
	dets, err := detectors.New(dc)
	if err != nil {
		return err
	}

	// The data dir first: a second monitor on it fails before connecting.
	var st *store.Store
	if mc.DataDir != "" {
		st, err = store.Open(ctx, mc.DataDir)
		if err != nil {
			return err
		}
		defer st.Close()
	}

	if f.devnet {
		node, err := devnet.Start(ctx, devnet.Config{Logger: log})
		if err != nil {
			return fmt.Errorf("start devnet: %w", err)
		}
		defer func() { _ = node.Close() }()
		mc.RPC = node.WSURL()
		fmt.Fprintf(cmd.ErrOrStderr(), "devnet: %s (HTTP %s, chain %d)\n", node.WSURL(), node.HTTPURL(), node.ChainID())
	}
	if mc.RPC == "" {
		return errors.New("no node: give --rpc ws://… (or monitor.rpc in --config, or --devnet)")
	}
	if f.requireGuard && !cfg.Guard.Enabled() {
		return errors.New("guard: no guard.protocols in --config: the guard has nothing to protect (see docs/aegis.example.yaml)")
	}
	var g *guard.Guard
	if cfg.Guard.Enabled() {
		var closeGuard func()
		g, closeGuard, err = buildGuard(ctx, cmd.ErrOrStderr(), &cfg.Guard, mc.RPC, f.configPath, log)
		if err != nil {
			return err
		}
		defer closeGuard()
	}

	// Metrics first: a busy port fails before anything else starts.
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics, err := monitor.NewMetrics(reg)
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	var ln net.Listener
	if mc.MetricsAddr != "" {
		ln, err = net.Listen("tcp", mc.MetricsAddr)
		if err != nil {
			return fmt.Errorf("metrics: listen on %s: %w", mc.MetricsAddr, errors.Unwrap(err))
		}
		defer ln.Close()
	}

	sinks, err := buildSinks(cmd.OutOrStdout(), mc, f.quiet)
	if err != nil {
		return err
	}
	// Run drains the outbox before it returns; then the sinks are closed.
	defer func() {
		for _, s := range sinks {
			if c, ok := s.(io.Closer); ok {
				if err := c.Close(); err != nil {
					log.Error("monitor: closing sink", "sink", s.Name(), "err", err)
				}
			}
		}
	}()

	var allow *alert.Allowlist
	if len(mc.Allowlist) > 0 {
		var entries []alert.AllowlistEntry
		for _, a := range mc.Allowlist {
			entries = append(entries, alert.AllowlistEntry{Address: a.Address, Label: a.Label, Kind: a.Kind})
		}
		if allow, err = alert.NewAllowlist(entries...); err != nil {
			return fmt.Errorf("monitor.allowlist: %w", err)
		}
	}
	mode := alert.AllowlistDowngrade
	if mc.AllowlistMode == "drop" {
		mode = alert.AllowlistDrop
	}
	agg := alert.NewAggregator(alert.AggregatorConfig{Allowlist: allow, AllowlistMode: mode, Logger: log})

	m, err := monitor.New(monitor.Config{
		RPCURL: mc.RPC, Watch: watch, Detectors: dets, Aggregator: agg, Sinks: sinks, Store: st,
		MaxHeadAge: mc.HeadAge(), MaxLag: mc.MaxLag, Outbox: outboxConfig(mc.Outbox),
		Decoder: dec, FromBlock: mc.FromBlock, Confirmations: mc.Confirmations,
		DisablePending: f.noPending || (mc.Pending != nil && !*mc.Pending),
		Prices:         pricing.New(pricing.Config{Numeraires: numeraires(mc), USDPerETH: mc.ETHUSD}), Metrics: metrics, Logger: log,
		BackfillBlocks: backfillBlocks(mc, f.backfillBlocks),
		Guard:          guardOrNil(g),
		Risk:           riskCfg,
	})
	if err != nil {
		return err
	}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	srvErr := make(chan error, 1)
	if ln != nil {
		srv := &http.Server{Handler: metricsMux(reg, m), ReadHeaderTimeout: 5 * time.Second}
		go func() { srvErr <- srv.Serve(ln) }()
		defer func() {
			sctx, c := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer c()
			_ = srv.Shutdown(sctx)
			<-srvErr
		}()
		fmt.Fprintf(cmd.ErrOrStderr(), "metrics: http://%s/metrics\n", ln.Addr())
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "monitoring %d protocol(s) with %d detectors on %s\n", len(watch.Protocols()), len(dets), redact.URL(mc.RPC))
	if err := m.Run(runCtx); err != nil {
		return err
	}
	s := m.Stats()
	fmt.Fprintf(cmd.ErrOrStderr(), "monitor stopped: %d blocks, %d transactions, %d pending simulated, last block %d\n",
		s.BlocksProcessed, s.TxsProcessed, s.PendingSimulated, s.LastProcessed)
	return nil
}

func jsonlMin(s *config.JSONLSink) string {
	if s == nil {
		return ""
	}
	return s.MinSeverity
}

// metricsMux serves /metrics, /healthz (503 with a JSON reason when the
// node is unreachable, its head is older than monitor.max_head_age or the
// monitor lags by more than monitor.max_lag blocks), /readyz (503 until the
// initial backfill is done) and /stats (the counters as JSON).
func metricsMux(reg *prometheus.Registry, m *monitor.Monitor) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	mux.Handle("/healthz", m.HealthHandler())
	mux.Handle("/readyz", m.ReadyHandler())
	mux.HandleFunc("/stats", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(m.Stats())
	})
	return mux
}

// outboxConfig maps monitor.outbox onto the monitor's outbox settings.
func outboxConfig(o *config.Outbox) monitor.OutboxConfig {
	if o == nil {
		return monitor.OutboxConfig{}
	}
	return monitor.OutboxConfig{Capacity: o.Capacity, AttemptTimeout: o.AttemptTimeoutDuration(), MaxAttempts: o.MaxAttempts}
}

// buildSinks creates the configured sinks, reading secrets from the
// environment variables the config names.
func buildSinks(stdout io.Writer, mc *config.Monitor, quiet bool) ([]alert.Sink, error) {
	var out []alert.Sink
	// Retries are the outbox's (monitor.outbox): one attempt per Send.
	add := func(s alert.Sink, min string, _ bool) error {
		if min != "" {
			sev, err := alert.ParseSeverity(min)
			if err != nil {
				return err
			}
			s = alert.WithMinSeverity(s, sev)
		}
		out = append(out, s)
		return nil
	}
	env := func(key, name string) (string, error) {
		v := os.Getenv(name)
		if v == "" {
			return "", fmt.Errorf("monitor.sinks.%s: environment variable %s is empty", key, name)
		}
		return v, nil
	}
	s := mc.Sinks
	if !quiet || s.Console != nil {
		cc := alert.ConsoleConfig{Writer: stdout}
		min := ""
		if s.Console != nil {
			cc.Color, min = s.Console.Color, s.Console.MinSeverity
		}
		if err := add(alert.NewConsole(cc), min, false); err != nil {
			return nil, err
		}
	}
	if s.JSONL != nil {
		j, err := alert.OpenJSONL(alert.JSONLConfig{Path: s.JSONL.Path})
		if err != nil {
			return nil, fmt.Errorf("alerts JSONL: %w", err)
		}
		if err := add(j, s.JSONL.MinSeverity, false); err != nil {
			return nil, err
		}
	}
	if w := s.Webhook; w != nil {
		secret, err := env("webhook.secret_env", w.SecretEnv)
		if err != nil {
			return nil, err
		}
		sk, err := alert.NewWebhook(alert.WebhookConfig{URL: w.URL, Secret: secret})
		if err != nil {
			return nil, err
		}
		if err := add(sk, w.MinSeverity, true); err != nil {
			return nil, err
		}
	}
	if sl := s.Slack; sl != nil {
		u, err := env("slack.webhook_url_env", sl.WebhookURLEnv)
		if err != nil {
			return nil, err
		}
		sk, err := alert.NewSlack(alert.SlackConfig{WebhookURL: u, TxURL: sl.TxURL})
		if err != nil {
			return nil, err
		}
		if err := add(sk, sl.MinSeverity, true); err != nil {
			return nil, err
		}
	}
	if d := s.Discord; d != nil {
		u, err := env("discord.webhook_url_env", d.WebhookURLEnv)
		if err != nil {
			return nil, err
		}
		sk, err := alert.NewDiscord(alert.DiscordConfig{WebhookURL: u})
		if err != nil {
			return nil, err
		}
		if err := add(sk, d.MinSeverity, true); err != nil {
			return nil, err
		}
	}
	if tg := s.Telegram; tg != nil {
		tok, err := env("telegram.token_env", tg.TokenEnv)
		if err != nil {
			return nil, err
		}
		sk, err := alert.NewTelegram(alert.TelegramConfig{Token: tok, ChatID: tg.ChatID})
		if err != nil {
			return nil, err
		}
		if err := add(sk, tg.MinSeverity, true); err != nil {
			return nil, err
		}
	}
	if pd := s.PagerDuty; pd != nil {
		key, err := env("pagerduty.routing_key_env", pd.RoutingKeyEnv)
		if err != nil {
			return nil, err
		}
		sk, err := alert.NewPagerDuty(alert.PagerDutyConfig{RoutingKey: key, TxURL: pd.TxURL})
		if err != nil {
			return nil, err
		}
		if err := add(sk, pd.MinSeverity, true); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// backfillBlocks maps the flag (≥ 0 overrides) and monitor.backfill_blocks
// onto monitor.Config.BackfillBlocks (0 there means the default, negative
// off).
func backfillBlocks(mc *config.Monitor, flag int) int {
	n := -2
	if mc.BackfillBlocks != nil {
		n = *mc.BackfillBlocks
	}
	if flag >= 0 {
		n = flag
	}
	switch {
	case n == -2:
		return 0
	case n == 0:
		return -1
	}
	return n
}

// numeraires converts monitor.numeraires (validated addresses).
func numeraires(mc *config.Monitor) []pricing.Numeraire {
	var out []pricing.Numeraire
	for _, n := range mc.Numeraires {
		out = append(out, pricing.Numeraire{Token: common.HexToAddress(n.Address), ETH: n.ETH, Decimals: n.Decimals})
	}
	return out
}
