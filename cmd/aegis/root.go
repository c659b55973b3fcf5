package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"
)

// newRootCmd builds the command tree. Subcommands receive a function that
// returns the logger configured from the persistent flags, because cobra
// parses those only after the tree is built.
func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	var (
		level  string
		format string
		logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
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
			l, err := newLogger(stderr, level, format)
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
		newAuditCmd(), newDetectorsCmd(),
		newDemoCmd(getLogger),
		newDevnetCmd(getLogger),
		newMonitorCmd(getLogger), newGuardCmd(getLogger), newConfigCmd(),
		newRiskCmd(getLogger),
		newVersionCmd(),
	)
	return root
}

// newLogger builds the slog logger selected by --log-level and --log-format.
func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch strings.ToLower(format) {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	default:
		return nil, fmt.Errorf("--log-format %q: want text or json", format)
	}
}
