// Command devnetbench measures transaction throughput of the embedded aegis
// devnet against Anvil on the same JSON-RPC (HTTP) workloads, driven by the
// same client code, and prints a markdown table. Results: docs/BENCHMARKS.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os/exec"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/internal/devnet"
)

// Env is what a workload gets to work with: an HTTP JSON-RPC client to the
// node under test, funded accounts with known keys, and the mining mode.
type Env struct {
	// Client is an HTTP JSON-RPC client to the node under test.
	Client *rpc.Client
	// ChainID is the chain id of the node under test.
	ChainID *big.Int
	// Accounts are funded on the node under test.
	Accounts []devnet.Account
	// Automine reports whether the node mines on its own; if false the
	// workload must call Mine after each batch.
	Automine bool
	// Txs is the requested number of transactions.
	Txs int
	// Batch is the number of requests per JSON-RPC batch (and per mined
	// block when Automine is false).
	Batch int
}

// Mine asks the node to seal one block (evm_mine, supported by both nodes).
func (e *Env) Mine(ctx context.Context) error {
	if err := e.Client.CallContext(ctx, nil, "evm_mine"); err != nil {
		return fmt.Errorf("evm_mine: %w", err)
	}
	return nil
}

// Job is the timed part of a workload; it returns how many transactions it
// processed.
type Job func(ctx context.Context) (int, error)

// Workload is one benchmark scenario. Setup runs untimed (pre-signing,
// contract deployment, ...) and returns the timed Job. Add a workload by
// adding it to Workloads.
type Workload struct {
	Name  string
	Setup func(ctx context.Context, env *Env) (Job, error)
}

// Workloads returns the scenarios every node and mode runs.
func Workloads() []Workload {
	return []Workload{
		{Name: "transfers", Setup: func(ctx context.Context, env *Env) (Job, error) { return transfersJob(env, false) }},
		{Name: "traced transfers", Setup: func(ctx context.Context, env *Env) (Job, error) { return transfersJob(env, true) }},
		{Name: "testbed swaps", Setup: func(ctx context.Context, env *Env) (Job, error) { return swapsJob(ctx, env, false) }},
		{Name: "traced testbed swaps", Setup: func(ctx context.Context, env *Env) (Job, error) { return swapsJob(ctx, env, true) }},
	}
}

// transfersJob pre-signs env.Txs 1-wei transfers round-robin over the
// accounts; the job sends them in batches (mining a block per batch when the
// node does not automine), waits for every receipt and, if traced, runs
// debug_traceTransaction with callTracer on every transaction.
func transfersJob(env *Env, traced bool) (Job, error) {
	if len(env.Accounts) < 2 {
		return nil, errors.New("transfers need at least two accounts")
	}
	signer := types.LatestSignerForChainID(env.ChainID)
	txs := make([]*types.Transaction, env.Txs)
	for i := range env.Txs {
		from := env.Accounts[i%len(env.Accounts)]
		to := env.Accounts[(i+1)%len(env.Accounts)].Address
		tx, err := types.SignNewTx(from.Key, signer, &types.DynamicFeeTx{
			ChainID:   env.ChainID,
			Nonce:     uint64(i / len(env.Accounts)),
			GasTipCap: big.NewInt(1_000_000_000),
			GasFeeCap: big.NewInt(100_000_000_000),
			Gas:       21_000,
			To:        &to,
			Value:     big.NewInt(1),
		})
		if err != nil {
			return nil, fmt.Errorf("sign tx %d: %w", i, err)
		}
		txs[i] = tx
	}
	return presignedJob(env, txs, traced)
}

// presignedJob returns the timed part shared by the workloads: send the
// signed transactions in batches (mining a block per batch when the node
// does not automine), wait for every receipt and, if traced, run
// debug_traceTransaction with callTracer on each.
func presignedJob(env *Env, txs []*types.Transaction, traced bool) (Job, error) {
	raw := make([]hexutil.Bytes, len(txs))
	hashes := make([]common.Hash, len(txs))
	for i, tx := range txs {
		var err error
		if raw[i], err = tx.MarshalBinary(); err != nil {
			return nil, fmt.Errorf("encode tx %d: %w", i, err)
		}
		hashes[i] = tx.Hash()
	}
	return func(ctx context.Context) (int, error) {
		if err := SendBatches(ctx, env, raw); err != nil {
			return 0, err
		}
		if err := WaitReceipts(ctx, env, hashes); err != nil {
			return 0, err
		}
		if traced {
			if err := TraceAll(ctx, env, hashes); err != nil {
				return 0, err
			}
		}
		return len(raw), nil
	}, nil
}

// SendBatches submits signed transactions with eth_sendRawTransaction in
// JSON-RPC batches of env.Batch, calling evm_mine after each batch when the
// node does not automine.
func SendBatches(ctx context.Context, env *Env, raw []hexutil.Bytes) error {
	for start := 0; start < len(raw); start += env.Batch {
		end := min(start+env.Batch, len(raw))
		elems := make([]rpc.BatchElem, 0, end-start)
		for _, r := range raw[start:end] {
			elems = append(elems, rpc.BatchElem{Method: "eth_sendRawTransaction", Args: []any{r}, Result: new(common.Hash)})
		}
		if err := env.Client.BatchCallContext(ctx, elems); err != nil {
			return fmt.Errorf("send batch at %d: %w", start, err)
		}
		for i, e := range elems {
			if e.Error != nil {
				return fmt.Errorf("send tx %d: %w", start+i, e.Error)
			}
		}
		if !env.Automine {
			if err := env.Mine(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// WaitReceipts polls eth_getTransactionReceipt in batches until every hash
// has a successful receipt.
func WaitReceipts(ctx context.Context, env *Env, hashes []common.Hash) error {
	missing := hashes
	lastMine := time.Now()
	for len(missing) > 0 {
		var still []common.Hash
		for start := 0; start < len(missing); start += env.Batch {
			end := min(start+env.Batch, len(missing))
			elems := make([]rpc.BatchElem, 0, end-start)
			for _, h := range missing[start:end] {
				elems = append(elems, rpc.BatchElem{Method: "eth_getTransactionReceipt", Args: []any{h}, Result: new(*types.Receipt)})
			}
			if err := env.Client.BatchCallContext(ctx, elems); err != nil {
				return fmt.Errorf("receipts: %w", err)
			}
			for i, e := range elems {
				r := *e.Result.(**types.Receipt)
				switch {
				case e.Error != nil || r == nil:
					still = append(still, missing[start+i])
				case r.Status != types.ReceiptStatusSuccessful:
					return fmt.Errorf("tx %s failed", r.TxHash)
				}
			}
		}
		missing = still
		if len(missing) > 0 {
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %d receipts: %w", len(missing), ctx.Err())
			case <-time.After(2 * time.Millisecond):
			}
			// On a node that mines only on request, a transaction that
			// reached the pool after the last evm_mine (or that the block
			// had no room for) waits for another block: ask for one
			// rather than poll forever.
			if !env.Automine && time.Since(lastMine) > 250*time.Millisecond {
				if err := env.Mine(ctx); err != nil {
					return err
				}
				lastMine = time.Now()
			}
		}
	}
	return nil
}

// TraceAll runs debug_traceTransaction with callTracer on every hash, in
// batches, and checks every trace is a non-empty call frame.
func TraceAll(ctx context.Context, env *Env, hashes []common.Hash) error {
	tracer := map[string]any{"tracer": "callTracer"}
	type frame struct {
		Type string `json:"type"`
	}
	for start := 0; start < len(hashes); start += env.Batch {
		end := min(start+env.Batch, len(hashes))
		elems := make([]rpc.BatchElem, 0, end-start)
		for _, h := range hashes[start:end] {
			elems = append(elems, rpc.BatchElem{Method: "debug_traceTransaction", Args: []any{h, tracer}, Result: new(frame)})
		}
		if err := env.Client.BatchCallContext(ctx, elems); err != nil {
			return fmt.Errorf("trace batch at %d: %w", start, err)
		}
		for i, e := range elems {
			if e.Error != nil {
				return fmt.Errorf("trace tx %d: %w", start+i, e.Error)
			}
			if f := e.Result.(*frame); f.Type != "CALL" {
				return fmt.Errorf("trace tx %d: unexpected frame %+v", start+i, f)
			}
		}
	}
	return nil
}

// Target is a running node under test.
type Target struct {
	// URL is the node's HTTP JSON-RPC endpoint.
	URL string
	// Close stops the node.
	Close func() error
}

// StartFunc starts a node in automine or mine-on-request mode with accounts
// funded.
type StartFunc func(ctx context.Context, automine bool, accounts []devnet.Account, chainID uint64) (*Target, error)

// startAegis starts the embedded devnet (auto or manual mining).
func startAegis(ctx context.Context, automine bool, accounts []devnet.Account, chainID uint64) (*Target, error) {
	mode := devnet.MineManual
	if automine {
		mode = devnet.MineAuto
	}
	n, err := devnet.Start(ctx, devnet.Config{Mining: mode, Accounts: len(accounts), ChainID: chainID})
	if err != nil {
		return nil, fmt.Errorf("start aegis devnet: %w", err)
	}
	return &Target{URL: n.HTTPURL(), Close: n.Close}, nil
}

// anvilStarter returns a StartFunc running the Anvil binary at bin, funding
// the accounts with anvil_setBalance.
func anvilStarter(bin string) StartFunc {
	return func(ctx context.Context, automine bool, accounts []devnet.Account, chainID uint64) (*Target, error) {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		args := []string{"--silent", "--port", strconv.Itoa(port), "--chain-id", strconv.FormatUint(chainID, 10),
			"--accounts", "1", "--gas-limit", strconv.FormatUint(devnet.DefaultGasLimit, 10)}
		if !automine {
			args = append(args, "--no-mining")
		}
		cmd := exec.Command(bin, args...)
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("start anvil %s: %w", bin, err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		stop := func() error {
			_ = cmd.Process.Kill()
			<-done
			return nil
		}
		url := "http://127.0.0.1:" + strconv.Itoa(port)
		if err := waitReady(ctx, url, done); err != nil {
			return nil, errors.Join(err, stop())
		}
		c, err := rpc.DialContext(ctx, url)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("dial anvil: %w", err), stop())
		}
		defer c.Close()
		for _, a := range accounts {
			if err := c.CallContext(ctx, nil, "anvil_setBalance", a.Address, (*hexutil.Big)(devnet.DevBalance())); err != nil {
				return nil, errors.Join(fmt.Errorf("fund %s on anvil: %w", a.Address, err), stop())
			}
		}
		return &Target{URL: url, Close: stop}, nil
	}
}

// waitReady polls eth_chainId until the node answers, it exits, or 20 s pass.
func waitReady(ctx context.Context, url string, exited <-chan error) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for {
		if c, err := rpc.DialContext(ctx, url); err == nil {
			var id hexutil.Big
			err = c.CallContext(ctx, &id, "eth_chainId")
			c.Close()
			if err == nil {
				return nil
			}
		}
		select {
		case err := <-exited:
			return fmt.Errorf("node at %s exited before answering: %v", url, err)
		case <-ctx.Done():
			return fmt.Errorf("node at %s not ready: %w", url, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// runTimeout bounds one run, so a node that stops answering fails the
// benchmark instead of hanging it.
const runTimeout = 5 * time.Minute

// Result is one measured run.
type Result struct {
	Node, Mode, Workload string
	Txs                  int
	Elapsed              time.Duration
}

// TPS returns transactions per second.
func (r Result) TPS() float64 { return float64(r.Txs) / r.Elapsed.Seconds() }

// Options sizes a benchmark run.
type Options struct {
	Txs, Batch, Accounts int
	ChainID              uint64
}

// RunOne starts a fresh node, runs one workload in one mode and stops the
// node; only the workload's Job is timed.
func RunOne(ctx context.Context, start StartFunc, automine bool, w Workload, opt Options) (time.Duration, int, error) {
	ctx, cancel := context.WithTimeout(ctx, runTimeout)
	defer cancel()
	accounts, err := devnet.DeriveAccounts(opt.Accounts)
	if err != nil {
		return 0, 0, err
	}
	tg, err := start(ctx, automine, accounts, opt.ChainID)
	if err != nil {
		return 0, 0, err
	}
	defer tg.Close()
	c, err := rpc.DialContext(ctx, tg.URL)
	if err != nil {
		return 0, 0, fmt.Errorf("dial %s: %w", tg.URL, err)
	}
	defer c.Close()
	env := &Env{Client: c, ChainID: new(big.Int).SetUint64(opt.ChainID), Accounts: accounts, Automine: automine, Txs: opt.Txs, Batch: opt.Batch}
	job, err := w.Setup(ctx, env)
	if err != nil {
		return 0, 0, fmt.Errorf("%s setup: %w", w.Name, err)
	}
	began := time.Now()
	n, err := job(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", w.Name, err)
	}
	return time.Since(began), n, nil
}

// modeName names the mining mode in reports.
func modeName(automine bool) string {
	if automine {
		return "automine"
	}
	return "block per batch"
}
