package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/spf13/cobra"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/config"
	"github.com/aegis-defi/aegis/internal/guard"
	"github.com/aegis-defi/aegis/internal/monitor"
	"github.com/aegis-defi/aegis/internal/redact"
)

// newGuardCmd returns `aegis guard`: the monitor with the guard section
// required. It is `aegis monitor` under a name that fails when there is
// nothing to guard.
func newGuardCmd(logger func() *slog.Logger) *cobra.Command {
	f := monitorFlags{requireGuard: true}
	cmd := &cobra.Command{
		Use:   "guard",
		Short: "Monitor and protect: front-run confirmed pending attacks with the guardian's pause()",
		Long: `guard is ` + "`aegis monitor`" + ` with the guard: section of --config required.

Each pending-stage incident with a high or critical signal is handed to the
guard. A protocol's policy triggers on corroborating signals (by default two
detectors at critical with confidence >= 0.85); the guard then proves with
eth_simulateV1 on the node's latest state that its protective calls succeed
from the guardian key and that the attack, replayed after them, reverts or
stops profiting. Only then does it sign them and, in armed mode, send them
with a tip above the attacker's (dry-run, the default, records what it would
have sent). Every decision is logged, stored in the data dir and attached to
the alert ("paused X in block N; attack 0x… reverted; 50 ETH protected").

` + "`aegis monitor --config`" + ` does the same whenever the file has guard.protocols.`,
		Example: `  aegis guard --config aegis.yaml --data-dir ./aegis-data
  AEGIS_GUARDIAN_PASSWORD=… aegis guard --config aegis.yaml --alerts-jsonl alerts.jsonl`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.list {
				return listMonitorDetectors(cmd.OutOrStdout())
			}
			if f.configPath == "" {
				return fmt.Errorf("guard: --config is required (its guard: section names the key and the policies)")
			}
			return runMonitor(cmd.Context(), cmd, f, logger())
		},
	}
	addMonitorFlags(cmd, &f)
	return cmd
}

// buildGuard loads the guardian key and connects the guard to its node
// (gc.RPC, else rpcURL) and broadcast endpoints. The returned func closes
// the connections.
func buildGuard(ctx context.Context, stderr io.Writer, gc *config.Guard, rpcURL, configPath string, log *slog.Logger) (*guard.Guard, func(), error) {
	rel := func(p string) string {
		if p != "" && !filepath.IsAbs(p) && configPath != "" {
			return filepath.Join(filepath.Dir(configPath), p)
		}
		return p
	}
	var signer *guard.Signer
	var err error
	if gc.Keystore != "" {
		signer, err = guard.LoadKeystore(rel(gc.Keystore), rel(gc.PasswordFile), gc.PasswordEnv)
	} else {
		signer, err = guard.SignerFromEnv(log, gc.KeyEnv)
	}
	if err != nil {
		return nil, nil, err
	}
	var clients []*rpc.Client
	closeAll := func() {
		for _, c := range clients {
			c.Close()
		}
	}
	url := gc.RPC
	if url == "" {
		url = rpcURL
	}
	primary, err := rpc.DialContext(ctx, url)
	if err != nil {
		return nil, nil, fmt.Errorf("guard: connect to %s: %w", redact.URL(url), err)
	}
	clients = append(clients, primary)
	var extra []*rpc.Client
	for i, u := range gc.Broadcast {
		c, err := rpc.DialContext(ctx, u)
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("guard.broadcast[%d]: connect to %s: %w", i, redact.URL(u), err)
		}
		clients = append(clients, c)
		extra = append(extra, c)
	}
	g, err := guard.New(ctx, guard.Config{RPC: primary, Broadcast: extra, Signer: signer, Policies: gc.Policies,
		Logger: log, RevertDecoder: contracts.RevertReason})
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	var modes []string
	for _, p := range gc.Protocols {
		mode := p.WithDefaults().Mode
		modes = append(modes, fmt.Sprintf("%s (%s)", p.Protocol, mode))
		if mode == guard.ModeArmed {
			log.Warn("guard: ARMED: protective transactions will be sent", "protocol", p.Protocol, "guardian", signer.Address())
		}
	}
	fmt.Fprintf(stderr, "guard: guardian %s on %s, %d broadcast endpoint(s); protecting %s\n",
		signer.Address().Hex(), redact.URL(url), len(extra), strings.Join(modes, ", "))
	return g, closeAll, nil
}

// guardOrNil keeps a nil *guard.Guard from becoming a non-nil
// monitor.Guard interface.
func guardOrNil(g *guard.Guard) monitor.Guard {
	if g == nil {
		return nil
	}
	return g
}
