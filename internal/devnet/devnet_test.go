package devnet

import (
	"context"
	"math/big"
	"net"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
)

// TestPendingSubscriptionManual checks, over a real WebSocket connection,
// that newPendingTransactions fires while the tx is still unmined and that
// newHeads fires once Commit mines it.
func TestPendingSubscriptionManual(t *testing.T) {
	n := startNode(t, Config{Mining: MineManual})
	ctx := testCtx(t)
	if !strings.HasPrefix(n.WSURL(), "ws://127.0.0.1:") || strings.HasSuffix(n.WSURL(), ":0") {
		t.Fatalf("WSURL = %q", n.WSURL())
	}
	ws, err := rpc.DialWebsocket(ctx, n.WSURL(), "")
	if err != nil {
		t.Fatalf("dial ws: %v", err)
	}
	defer ws.Close()
	wsClient := ethclient.NewClient(ws)

	hashes := make(chan common.Hash, 4)
	hashSub, err := ws.EthSubscribe(ctx, hashes, "newPendingTransactions")
	if err != nil {
		t.Fatalf("subscribe pending hashes: %v", err)
	}
	defer hashSub.Unsubscribe()
	fullTxs := make(chan *types.Transaction, 4)
	fullSub, err := ws.EthSubscribe(ctx, fullTxs, "newPendingTransactions", true)
	if err != nil {
		t.Fatalf("subscribe pending full txs: %v", err)
	}
	defer fullSub.Unsubscribe()
	heads := make(chan *types.Header, 4)
	headSub, err := wsClient.SubscribeNewHead(ctx, heads)
	if err != nil {
		t.Fatalf("subscribe heads: %v", err)
	}
	defer headSub.Unsubscribe()

	acc := n.Accounts()
	tx := transfer(t, n, acc[0], 0, acc[1].Address)
	if err := wsClient.SendTransaction(ctx, tx); err != nil {
		t.Fatalf("send: %v", err)
	}
	select {
	case h := <-hashes:
		if h != tx.Hash() {
			t.Fatalf("pending hash = %s, want %s", h, tx.Hash())
		}
	case err := <-hashSub.Err():
		t.Fatalf("pending sub: %v", err)
	case <-ctx.Done():
		t.Fatal("no newPendingTransactions notification")
	}
	select {
	case full := <-fullTxs:
		if full.Hash() != tx.Hash() {
			t.Fatalf("pending full tx hash = %s, want %s", full.Hash(), tx.Hash())
		}
	case <-ctx.Done():
		t.Fatal("no full-tx newPendingTransactions notification")
	}

	// Still pending: blockNumber is null.
	var raw map[string]any
	if err := ws.CallContext(ctx, &raw, "eth_getTransactionByHash", tx.Hash()); err != nil {
		t.Fatalf("getTransactionByHash: %v", err)
	}
	if raw == nil || raw["blockNumber"] != nil {
		t.Fatalf("tx not pending: %v", raw)
	}
	select {
	case h := <-heads:
		t.Fatalf("unexpected head %d before Commit in manual mode", h.Number)
	default:
	}

	hash, err := n.Commit(ctx)
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	select {
	case h := <-heads:
		if h.Hash() != hash || h.Number.Uint64() != 1 {
			t.Fatalf("head = %d %s, want 1 %s", h.Number, h.Hash(), hash)
		}
	case <-ctx.Done():
		t.Fatal("no newHeads notification")
	}
	r, err := n.Client().TransactionReceipt(ctx, tx.Hash())
	if err != nil || r.BlockHash != hash || r.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("receipt = %+v, %v", r, err)
	}
}

// callFrame is the subset of callTracer output the tests look at.
type callFrame struct {
	Type  string         `json:"type"`
	From  common.Address `json:"from"`
	To    common.Address `json:"to"`
	Calls []callFrame    `json:"calls"`
	Logs  []struct {
		Address common.Address `json:"address"`
		Topics  []common.Hash  `json:"topics"`
		Data    hexutil.Bytes  `json:"data"`
	} `json:"logs"`
}

// TestTraceAPIs exercises debug_traceTransaction (callTracer with logs,
// prestateTracer), debug_traceCall and debug_traceBlockByNumber over HTTP.
func TestTraceAPIs(t *testing.T) {
	n := startNode(t, Config{Mining: MineManual})
	ctx := testCtx(t)
	c, err := rpc.DialContext(ctx, n.HTTPURL())
	if err != nil {
		t.Fatalf("dial http: %v", err)
	}
	defer c.Close()
	client := ethclient.NewClient(c)
	acc := n.Accounts()
	target := common.HexToAddress("0x000000000000000000000000000000000000bEEF")

	deploy := signTx(t, n, acc[0], 0, nil, big.NewInt(0), 200_000, callAndLogInit(target))
	if err := client.SendTransaction(ctx, deploy); err != nil {
		t.Fatalf("deploy: %v", err)
	}
	if _, err := n.Commit(ctx); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	dr := waitReceipt(ctx, t, client, deploy.Hash())
	if dr.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("deploy failed: %+v", dr)
	}
	contract := dr.ContractAddress

	call := signTx(t, n, acc[0], 1, &contract, big.NewInt(0), 100_000, nil)
	xfer := transfer(t, n, acc[1], 0, acc[2].Address)
	for _, tx := range []*types.Transaction{call, xfer} {
		if err := client.SendTransaction(ctx, tx); err != nil {
			t.Fatalf("send: %v", err)
		}
	}
	if _, err := n.Commit(ctx); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	cr := waitReceipt(ctx, t, client, call.Hash())
	if cr.Status != types.ReceiptStatusSuccessful || len(cr.Logs) != 1 {
		t.Fatalf("call receipt: %+v", cr)
	}

	callTracer := map[string]any{"tracer": "callTracer", "tracerConfig": map[string]any{"withLog": true}}
	var frame callFrame
	if err := c.CallContext(ctx, &frame, "debug_traceTransaction", call.Hash(), callTracer); err != nil {
		t.Fatalf("traceTransaction callTracer: %v", err)
	}
	if frame.Type != "CALL" || frame.To != contract || len(frame.Calls) != 1 || frame.Calls[0].To != target {
		t.Fatalf("call frame = %+v", frame)
	}
	if len(frame.Logs) != 1 || frame.Logs[0].Address != contract || frame.Logs[0].Topics[0] != common.BigToHash(big.NewInt(1)) ||
		new(big.Int).SetBytes(frame.Logs[0].Data).Int64() != 42 {
		t.Fatalf("logs = %+v", frame.Logs)
	}

	var prestate map[common.Address]struct {
		Balance *hexutil.Big `json:"balance"`
	}
	if err := c.CallContext(ctx, &prestate, "debug_traceTransaction", xfer.Hash(), map[string]any{"tracer": "prestateTracer"}); err != nil {
		t.Fatalf("traceTransaction prestateTracer: %v", err)
	}
	if b := prestate[acc[1].Address].Balance; b == nil || b.ToInt().Cmp(DevBalance()) != 0 {
		t.Fatalf("prestate balance of sender = %v, want %v (%+v)", b, DevBalance(), prestate)
	}

	var callTrace callFrame
	args := map[string]any{"from": acc[3].Address, "to": contract, "gas": hexutil.Uint64(100_000)}
	if err := c.CallContext(ctx, &callTrace, "debug_traceCall", args, "latest", callTracer); err != nil {
		t.Fatalf("traceCall: %v", err)
	}
	if len(callTrace.Calls) != 1 || callTrace.Calls[0].To != target || len(callTrace.Logs) != 1 {
		t.Fatalf("traceCall frame = %+v", callTrace)
	}

	var results []struct {
		TxHash common.Hash `json:"txHash"`
		Result callFrame   `json:"result"`
	}
	if err := c.CallContext(ctx, &results, "debug_traceBlockByNumber", hexutil.Uint64(cr.BlockNumber.Uint64()), callTracer); err != nil {
		t.Fatalf("traceBlockByNumber: %v", err)
	}
	if len(results) != 2 || results[0].TxHash != call.Hash() || results[1].TxHash != xfer.Hash() || results[1].Result.To != acc[2].Address {
		t.Fatalf("block traces = %+v", results)
	}
}

// TestAutoMine checks that a transaction is mined without any Commit.
func TestAutoMine(t *testing.T) {
	n := startNode(t, Config{})
	ctx := testCtx(t)
	acc := n.Accounts()
	for i := range uint64(5) {
		tx := transfer(t, n, acc[0], i, acc[1].Address)
		if err := n.Client().SendTransaction(ctx, tx); err != nil {
			t.Fatalf("send: %v", err)
		}
		if r := waitReceipt(ctx, t, n.Client(), tx.Hash()); r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("receipt: %+v", r)
		}
	}
}

// TestIntervalMining checks that a tx waits in the mempool and is mined by
// the interval loop within about two periods.
func TestIntervalMining(t *testing.T) {
	const period = 200 * time.Millisecond
	n := startNode(t, Config{Mining: MineInterval, BlockPeriod: period})
	ctx := testCtx(t)

	// Align with the block clock: send right after a block was sealed.
	heads := make(chan *types.Header, 4)
	sub, err := n.Client().SubscribeNewHead(ctx, heads)
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	defer sub.Unsubscribe()
	var first *types.Header
	select {
	case first = <-heads:
	case <-time.After(5 * period):
		t.Fatal("interval miner produced no block")
	}
	acc := n.Accounts()
	tx := transfer(t, n, acc[0], 0, acc[1].Address)
	sent := time.Now()
	if err := n.Client().SendTransaction(ctx, tx); err != nil {
		t.Fatalf("send: %v", err)
	}
	_, pending, err := n.Client().TransactionByHash(ctx, tx.Hash())
	if err != nil || !pending {
		t.Fatalf("tx not pending right after send: pending=%v err=%v", pending, err)
	}
	r := waitReceipt(ctx, t, n.Client(), tx.Hash())
	if waited := time.Since(sent); waited > 2*period+300*time.Millisecond {
		t.Fatalf("mined after %v, want about <= 2 periods (%v)", waited, 2*period)
	}
	if r.BlockNumber.Uint64() <= first.Number.Uint64() {
		t.Fatalf("mined in block %d, not after %d", r.BlockNumber, first.Number)
	}
}

// TestBusyPort checks that a taken port yields an error naming it.
func TestBusyPort(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	n, err := Start(context.Background(), Config{Port: port})
	if err == nil {
		n.Close()
		t.Fatal("Start on a busy port succeeded")
	}
	if !strings.Contains(err.Error(), strconv.Itoa(port)) {
		t.Fatalf("error %q does not name port %d", err, port)
	}
	t.Logf("busy port error: %v", err)
}

// TestFork mines three blocks, forks at block 1 and checks that the new
// block 2 replaces the old one.
func TestFork(t *testing.T) {
	n := startNode(t, Config{Mining: MineManual})
	ctx := testCtx(t)
	var hashes []common.Hash
	for range 3 {
		h, err := n.Commit(ctx)
		if err != nil {
			t.Fatalf("Commit: %v", err)
		}
		hashes = append(hashes, h)
	}
	if err := n.Fork(ctx, hashes[0]); err != nil {
		t.Fatalf("Fork: %v", err)
	}
	newHash, err := n.Commit(ctx)
	if err != nil {
		t.Fatalf("Commit after fork: %v", err)
	}
	head, err := n.Client().HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatalf("head: %v", err)
	}
	if head.Number.Uint64() != 2 || head.Hash() != newHash || head.ParentHash != hashes[0] {
		t.Fatalf("head = %d %s parent %s", head.Number, head.Hash(), head.ParentHash)
	}
	if newHash == hashes[1] {
		t.Fatal("block 2 unchanged after fork")
	}
	if err := n.Fork(ctx, common.HexToHash("0x1234")); err == nil {
		t.Fatal("Fork at unknown block succeeded")
	}
}

// TestAccounts checks that accounts are deterministic and funded.
func TestAccounts(t *testing.T) {
	n := startNode(t, Config{Mining: MineManual, Accounts: 3, ChainID: 31337})
	ctx := testCtx(t)
	again, err := DeriveAccounts(3)
	if err != nil {
		t.Fatalf("DeriveAccounts: %v", err)
	}
	acc := n.Accounts()
	if len(acc) != 3 {
		t.Fatalf("got %d accounts", len(acc))
	}
	// Golden value: changing the derivation scheme breaks users' scripts.
	if want := common.HexToAddress(firstDevAddress); acc[0].Address != want {
		t.Fatalf("account 0 = %s, want %s", acc[0].Address, want)
	}
	for i, a := range acc {
		if a.Address != again[i].Address || !a.Key.Equal(again[i].Key) {
			t.Fatalf("account %d not deterministic", i)
		}
		bal, err := n.Client().BalanceAt(ctx, a.Address, nil)
		if err != nil || bal.Cmp(DevBalance()) != 0 {
			t.Fatalf("balance of %s = %v, %v", a.Address, bal, err)
		}
	}
	id, err := n.Client().ChainID(ctx)
	if err != nil || id.Uint64() != 31337 || n.ChainID().Uint64() != 31337 {
		t.Fatalf("chain id = %v, %v", id, err)
	}
}

// TestMineRPC checks evm_mine and anvil_mine over HTTP.
func TestMineRPC(t *testing.T) {
	n := startNode(t, Config{Mining: MineManual})
	ctx := testCtx(t)
	c, err := rpc.DialContext(ctx, n.HTTPURL())
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	var res string
	if err := c.CallContext(ctx, &res, "evm_mine"); err != nil || res != "0x0" {
		t.Fatalf("evm_mine = %q, %v", res, err)
	}
	if err := c.CallContext(ctx, nil, "evm_mine", map[string]any{"blocks": 2}); err != nil {
		t.Fatalf("evm_mine blocks: %v", err)
	}
	if err := c.CallContext(ctx, nil, "anvil_mine", "0x3"); err != nil {
		t.Fatalf("anvil_mine: %v", err)
	}
	if err := c.CallContext(ctx, nil, "evm_mine", 12345); err == nil {
		t.Fatal("evm_mine with a timestamp succeeded")
	}
	bn, err := ethclient.NewClient(c).BlockNumber(ctx)
	if err != nil || bn != 6 {
		t.Fatalf("block number = %d, %v; want 6", bn, err)
	}
}

// TestConfigErrors checks that bad configurations fail cleanly.
func TestConfigErrors(t *testing.T) {
	for name, cfg := range map[string]Config{
		"negative accounts":    {Accounts: -1},
		"too many accounts":    {Accounts: MaxAccounts + 1},
		"port out of range":    {Port: 70000},
		"interval no period":   {Mining: MineInterval},
		"auto with period":     {BlockPeriod: time.Second},
		"unknown mining mode":  {Mining: MiningMode(42)},
		"manual with a period": {Mining: MineManual, BlockPeriod: time.Second},
	} {
		if n, err := Start(context.Background(), cfg); err == nil {
			n.Close()
			t.Errorf("%s: Start succeeded", name)
		}
	}
}

// TestCloseStopsGoroutines checks Close is idempotent, later calls fail
// cleanly, and no goroutines are left behind.
func TestCloseStopsGoroutines(t *testing.T) {
	// Warm up once: geth starts a few process-wide goroutines lazily.
	warm, err := Start(context.Background(), Config{})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if err := warm.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	base := runtime.NumGoroutine()

	n, err := Start(context.Background(), Config{Mining: MineInterval, BlockPeriod: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	time.Sleep(120 * time.Millisecond)
	if err := n.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := n.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := n.Commit(context.Background()); err == nil {
		t.Fatal("Commit after Close succeeded")
	}
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > base && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got := runtime.NumGoroutine(); got > base {
		buf := make([]byte, 1<<20)
		t.Fatalf("goroutines: %d after Close, %d before Start\n%s", got, base, buf[:runtime.Stack(buf, true)])
	}
}

// firstDevAddress is the address of DeriveAccounts(1)[0].
const firstDevAddress = "0x641E3c47F73CDd167C82b8ab8233c28002CCEd3A"
