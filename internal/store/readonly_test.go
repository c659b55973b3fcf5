package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aegis-defi/aegis/internal/alert"
)

// TestOpenReadOnly: a second reader opens the database while the monitor's
// Store holds the directory lock, sees its alerts (including ones written
// after it opened), cannot write, and creates nothing in an empty
// directory.
func TestOpenReadOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	save := func(id string) {
		t.Helper()
		if err := w.SaveEvent(ctx, alert.Event{Kind: alert.EventOpened, Seq: 1, At: time.Now(),
			Alert: &alert.Alert{ID: id, ChainID: 1, Stage: alert.StageConfirmed, Severity: alert.SeverityCritical}}); err != nil {
			t.Fatal(err)
		}
	}
	save("a1")
	if _, err := Open(ctx, dir); !errors.Is(err, ErrInUse) {
		t.Fatalf("second read-write Open: %v, want in use", err)
	}
	r, err := OpenReadOnly(ctx, dir)
	if err != nil {
		t.Fatalf("read-only open while the monitor holds the lock: %v", err)
	}
	save("a2")
	als, err := r.Alerts(ctx)
	if err != nil || len(als) != 2 || als[1].ID != "a2" || als[0].Severity != alert.SeverityCritical {
		t.Fatalf("alerts %+v, %v", als, err)
	}
	if _, err := r.Decisions(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.SaveModel(ctx, "x", []byte("y")); err == nil {
		t.Error("write through a read-only store succeeded")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	save("a3") // the monitor's lock and connection are untouched
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err = OpenReadOnly(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if als, err := r.Alerts(ctx); err != nil || len(als) != 3 {
		t.Fatalf("after the monitor closed: %d alerts, %v", len(als), err)
	}
	_ = r.Close()

	empty := t.TempDir()
	if _, err := OpenReadOnly(ctx, empty); !errors.Is(err, ErrNotStore) {
		t.Errorf("empty dir: %v", err)
	}
	if ents, _ := os.ReadDir(empty); len(ents) != 0 {
		t.Errorf("read-only open created %d file(s)", len(ents))
	}
	if err := os.WriteFile(filepath.Join(empty, FileName), []byte("not sqlite at all, just text padding padding padding padding padding padding padding padding padding padding"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenReadOnly(ctx, empty); err == nil {
		t.Error("a text file opened as a store")
	}
}
