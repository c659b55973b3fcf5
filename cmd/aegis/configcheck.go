package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aegis-defi/aegis/internal/config"
	"github.com/aegis-defi/aegis/internal/monitor/detectors"
)

// checkConfig runs every validation that any command applies to a decoded
// aegis.yaml: the audit section against the audit suite's detector names,
// the monitor section against the streaming detectors' names, each
// detector's thresholds (decoded onto its Config, range-checked and built
// as the monitor builds them) and the guard section. `aegis config check`,
// audit, monitor and guard all call it, so `config check` passes exactly
// when the commands accept the file. Errors name the key path.
func checkConfig(c *config.Config) error {
	errs := []error{c.Validate(detectorNames(defaultSuite()))}
	if err := c.ValidateMonitor(monitorDetectorNames()); err != nil {
		errs = append(errs, err)
	} else if dc, err := detectorConfig(&c.Monitor); err != nil {
		errs = append(errs, err)
	} else if _, err := detectors.New(dc); err != nil {
		errs = append(errs, fmt.Errorf("monitor.detectors: %w", err))
	}
	if err := errors.Join(errs...); err != nil {
		// One line, as every aegis error is.
		return errors.New(strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return nil
}

// newConfigCmd returns `aegis config`, with `check`.
func newConfigCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Work with aegis.yaml"}
	cmd.AddCommand(&cobra.Command{
		Use:   "check FILE",
		Short: "Validate an aegis.yaml exactly as audit, monitor and guard do (keys, values, detector names and thresholds)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := config.Load(args[0])
			if err != nil {
				return err
			}
			if err := checkConfig(c); err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: ok\n", args[0])
			return nil
		},
	})
	return cmd
}
