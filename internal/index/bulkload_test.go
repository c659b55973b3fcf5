package index

import (
	"context"
	"errors"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/testpg"
)

// bulkRowsFixture are flows of every shape InsertFlows takes: plain
// transfers, two flows of one transaction, a swap with a route, and a
// transaction repeated in a later call (skipped as a duplicate).
func bulkRowsFixture() (first, second []FlowRow) {
	a, b, c := common.HexToAddress("0xa1"), common.HexToAddress("0xb2"), common.HexToAddress("0xc3")
	tok, tok2, pool := common.HexToAddress("0x70"), common.HexToAddress("0x71"), common.HexToAddress("0x9001")
	tx := func(i int) common.Hash { return common.BigToHash(big.NewInt(int64(1000 + i))) }
	first = []FlowRow{
		{Block: 5, TxIndex: 0, Tx: tx(1), Kind: FlowTransfer, From: a, To: b, Asset: ETH(), Amount: big.NewInt(1e18)},
		{Block: 5, TxIndex: 1, Tx: tx(2), Kind: FlowTransfer, From: b, To: c, Asset: tok, Amount: big.NewInt(7)},
		{Block: 5, TxIndex: 1, Seq: 1, Tx: tx(2), Kind: FlowTransfer, From: b, To: a, Asset: tok, Amount: big.NewInt(3)},
		{Block: 6, TxIndex: 0, Tx: tx(3), Kind: FlowSwap, From: c, To: c, Asset: tok, Amount: big.NewInt(5),
			AssetOut: tok2, AmountOut: new(big.Int).Exp(big.NewInt(10), big.NewInt(25), nil), Via: []common.Address{pool, a}},
	}
	second = []FlowRow{
		{Block: 6, TxIndex: 0, Seq: 1, Tx: tx(3), Kind: FlowTransfer, From: c, To: pool, Asset: ETH(), Amount: big.NewInt(9)},
		{Block: 7, TxIndex: 0, Tx: tx(4), Kind: FlowTransfer, From: pool, To: common.HexToAddress("0xd4"), Asset: ETH(), Amount: big.NewInt(2)},
	}
	return first, second
}

// graphRows are the graph's flows and transactions as text.
func graphRows(t *testing.T, ctx context.Context, g *DB) []string {
	t.Helper()
	q := g.SQL()
	out := rowsOf(t, ctx, q, `SELECT id, block, tx_index, seq, tx_hash, time, kind, src, dst, asset, amount, asset_out, amount_out, via FROM flows ORDER BY id`)
	out = append(out, rowsOf(t, ctx, q, `SELECT hash, block, tx_index, sender, gas_price, traced FROM txs ORDER BY hash`)...)
	return append(out, rowsOf(t, ctx, q, `SELECT number, time, traced FROM blocks ORDER BY number`)...)
}

// flowIndexDefs are the definitions of flows_k's indexes.
func flowIndexDefs(t *testing.T, ctx context.Context, g *DB) []string {
	t.Helper()
	q := `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'flows_k' AND sql IS NOT NULL ORDER BY name`
	if g.pg {
		q = `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'flows_k' ORDER BY indexname`
	}
	return rowsOf(t, ctx, g.SQL(), q)
}

// checkBulkLoad loads the fixture into bulk with BulkLoad and compares
// it with plain (the same rows by InsertFlows alone): same rows, same
// index definitions; a failing load returns its error and still leaves
// every index in place.
func checkBulkLoad(t *testing.T, ctx context.Context, plain, bulk *DB) {
	t.Helper()
	first, second := bulkRowsFixture()
	for _, rows := range [][]FlowRow{first, second} {
		if err := plain.InsertFlows(ctx, rows); err != nil {
			t.Fatal(err)
		}
	}
	wantIx := flowIndexDefs(t, ctx, bulk)
	if len(wantIx) < len(flowIndexes) {
		t.Fatalf("fresh graph's flow indexes: %q", wantIx)
	}
	err := bulk.BulkLoad(ctx, func(ctx context.Context) error {
		if got := flowIndexDefs(t, ctx, bulk); len(got) >= len(wantIx) {
			t.Errorf("indexes during the load: %q, want the secondary ones dropped", got)
		}
		if err := bulk.InsertFlows(ctx, first); err != nil {
			return err
		}
		return bulk.InsertFlows(ctx, second)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := flowIndexDefs(t, ctx, bulk); !reflect.DeepEqual(got, wantIx) {
		t.Errorf("indexes after the load:\n got %q\nwant %q", got, wantIx)
	}
	want := graphRows(t, ctx, plain)
	if got := graphRows(t, ctx, bulk); !reflect.DeepEqual(got, want) {
		t.Errorf("bulk-loaded rows:\n got %q\nwant %q", got, want)
	}
	if len(want) != 6+4+3 {
		t.Errorf("fixture gave %d rows, want 6 flows, 4 transactions, 3 blocks: %q", len(want), want)
	}
	// The swap's route and big output survived, and the repeated
	// transaction is stored once.
	if !strings.Contains(strings.Join(want, "\n"), "|10000000000000000000000000|"+Addr(common.HexToAddress("0x9001"))+","+Addr(common.HexToAddress("0xa1"))) {
		t.Errorf("swap row missing from %q", want)
	}

	boom := errors.New("generator failed")
	err = bulk.BulkLoad(ctx, func(context.Context) error { return boom })
	if !errors.Is(err, boom) {
		t.Errorf("failed load returned %v, want it to wrap %v", err, boom)
	}
	if got := flowIndexDefs(t, ctx, bulk); !reflect.DeepEqual(got, wantIx) {
		t.Errorf("indexes after a failed load:\n got %q\nwant %q", got, wantIx)
	}
}

func TestBulkLoadSQLite(t *testing.T) {
	ctx := context.Background()
	plain, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	bulk, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer bulk.Close()
	checkBulkLoad(t, ctx, plain, bulk)
	// The normal durability and cache are back on the connection.
	var sync, cache int
	if err := bulk.SQL().QueryRow(`PRAGMA synchronous`).Scan(&sync); err != nil || sync != 1 {
		t.Errorf("synchronous = %d (%v) after the load, want 1 (NORMAL)", sync, err)
	}
	if err := bulk.SQL().QueryRow(`PRAGMA cache_size`).Scan(&cache); err != nil || cache != -32768 {
		t.Errorf("cache_size = %d (%v) after the load, want -32768", cache, err)
	}
}

func TestBulkLoadPostgres(t *testing.T) {
	srv := testpg.StartT(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// The plain graph is SQLite: the COPY path must store what the
	// SQLite writer stores.
	plain, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	bulk, err := OpenURL(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer bulk.Close()
	checkBulkLoad(t, ctx, plain, bulk)
	var n int
	if err := bulk.SQL().QueryRow(`SELECT COUNT(*) - COUNT(DISTINCT addr) FROM addrs`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d duplicate dictionary entries (%v)", n, err)
	}
}
