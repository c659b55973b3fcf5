package store

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
)

func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.Version(ctx); err != nil || v != len(migrations) {
		t.Fatalf("version = %d, %v", v, err)
	}
	if _, ok, err := s.Checkpoint(ctx, 1); err != nil || ok {
		t.Fatalf("fresh checkpoint ok=%v err=%v", ok, err)
	}
	for i := uint64(1); i <= 10; i++ {
		if err := s.CommitBlock(ctx, 1, BlockRef{Number: i, Hash: common.BigToHash(new(big.Int).SetUint64(i))}, 4); err != nil {
			t.Fatal(err)
		}
	}
	cp, ok, err := s.Checkpoint(ctx, 1)
	if err != nil || !ok || cp.Number != 10 {
		t.Fatalf("checkpoint %+v ok=%v err=%v", cp, ok, err)
	}
	canon, err := s.Canonical(ctx, 1)
	if err != nil || len(canon) != 4 || canon[0].Number != 7 {
		t.Fatalf("canonical %+v err=%v", canon, err)
	}
	if err := s.Rewind(ctx, 1, canon[1]); err != nil {
		t.Fatal(err)
	}
	if cp, _, _ := s.Checkpoint(ctx, 1); cp.Number != 8 {
		t.Fatalf("after rewind checkpoint %d", cp.Number)
	}

	al := &alert.Alert{ID: "a1", ChainID: 1, Stage: alert.StagePending, Severity: alert.SeverityHigh}
	for _, ev := range []alert.Event{
		{Kind: alert.EventOpened, Seq: 1, At: time.Now(), Alert: al.Clone()},
		{Kind: alert.EventPromoted, Seq: 3, At: time.Now(), Alert: &alert.Alert{ID: "a1", ChainID: 1, Stage: alert.StageConfirmed}},
		{Kind: alert.EventOpened, Seq: 1, At: time.Now(), Alert: al.Clone()}, // replay: must not regress
	} {
		if err := s.SaveEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	als, err := s.Alerts(ctx)
	if err != nil || len(als) != 1 || als[0].Stage != alert.StageConfirmed {
		t.Fatalf("alerts %+v err=%v", als, err)
	}
	if err := s.MarkObserved(ctx, "k", "a1"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.Observed(ctx, "k"); !ok {
		t.Fatal("observation not marked")
	}
	if err := s.SaveModel(ctx, "m", []byte{1, 2}); err != nil {
		t.Fatal(err)
	}
	h := common.HexToHash("0x01")
	if err := s.MarkPending(ctx, 1, h, 5); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Reopen: state survives, migrations are not re-applied.
	s, err = Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if b, ok, err := s.LoadModel(ctx, "m"); err != nil || !ok || len(b) != 2 {
		t.Fatalf("model %v %v %v", b, ok, err)
	}
	if ok, _ := s.PendingSeen(ctx, 1, h); !ok {
		t.Fatal("pending mark lost")
	}
	if cp, _, _ := s.Checkpoint(ctx, 1); cp.Number != 8 {
		t.Fatalf("reopened checkpoint %d", cp.Number)
	}
}

func TestDecisionsRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d := Decision{ID: "d1", ChainID: 1337, AlertID: "a1", Protocol: "VulnerableBank", Verdict: "acted",
		AttackTx: common.HexToHash("0xab"), Decided: time.Unix(100, 5), Summary: "paused VulnerableBank in block 4",
		Body: []byte(`{"id":"d1"}`)}
	if err := s.SaveDecision(ctx, d); err != nil {
		t.Fatal(err)
	}
	d.Summary = "paused VulnerableBank in block 5"
	if err := s.SaveDecision(ctx, d); err != nil { // upsert
		t.Fatal(err)
	}
	ds, err := s.Decisions(ctx)
	if err != nil || len(ds) != 1 {
		t.Fatalf("decisions %+v, %v", ds, err)
	}
	got := ds[0]
	if got.ID != "d1" || got.AlertID != "a1" || got.AttackTx != d.AttackTx || !got.Decided.Equal(d.Decided) ||
		got.Summary != d.Summary || string(got.Body) != `{"id":"d1"}` || got.ChainID != 1337 {
		t.Errorf("decision %+v", got)
	}
}
