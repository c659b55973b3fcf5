package index

import (
	"context"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/internal/devnet"
)

// TestApplyWindowReorgMidway feeds apply a window whose second block does
// not extend its first: the first is written (graph and checkpoint in one
// transaction each), then the reorg walks back to the node's chain and
// removes it again.
func TestApplyWindowReorgMidway(t *testing.T) {
	ctx := context.Background()
	node, err := devnet.Start(ctx, devnet.Config{ChainID: 4343, Accounts: 1, Mining: devnet.MineManual})
	if err != nil {
		t.Fatal(err)
	}
	defer node.Close()
	for i := 0; i < 3; i++ {
		if _, err := node.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	c, err := rpc.DialContext(ctx, node.HTTPURL())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ix, err := New(ctx, c, t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Run(ctx)
	if err != nil || res.Blocks != 4 {
		t.Fatalf("first run: %+v, %v", res, err)
	}
	tip := ix.tip
	if tip.Number != 3 {
		t.Fatalf("tip %d, want 3", tip.Number)
	}
	if got := ix.graph.maxBlock.Load(); got != 3 {
		t.Fatalf("maxBlock %d, want 3", got)
	}
	// Block 4 extends the tip but is not on the node's chain (the node
	// has no block 4 yet); block 5 does not extend block 4.
	fake4 := common.HexToHash("0x44")
	fs := []*fetched{
		{number: 4, hash: fake4, parent: tip.Hash, time: 100},
		{number: 5, hash: common.HexToHash("0x55"), parent: common.HexToHash("0x99"), time: 112},
	}
	var r Result
	next, anc, err := ix.apply(ctx, 4, fs, &r)
	if err != nil {
		t.Fatal(err)
	}
	if anc == nil || *anc != 3 || next != 4 {
		t.Fatalf("apply: next %d, ancestor %v; want 4 and 3", next, anc)
	}
	if r.Blocks != 1 {
		t.Fatalf("blocks written before the reorg = %d, want 1", r.Blocks)
	}
	var n int
	if err := ix.graph.SQL().QueryRow(`SELECT COUNT(*) FROM blocks WHERE number >= 4`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("blocks above the ancestor after the reorg: %d (%v)", n, err)
	}
	cp, ok, err := ix.state.Checkpoint(ctx, ix.chainID)
	if err != nil || !ok || cp.Number != 3 || cp.Hash != tip.Hash {
		t.Fatalf("checkpoint %+v %v %v, want block 3 %s", cp, ok, err, tip.Hash)
	}
	// A clean window after it is written whole, replacing nothing.
	if _, err := node.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	res, err = ix.Run(ctx)
	if err != nil || res.Blocks != 1 || res.From != 4 {
		t.Fatalf("run after the reorg: %+v, %v", res, err)
	}
	var h string
	if err := ix.graph.SQL().QueryRow(`SELECT hash FROM blocks WHERE number = 4`).Scan(&h); err != nil || h == fake4.Hex() {
		t.Fatalf("block 4 hash %s (%v): still the abandoned one", h, err)
	}
}
