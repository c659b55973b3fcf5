package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/demo"
	"github.com/aegis-defi/aegis/internal/devnet"
)

func newDemoCmd(logger func() *slog.Logger) *cobra.Command {
	var (
		list      bool
		only      []string
		seed      int64
		asJSON    bool
		skipSafe  bool
		noTraffic bool
		traffic   int
		noMonitor bool
		noRisk    bool
		noGuard   bool
		noTrace   bool
		set       string
		markdown  bool
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the end-to-end demo: devnet, DeFi testbed, benign traffic, real-incident attacks",
		Long: `demo starts the embedded devnet, deploys the aegis DeFi testbed (AMM, lending,
flash loans, vaults, governance, bridge), runs seeded benign traffic and then
replays every scenario of the attack library, each against the vulnerable and
the safe variant of its protocol, ending with a summary table.

After the reentrancy scenario (or the first whose exploit paid the attacker
in ETH) the loot is laundered (split, peel chain, swap, mixer, bridge,
exchange deposit addresses), indexed and traced forward: the endpoints are
printed, and --json adds them under "trace". --no-trace skips this.

With the monitor on (the default), each vulnerable variant then runs a second
time on a fresh deployment with the aegis guard protecting it as the
protocol's guardian: the guard acts on the monitor's pending-stage detection,
proves with eth_simulateV1 that pause() stops the attack and front-runs it.
The bridge-forgery scenario runs the guard in dry-run mode for contrast (it
records what it would have sent; the attack lands), and the rug-pull cannot
be blocked (the attacker owns the token and the pool; the guard says why).

The default run (--set all) replays the attack library and then the
generalisation set: real-incident mechanisms the detectors were not written
around, on protocols with their own interfaces and tokens (profit and loss
in those tokens); --set library or --set generalisation runs one. --markdown
prints the monitor's detection per scenario as a Markdown table (the
measurement in docs/generalisation.md). --scenario picks from every set.`,
		Example: `  aegis demo
  aegis demo --list
  aegis demo --scenario reentrancy --scenario bridge-forgery
  aegis demo --seed 7 --json
  aegis demo --no-guard
  aegis demo --set generalisation --traffic 0 --no-guard --markdown`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			library, err := attack.Set(set)
			if err != nil {
				return fmt.Errorf("--set: %w", err)
			}
			out := cmd.OutOrStdout()
			if list {
				return listScenarios(out, library)
			}
			if markdown && (asJSON || noMonitor) {
				return fmt.Errorf("--markdown prints the monitor's detections: it excludes --json and --no-monitor")
			}
			if traffic < 0 {
				return fmt.Errorf("--traffic %d: must be zero or positive", traffic)
			}
			opts := demo.Options{Seed: seed, Only: only, SkipSafe: skipSafe, Logger: logger()}
			var hooks []*demo.Hooks
			mopts := demo.MonitorOptions{Logger: logger()}
			quiet := asJSON || markdown
			if !quiet {
				hooks = append(hooks, demo.Narrator(out))
				mopts.Out = out
			}
			if !noRisk {
				ropts := demo.RiskOptions{}
				if !quiet {
					ropts.Out = out
				}
				hooks = append(hooks, demo.Risk(ropts))
			}
			if !noMonitor {
				hooks = append(hooks, demo.Monitor(mopts))
				if !noGuard { // the guard acts on the monitor's detections
					gopts := demo.GuardOptions{Logger: logger()}
					if !quiet {
						gopts.Out = out
					}
					hooks = append(hooks, demo.Guard(gopts))
				}
			}
			if !noTrace { // launder one exploit's loot and follow it
				topts := demo.TraceOptions{Logger: logger()}
				if !quiet {
					topts.Out = out
				}
				for _, sc := range library {
					if n := sc.Info().Name; n == demo.DefaultTraceScenario && (len(only) == 0 || slices.Contains(only, n)) {
						topts.Scenario = n
					}
				}
				hooks = append(hooks, demo.Trace(topts))
			}
			var benign demo.Benign
			if !noTraffic && traffic > 0 {
				benign = benignTraffic(seed, traffic, logger())
			}
			runner, err := demo.NewRunner(opts, library, benign, hooks...)
			if err != nil {
				return err
			}
			rep, err := runDemo(cmd.Context(), runner, logger())
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			if markdown {
				return demo.WriteDetectionTable(out, rep, true)
			}
			fmt.Fprintln(out)
			if err := demo.WriteTable(out, rep); err != nil {
				return err
			}
			if noMonitor {
				return nil
			}
			fmt.Fprintln(out)
			return demo.WriteDetectionTable(out, rep, false)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&list, "list", false, "list the attack scenarios and exit")
	f.StringSliceVar(&only, "scenario", nil, "run only this scenario (repeatable)")
	f.Int64Var(&seed, "seed", 1, "seed for the benign traffic")
	f.BoolVar(&asJSON, "json", false, "print one JSON object instead of the narrative")
	f.BoolVar(&skipSafe, "skip-safe", false, "do not re-run each exploit against the safe variant")
	f.BoolVar(&noTraffic, "no-traffic", false, "skip the benign-traffic phase")
	f.IntVar(&traffic, "traffic", 300, "number of benign transactions in the benign phase")
	f.BoolVar(&noMonitor, "no-monitor", false, "do not run the aegis monitor on the demo chain (implies --no-guard)")
	f.BoolVar(&noGuard, "no-guard", false, "do not re-run each vulnerable variant with the guard protecting it")
	f.BoolVar(&noTrace, "no-trace", false, "do not launder an exploit's loot and trace it (aegis index + aegis trace)")
	f.StringVar(&set, "set", attack.SetAll, "scenario set: all (the default run: library, then generalisation), library, or generalisation (mechanisms the detectors were not written for)")
	f.BoolVar(&noRisk, "no-risk", false, "do not deploy and score the token-risk testbed tokens")
	f.BoolVar(&markdown, "markdown", false, "print the monitor's detection per scenario as a Markdown table instead of the narrative")
	return cmd
}

// runDemo starts a devnet in manual-mining mode (so every exploit really
// waits in the mempool before the runner mines it) and runs the demo on it.
func runDemo(ctx context.Context, runner *demo.Runner, logger *slog.Logger) (*demo.Report, error) {
	node, err := devnet.Start(ctx, devnet.Config{Mining: devnet.MineManual, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("start devnet: %w", err)
	}
	defer func() { _ = node.Close() }()
	mine := func(ctx context.Context) error {
		_, err := node.Commit(ctx)
		return err
	}
	client, err := chain.New(ctx, node.Client(), chain.WithMiner(mine), chain.WithRevertDecoder(contracts.RevertReason))
	if err != nil {
		return nil, fmt.Errorf("connect to devnet: %w", err)
	}
	accts := node.Accounts()
	if len(accts) < 7 {
		return nil, fmt.Errorf("devnet has %d accounts, the demo needs 7", len(accts))
	}
	env := &attack.Env{
		Client:   client,
		Deployer: chain.NewAccount(accts[0].Key),
		Guardian: chain.NewAccount(accts[1].Key),
		Attacker: chain.NewAccount(accts[2].Key),
	}
	for _, a := range accts[3:] {
		env.Users = append(env.Users, chain.NewAccount(a.Key))
	}
	s := &demo.Session{Client: client, Env: env, RPCURL: node.HTTPURL(), WSURL: node.WSURL()}
	return runner.Run(ctx, s)
}

func listScenarios(w io.Writer, library []attack.Scenario) error {
	gen := map[string]bool{}
	for _, sc := range attack.Generalisation() {
		gen[sc.Info().Name] = true
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSET\tCLASS\tREAL INCIDENT")
	for _, sc := range library {
		in := sc.Info()
		set := attack.SetLibrary
		if gen[in.Name] {
			set = attack.SetGeneralisation
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", in.Name, set, in.Class, in.Incident)
	}
	return tw.Flush()
}
