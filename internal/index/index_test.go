package index_test

import (
	"context"
	"math/big"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/devnet"
	"github.com/aegis-defi/aegis/internal/index"
	"github.com/aegis-defi/aegis/internal/testbed"
	"github.com/aegis-defi/aegis/internal/testchain"
)

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// world is a small chain with a WETH/TKN pool, a router swap paying ETH
// to a different recipient, a plain transfer and a WETH unwrap (an
// internal ETH transfer).
type world struct {
	env        *testchain.Env
	weth, tkn  *chain.Contract
	amm        *testbed.AMM
	pair       common.Address
	swapper    chain.Account
	recipient  chain.Account
	friend     chain.Account
	swapTx     common.Hash
	swapValue  *big.Int
	unwrapTx   common.Hash
	unwrapWad  *big.Int
	transferTx common.Hash
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := testCtx(t)
	env := testchain.New(t)
	w := &world{env: env, swapper: env.Accounts[1], recipient: env.Accounts[2], friend: env.Accounts[3]}
	dep := env.Accounts[0]
	var err error
	if w.weth, err = testbed.DeployWETH(ctx, env.Client, dep); err != nil {
		t.Fatal(err)
	}
	if w.tkn, err = testbed.DeployToken(ctx, env.Client, dep, "Token", "TKN", chain.Ether(1_000_000)); err != nil {
		t.Fatal(err)
	}
	if w.amm, err = testbed.DeployAMM(ctx, env.Client, dep, w.weth.Address); err != nil {
		t.Fatal(err)
	}
	if err := testbed.WrapETH(ctx, dep, w.weth, chain.Ether(100)); err != nil {
		t.Fatal(err)
	}
	pair, err := w.amm.CreatePairWithLiquidity(ctx, dep, w.weth, w.tkn, chain.Ether(100), chain.Ether(100_000))
	if err != nil {
		t.Fatal(err)
	}
	w.pair = pair.Address
	w.swapValue = chain.Ether(3)
	r, err := w.amm.Router.TransactValue(ctx, w.swapper, w.swapValue, "swapExactETHForTokens", big.NewInt(1),
		[]common.Address{w.weth.Address, w.tkn.Address}, w.recipient.Address, testbed.Deadline())
	if err != nil {
		t.Fatal(err)
	}
	w.swapTx = r.TxHash
	to := w.friend.Address
	r, err = env.Client.Transact(ctx, w.swapper, &to, nil, chain.TxOpts{Value: chain.Ether(5)})
	if err != nil {
		t.Fatal(err)
	}
	w.transferTx = r.TxHash
	if err := testbed.WrapETH(ctx, w.friend, w.weth, chain.Ether(2)); err != nil {
		t.Fatal(err)
	}
	w.unwrapWad = chain.Ether(1)
	r, err = w.weth.Transact(ctx, w.friend, "withdraw", w.unwrapWad)
	if err != nil {
		t.Fatal(err)
	}
	w.unwrapTx = r.TxHash
	return w
}

func dial(t *testing.T, url string) *rpc.Client {
	t.Helper()
	c, err := rpc.DialContext(testCtx(t), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func count(t *testing.T, g *index.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := g.SQL().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// TestIndexDevnet indexes a devnet with traces and checks the graph:
// internal ETH transfers, token transfers, the swap linked as ETH → TKN
// of the trader with the recipient, creations with funders, converters;
// then resumes, and survives a reorg.
func TestIndexDevnet(t *testing.T) {
	ctx := testCtx(t)
	w := newWorld(t)
	dir := t.TempDir()
	c := dial(t, w.env.Node.HTTPURL())
	ix, err := index.New(ctx, c, dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Blocks == 0 || res.Untraced != 0 || res.Resumed {
		t.Fatalf("run: %+v", res)
	}
	g := ix.Graph()
	weth, tkn := index.Addr(w.weth.Address), index.Addr(w.tkn.Address)
	// The unwrap's ETH comes from the WETH contract in an internal frame.
	if n := count(t, g, `SELECT COUNT(*) FROM transfers WHERE tx_hash = ? AND kind = 'eth' AND src = ? AND dst = ? AND amount = ? AND depth = 1`,
		w.unwrapTx.Hex(), weth, index.Addr(w.friend.Address), w.unwrapWad.String()); n != 1 {
		t.Fatalf("internal unwrap transfer rows = %d, want 1", n)
	}
	// The router swap: ETH from the swapper, TKN to the recipient, via
	// the pair and WETH; the router nets to zero and does not appear.
	var asset, out, amt, via string
	err = g.SQL().QueryRow(`SELECT asset, asset_out, amount, via FROM flows WHERE tx_hash = ? AND kind = 'swap' AND src = ? AND dst = ?`,
		w.swapTx.Hex(), index.Addr(w.swapper.Address), index.Addr(w.recipient.Address)).Scan(&asset, &out, &amt, &via)
	if err != nil {
		t.Fatalf("swap flow: %v", err)
	}
	if asset != index.Addr(index.ETH()) || out != tkn || amt != w.swapValue.String() ||
		!strings.Contains(via, index.Addr(w.pair)) || !strings.Contains(via, weth) {
		t.Fatalf("swap flow = %s→%s %s via %s", asset, out, amt, via)
	}
	if n := count(t, g, `SELECT COUNT(*) FROM flows WHERE tx_hash = ? AND (src = ? OR dst = ?)`, w.swapTx.Hex(),
		index.Addr(w.amm.Router.Address), index.Addr(w.amm.Router.Address)); n != 0 {
		t.Fatalf("router appears in %d flows", n)
	}
	if n := count(t, g, `SELECT COUNT(*) FROM flows WHERE tx_hash = ? AND kind = 'transfer' AND src = ? AND dst = ? AND amount = ?`,
		w.transferTx.Hex(), index.Addr(w.swapper.Address), index.Addr(w.friend.Address), chain.Ether(5).String()); n != 1 {
		t.Fatalf("plain transfer flows = %d", n)
	}
	// The pair was created by the factory inside a router call funded by
	// the deployer.
	var creator, funder string
	if err := g.SQL().QueryRow(`SELECT creator, funder FROM contracts WHERE address = ?`, index.Addr(w.pair)).Scan(&creator, &funder); err != nil {
		t.Fatalf("pair creation: %v", err)
	}
	if creator != index.Addr(w.amm.Factory.Address) || funder != index.Addr(w.env.Accounts[0].Address) {
		t.Fatalf("pair creator %s funder %s", creator, funder)
	}
	if n := count(t, g, `SELECT COUNT(*) FROM converters WHERE address IN (?, ?)`, index.Addr(w.pair), weth); n != 2 {
		t.Fatalf("converters = %d, want pair and WETH", n)
	}

	// Another chain in the same directory is refused.
	if id, ok, err := g.ChainID(ctx); err != nil || !ok || id != w.env.Client.ChainID().Uint64() {
		t.Fatalf("chain id %d %v %v", id, ok, err)
	}
	node2, err := devnet.Start(ctx, devnet.Config{ChainID: 4242, Accounts: 1, Mining: devnet.MineManual})
	if err != nil {
		t.Fatal(err)
	}
	defer node2.Close()
	if _, err := index.New(ctx, dial(t, node2.HTTPURL()), dir, index.Options{}); err == nil || !strings.Contains(err.Error(), "holds chain") {
		t.Fatalf("another chain in the same data dir: %v", err)
	}

	// Resume: nothing new, then one new block only.
	res, err = ix.Run(ctx)
	if err != nil || res.Blocks != 0 || !res.Resumed {
		t.Fatalf("second run: %+v, %v", res, err)
	}
	to := w.recipient.Address
	r, err := w.env.Client.Transact(ctx, w.friend, &to, nil, chain.TxOpts{Value: chain.Ether(7)})
	if err != nil {
		t.Fatal(err)
	}
	res, err = ix.Run(ctx)
	if err != nil || res.Blocks != 1 || res.From != r.BlockNumber.Uint64() {
		t.Fatalf("third run: %+v, %v", res, err)
	}

	// Reorg: replace that block by one with a different transfer.
	hd, err := w.env.Node.Client().HeaderByNumber(ctx, r.BlockNumber)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.env.Node.Fork(ctx, hd.ParentHash); err != nil {
		t.Fatal(err)
	}
	other := w.env.Accounts[4]
	r2, err := w.env.Client.Transact(ctx, other, &to, nil, chain.TxOpts{Value: chain.Ether(9)})
	if err != nil {
		t.Fatal(err)
	}
	if r2.BlockNumber.Cmp(r.BlockNumber) != 0 {
		// Mine up to the old height if needed (the fork re-injects).
		t.Fatalf("replacement mined in block %d, want %d", r2.BlockNumber, r.BlockNumber)
	}
	res, err = ix.Run(ctx)
	if err != nil || res.Reorgs != 1 {
		t.Fatalf("run after reorg: %+v, %v", res, err)
	}
	var hash string
	if err := g.SQL().QueryRow(`SELECT hash FROM blocks WHERE number = ?`, r.BlockNumber.Uint64()).Scan(&hash); err != nil || hash != r2.BlockHash.Hex() {
		t.Fatalf("block %d hash %s (%v), want %s", r.BlockNumber, hash, err, r2.BlockHash.Hex())
	}
	if n := count(t, g, `SELECT COUNT(*) FROM flows WHERE tx_hash = ?`, r2.TxHash.Hex()); n != 1 {
		t.Fatalf("replacement flows = %d", n)
	}
	if n := count(t, g, `SELECT COUNT(*) FROM blocks WHERE hash = ?`, r.BlockHash.Hex()); n != 0 {
		t.Fatalf("abandoned block still indexed")
	}
}

// noDebugProxy forwards JSON-RPC to target but answers every debug_*
// request (single or batched) with "method not found".
func noDebugProxy(t *testing.T, target string) *httptest.Server {
	t.Helper()
	return debugErrorProxy(t, target, -32601, "the method %s does not exist/is not available")
}

// debugErrorProxy is noDebugProxy answering debug_* with code and msg
// (msg may contain %s for the method).
func debugErrorProxy(t *testing.T, target string, code int, msg string) *httptest.Server {
	t.Helper()
	return testchain.RPCProxy(t, target, func(m string) bool { return strings.HasPrefix(m, "debug_") }, code, msg)
}

// TestIndexWithoutTraces indexes through a node without the debug API:
// token transfers and top-level ETH are indexed, internal ETH is not, and
// the run reports the untraced blocks.
func TestIndexWithoutTraces(t *testing.T) {
	ctx := testCtx(t)
	w := newWorld(t)
	srv := noDebugProxy(t, w.env.Node.HTTPURL())
	ix, err := index.New(ctx, dial(t, srv.URL), t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Untraced == 0 {
		t.Fatalf("run %+v: want untraced blocks", res)
	}
	g := ix.Graph()
	if n, err := g.UntracedBlocks(ctx); err != nil || n != int64(res.Untraced) {
		t.Fatalf("UntracedBlocks = %d, %v; the run reported %d", n, err, res.Untraced)
	}
	if n := count(t, g, `SELECT COUNT(*) FROM transfers WHERE tx_hash = ? AND kind = 'eth' AND depth > 0`, w.unwrapTx.Hex()); n != 0 {
		t.Fatalf("internal ETH rows without traces = %d", n)
	}
	if n := count(t, g, `SELECT COUNT(*) FROM transfers WHERE tx_hash = ? AND kind = 'erc20' AND asset = ?`, w.swapTx.Hex(), index.Addr(w.tkn.Address)); n != 1 {
		t.Fatalf("token transfer rows of the swap = %d, want 1", n)
	}
	if n := count(t, g, `SELECT COUNT(*) FROM flows WHERE tx_hash = ? AND kind = 'transfer' AND amount = ?`, w.transferTx.Hex(), chain.Ether(5).String()); n != 1 {
		t.Fatalf("top-level ETH transfer flows = %d", n)
	}
}

// TestIndexPrunedNode indexes through a node that serves traces but not
// for old blocks (pruned state): those blocks come from receipts and are
// reported untraced, instead of failing the run.
func TestIndexPrunedNode(t *testing.T) {
	ctx := testCtx(t)
	w := newWorld(t)
	srv := debugErrorProxy(t, w.env.Node.HTTPURL(), -32000, "required historical state unavailable (reexec=128)")
	ix, err := index.New(ctx, dial(t, srv.URL), t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Untraced == 0 {
		t.Fatalf("run %+v: want untraced blocks", res)
	}
	g := ix.Graph()
	if n := count(t, g, `SELECT COUNT(*) FROM flows WHERE tx_hash = ? AND kind = 'transfer' AND amount = ?`, w.transferTx.Hex(), chain.Ether(5).String()); n != 1 {
		t.Fatalf("top-level ETH transfer flows = %d", n)
	}
	if n := count(t, g, `SELECT COUNT(*) FROM transfers WHERE tx_hash = ? AND kind = 'erc20'`, w.swapTx.Hex()); n == 0 {
		t.Fatal("no token transfers from the receipts")
	}
}
