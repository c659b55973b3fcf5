package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aegis-defi/aegis/internal/redact"
)

// newRootCmd builds the command tree. Subcommands receive a function that
// returns the logger configured from the persistent flags, because cobra
// parses those only after the tree is built.
func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		level  string
		format string
		logger = slog.New(redact.Handler(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}), nil))
	)
	root := &cobra.Command{
		Use:   "aegis",
		Short: "aegis — DeFi security: audit, monitor, guard, risk, trace",
		Long: `aegis defends DeFi protocols end to end: it audits Solidity, watches a chain
for attacks in the mempool and in blocks, responds autonomously, scores risk
and traces stolen funds.

Start with "aegis demo": it runs a local chain, deploys a DeFi testbed and
replays real-incident attacks against it.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			// Every log line and every printed error goes through the
			// redactor main put in the context: URLs are masked anyway,
			// and an endpoint given on the command line is registered so
			// its key is masked even where it appears without the URL.
			red := redact.FromContext(cmd.Context())
			for _, name := range []string{"rpc", "broadcast"} {
				if f := cmd.Flags().Lookup(name); f != nil && f.Changed {
					for _, v := range strings.Split(f.Value.String(), ",") {
						red.AddURL(strings.Trim(v, "[]"))
					}
				}
			}
			l, err := newLogger(stderr, level, format, red)
			if err != nil {
				return err
			}
			logger = l
			return nil
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().StringVar(&level, "log-level", "warn", "log level: debug, info, warn, error")
	root.PersistentFlags().StringVar(&format, "log-format", "text", "log format: text or json")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return fmt.Errorf("%w (see --help)", err)
	})
	getLogger := func() *slog.Logger { return logger }
	root.AddCommand(
		newAuditCmd(getLogger), newDetectorsCmd(),
		newDemoCmd(getLogger),
		newDevnetCmd(getLogger),
		newMonitorCmd(getLogger), newGuardCmd(getLogger), newConfigCmd(),
		newIndexCmd(getLogger), newTraceCmd(), newClusterCmd(), newLabelsCmd(),
		newRiskCmd(getLogger),
		newVersionCmd(),
	)
	return root
}

// newLogger builds the slog logger selected by --log-level and --log-format.
// Records pass through red (nil: URLs are still masked).
func newLogger(w io.Writer, level, format string, red *redact.Redactor) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(redact.Handler(slog.NewTextHandler(w, opts), red)), nil
	case "json":
		return slog.New(redact.Handler(slog.NewJSONHandler(w, opts), red)), nil
	default:
		return nil, fmt.Errorf("--log-format %q: want text or json", format)
	}
}
