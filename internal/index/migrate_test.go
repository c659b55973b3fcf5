package index

import (
	"context"
	"database/sql"
	"fmt"
	"math/big"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/testpg"
)

// textKeysVersion is the last schema version with text addresses and
// hashes in the graph's tables.
const textKeysVersion = 3

// oldGraph creates a graph at schema version textKeysVersion (as an
// older binary left it) and fills it with rows in that version's format.
func oldGraph(t *testing.T, ctx context.Context, db *sql.DB, pg bool) {
	t.Helper()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, rebind(pg, q), args...); err != nil {
			t.Fatalf("%s: %v", q[:min(len(q), 60)], err)
		}
	}
	exec(`CREATE TABLE schema_version (version INTEGER NOT NULL, applied INTEGER NOT NULL)`)
	for i := 0; i < textKeysVersion; i++ {
		m := migrations[i]
		if pg {
			m = pgMigration(m)
		}
		exec(m)
		exec(`INSERT INTO schema_version (version, applied) VALUES (?, ?)`, i+1, time.Now().Unix())
	}
	a, b, c, tok, tok2, pool := oldAddrs()
	tx1, tx2 := common.HexToHash("0x01aa"), common.HexToHash("0x02bb")
	exec(`INSERT INTO blocks (number, hash, parent, time, traced) VALUES (10, '0xb10', '0xb09', 120, 1), (11, '0xb11', '0xb10', 132, 1)`)
	exec(`INSERT INTO txs (hash, block, tx_index, sender, gas_price, traced) VALUES (?, 10, 0, ?, '7000000001', 1), (?, 11, 3, ?, '0', 0)`,
		tx1.Hex(), a.Hex(), tx2.Hex(), Addr(b))
	// a.Hex() is checksummed (as binaries before Addr stored it).
	exec(`INSERT INTO flows (block, tx_index, seq, tx_hash, time, kind, src, dst, asset, amount, asset_out, amount_out, via) VALUES
		(10, 0, 0, ?, 120, 'transfer', ?, ?, ?, '123456789012345678901234567890', '', '', ''),
		(11, 3, 1, ?, 132, 'swap', ?, ?, ?, '5', ?, '99999999999999999999', ?)`,
		tx1.Hex(), a.Hex(), Addr(b), Addr(ETH()),
		tx2.Hex(), Addr(b), Addr(b), Addr(tok), Addr(tok2), Addr(pool)+","+Addr(c))
	exec(`INSERT INTO dust (block, tx_hash, kind, asset, src, dst, amount) VALUES (11, ?, 'erc20', ?, ?, ?, '0')`, tx2.Hex(), Addr(tok), Addr(c), Addr(b))
	exec(`INSERT INTO contracts (address, creator, funder, block, tx_hash) VALUES (?, ?, ?, 10, ?)`, Addr(pool), Addr(c), a.Hex(), tx1.Hex())
	exec(`INSERT INTO converters (address, kind, first_block) VALUES (?, 'pool', 10)`, Addr(pool))
}

func oldAddrs() (a, b, c, tok, tok2, pool common.Address) {
	return common.HexToAddress("0xAbCdEf0123456789aBcDeF0123456789AbCdEf01"), common.HexToAddress("0x00000000000000000000000000000000000000b0"),
		common.HexToAddress("0x00000000000000000000000000000000000000c0"), common.HexToAddress("0x0000000000000000000000000000000000000070"),
		common.HexToAddress("0x0000000000000000000000000000000000000071"), common.HexToAddress("0x00000000000000000000000000000000000000f0")
}

// rowsOf reads a query's rows as text.
func rowsOf(t *testing.T, ctx context.Context, q *SQLDB, query string, args ...any) []string {
	t.Helper()
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		var s []string
		for _, v := range vals {
			s = append(s, v.String)
		}
		out = append(out, strings.Join(s, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkMigrated asserts the migrated graph answers as the old one did,
// through the views' text columns and through the compact keys.
func checkMigrated(t *testing.T, ctx context.Context, g *DB) {
	t.Helper()
	q := g.SQL()
	var v int
	if err := q.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_version`).Scan(&v); err != nil || v != len(migrations) {
		t.Fatalf("schema version %d (%v), want %d", v, err, len(migrations))
	}
	a, b, c, tok, tok2, pool := oldAddrs()
	tx1, tx2 := common.HexToHash("0x01aa"), common.HexToHash("0x02bb")
	want := []string{
		fmt.Sprintf("10|0|0|%s|120|transfer|%s|%s|%s|123456789012345678901234567890|||", tx1.Hex(), Addr(a), Addr(b), Addr(ETH())),
		fmt.Sprintf("11|3|1|%s|132|swap|%s|%s|%s|5|%s|99999999999999999999|%s", tx2.Hex(), Addr(b), Addr(b), Addr(tok), Addr(tok2), Addr(pool)+","+Addr(c)),
	}
	cols := `block, tx_index, seq, tx_hash, time, kind, src, dst, asset, amount, asset_out, amount_out, via`
	if got := rowsOf(t, ctx, q, `SELECT `+cols+` FROM flows ORDER BY block`); !reflect.DeepEqual(got, want) {
		t.Errorf("flows after migration:\n got %q\nwant %q", got, want)
	}
	// The same rows through the compact keys (what trace and cluster query).
	if got := rowsOf(t, ctx, q, `SELECT `+cols+` FROM flows WHERE src_id = `+AddrID+` ORDER BY block`, Key(a)); !reflect.DeepEqual(got, want[:1]) {
		t.Errorf("flows by src id: %q", got)
	}
	if got := rowsOf(t, ctx, q, `SELECT `+cols+` FROM flows WHERE dst_id = `+AddrID+` AND tx_key = ?`, Key(b), tx2.Bytes()); !reflect.DeepEqual(got, want[1:]) {
		t.Errorf("flows by dst id and tx: %q", got)
	}
	if got := rowsOf(t, ctx, q, `SELECT `+cols+` FROM flows WHERE src_id = `+AddrID, Key(common.HexToAddress("0x1234"))); len(got) != 0 {
		t.Errorf("flows of an unknown address: %q", got)
	}
	if got := rowsOf(t, ctx, q, `SELECT hash, block, tx_index, sender, gas_price, traced FROM txs WHERE hash_key = ?`, tx1.Bytes()); !reflect.DeepEqual(got, []string{
		fmt.Sprintf("%s|10|0|%s|7000000001|1", tx1.Hex(), Addr(a))}) {
		t.Errorf("txs: %q", got)
	}
	if got := rowsOf(t, ctx, q, `SELECT tx_hash, kind, asset, src, dst, amount FROM dust WHERE src_id = `+AddrID+` OR dst_id = `+AddrID, Key(b), Key(b)); !reflect.DeepEqual(got, []string{
		fmt.Sprintf("%s|erc20|%s|%s|%s|0", tx2.Hex(), Addr(tok), Addr(c), Addr(b))}) {
		t.Errorf("dust: %q", got)
	}
	if got := rowsOf(t, ctx, q, `SELECT address, creator, funder, block, tx_hash FROM contracts WHERE funder_id = `+AddrID, Key(a)); !reflect.DeepEqual(got, []string{
		fmt.Sprintf("%s|%s|%s|10|%s", Addr(pool), Addr(c), Addr(a), tx1.Hex())}) {
		t.Errorf("contracts: %q", got)
	}
	if got := rowsOf(t, ctx, q, `SELECT address, kind, first_block FROM converters WHERE address_id = `+AddrID, Key(pool)); !reflect.DeepEqual(got, []string{
		fmt.Sprintf("%s|pool|10", Addr(pool))}) {
		t.Errorf("converters: %q", got)
	}
	// The migrated graph takes new rows through the writer's dictionary
	// (an old address and a new one) and rewinds them.
	d := common.HexToAddress("0x00000000000000000000000000000000000000d0")
	tx3 := common.HexToHash("0x03cc")
	if err := g.InsertFlows(ctx, []FlowRow{{Block: 12, Tx: tx3, Kind: FlowTransfer, From: b, To: d, Asset: ETH(), Amount: big.NewInt(42)}}); err != nil {
		t.Fatal(err)
	}
	if got := rowsOf(t, ctx, q, `SELECT src, dst, amount FROM flows WHERE dst_id = `+AddrID, Key(d)); !reflect.DeepEqual(got, []string{
		fmt.Sprintf("%s|%s|42", Addr(b), Addr(d))}) {
		t.Errorf("new flow: %q", got)
	}
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM addrs WHERE addr = ?`, Key(b)).Scan(&n); err != nil || n != 1 {
		t.Errorf("address b is in the dictionary %d times (%v), want once", n, err)
	}
	if err := g.Rewind(ctx, 11); err != nil {
		t.Fatal(err)
	}
	if got := rowsOf(t, ctx, q, `SELECT src FROM flows WHERE block > 11`); len(got) != 0 {
		t.Errorf("rewind left %q", got)
	}
}

func TestMigrateTextKeysSQLite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	oldGraph(t, ctx, db, false)
	_ = db.Close()
	g, err := OpenExisting(ctx, filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	checkMigrated(t, ctx, g)
}

func TestMigrateTextKeysPostgres(t *testing.T) {
	srv := testpg.StartT(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	db, err := sql.Open("pgx", srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	oldGraph(t, ctx, db, true)
	_ = db.Close()
	g, err := OpenURL(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	checkMigrated(t, ctx, g)
}
