package store

import (
	"context"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
)

// TestResetChain: a new chain under the same id forgets the position and
// the marks of that chain only, records the new genesis and keeps alerts.
func TestResetChain(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	g1, g2 := common.HexToHash("0x01"), common.HexToHash("0x02")
	if _, ok, err := s.Genesis(ctx, 7); ok || err != nil {
		t.Fatalf("genesis before set: ok=%v err=%v", ok, err)
	}
	if err := s.SetGenesis(ctx, 7, g1); err != nil {
		t.Fatal(err)
	}
	for _, c := range []uint64{7, 70} {
		if err := s.CommitBlock(ctx, c, BlockRef{Number: 5, Hash: common.HexToHash("0x05")}, 10); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range []string{"7|0xaa|d|pending", "70|0xaa|d|pending"} {
		if err := s.MarkObserved(ctx, k, "a"); err != nil {
			t.Fatal(err)
		}
	}
	pend := &alert.Alert{ID: "p", ChainID: 7, Stage: alert.StagePending}
	done := &alert.Alert{ID: "c", ChainID: 7, Stage: alert.StageConfirmed}
	for i, al := range []*alert.Alert{pend, done} {
		if err := s.SaveEvent(ctx, alert.Event{Kind: alert.EventOpened, Seq: uint64(i + 3), Alert: al}); err != nil {
			t.Fatal(err)
		}
	}
	open, err := s.OpenAlerts(ctx, 7)
	if err != nil || len(open) != 1 || open[0].Alert.ID != "p" || open[0].Seq != 3 {
		t.Fatalf("open alerts %+v err=%v", open, err)
	}

	if err := s.ResetChain(ctx, 7, g2); err != nil {
		t.Fatal(err)
	}
	if g, ok, _ := s.Genesis(ctx, 7); !ok || g != g2 {
		t.Fatalf("genesis %s, want %s", g, g2)
	}
	if _, ok, _ := s.Checkpoint(ctx, 7); ok {
		t.Fatal("checkpoint of the reset chain kept")
	}
	if canon, _ := s.Canonical(ctx, 7); len(canon) != 0 {
		t.Fatalf("canonical of the reset chain kept: %v", canon)
	}
	if seen, _ := s.Observed(ctx, "7|0xaa|d|pending"); seen {
		t.Fatal("observation mark of the reset chain kept")
	}
	// Chain 70 untouched.
	if _, ok, _ := s.Checkpoint(ctx, 70); !ok {
		t.Fatal("checkpoint of another chain lost")
	}
	if seen, _ := s.Observed(ctx, "70|0xaa|d|pending"); !seen {
		t.Fatal("observation mark of another chain lost")
	}
	if als, _ := s.Alerts(ctx); len(als) != 2 {
		t.Fatalf("alerts %d, want both kept", len(als))
	}
}
