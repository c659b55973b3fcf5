package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// defaultAnvil is where `npm ci` in tools/anvil (run by scripts/test.sh and
// bench/devnet/run.sh) puts the pinned binary, relative to bench/devnet.
const defaultAnvil = "../../tools/anvil/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"

// findAnvil resolves the Anvil binary: an explicit path, $AEGIS_ANVIL, the
// pinned npm package in tools/anvil, or anvil on $PATH.
func findAnvil(explicit string) (string, error) {
	for _, p := range []string{explicit, os.Getenv("AEGIS_ANVIL"), defaultAnvil} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return filepath.Abs(p)
		}
	}
	p, err := exec.LookPath("anvil")
	if err != nil {
		return "", fmt.Errorf("anvil not found (run bench/devnet/run.sh, or set AEGIS_ANVIL): %w", err)
	}
	return p, nil
}

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "devnetbench:", err)
		os.Exit(1)
	}
}

// run parses flags, runs every workload on both nodes in both modes and
// prints the markdown table.
func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("devnetbench", flag.ContinueOnError)
	var opt Options
	fs.IntVar(&opt.Txs, "txs", 2000, "transactions per run")
	fs.IntVar(&opt.Batch, "batch", 100, "transactions per JSON-RPC batch (and per block in block-per-batch mode)")
	fs.IntVar(&opt.Accounts, "accounts", 100, "sending accounts (>= batch: a batch holds at most one tx per sender)")
	anvil := fs.String("anvil", "", "path to the anvil binary (default: pinned npm package, $AEGIS_ANVIL, $PATH)")
	only := fs.String("workload", "", "run only workloads whose name contains this")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if opt.Txs <= 0 || opt.Batch <= 0 || opt.Accounts < 2 {
		return errors.New("-txs and -batch must be positive and -accounts at least 2")
	}
	// Anvil serves the requests of one batch concurrently, so two txs of
	// one sender in a batch can arrive out of nonce order and strand in its
	// queue. One tx per sender per batch keeps the comparison fair.
	if opt.Batch > opt.Accounts {
		return fmt.Errorf("-batch %d exceeds -accounts %d: a batch must hold at most one tx per sender", opt.Batch, opt.Accounts)
	}
	opt.ChainID = 1337
	bin, err := findAnvil(*anvil)
	if err != nil {
		return err
	}
	version, _ := exec.Command(bin, "--version").Output()
	ctx, cancel := context.WithTimeout(ctx, 90*time.Minute)
	defer cancel()

	fmt.Fprintf(out, "devnet vs %s on %s/%s, %d CPUs, %s; %d txs from %d accounts, batches of %d\n\n",
		strings.SplitN(strings.TrimSpace(string(version)), "\n", 2)[0], runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), opt.Txs, opt.Accounts, opt.Batch)
	fmt.Fprintln(out, "| workload | mode | aegis tx/s | anvil tx/s | aegis/anvil |")
	fmt.Fprintln(out, "|---|---|---:|---:|---:|")
	for _, w := range Workloads() {
		if !strings.Contains(w.Name, *only) {
			continue
		}
		for _, automine := range []bool{true, false} {
			// A node that fails or times out on one workload gets its
			// error in the cell; the other cells are still measured.
			aegis, aerr := measure(ctx, startAegis, automine, w, opt)
			anv, nerr := measure(ctx, anvilStarter(bin), automine, w, opt)
			cell := func(v float64, err error) string {
				if err != nil {
					return "failed: " + strings.ReplaceAll(err.Error(), "|", "/")
				}
				return fmt.Sprintf("%.0f", v)
			}
			ratio := "-"
			if aerr == nil && nerr == nil {
				ratio = fmt.Sprintf("%.2f", aegis/anv)
			}
			fmt.Fprintf(out, "| %s | %s | %s | %s | %s |\n", w.Name, modeName(automine), cell(aegis, aerr), cell(anv, nerr), ratio)
		}
	}
	return nil
}

// measure runs a workload three times on fresh nodes and returns the median
// throughput in tx/s.
func measure(ctx context.Context, start StartFunc, automine bool, w Workload, opt Options) (float64, error) {
	const runs = 3
	tps := make([]float64, 0, runs)
	for range runs {
		elapsed, n, err := RunOne(ctx, start, automine, w, opt)
		if err != nil {
			return 0, err
		}
		tps = append(tps, Result{Txs: n, Elapsed: elapsed}.TPS())
	}
	// median of three
	a, b, c := tps[0], tps[1], tps[2]
	return max(min(a, b), min(max(a, b), c)), nil
}
