package monitor

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/aegis-defi/aegis/internal/alert"
)

// TestOutboxRetriesTimeouts: an attempt that times out (the webhook hangs)
// is retried after a backoff and the event is delivered once the endpoint
// answers; a permanent error (400) is abandoned at once. The metrics count
// deliveries, failures and drops per sink.
func TestOutboxRetriesTimeouts(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch calls.Add(1) {
		case 1: // hang past the attempt timeout
			select {
			case <-r.Context().Done():
			case <-release:
			}
		case 3:
			w.WriteHeader(http.StatusBadRequest)
		default:
			w.WriteHeader(http.StatusOK)
		}
	}))
	defer srv.Close()
	defer close(release)
	hook, err := alert.NewWebhook(alert.WebhookConfig{URL: srv.URL + "/hook", Secret: "k", HTTPClient: &http.Client{}})
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	met, err := NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	ob := newOutbox(OutboxConfig{AttemptTimeout: 200 * time.Millisecond, MinBackoff: 50 * time.Millisecond, MaxBackoff: 100 * time.Millisecond},
		newMemOutbox(), []Sender{hook}, slog.New(slog.DiscardHandler), met, time.Now)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() { defer close(done); ob.run(ctx, stop) }()
	defer func() { close(stop); <-done }()

	ev := func(id string) alert.Event {
		return alert.Event{Kind: alert.EventOpened, Seq: 1, Alert: &alert.Alert{ID: id, Severity: alert.SeverityCritical}}
	}
	ob.enqueue(ctx, ev("a")) // attempt 1 hangs, attempt 2 delivers
	for ob.delivered.Load() < 1 {
		if ctx.Err() != nil {
			t.Fatalf("not delivered after a timeout: %d calls", calls.Load())
		}
		time.Sleep(10 * time.Millisecond)
	}
	ob.enqueue(ctx, ev("b")) // 400: abandoned
	for ob.dropped.Load() < 1 {
		if ctx.Err() != nil {
			t.Fatalf("permanent error not abandoned: %d calls", calls.Load())
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // no further attempt for b
	sink := hook.Name()
	if calls.Load() != 3 || ob.depth() != 0 || ob.failed.Load() != 2 ||
		metric(t, reg, "aegis_monitor_outbox_delivered_total", sink) != 1 ||
		metric(t, reg, "aegis_monitor_outbox_failures_total", sink) != 2 ||
		metric(t, reg, "aegis_monitor_outbox_dropped_total", "gave_up", sink) != 1 ||
		metric(t, reg, "aegis_monitor_outbox_depth", sink) != 0 {
		t.Fatalf("calls %d depth %d failed %d dropped %d; metrics delivered %v failures %v dropped %v depth %v", calls.Load(), ob.depth(), ob.failed.Load(), ob.dropped.Load(),
			metric(t, reg, "aegis_monitor_outbox_delivered_total", sink), metric(t, reg, "aegis_monitor_outbox_failures_total", sink),
			metric(t, reg, "aegis_monitor_outbox_dropped_total", "gave_up", sink), metric(t, reg, "aegis_monitor_outbox_depth", sink))
	}
}

// metric returns the value of the series of name whose label values are
// labels (ordered by label name), -1 when absent.
func metric(t *testing.T, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, m := range mf.GetMetric() {
			if len(m.GetLabel()) != len(labels) {
				continue
			}
			for i, l := range m.GetLabel() {
				if l.GetValue() != labels[i] {
					continue series
				}
			}
			switch {
			case m.GetCounter() != nil:
				return m.GetCounter().GetValue()
			case m.GetGauge() != nil:
				return m.GetGauge().GetValue()
			}
		}
	}
	return -1
}

// TestMemOutboxFull: without a store the outbox applies the same policy as
// the store's: the oldest event of the lowest severity goes first.
func TestMemOutboxFull(t *testing.T) {
	ctx := context.Background()
	q := newMemOutbox()
	ev := func(id string, sev alert.Severity) alert.Event {
		return alert.Event{Kind: alert.EventOpened, Alert: &alert.Alert{ID: id, Severity: sev}}
	}
	for _, e := range []alert.Event{ev("c1", alert.SeverityCritical), ev("l1", alert.SeverityLow), ev("h1", alert.SeverityHigh), ev("l2", alert.SeverityLow)} {
		if _, err := q.EnqueueOutbox(ctx, "s", e, 3); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := q.EnqueueOutbox(ctx, "s", ev("i1", alert.SeverityInfo), 3); n != 1 {
		t.Fatalf("dropped %d, want 1", n)
	}
	var ids []string
	for {
		it, ok, _ := q.NextOutbox(ctx, "s")
		if !ok {
			break
		}
		ids = append(ids, it.Event.Alert.ID)
		_ = q.DeleteOutbox(ctx, it.ID)
	}
	if strings.Join(ids, " ") != "c1 h1 l2" {
		t.Fatalf("kept %v, want [c1 h1 l2]", ids)
	}
}
