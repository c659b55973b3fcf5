package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/big"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/log"
	"github.com/spf13/cobra"

	"github.com/aegis-defi/aegis/internal/devnet"
)

// newDevnetCmd returns `aegis devnet`, which runs the embedded devnet
// standalone (like Anvil) until SIGINT or SIGTERM.
func newDevnetCmd(logger func() *slog.Logger) *cobra.Command {
	var (
		port      int
		blockTime float64
		accounts  int
		chainID   uint64
		manual    bool
	)
	cmd := &cobra.Command{
		Use:   "devnet",
		Short: "Run a local in-process Ethereum devnet (HTTP + WebSocket JSON-RPC)",
		Long: `Run the embedded aegis devnet: a go-ethereum node in dev mode with
prefunded deterministic accounts, eth/net/web3/txpool/debug/evm namespaces and
debug_trace* tracers, served over HTTP and WebSocket on one loopback port.

Mining: automine by default (a block as soon as a transaction arrives),
--block-time S for a block every S seconds (fractions allowed), --manual for
blocks only on evm_mine / anvil_mine.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg := devnet.Config{Port: port, ChainID: chainID, Accounts: accounts, Logger: logger()}
			switch {
			case math.IsNaN(blockTime) || blockTime < 0 || blockTime > math.MaxInt64/float64(time.Second):
				return fmt.Errorf("--block-time %v must be a non-negative number of seconds", blockTime)
			case manual && blockTime > 0:
				return errors.New("--manual and --block-time are mutually exclusive")
			case manual:
				cfg.Mining = devnet.MineManual
			case blockTime > 0:
				cfg.Mining = devnet.MineInterval
				cfg.BlockPeriod = time.Duration(blockTime * float64(time.Second))
			default:
				cfg.Mining = devnet.MineAuto
			}
			// geth's package-level logger is the only way to see its own
			// warnings; route them (warn and above) to our logger. This is a
			// process-wide setting, so it lives here and not in the library.
			log.SetDefault(devnet.NewGethLogger(logger()))

			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runDevnet(ctx, cmd.OutOrStdout(), cfg)
		},
	}
	f := cmd.Flags()
	f.IntVar(&port, "port", 8545, "loopback port for HTTP and WebSocket JSON-RPC (0 = pick a free port)")
	f.Float64Var(&blockTime, "block-time", 0, "seconds between blocks; 0 = automine (a block per incoming transaction)")
	f.IntVar(&accounts, "accounts", devnet.DefaultAccounts, "number of prefunded deterministic dev accounts")
	f.Uint64Var(&chainID, "chain-id", devnet.DefaultChainID, "chain id")
	f.BoolVar(&manual, "manual", false, "mine only on evm_mine / anvil_mine requests")
	return cmd
}

// runDevnet starts the devnet, prints its endpoints and accounts to out, and
// serves until ctx is cancelled.
func runDevnet(ctx context.Context, out io.Writer, cfg devnet.Config) (err error) {
	n, err := devnet.Start(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := n.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("stop devnet: %w", cerr))
		}
	}()
	if err := printDevnet(out, n, cfg); err != nil {
		return fmt.Errorf("print devnet banner: %w", err)
	}
	<-ctx.Done()
	fmt.Fprintln(out, "\nShutting down devnet...")
	return nil
}

// printDevnet writes the Anvil-style start banner.
func printDevnet(out io.Writer, n *devnet.Node, cfg devnet.Config) error {
	mode := "auto (a block as soon as a transaction arrives)"
	switch n.Mining() {
	case devnet.MineInterval:
		mode = fmt.Sprintf("interval (a block every %v)", cfg.BlockPeriod)
	case devnet.MineManual:
		mode = "manual (evm_mine / anvil_mine)"
	case devnet.MineAuto:
	}
	balance := new(big.Int).Div(devnet.DevBalance(), big.NewInt(1e18))
	fmt.Fprintf(out, "aegis devnet\n\n")
	fmt.Fprintf(out, "HTTP RPC:  %s\n", n.HTTPURL())
	fmt.Fprintf(out, "WS RPC:    %s\n", n.WSURL())
	fmt.Fprintf(out, "Chain ID:  %s\n", n.ChainID())
	fmt.Fprintf(out, "Mining:    %s\n\n", mode)
	fmt.Fprintf(out, "Available accounts (%s ETH each)\n", balance)
	fmt.Fprintf(out, "==================\n")
	for i, a := range n.Accounts() {
		fmt.Fprintf(out, "(%d) %s  %s\n", i, a.Address, hexutil.Encode(crypto.FromECDSA(a.Key)))
	}
	_, err := fmt.Fprintf(out, "\nListening on %s; press Ctrl+C to stop.\n", n.HTTPURL())
	return err
}
