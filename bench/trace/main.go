// Command trace benchmarks aegis's forensics:
//
//   - index throughput on the embedded devnet (or -node anvil): blocks of plain and token
//     transfers, indexed by `aegis index`'s Indexer, against the node's own
//     debug_traceBlockByNumber time for the same blocks (target: indexing
//     not slower than the node's tracing);
//   - trace latency on a synthetic graph of -edges flows in SQLite (-dir to
//     keep and reuse it) or PostgreSQL (-pg: a throwaway server; -db URL),
//     bulk-loaded with index.DB.BulkLoad: 6-hop forward traces (haircut,
//     and poison at --min-value 1e-12; 1,000-node cap) from evenly spaced
//     transactions, p50/p99 (target: < 1 s on 10M edges), build time, DB
//     size, Go heap and peak RSS;
//   - with -plant K, K laundering flows planted in that graph during the
//     same load (splits, peel chains and merges through addresses that
//     also have background flows, ≥ 8 final holders each): 6-hop forward
//     traces from each one's source transaction, p50/p99, nodes visited,
//     depth reached and recall of the final holders' value.
//
// Usage: go run ./bench/trace [-blocks 50 -txs 100] [-edges 1000000 -traces 50 [-plant 30] [-dir D | -pg | -db URL]]
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"math/big"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/cluster"
	"github.com/aegis-defi/aegis/internal/devnet"
	"github.com/aegis-defi/aegis/internal/index"
	"github.com/aegis-defi/aegis/internal/labels"
	"github.com/aegis-defi/aegis/internal/testbed"
	"github.com/aegis-defi/aegis/internal/testchain"
	"github.com/aegis-defi/aegis/internal/testpg"
	"github.com/aegis-defi/aegis/internal/trace"
)

func main() {
	blocks := flag.Int("blocks", 50, "devnet blocks to index")
	txs := flag.Int("txs", 100, "transactions per block (half ETH, half token transfers)")
	edges := flag.Int("edges", 1_000_000, "flows in the synthetic graph (0: skip)")
	traces := flag.Int("traces", 50, "traces to time on the synthetic graph")
	reps := flag.Int("reps", 3, "alternated repetitions of node tracing vs indexing (medians reported)")
	workers := flag.Int("workers", 0, "blocks the indexer fetches at once (0: its default)")
	node := flag.String("node", "devnet", "node for the index benchmark: devnet (embedded, same process) or anvil (own process; AEGIS_ANVIL)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	graphDir := flag.String("dir", "", "SQLite: build the synthetic graph in this directory and keep it (reused when it already holds -edges flows); default a temporary one")
	usePG := flag.Bool("pg", false, "write the synthetic graph to a throwaway PostgreSQL server (internal/testpg) instead of SQLite")
	dbURL := flag.String("db", "", "write the synthetic graph to this PostgreSQL database (postgres://…; reused when it already holds -edges flows)")
	bare := flag.Bool("bare", false, "time the taint propagation alone; by default each trace runs as `aegis trace` runs it: built-in labels, behaviour classification of every new node (exchange hot wallet, mixer pool) and mixer withdrawal candidates")
	plants := flag.Int("plant", 0, "plant this many laundering flows (splits, peel chains, merges through addresses with background flows; ≥ 8 final holders each) in the synthetic graph and trace each from its source transaction, reporting recall of the final holders")
	flag.Parse()
	ctx := context.Background()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "cpuprofile:", err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, "cpuprofile:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if *blocks > 0 {
		if err := indexBench(ctx, *node, *blocks, *txs, max(1, *reps), *workers); err != nil {
			fmt.Fprintln(os.Stderr, "index:", err)
			pprof.StopCPUProfile()
			os.Exit(1)
		}
	}
	if *edges > 0 {
		if err := traceBench(ctx, *edges, *traces, *plants, !*bare, graphTarget{dir: *graphDir, pg: *usePG, url: *dbURL}); err != nil {
			fmt.Fprintln(os.Stderr, "trace:", err)
			pprof.StopCPUProfile()
			os.Exit(1)
		}
	}
}

// benchNode is the node the index benchmark runs against.
type benchNode struct {
	Client   *chain.Client
	Accounts []chain.Account
	Commit   func(context.Context) error
	URL      string
	// nodeCPU is the node process's CPU time (Anvil); nil for the
	// embedded devnet, whose CPU is this process's.
	nodeCPU func() time.Duration
	close   func()
}

// devnetNode starts the embedded devnet.
func devnetNode(ctx context.Context) (*benchNode, error) {
	env, err := testchain.Start(ctx, 20)
	if err != nil {
		return nil, err
	}
	return &benchNode{Client: env.Client, Accounts: env.Accounts, Commit: env.Commit, URL: env.Node.HTTPURL(), close: func() { _ = env.Close() }}, nil
}

// anvilNode starts Anvil (without automining) in its own process.
func anvilNode(ctx context.Context) (*benchNode, error) {
	bin := testchain.AnvilPath()
	if bin == "" {
		return nil, fmt.Errorf("anvil not found: set AEGIS_ANVIL")
	}
	p, err := testchain.LaunchAnvil(bin, "--no-mining", "--gas-limit", "60000000")
	if err != nil {
		return nil, err
	}
	n := &benchNode{URL: fmt.Sprintf("http://127.0.0.1:%d", p.Port), close: p.Stop}
	pid := p.Pid
	n.nodeCPU = func() time.Duration { return procCPU(pid) }
	var rc *rpc.Client
	for i := 0; ; i++ {
		if rc, err = rpc.DialContext(ctx, n.URL); err == nil {
			var bn hexutil.Uint64
			if err = rc.CallContext(ctx, &bn, "eth_blockNumber"); err == nil {
				break
			}
			rc.Close()
		}
		if i == 300 {
			n.close()
			return nil, fmt.Errorf("anvil did not come up: %w", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	accts, err := devnet.DeriveAccounts(20)
	if err != nil {
		n.close()
		return nil, err
	}
	bal := hexutil.Big(*devnet.DevBalance())
	for _, a := range accts {
		if err := rc.CallContext(ctx, nil, "anvil_setBalance", a.Address, &bal); err != nil {
			n.close()
			return nil, err
		}
		n.Accounts = append(n.Accounts, chain.NewAccount(a.Key))
	}
	n.Commit = func(ctx context.Context) error { return rc.CallContext(ctx, nil, "evm_mine") }
	if n.Client, err = chain.Dial(ctx, n.URL, chain.WithMiner(n.Commit)); err != nil {
		n.close()
		return nil, err
	}
	close0 := n.close
	n.close = func() { rc.Close(); close0() }
	return n, nil
}

// procCPU is process pid's user + system CPU time (Linux /proc, 10 ms ticks).
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces) in ")".
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

func indexBench(ctx context.Context, node string, blocks, perBlock, reps, workers int) error {
	start := devnetNode
	if node == "anvil" {
		start = anvilNode
	}
	env, err := start(ctx)
	if err != nil {
		return err
	}
	defer env.close()
	tok, err := testbed.DeployToken(ctx, env.Client, env.Accounts[0], "Bench", "BNC", chain.Ether(1_000_000_000))
	if err != nil {
		return err
	}
	for _, a := range env.Accounts[1:] {
		if _, err := tok.Transact(ctx, env.Accounts[0], "transfer", a.Address, chain.Ether(1_000_000)); err != nil {
			return err
		}
	}
	head, err := env.Client.Backend().BlockNumber(ctx)
	if err != nil {
		return err
	}
	first := head + 1
	nonces := map[common.Address]uint64{}
	for _, a := range env.Accounts {
		n, err := env.Client.Backend().PendingNonceAt(ctx, a.Address)
		if err != nil {
			return err
		}
		nonces[a.Address] = n
	}
	rng := rand.New(rand.NewPCG(1, 2))
	transferData, _ := tok.Pack("transfer", env.Accounts[1].Address, big.NewInt(1000))
	for b := 0; b < blocks; b++ {
		for i := 0; i < perBlock; i++ {
			from := env.Accounts[1+rng.IntN(len(env.Accounts)-1)]
			to := env.Accounts[1+rng.IntN(len(env.Accounts)-1)].Address
			var tx *types.Transaction
			n := nonces[from.Address]
			nonces[from.Address]++
			if i%2 == 0 {
				tx, err = types.SignNewTx(from.Key, env.Client.Signer(), &types.DynamicFeeTx{ChainID: env.Client.ChainID(), Nonce: n,
					GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(100e9), Gas: 21000, To: &to, Value: big.NewInt(int64(1e15 + i))})
			} else {
				tx, err = types.SignNewTx(from.Key, env.Client.Signer(), &types.DynamicFeeTx{ChainID: env.Client.ChainID(), Nonce: n,
					GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(100e9), Gas: 80000, To: &tok.Address, Data: transferData})
			}
			if err != nil {
				return err
			}
			if err := env.Client.Backend().SendTransaction(ctx, tx); err != nil {
				return err
			}
		}
		if err := env.Commit(ctx); err != nil {
			return err
		}
	}
	last := first + uint64(blocks) - 1
	c, err := rpc.DialContext(ctx, env.URL)
	if err != nil {
		return err
	}
	defer c.Close()
	// The node's own tracing time for the same blocks, and our indexing
	// of them, alternated reps times (the median of each is reported:
	// the machine is shared).
	// Wall times on a shared machine follow the load; the process's CPU
	// time (node and indexer run in this process) is reported too.
	// The node's tracing is timed twice: sequentially, and with as many
	// blocks in flight as the indexer fetches at once (the fair
	// throughput comparison: same request concurrency).
	conc := workers
	if conc <= 0 {
		conc = 4
	}
	var nodeT, nodeParT, ixT, nodeCPU, nodeParCPU, ixCPU []time.Duration
	var last1 index.Result
	traceBlock := func(n uint64) error {
		var out []map[string]any
		return c.CallContext(ctx, &out, "debug_traceBlockByNumber", fmt.Sprintf("0x%x", n),
			map[string]any{"tracer": "callTracer", "tracerConfig": map[string]any{"withLog": true}})
	}
	// traceCPU is the CPU the node spends: this process's on the devnet,
	// Anvil's own on Anvil.
	traceCPU := cpuTime
	if env.nodeCPU != nil {
		traceCPU = env.nodeCPU
	}
	var ixNodeCPU []time.Duration
	for rep := 0; rep < reps; rep++ {
		start, cpu0 := time.Now(), traceCPU()
		for n := first; n <= last; n++ {
			if err := traceBlock(n); err != nil {
				return err
			}
		}
		nodeT = append(nodeT, time.Since(start))
		nodeCPU = append(nodeCPU, traceCPU()-cpu0)
		start, cpu0 = time.Now(), traceCPU()
		errs := make(chan error, conc)
		for w := 0; w < conc; w++ {
			go func(w int) {
				for n := first + uint64(w); n <= last; n += uint64(conc) {
					if err := traceBlock(n); err != nil {
						errs <- err
						return
					}
				}
				errs <- nil
			}(w)
		}
		for w := 0; w < conc; w++ {
			if e := <-errs; e != nil && err == nil {
				err = e
			}
		}
		if err != nil {
			return err
		}
		nodeParT = append(nodeParT, time.Since(start))
		nodeParCPU = append(nodeParCPU, traceCPU()-cpu0)
		dir, err := os.MkdirTemp("", "aegis-bench-index-")
		if err != nil {
			return err
		}
		ix, err := index.New(ctx, c, dir, index.Options{From: first, To: &last, Workers: workers})
		if err != nil {
			return err
		}
		cpu0 = cpuTime()
		ncpu0 := traceCPU()
		res, err := ix.Run(ctx)
		ixCPU = append(ixCPU, cpuTime()-cpu0)
		ixNodeCPU = append(ixNodeCPU, traceCPU()-ncpu0)
		_ = ix.Close()
		_ = os.RemoveAll(dir)
		if err != nil {
			return err
		}
		ixT = append(ixT, res.Elapsed)
		last1 = res
	}
	for _, d := range [][]time.Duration{nodeT, nodeParT, ixT, nodeCPU, nodeParCPU, ixCPU, ixNodeCPU} {
		slices.Sort(d)
	}
	med, nodeMed := ixT[reps/2], nodeT[reps/2]
	fmt.Printf("index: %d blocks × %d txs: %d transfers, %d flows; median of %d: %s = %.1f blocks/s, %.0f transfers/s\n",
		last1.Blocks, perBlock, last1.Transfers, last1.Flows, reps, med.Round(time.Millisecond),
		float64(last1.Blocks)/med.Seconds(), float64(last1.Transfers)/med.Seconds())
	fmt.Printf("index: node's own debug_traceBlockByNumber of the same blocks, median of %d: %s; indexing / node tracing = %.2f×\n",
		reps, nodeMed.Round(time.Millisecond), med.Seconds()/nodeMed.Seconds())
	if env.nodeCPU != nil {
		fmt.Printf("index: Anvil in its own process; CPU medians of %d: the indexer (this process) %s while indexing, = %.2f× Anvil's CPU for tracing the blocks sequentially (%s); Anvil's CPU while being indexed %s\n",
			reps, ixCPU[reps/2].Round(time.Millisecond), ixCPU[reps/2].Seconds()/nodeCPU[reps/2].Seconds(), nodeCPU[reps/2].Round(time.Millisecond), ixNodeCPU[reps/2].Round(time.Millisecond))
		parMed := nodeParT[reps/2]
		fmt.Printf("index: node tracing with %d blocks in flight (the indexer's concurrency), median of %d: %s = %.1f blocks/s (Anvil CPU %s); indexing throughput / node tracing throughput = %.2f× (≥ 1: not slower)\n",
			conc, reps, parMed.Round(time.Millisecond), float64(last1.Blocks)/parMed.Seconds(), nodeParCPU[reps/2].Round(time.Millisecond), parMed.Seconds()/med.Seconds())
		return nil
	}
	fmt.Printf("index: CPU time (node + indexer, this process), median of %d: indexing %s, node tracing alone %s; ratio %.2f×\n",
		reps, ixCPU[reps/2].Round(time.Millisecond), nodeCPU[reps/2].Round(time.Millisecond), ixCPU[reps/2].Seconds()/nodeCPU[reps/2].Seconds())
	parMed := nodeParT[reps/2]
	fmt.Printf("index: node tracing with %d blocks in flight (the indexer's concurrency), median of %d: %s = %.1f blocks/s (CPU %s); indexing throughput / node tracing throughput = %.2f× (≥ 1: not slower)\n",
		conc, reps, parMed.Round(time.Millisecond), float64(last1.Blocks)/parMed.Seconds(), nodeParCPU[reps/2].Round(time.Millisecond), parMed.Seconds()/med.Seconds())
	own := ixCPU[reps/2] - nodeCPU[reps/2]
	fmt.Printf("index: indexer's own CPU (indexing CPU − node tracing CPU, medians): %s = %.2f× the node's tracing CPU\n",
		own.Round(time.Millisecond), own.Seconds()/nodeCPU[reps/2].Seconds())
	return nil
}

// graphTarget is where the synthetic graph goes: a SQLite directory
// (temporary when dir is empty), a throwaway PostgreSQL server (pg) or
// a PostgreSQL database (url).
type graphTarget struct {
	dir string
	pg  bool
	url string
}

// openGraph opens the target's graph; stop releases what it started.
func openGraph(ctx context.Context, t graphTarget) (g *index.DB, desc string, size func() int64, stop func(), err error) {
	url := t.url
	var srv *testpg.Server
	if t.pg && url == "" {
		if srv, err = testpg.Start(ctx); err != nil {
			return nil, "", nil, nil, err
		}
		url = srv.URL
	}
	if url != "" {
		if g, err = index.OpenURL(ctx, url); err != nil {
			if srv != nil {
				_ = srv.Stop()
			}
			return nil, "", nil, nil, err
		}
		size = func() int64 {
			var n int64
			_ = g.SQL().QueryRow(`SELECT pg_database_size(current_database())`).Scan(&n)
			return n
		}
		return g, "PostgreSQL", size, func() {
			_ = g.Close()
			if srv != nil {
				_ = srv.Stop()
			}
		}, nil
	}
	dir, keep := t.dir, true
	if dir == "" {
		if dir, err = os.MkdirTemp("", "aegis-bench-trace-"); err != nil {
			return nil, "", nil, nil, err
		}
		keep = false
	}
	if g, err = index.Open(ctx, dir); err != nil {
		if !keep {
			_ = os.RemoveAll(dir)
		}
		return nil, "", nil, nil, err
	}
	size = func() int64 {
		// The file after a checkpoint: the write-ahead log's pages
		// belong in the database.
		var busy, logged, done int
		_ = g.SQL().QueryRow(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &done)
		var n int64
		for _, suf := range []string{"", "-wal", "-shm"} {
			if fi, err := os.Stat(g.Path() + suf); err == nil {
				n += fi.Size()
			}
		}
		return n
	}
	return g, "SQLite", size, func() {
		_ = g.Close()
		if !keep {
			_ = os.RemoveAll(dir)
		}
	}, nil
}

// procStatus reads a "kB" field of /proc/self/status (VmHWM: peak RSS)
// in bytes, 0 when unavailable.
func procStatus(field string) uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// resetPeakRSS resets the kernel's peak RSS (VmHWM) of this process.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// asCLI sets o up as `aegis trace` does (cmd/aegis/trace.go): built-in
// labels, the cluster detector's behaviour classification and mixer
// candidates.
func asCLI(g *index.DB, o *trace.Options) {
	det := cluster.New(g)
	o.Labels, o.Classify, o.MixerCandidates = labels.Builtin(), det.Classify, det.TraceCandidates
}

func traceBench(ctx context.Context, edges, traces, nplants int, cli bool, target graphTarget) error {
	g, desc, size, stop, err := openGraph(ctx, target)
	if err != nil {
		return err
	}
	defer stop()
	nodes := max(edges/8, 10)
	addrs := make([]common.Address, nodes)
	for i := range addrs {
		addrs[i] = common.BytesToAddress(crypto.Keccak256([]byte(fmt.Sprint(i)))[:20])
	}
	rng := rand.New(rand.NewPCG(3, 4))
	zipf := rand.NewZipf(rand.New(rand.NewPCG(5, 6)), 1.2, 8, uint64(nodes-1))
	var plants []plant
	var planted []plantedRow
	if nplants > 0 {
		plants, planted = plantFlows(nplants, edges, addrs)
	}
	stats, err := g.Stats(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	var hashes []common.Hash
	build := func(ctx context.Context) error {
		const batch = 50_000
		rows := make([]index.FlowRow, 0, batch)
		next, plantBlock, plantIdx := 0, uint64(0), uint(0)
		for i := 0; i < edges; i++ {
			from := addrs[rng.IntN(nodes)]
			to := addrs[zipf.Uint64()] // heavy-tailed receivers: a few hubs
			h := common.BytesToHash(crypto.Keccak256([]byte(fmt.Sprint("tx", i))))
			amt := new(big.Int).Mul(big.NewInt(int64(1+rng.IntN(1000))), big.NewInt(1e15))
			rows = append(rows, index.FlowRow{Block: uint64(1 + i/100), TxIndex: uint(i % 100), Tx: h, Kind: index.FlowTransfer, From: from, To: to, Asset: index.ETH(), Amount: amt})
			if i%(edges/traces+1) == 0 && len(hashes) < traces {
				hashes = append(hashes, h)
			}
			// The planted flows that follow this one, in the same block
			// (transaction indexes from 100 on).
			for ; len(planted) > 0 && next < len(planted) && planted[next].at == i; next++ {
				r := planted[next].row
				if b := uint64(1 + i/100); b != plantBlock {
					plantBlock, plantIdx = b, 100
				}
				r.Block, r.TxIndex = plantBlock, plantIdx
				plantIdx++
				rows = append(rows, r)
			}
			if len(rows) >= batch || i == edges-1 {
				if stats.Flows == 0 {
					if err := g.InsertFlows(ctx, rows); err != nil {
						return err
					}
				}
				rows = rows[:0]
			}
		}
		return nil
	}
	switch {
	case stats.Flows == 0:
		if err := g.BulkLoad(ctx, build); err != nil {
			return err
		}
		fmt.Printf("trace: %s: synthetic graph of %d flows (%d of them planted) over %d addresses built in %s (%.0f MB; peak RSS %.0f MB)\n",
			desc, edges+len(planted), len(planted), nodes, time.Since(start).Round(time.Second), float64(size())/1e6, float64(procStatus("VmHWM"))/1e6)
	case stats.Flows == int64(edges+len(planted)):
		if err := build(ctx); err != nil { // the same source transactions
			return err
		}
		fmt.Printf("trace: %s: reusing the synthetic graph of %d flows (%d of them planted) over %d addresses (%.0f MB)\n", desc, edges+len(planted), len(planted), nodes, float64(size())/1e6)
	default:
		return fmt.Errorf("%s holds %d flows, not %d: use an empty graph (or the same -edges and -plant)", g.Path(), stats.Flows, edges+len(planted))
	}
	debug.FreeOSMemory() // the generator's garbage must not count as the traces' memory
	resetPeakRSS()
	for _, mode := range []struct {
		name string
		opts trace.Options
	}{
		{"haircut, default --min-value", trace.Options{MaxHops: 6, MaxNodes: 1000}},
		{"poison, --min-value 1e-12 (the worst case)", trace.Options{MaxHops: 6, MaxNodes: 1000, Model: trace.Poison, MinValue: 1e-12}},
	} {
		var lat, cpu []time.Duration
		var visited []int
		var ms runtime.MemStats
		var peak uint64
		for _, h := range hashes {
			o := mode.opts
			o.Tx = &h
			if cli {
				asCLI(g, &o)
			}
			t0, c0 := time.Now(), cpuTime()
			res, err := trace.Run(ctx, g, o)
			if err != nil {
				return err
			}
			lat = append(lat, time.Since(t0))
			cpu = append(cpu, cpuTime()-c0)
			visited = append(visited, res.Visited)
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		slices.Sort(lat)
		slices.Sort(cpu)
		slices.Sort(visited)
		q := func(d []time.Duration, p float64) time.Duration { return d[min(len(d)-1, int(p*float64(len(d))))] }
		fmt.Printf("trace: %s: %d six-hop traces, %s: p50 %s, p99 %s, max %s (this process's CPU per trace: p50 %s, p99 %s; PostgreSQL's own not included); nodes visited median %d, max %d; Go heap peak %.0f MB, process peak RSS %.0f MB\n",
			desc, len(lat), mode.name, q(lat, 0.5).Round(time.Millisecond), q(lat, 0.99).Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond),
			q(cpu, 0.5).Round(time.Millisecond), q(cpu, 0.99).Round(time.Millisecond),
			visited[len(visited)/2], visited[len(visited)-1], float64(peak)/1e6, float64(procStatus("VmHWM"))/1e6)
	}
	if len(plants) > 0 {
		return plantBench(ctx, g, desc, plants, cli)
	}
	return nil
}

// cpuTime is the process's user + system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
