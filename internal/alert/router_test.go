package alert_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aegis-defi/aegis/internal/alert"
)

func randSource() *rand.Rand { return rand.New(rand.NewPCG(1, 2)) }

func newTestLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// funcSink is a Sink made of a function.
type funcSink struct {
	name string
	send func(ctx context.Context, ev alert.Event) error
}

func (f funcSink) Name() string                                   { return f.name }
func (f funcSink) Send(ctx context.Context, ev alert.Event) error { return f.send(ctx, ev) }

func TestRouterIsolatesSlowAndFailingSinks(t *testing.T) {
	before := runtime.NumGoroutine()
	var delivered atomic.Int32
	release := make(chan struct{})
	ok := funcSink{"ok", func(context.Context, alert.Event) error { delivered.Add(1); return nil }}
	ok2 := funcSink{"ok2", func(context.Context, alert.Event) error { delivered.Add(1); return nil }}
	failing := funcSink{"failing", func(context.Context, alert.Event) error {
		return &alert.SinkError{Sink: "failing", Status: 500}
	}}
	// hang ignores its context until released: the worst case.
	hang := funcSink{"hang", func(context.Context, alert.Event) error { <-release; return nil }}
	// slow honours its context.
	slow := funcSink{"slow", func(ctx context.Context, _ alert.Event) error { <-ctx.Done(); return ctx.Err() }}
	panicky := funcSink{"panicky", func(context.Context, alert.Event) error { panic("boom") }}

	r := alert.NewRouter(alert.RouterConfig{Timeout: 200 * time.Millisecond}, hang, ok, slow, failing, panicky, ok2)
	start := time.Now()
	err := r.Send(context.Background(), sampleEvent(t))
	elapsed := time.Since(start)
	if elapsed > 2*time.Second {
		t.Errorf("Send took %s with a 200ms per-sink timeout", elapsed)
	}
	if delivered.Load() != 2 {
		t.Errorf("%d healthy sinks delivered, want 2", delivered.Load())
	}
	var de *alert.DeliveryError
	if !errors.As(err, &de) {
		t.Fatalf("err = %v, want *DeliveryError", err)
	}
	var names []string
	for _, f := range de.Failures {
		names = append(names, f.Sink)
	}
	if got := strings.Join(names, ","); got != "hang,slow,failing,panicky" {
		t.Errorf("failed sinks %s", got)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("timeouts not reported as deadline exceeded: %v", err)
	}

	// Close waits for the hung goroutine; it must not leak.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	if err := r.Close(ctx); err == nil {
		t.Error("Close returned while a sink was still running")
	}
	cancel()
	close(release)
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.Close(ctx); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := r.Send(context.Background(), sampleEvent(t)); !errors.Is(err, alert.ErrRouterClosed) {
		t.Errorf("Send after Close: %v", err)
	}
	if n := runtime.NumGoroutine(); n > before+1 { // +1: Close's waiter may still be exiting
		t.Errorf("%d goroutines right after Close, %d before", n, before)
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after Close, %d before", n, before)
	}
}

func TestRouterCloseCancelsInFlight(t *testing.T) {
	started := make(chan struct{})
	slow := funcSink{"slow", func(ctx context.Context, _ alert.Event) error { close(started); <-ctx.Done(); return ctx.Err() }}
	r := alert.NewRouter(alert.RouterConfig{Timeout: time.Minute}, slow)
	errc := make(chan error, 1)
	go func() { errc <- r.Send(context.Background(), sampleEvent(t)) }()
	<-started
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("in-flight Send: %v, want cancelled", err)
	}
}

func TestWithMinSeverity(t *testing.T) {
	var got []alert.Severity
	rec := funcSink{"rec", func(_ context.Context, ev alert.Event) error { got = append(got, ev.Alert.Severity); return nil }}
	s := alert.WithMinSeverity(rec, alert.SeverityHigh)
	if s.Name() != "rec" {
		t.Errorf("name %q", s.Name())
	}
	for _, sev := range []alert.Severity{alert.SeverityInfo, alert.SeverityMedium, alert.SeverityHigh, alert.SeverityCritical} {
		ev := sampleEvent(t)
		ev.Alert.Severity = sev
		if err := s.Send(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 2 || got[0] != alert.SeverityHigh || got[1] != alert.SeverityCritical {
		t.Errorf("forwarded %v", got)
	}
}

func TestRouterClosesCloserSinks(t *testing.T) {
	path := t.TempDir() + "/a.jsonl"
	j, err := alert.OpenJSONL(alert.JSONLConfig{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	r := alert.NewRouter(alert.RouterConfig{}, j)
	if err := r.Send(context.Background(), sampleEvent(t)); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := j.Send(context.Background(), sampleEvent(t)); err == nil {
		t.Error("JSONL sink still open after Router.Close")
	}
}
