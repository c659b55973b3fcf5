package txmodel_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log/slog"
	"math/big"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testbed"
	"github.com/aegis-defi/aegis/internal/testchain"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

var record = flag.Bool("record", false, "record the devnet tests' call traces into testdata/*.json")

// recorded is one recorded trace in testdata: the callTracer output plus
// the metadata the benchmark and offline tests need.
type recorded struct {
	Hash   common.Hash     `json:"hash"`
	From   common.Address  `json:"from"`
	To     *common.Address `json:"to"`
	Value  *big.Int        `json:"value"`
	Status string          `json:"status"`
	Trace  json.RawMessage `json:"trace"`
}

// testCtx returns a context bounded well below the test timeout.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// testDecoder returns a decoder with every artifact's ABI.
func testDecoder(t testing.TB) *txmodel.Decoder {
	t.Helper()
	dec := txmodel.NewDecoder(nil)
	for _, n := range contracts.Names() {
		art, err := contracts.Load(n)
		if err != nil {
			t.Fatalf("load artifact %s: %v", n, err)
		}
		if art.ABI != nil {
			dec.AddABI(n, *art.ABI)
		}
	}
	return dec
}

// recordTrace writes tx's raw trace to testdata/name.json when -record is
// set.
func recordTrace(t *testing.T, ctx context.Context, c *rpc.Client, name string, tx *txmodel.Tx) {
	t.Helper()
	if !*record {
		return
	}
	var raw json.RawMessage
	cfg := map[string]any{"tracer": "callTracer", "tracerConfig": map[string]any{"withLog": true}}
	if err := c.CallContext(ctx, &raw, "debug_traceTransaction", tx.Hash, cfg); err != nil {
		t.Fatalf("debug_traceTransaction: %v", err)
	}
	b, err := json.MarshalIndent(recorded{Hash: tx.Hash, From: tx.From, To: tx.To, Value: tx.Value, Status: string(tx.Status), Trace: raw}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", name+".json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded testdata/%s.json (%d bytes)", name, len(b))
}

func wantBig(t *testing.T, what string, got, want *big.Int) {
	t.Helper()
	if got == nil || want == nil || got.Cmp(want) != 0 {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// reserves reads pair.getReserves() at the latest block.
func reserves(t *testing.T, ctx context.Context, pair *chain.Contract) (*big.Int, *big.Int) {
	t.Helper()
	out, err := pair.Call(ctx, "getReserves")
	if err != nil {
		t.Fatalf("getReserves: %v", err)
	}
	return out[0].(*big.Int), out[1].(*big.Int)
}

func tokenBalance(t *testing.T, ctx context.Context, token *chain.Contract, who common.Address) *big.Int {
	t.Helper()
	b, err := token.CallBig(ctx, "balanceOf", who)
	if err != nil {
		t.Fatalf("balanceOf: %v", err)
	}
	return b
}

func ethBalance(t *testing.T, ctx context.Context, env *testchain.Env, who common.Address) *big.Int {
	t.Helper()
	b, err := env.Node.Client().BalanceAt(ctx, who, nil)
	if err != nil {
		t.Fatalf("eth_getBalance: %v", err)
	}
	return b
}

// TestSwap swaps ETH for TKN through the router and checks the call tree,
// the decoded logs, the balance changes against on-chain balances, the
// pool move against getReserves, block fetching, and a reverted swap.
func TestSwap(t *testing.T) {
	ctx := testCtx(t)
	env := testchain.New(t)
	tb, err := testbed.Deploy(ctx, env.Client, env.Accounts[0], env.Accounts[1], testbed.Options{})
	if err != nil {
		t.Fatalf("deploy testbed: %v", err)
	}
	user := env.Accounts[3].Address
	router, pair := tb.AMM.Router, tb.Pair
	value := chain.Ether(10)
	path := []common.Address{tb.WETH.Address, tb.TKN.Address}

	r0Before, r1Before := reserves(t, ctx, pair)
	ethBefore := ethBalance(t, ctx, env, user)
	tknBefore := tokenBalance(t, ctx, tb.TKN, user)
	wethPairBefore := tokenBalance(t, ctx, tb.WETH, pair.Address)
	wethETHBefore := ethBalance(t, ctx, env, tb.WETH.Address)

	rcpt, err := router.TransactValue(ctx, env.Accounts[3], value, "swapExactETHForTokens", big.NewInt(1), path, user, testbed.Deadline())
	if err != nil {
		t.Fatalf("swap: %v", err)
	}
	r0After, r1After := reserves(t, ctx, pair)

	dec := testDecoder(t)
	f := txmodel.NewFetcher(env.Node.Client().Client(), dec, txmodel.WithTokenResolver(txmodel.NewRPCTokenResolver(env.Node.Client().Client())))
	tx, err := f.Transaction(ctx, rcpt.TxHash)
	if err != nil {
		t.Fatalf("Transaction: %v", err)
	}
	recordTrace(t, ctx, env.Node.Client().Client(), "swap", tx)

	// Metadata.
	if tx.Stage != txmodel.StageMined || tx.Status != txmodel.StatusSuccess || tx.Partial {
		t.Errorf("stage/status/partial = %s/%s/%v", tx.Stage, tx.Status, tx.Partial)
	}
	if tx.BlockNumber == nil || *tx.BlockNumber != rcpt.BlockNumber.Uint64() || tx.GasUsed != rcpt.GasUsed {
		t.Errorf("block/gas = %v/%d, want %v/%d", tx.BlockNumber, tx.GasUsed, rcpt.BlockNumber, rcpt.GasUsed)
	}
	wantBig(t, "fee", tx.Fee, new(big.Int).Mul(rcpt.EffectiveGasPrice, new(big.Int).SetUint64(rcpt.GasUsed)))
	if tx.Function != "swapExactETHForTokens(uint256,address[],address,uint256)" {
		t.Errorf("function = %q", tx.Function)
	}

	// Call tree: router -> WETH.deposit, WETH.transfer(pair), pair.swap -> TKN.transfer.
	root := tx.Root
	if root.To != router.Address || root.Depth != 0 {
		t.Fatalf("root = %s depth %d, want router", root.To, root.Depth)
	}
	var swapFrame *txmodel.Call
	for _, c := range root.Calls {
		if c.To == pair.Address && c.Function() == "swap(uint256,uint256,address,bytes)" {
			swapFrame = c
		}
	}
	if swapFrame == nil {
		t.Fatalf("no pair.swap frame under the router; calls: %v", callNames(root))
	}
	if swapFrame.Parent != root || swapFrame.Depth != 1 {
		t.Errorf("swap frame parent/depth wrong")
	}
	var tknTransfer bool
	for _, c := range swapFrame.Calls {
		if c.To == tb.TKN.Address && c.Function() == "transfer(address,uint256)" {
			tknTransfer = true
		}
	}
	if !tknTransfer {
		t.Errorf("no TKN.transfer under pair.swap; calls: %v", callNames(swapFrame))
	}
	if tx.MaxDepth < 2 || len(tx.Touched) < 4 {
		t.Errorf("max depth %d touched %d", tx.MaxDepth, len(tx.Touched))
	}

	// Logs: Deposit, Transfer(WETH router->pair), Transfer(TKN pair->user), Sync, Swap.
	kinds := map[txmodel.Kind]int{}
	for i, l := range tx.Logs {
		if l.Index != i || l.BlockIndex == nil {
			t.Errorf("log %d: index %d block index %v", i, l.Index, l.BlockIndex)
		}
		kinds[l.Kind]++
	}
	if kinds[txmodel.KindWETHDeposit] != 1 || kinds[txmodel.KindERC20Transfer] != 2 || kinds[txmodel.KindV2Sync] != 1 || kinds[txmodel.KindV2Swap] != 1 {
		t.Errorf("log kinds = %v", kinds)
	}
	if len(tx.Logs) != len(rcpt.Logs) {
		t.Errorf("%d logs, receipt has %d", len(tx.Logs), len(rcpt.Logs))
	}
	for i := range min(len(tx.Logs), len(rcpt.Logs)) {
		if tx.Logs[i].Address != rcpt.Logs[i].Address || tx.Logs[i].Topic0() != rcpt.Logs[i].Topics[0] {
			t.Errorf("log %d differs from the receipt's", i)
		}
	}

	// Balances against on-chain deltas (fees excluded).
	ethAfter := ethBalance(t, ctx, env, user)
	ethDelta := new(big.Int).Sub(ethAfter, ethBefore)
	ethDelta.Add(ethDelta, tx.Fee)
	wantBig(t, "user ETH", tx.Balance(user, common.Address{}), ethDelta)
	wantBig(t, "user TKN", tx.Balance(user, tb.TKN.Address), new(big.Int).Sub(tokenBalance(t, ctx, tb.TKN, user), tknBefore))
	wantBig(t, "pair WETH", tx.Balance(pair.Address, tb.WETH.Address), new(big.Int).Sub(tokenBalance(t, ctx, tb.WETH, pair.Address), wethPairBefore))
	wantBig(t, "WETH contract ETH", tx.Balance(tb.WETH.Address, common.Address{}), new(big.Int).Sub(ethBalance(t, ctx, env, tb.WETH.Address), wethETHBefore))
	if d := tx.Balance(router.Address, tb.WETH.Address); d.Sign() != 0 {
		t.Errorf("router WETH delta %v, want 0", d)
	}

	// Pool move.
	if len(tx.Pools) != 1 {
		t.Fatalf("pools = %d, want 1", len(tx.Pools))
	}
	pm := tx.Pools[0]
	if pm.Pool != pair.Address || pm.Protocol != txmodel.ProtocolUniswapV2 || pm.Swaps != 1 {
		t.Errorf("pool move = %+v", pm)
	}
	wantBig(t, "reserve0 before", pm.Reserve0Before, r0Before)
	wantBig(t, "reserve1 before", pm.Reserve1Before, r1Before)
	wantBig(t, "reserve0 after", pm.Reserve0After, r0After)
	wantBig(t, "reserve1 after", pm.Reserve1After, r1After)
	if pm.PriceBefore == nil || len(pm.Prices) != 2 {
		t.Errorf("prices = %v before %v", pm.Prices, pm.PriceBefore)
	}
	t0, err := pair.CallAddress(ctx, "token0")
	if err != nil {
		t.Fatal(err)
	}
	if pm.Token0 == nil || *pm.Token0 != t0 {
		t.Errorf("token0 = %v, want %s", pm.Token0, t0)
	}

	// The block holds just this transaction; Block must agree.
	txs, err := f.Block(ctx, rcpt.BlockNumber)
	if err != nil {
		t.Fatalf("Block: %v", err)
	}
	if len(txs) != 1 || txs[0].Hash != tx.Hash || len(txs[0].Logs) != len(tx.Logs) || txs[0].BlockTime != tx.BlockTime {
		t.Errorf("Block returned %d txs", len(txs))
	}
	// BlockSelect keeps only the transactions keep accepts.
	if sel, err := f.BlockSelect(ctx, rcpt.BlockNumber, func(h common.Hash) bool { return h == tx.Hash }); err != nil ||
		len(sel) != 1 || sel[0].Hash != tx.Hash || len(sel[0].Logs) != len(tx.Logs) || sel[0].Partial {
		t.Errorf("BlockSelect(this tx) = %d txs, %v", len(sel), err)
	}
	if none, err := f.BlockSelect(ctx, rcpt.BlockNumber, func(common.Hash) bool { return false }); err != nil || len(none) != 0 {
		t.Errorf("BlockSelect(none) = %d txs, %v", len(none), err)
	}
	if latest, err := f.Block(ctx, nil); err != nil || len(latest) != 1 {
		t.Errorf("Block(latest) = %d txs, %v", len(latest), err)
	}

	// A reverted swap: amountOutMin far too high.
	sent, err := router.Send(ctx, env.Accounts[3], chain.TxOpts{Value: value, GasLimit: 500_000},
		"swapExactETHForTokens", chain.Ether(1_000_000), path, user, testbed.Deadline())
	if err != nil {
		t.Fatalf("send reverting swap: %v", err)
	}
	if err := env.Client.Mine(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Client.WaitMined(ctx, sent); !errors.Is(err, chain.ErrReverted) {
		t.Fatalf("reverting swap: %v", err)
	}
	rtx, err := f.Transaction(ctx, sent.Hash())
	if err != nil {
		t.Fatalf("Transaction(reverted): %v", err)
	}
	recordTrace(t, ctx, env.Node.Client().Client(), "swap-reverted", rtx)
	if rtx.Status != txmodel.StatusReverted || !rtx.Root.Failed() {
		t.Errorf("status %s", rtx.Status)
	}
	const wantPrefix = "InsufficientOutputAmount(amountOut: "
	if len(rtx.RevertReason) < len(wantPrefix) || rtx.RevertReason[:len(wantPrefix)] != wantPrefix {
		t.Errorf("revert reason = %q", rtx.RevertReason)
	}
	if len(rtx.Logs) != 0 || len(rtx.Balances) != 0 || len(rtx.Pools) != 0 {
		t.Errorf("reverted tx has %d logs, %d balances, %d pools", len(rtx.Logs), len(rtx.Balances), len(rtx.Pools))
	}
	// Without user ABIs the custom error is still named by the raw selector
	// or sigdb.
	if reason := txmodel.NewDecoder(nil).RevertReason(rtx.Root.Output); reason == "" {
		t.Errorf("empty reason without ABIs")
	}
}

func callNames(c *txmodel.Call) []string {
	var out []string
	for _, s := range c.Calls {
		out = append(out, s.To.Hex()+"."+s.Function())
	}
	return out
}

// attackEnv assigns the attack library's roles on a fresh chain.
func attackEnv(t *testing.T) (*testchain.Env, *attack.Env) {
	t.Helper()
	tc := testchain.New(t)
	return tc, &attack.Env{
		Client: tc.Client, Deployer: tc.Accounts[0], Guardian: tc.Accounts[1],
		Attacker: tc.Accounts[2], Users: tc.Accounts[3:],
	}
}

// TestOracleManipulation runs the flash-loan oracle-manipulation exploit,
// traces it while pending and once mined, and checks the flash loan, the
// pushed-and-restored pool price, the attacker's profit, and that the
// pending simulation equals the mined transaction.
func TestOracleManipulation(t *testing.T) {
	ctx := testCtx(t)
	tc, env := attackEnv(t)
	staged, err := attack.OracleManipulation{}.Setup(ctx, env, attack.Vulnerable)
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	var pairAddr common.Address
	for _, tg := range staged.Targets() {
		if tg.Name == "amm-pair" {
			pairAddr = tg.Address
		}
	}
	dec := testDecoder(t)
	f := txmodel.NewFetcher(tc.Node.Client().Client(), dec)
	var pending *txmodel.Tx
	res, err := attack.Execute(ctx, env.Client, staged, func(ctx context.Context, tx *types.Transaction) error {
		var err error
		pending, err = f.Pending(ctx, tx)
		return err
	})
	if err != nil {
		t.Fatalf("execute: %v", err)
	}
	if !res.Succeeded {
		t.Fatalf("exploit failed")
	}
	tx, err := f.Transaction(ctx, res.Txs[0].Hash())
	if err != nil {
		t.Fatalf("Transaction: %v", err)
	}
	recordTrace(t, ctx, tc.Node.Client().Client(), "oracle-manipulation", tx)

	loans := tx.LogsOfKind(txmodel.KindFlashLoan)
	if len(loans) != 1 {
		t.Fatalf("%d flash loans", len(loans))
	}
	fl := loans[0].Decoded.(*txmodel.FlashLoan)
	wantBig(t, "flash loan amount", fl.Amount, chain.Ether(9_000))
	if fl.Source != txmodel.FlashLoanERC3156 || fl.Fee.Sign() <= 0 {
		t.Errorf("flash loan = %+v", fl)
	}

	pm := tx.Pool(pairAddr)
	if pm == nil {
		t.Fatalf("no move of the pair %s; pools %+v", pairAddr, tx.Pools)
	}
	t.Logf("pair: before %v after %v min %v max %v swaps %d prices %v", *pm.PriceBefore, pm.PriceAfter, pm.PriceMin, pm.PriceMax, pm.Swaps, pm.Prices)
	if pm.Swaps != 2 {
		t.Errorf("swaps = %d, want 2", pm.Swaps)
	}
	if mv := pm.MaxMove(); mv < 10 {
		t.Errorf("max price move = %.2fx, want ≥ 10x", mv)
	}
	// The attacker sells back less TKN than it bought (part stays behind as
	// collateral), so the price (WETH per TKN, token1 per token0) ends
	// about 9% above where it started, not exactly restored.
	if r := pm.PriceAfter / *pm.PriceBefore; r < 1 || r > 1.15 {
		t.Errorf("price after / before = %.4f, want in [1, 1.15]", r)
	}

	attacker := env.Attacker.Address
	profit := tx.Balance(attacker, common.Address{})
	wantBig(t, "attacker ETH change vs outcome", profit, res.AttackerProfit)
	if profit.Cmp(chain.Ether(2_800)) < 0 {
		t.Errorf("attacker profit %v", profit)
	}

	// Pending simulation equals the mined transaction.
	if pending == nil || pending.Stage != txmodel.StagePending || pending.Hash != tx.Hash {
		t.Fatalf("pending = %+v", pending)
	}
	compareTx(t, pending, tx)
}

// compareTx checks that two Txs have the same call tree shape, logs and
// balance changes.
func compareTx(t *testing.T, a, b *txmodel.Tx) {
	t.Helper()
	if sa, sb := shape(a.Root), shape(b.Root); sa != sb {
		t.Errorf("call trees differ:\n%s\n%s", sa, sb)
	}
	if len(a.Logs) != len(b.Logs) {
		t.Fatalf("%d vs %d logs", len(a.Logs), len(b.Logs))
	}
	for i := range a.Logs {
		ja, _ := json.Marshal(a.Logs[i])
		lb := *b.Logs[i]
		lb.BlockIndex = nil
		jb, _ := json.Marshal(&lb)
		if string(ja) != string(jb) {
			t.Errorf("log %d differs:\n%s\n%s", i, ja, jb)
		}
	}
	ba, _ := json.Marshal(a.Balances)
	bb, _ := json.Marshal(b.Balances)
	if string(ba) != string(bb) {
		t.Errorf("balances differ:\n%s\n%s", ba, bb)
	}
	if a.Status != b.Status || a.GasUsed != b.GasUsed {
		t.Errorf("status/gas %s/%d vs %s/%d", a.Status, a.GasUsed, b.Status, b.GasUsed)
	}
}

func shape(c *txmodel.Call) string {
	s := string(c.Type) + ":" + c.To.Hex() + ":" + c.Function() + "("
	for _, sub := range c.Calls {
		s += shape(sub) + ","
	}
	return s + ")"
}

// TestReentrancy checks that the DAO-style drain shows the bank re-entered
// inside its own frame.
func TestReentrancy(t *testing.T) {
	ctx := testCtx(t)
	tc, env := attackEnv(t)
	staged, err := attack.Reentrancy{}.Setup(ctx, env, attack.Vulnerable)
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	res, err := attack.Execute(ctx, env.Client, staged, nil)
	if err != nil || !res.Succeeded {
		t.Fatalf("execute: %v (succeeded %v)", err, res != nil && res.Succeeded)
	}
	f := txmodel.NewFetcher(tc.Node.Client().Client(), testDecoder(t))
	tx, err := f.Transaction(ctx, res.Txs[0].Hash())
	if err != nil {
		t.Fatalf("Transaction: %v", err)
	}
	recordTrace(t, ctx, tc.Node.Client().Client(), "reentrancy", tx)
	bank := staged.Targets()[0].Address
	re := tx.ReentrantFrames(bank)
	if len(re) < 2 {
		t.Fatalf("bank re-entered %d times, want many", len(re))
	}
	for _, c := range re {
		if c.Function() != "withdraw(uint256)" {
			t.Errorf("re-entrant frame calls %q", c.Function())
		}
	}
	if len(tx.ReentrantFrames(tx.From)) != 0 {
		t.Errorf("EOA reported re-entered")
	}
	// The bank lost ETH, the attacker EOA gained it (fees excluded).
	if d := tx.Balance(bank, common.Address{}); d.Sign() >= 0 {
		t.Errorf("bank ETH delta %v", d)
	}
	wantBig(t, "attacker ETH", tx.Balance(env.Attacker.Address, common.Address{}), res.AttackerProfit)
	t.Logf("re-entries %d, max depth %d, bank delta %v", len(re), tx.MaxDepth, tx.Balance(bank, common.Address{}))
}

// noDebugProxy forwards JSON-RPC to target but answers every debug_*
// request (single or batched) with "method not found", like a node without
// the debug API.
func noDebugProxy(t *testing.T, target string) *httptest.Server {
	t.Helper()
	return testchain.RPCProxy(t, target, func(m string) bool { return strings.HasPrefix(m, "debug_") },
		-32601, "the method %s does not exist/is not available")
}

// TestReceiptsFallback fetches through a node without the debug API: the
// Txs are Partial, logs are still decoded, ETH changes only reflect the
// top-level value, and the fallback is logged once.
func TestReceiptsFallback(t *testing.T) {
	ctx := testCtx(t)
	env := testchain.New(t)
	tb, err := testbed.Deploy(ctx, env.Client, env.Accounts[0], env.Accounts[1], testbed.Options{})
	if err != nil {
		t.Fatalf("deploy testbed: %v", err)
	}
	user := env.Accounts[3].Address
	value := chain.Ether(5)
	tknBefore := tokenBalance(t, ctx, tb.TKN, user)
	rcpt, err := tb.AMM.Router.TransactValue(ctx, env.Accounts[3], value, "swapExactETHForTokens",
		big.NewInt(1), []common.Address{tb.WETH.Address, tb.TKN.Address}, user, testbed.Deadline())
	if err != nil {
		t.Fatalf("swap: %v", err)
	}
	srv := noDebugProxy(t, env.Node.HTTPURL())
	c, err := rpc.DialContext(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	var logBuf bytes.Buffer
	f := txmodel.NewFetcher(c, testDecoder(t), txmodel.WithLogger(slog.New(slog.NewTextHandler(&logBuf, nil))))

	txs, err := f.Block(ctx, rcpt.BlockNumber)
	if err != nil {
		t.Fatalf("Block: %v", err)
	}
	tx, err := f.Transaction(ctx, rcpt.TxHash)
	if err != nil {
		t.Fatalf("Transaction: %v", err)
	}
	for _, x := range []*txmodel.Tx{txs[0], tx} {
		if !x.Partial || len(x.Root.Calls) != 0 || len(x.Logs) != len(rcpt.Logs) {
			t.Errorf("partial %v calls %d logs %d", x.Partial, len(x.Root.Calls), len(x.Logs))
		}
		if len(x.LogsOfKind(txmodel.KindV2Swap)) != 1 || len(x.Pools) != 1 || x.Pools[0].Reserve0Before == nil {
			t.Errorf("swap log / pool not decoded")
		}
		wantBig(t, "user ETH", x.Balance(user, common.Address{}), new(big.Int).Neg(value))
		wantBig(t, "user TKN", x.Balance(user, tb.TKN.Address), new(big.Int).Sub(tokenBalance(t, ctx, tb.TKN, user), tknBefore))
	}
	if n := strings.Count(logBuf.String(), "no debug tracing API"); n != 1 {
		t.Errorf("fallback logged %d times:\n%s", n, logBuf.String())
	}
	// Pending needs debug_traceCall: the error names the method.
	if _, err := f.Pending(ctx, types.NewTx(&types.LegacyTx{})); err == nil {
		t.Errorf("Pending without debug API succeeded")
	}
}

// TestPendingRefusesMinedNonce: a transaction mined before its simulation
// ran is not replayed on top of its own effects (debug_traceCall ignores
// nonces): Pending reports ErrNonceUsed. A transaction still pending
// simulates, even behind another pending one of the same sender.
func TestPendingRefusesMinedNonce(t *testing.T) {
	ctx := testCtx(t)
	tc := testchain.New(t)
	f := txmodel.NewFetcher(tc.Node.Client().Client(), testDecoder(t))
	to := tc.Accounts[5].Address
	first, err := tc.Client.SendTx(ctx, tc.Accounts[4], &to, nil, chain.TxOpts{Value: chain.Ether(1), GasLimit: 21_000})
	if err != nil {
		t.Fatal(err)
	}
	second, err := tc.Client.SendTx(ctx, tc.Accounts[4], &to, nil, chain.TxOpts{Value: chain.Ether(2), GasLimit: 21_000})
	if err != nil {
		t.Fatal(err)
	}
	for _, tx := range []*types.Transaction{first, second} {
		if p, err := f.Pending(ctx, tx); err != nil || p.Stage != txmodel.StagePending {
			t.Fatalf("pending %s (nonce %d): %v", tx.Hash(), tx.Nonce(), err)
		}
	}
	if err := tc.Client.Mine(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := tc.Client.WaitMined(ctx, second); err != nil {
		t.Fatal(err)
	}
	for _, tx := range []*types.Transaction{first, second} {
		if _, err := f.Pending(ctx, tx); !errors.Is(err, txmodel.ErrNonceUsed) {
			t.Fatalf("mined %s (nonce %d) simulated again: %v, want ErrNonceUsed", tx.Hash(), tx.Nonce(), err)
		}
	}
}

// TestResolverPoolNotYetDeployed: the pending pass resolves the pools of
// transactions not yet mined, so the resolver is asked about a pair before
// the transaction creating it is mined. That "no code, not a pool" answer
// must not stick: once the pair exists its tokens are resolved (a cached
// miss hid the pair's reserves from the pricer for the monitor's lifetime,
// leaving the token unpriced and its deposits worth nothing).
func TestResolverPoolNotYetDeployed(t *testing.T) {
	ctx := testCtx(t)
	env := testchain.New(t)
	tb, err := testbed.Deploy(ctx, env.Client, env.Accounts[0], env.Accounts[1], testbed.Options{})
	if err != nil {
		t.Fatalf("deploy testbed: %v", err)
	}
	other := common.HexToAddress("0x00000000000000000000000000000000000a3615")
	// The pair createPair would deploy, without mining it.
	pair, err := tb.AMM.Factory.CallAddress(ctx, "createPair", tb.TKN.Address, other)
	if err != nil {
		t.Fatalf("createPair (eth_call): %v", err)
	}
	r := txmodel.NewRPCTokenResolver(env.Node.Client().Client())
	if _, _, ok, err := r.PoolTokens(ctx, pair); err != nil || ok {
		t.Fatalf("PoolTokens(%s) before its creation = ok %v, err %v; want not a pool yet", pair, ok, err)
	}
	if _, err := tb.AMM.Factory.Transact(ctx, env.Accounts[0], "createPair", tb.TKN.Address, other); err != nil {
		t.Fatalf("createPair: %v", err)
	}
	t0, t1, ok, err := r.PoolTokens(ctx, pair)
	if err != nil || !ok {
		t.Fatalf("PoolTokens(%s) after its creation = ok %v, err %v; want its tokens", pair, ok, err)
	}
	want0, want1 := tb.TKN.Address, other
	if want1.Cmp(want0) < 0 {
		want0, want1 = want1, want0
	}
	if t0 != want0 || t1 != want1 {
		t.Errorf("PoolTokens(%s) = %s, %s; want %s, %s", pair, t0, t1, want0, want1)
	}
	// A contract that is not a pool stays not a pool.
	if _, _, ok, err := r.PoolTokens(ctx, tb.WETH.Address); err != nil || ok {
		t.Errorf("PoolTokens(WETH) = ok %v, err %v; want not a pool", ok, err)
	}
}
