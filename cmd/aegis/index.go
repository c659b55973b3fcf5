package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os/signal"
	"syscall"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/spf13/cobra"

	"github.com/aegis-defi/aegis/internal/index"
)

// newIndexCmd returns `aegis index`, which builds the transfer graph that
// `aegis trace` and `aegis cluster` query.
func newIndexCmd(logger func() *slog.Logger) *cobra.Command {
	var (
		url     string
		from    uint64
		to      int64
		dataDir string
		dbURL   string
	)
	cmd := &cobra.Command{
		Use:   "index",
		Short: "Index a chain's transfers into a fund-flow graph (SQLite) for trace and cluster",
		Long: `Index blocks from any Ethereum JSON-RPC node into a temporal transfer graph:
every ETH movement (internal ones from debug_traceBlockByNumber), ERC-20/721/1155
transfers, per-transaction net flows with swaps linked as token-in → token-out
edges of the same trader, and contract creations with their funders.

The graph is SQLite (graph.db in --data-dir) by default; --db postgres://…
puts it in PostgreSQL instead (the checkpoint stays in --data-dir).

Resumable (re-running continues from the checkpoint) and reorg-safe. Without
the node's debug API, tokens are still indexed from logs but internal ETH
transfers are missing; the command says so.`,
		Example: `  aegis index --rpc http://127.0.0.1:8545 --from-block 0 --data-dir ./aegis-index`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if url == "" {
				return errors.New("--rpc is required")
			}
			if dataDir == "" {
				return errors.New("--data-dir is required")
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGINT, syscall.SIGTERM)
			defer stop()
			c, err := rpc.DialContext(ctx, url)
			if err != nil {
				return fmt.Errorf("dial %s: %w", url, err)
			}
			defer c.Close()
			opts := index.Options{From: from, Logger: logger(), DB: dbURL}
			if to >= 0 {
				t := uint64(to)
				opts.To = &t
			}
			ix, err := index.New(ctx, c, dataDir, opts)
			if err != nil {
				return err
			}
			defer ix.Close()
			res, err := ix.Run(ctx)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if res.Blocks == 0 {
				fmt.Fprintf(out, "index: up to date at block %d (chain %d)\n", res.From-1, res.ChainID)
			} else {
				fmt.Fprintf(out, "index: chain %d blocks %d..%d: %d blocks, %d transfers, %d flows in %s (%.0f blocks/s)",
					res.ChainID, res.From, res.To, res.Blocks, res.Transfers, res.Flows, res.Elapsed.Round(1e6),
					float64(res.Blocks)/max(res.Elapsed.Seconds(), 1e-9))
				if res.Resumed {
					fmt.Fprint(out, " (resumed)")
				}
				fmt.Fprintln(out)
			}
			if res.Reorgs > 0 {
				fmt.Fprintf(out, "index: handled %d reorg(s)\n", res.Reorgs)
			}
			if res.Untraced > 0 {
				fmt.Fprintf(out, "index: WARNING: %d blocks indexed without call traces (the node serves no debug_traceBlockByNumber): internal ETH transfers are MISSING; token transfers come from logs, ETH only from top-level transaction values\n", res.Untraced)
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&url, "rpc", "", "node JSON-RPC URL (http:// or ws://)")
	fl.Uint64Var(&from, "from-block", 0, "first block to index when there is no checkpoint")
	fl.Int64Var(&to, "to-block", -1, "last block to index (default: the head when the run starts)")
	fl.StringVar(&dataDir, "data-dir", "", "directory of the index (graph.db and the checkpoint)")
	fl.StringVar(&dbURL, "db", "", "keep the graph in this PostgreSQL database (postgres://user:pass@host/db) instead of graph.db")
	return cmd
}
