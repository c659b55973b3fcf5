package monitor

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/store"
)

// OutboxConfig configures the alert outbox: the bounded queue between the
// pipeline and the sinks. The zero value is usable.
type OutboxConfig struct {
	// Capacity bounds each sink's queue; default DefaultOutboxCapacity.
	// When it is full the oldest event of the lowest severity is dropped
	// (counted, logged): enqueueing never blocks.
	Capacity int
	// AttemptTimeout bounds one delivery attempt; default 10 s.
	AttemptTimeout time.Duration
	// MaxAttempts is how many attempts an event gets before it is
	// abandoned; default 8. Permanent errors (a 4xx other than 429) are
	// abandoned at once.
	MaxAttempts int
	// MinBackoff and MaxBackoff bound the delay between attempts (doubled
	// after each failure, jittered, at least the Retry-After asked for);
	// defaults 1 s and 5 minutes.
	MinBackoff, MaxBackoff time.Duration
	// DrainTimeout is how long Run keeps delivering queued events after its
	// context is cancelled; default 5 s. With a Store, what is still queued
	// then is delivered by the next run.
	DrainTimeout time.Duration
}

// DefaultOutboxCapacity is the default per-sink outbox capacity.
const DefaultOutboxCapacity = 1024

func (c *OutboxConfig) defaults() {
	if c.Capacity <= 0 {
		c.Capacity = DefaultOutboxCapacity
	}
	if c.AttemptTimeout <= 0 {
		c.AttemptTimeout = 10 * time.Second
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 8
	}
	if c.MinBackoff <= 0 {
		c.MinBackoff = time.Second
	}
	if c.MaxBackoff < c.MinBackoff {
		c.MaxBackoff = max(5*time.Minute, c.MinBackoff)
	}
	if c.DrainTimeout <= 0 {
		c.DrainTimeout = 5 * time.Second
	}
}

// outboxQueue is where queued events live: the store's outbox table, or
// memory without a store. Items of a sink are delivered oldest first.
type outboxQueue interface {
	EnqueueOutbox(ctx context.Context, sink string, ev alert.Event, capacity int) (dropped int, err error)
	NextOutbox(ctx context.Context, sink string) (store.OutboxItem, bool, error)
	DeleteOutbox(ctx context.Context, id int64) error
	RetryOutbox(ctx context.Context, id int64, attempts int, nextAt time.Time, lastErr string) error
	OutboxDepth(ctx context.Context, sink string) (int, error)
}

// outbox delivers queued events to the sinks, one goroutine per sink (a
// lane), so that neither the pipeline nor another sink ever waits for a
// slow one.
type outbox struct {
	cfg     OutboxConfig
	q       outboxQueue
	lanes   []*lane
	log     *slog.Logger
	metrics *Metrics
	clock   func() time.Time

	delivered, failed, dropped atomic.Uint64
}

type lane struct {
	name  string
	s     Sender
	wake  chan struct{}
	depth atomic.Int64
}

// named is a Sender with a name (every alert.Sink).
type named interface{ Name() string }

func newOutbox(cfg OutboxConfig, q outboxQueue, sinks []Sender, log *slog.Logger, metrics *Metrics, clock func() time.Time) *outbox {
	cfg.defaults()
	ob := &outbox{cfg: cfg, q: q, log: log, metrics: metrics, clock: clock}
	seen := map[string]int{}
	for _, s := range sinks {
		name := "sink"
		if n, ok := s.(named); ok && n.Name() != "" {
			name = n.Name()
		}
		seen[name]++
		if k := seen[name]; k > 1 {
			name = fmt.Sprintf("%s#%d", name, k)
		}
		ob.lanes = append(ob.lanes, &lane{name: name, s: s, wake: make(chan struct{}, 1)})
	}
	return ob
}

// enqueue queues ev for every sink; it never waits for a delivery.
func (ob *outbox) enqueue(ctx context.Context, ev alert.Event) {
	if ob == nil || ev.Alert == nil {
		return
	}
	for _, l := range ob.lanes {
		dropped, err := ob.q.EnqueueOutbox(ctx, l.name, ev, ob.cfg.Capacity)
		if err != nil {
			ob.log.Error("monitor: queue alert for delivery", "sink", l.name, "alert", ev.Alert.ID, "err", err)
			continue
		}
		d := l.depth.Add(1 - int64(dropped))
		ob.metrics.outboxDepth(l.name, d)
		if dropped > 0 {
			ob.dropped.Add(uint64(dropped))
			ob.metrics.outboxDropped(l.name, "full", dropped)
			ob.log.Warn("monitor: alert outbox full; dropped the oldest lowest-severity events",
				"sink", l.name, "dropped", dropped, "capacity", ob.cfg.Capacity)
		}
		select {
		case l.wake <- struct{}{}:
		default:
		}
	}
}

// run delivers until stop is closed and the queues are empty, or until
// hard is done; it returns once every lane has returned.
func (ob *outbox) run(hard context.Context, stop <-chan struct{}) {
	if ob == nil {
		return
	}
	var wg sync.WaitGroup
	for _, l := range ob.lanes {
		if n, err := ob.q.OutboxDepth(hard, l.name); err == nil {
			l.depth.Store(int64(n))
			ob.metrics.outboxDepth(l.name, int64(n))
			if n > 0 {
				ob.log.Info("monitor: delivering alerts queued by a previous run", "sink", l.name, "queued", n)
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			ob.runLane(hard, stop, l)
		}()
	}
	wg.Wait()
}

// runLane is one sink's delivery loop: oldest event first, retried with
// backoff; it does not wait out a backoff once stop is closed.
func (ob *outbox) runLane(hard context.Context, stop <-chan struct{}, l *lane) {
	wait := func(d time.Duration) bool { // false: stop
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-hard.Done():
			return false
		case <-stop:
			return false
		case <-l.wake:
			return true
		case <-t.C:
			return true
		}
	}
	for hard.Err() == nil {
		it, ok, err := ob.q.NextOutbox(hard, l.name)
		if err != nil && !ok {
			if hard.Err() != nil {
				return
			}
			ob.log.Error("monitor: read alert outbox", "sink", l.name, "err", err)
			if !wait(ob.cfg.MinBackoff) {
				return
			}
			continue
		}
		if err != nil { // undecodable item: abandon it
			ob.log.Error("monitor: abandoning unreadable outbox item", "sink", l.name, "err", err)
			ob.finish(hard, l, it.ID, "gave_up")
			continue
		}
		if !ok {
			select {
			case <-stop:
				return
			default:
			}
			if !wait(time.Minute) {
				return
			}
			continue
		}
		if d := it.NextAt.Sub(ob.clock()); d > 0 {
			if !wait(d) {
				return
			}
			continue
		}
		actx, cancel := context.WithTimeout(hard, ob.cfg.AttemptTimeout)
		err = safeDeliver(actx, l.s, it.Event)
		timedOut := actx.Err() != nil // the attempt's own timeout (hard is checked below)
		cancel()
		if err == nil {
			ob.delivered.Add(1)
			ob.metrics.outboxDelivered(l.name)
			ob.finish(hard, l, it.ID, "")
			continue
		}
		if hard.Err() != nil {
			return // interrupted by shutdown: the item stays queued
		}
		ob.failed.Add(1)
		ob.metrics.outboxFailed(l.name)
		attempts := it.Attempts + 1
		retryable := alert.IsRetryable(err) || timedOut || errors.Is(err, context.DeadlineExceeded)
		if !retryable || attempts >= ob.cfg.MaxAttempts {
			ob.log.Error("monitor: alert delivery abandoned", "sink", l.name, "alert", it.Event.Alert.ID,
				"event", it.Event.Kind, "attempts", attempts, "err", err)
			ob.finish(hard, l, it.ID, "gave_up")
			continue
		}
		backoff := ob.backoff(attempts)
		backoff = max(backoff, min(alert.RetryAfter(err), ob.cfg.MaxBackoff))
		ob.log.Warn("monitor: alert delivery failed; retrying", "sink", l.name, "alert", it.Event.Alert.ID,
			"event", it.Event.Kind, "attempt", attempts, "backoff", backoff, "err", err)
		if rerr := ob.q.RetryOutbox(context.WithoutCancel(hard), it.ID, attempts, ob.clock().Add(backoff), err.Error()); rerr != nil {
			ob.log.Error("monitor: reschedule alert delivery", "sink", l.name, "err", rerr)
			if !wait(ob.cfg.MinBackoff) {
				return
			}
		}
	}
}

// finish removes a delivered or abandoned item.
func (ob *outbox) finish(ctx context.Context, l *lane, id int64, dropReason string) {
	if err := ob.q.DeleteOutbox(context.WithoutCancel(ctx), id); err != nil {
		ob.log.Error("monitor: remove delivered alert from the outbox", "sink", l.name, "err", err)
	}
	// Re-count rather than decrement: a full queue may have evicted the
	// item while it was being delivered.
	if n, err := ob.q.OutboxDepth(context.WithoutCancel(ctx), l.name); err == nil {
		l.depth.Store(int64(n))
	} else {
		l.depth.Add(-1)
	}
	ob.metrics.outboxDepth(l.name, max(l.depth.Load(), 0))
	if dropReason != "" {
		ob.dropped.Add(1)
		ob.metrics.outboxDropped(l.name, dropReason, 1)
	}
}

// backoff is the jittered delay after the given number of failed attempts.
func (ob *outbox) backoff(attempts int) time.Duration {
	d := ob.cfg.MinBackoff
	for i := 1; i < attempts && d < ob.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, ob.cfg.MaxBackoff)
	half := int64(d / 2)
	return time.Duration(half + rand.Int64N(half+1))
}

// depth returns how many events are queued over all sinks.
func (ob *outbox) depth() int64 {
	if ob == nil {
		return 0
	}
	var n int64
	for _, l := range ob.lanes {
		n += max(l.depth.Load(), 0)
	}
	return n
}

// safeDeliver turns a panicking sink into an error.
func safeDeliver(ctx context.Context, s Sender, ev alert.Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("sink panicked: %v", p)
		}
	}()
	return s.Send(ctx, ev)
}

// memOutbox is the outbox queue without a store (lost on exit).
type memOutbox struct {
	mu    sync.Mutex
	seq   int64
	items map[string][]store.OutboxItem
}

func newMemOutbox() *memOutbox { return &memOutbox{items: map[string][]store.OutboxItem{}} }

func (q *memOutbox) EnqueueOutbox(_ context.Context, sink string, ev alert.Event, capacity int) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.seq++
	items := append(q.items[sink], store.OutboxItem{ID: q.seq, Sink: sink, Event: ev})
	dropped := 0
	for capacity > 0 && len(items) > capacity {
		i := 0
		for j, it := range items {
			if it.Event.Alert.Severity < items[i].Event.Alert.Severity {
				i = j
			}
		}
		items = slices.Delete(items, i, i+1)
		dropped++
	}
	q.items[sink] = items
	return dropped, nil
}

func (q *memOutbox) NextOutbox(_ context.Context, sink string) (store.OutboxItem, bool, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items[sink]) == 0 {
		return store.OutboxItem{}, false, nil
	}
	return q.items[sink][0], true, nil
}

func (q *memOutbox) DeleteOutbox(_ context.Context, id int64) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for s, items := range q.items {
		q.items[s] = slices.DeleteFunc(items, func(it store.OutboxItem) bool { return it.ID == id })
	}
	return nil
}

func (q *memOutbox) RetryOutbox(_ context.Context, id int64, attempts int, nextAt time.Time, lastErr string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, items := range q.items {
		for i := range items {
			if items[i].ID == id {
				items[i].Attempts, items[i].NextAt, items[i].LastErr = attempts, nextAt, lastErr
			}
		}
	}
	return nil
}

func (q *memOutbox) OutboxDepth(_ context.Context, sink string) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items[sink]), nil
}

// WaitDelivered waits until the outbox is empty (every queued event
// delivered or abandoned) or ctx is done.
func (m *Monitor) WaitDelivered(ctx context.Context) error {
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for m.ob.depth() > 0 {
		select {
		case <-ctx.Done():
			return fmt.Errorf("monitor: %d alert events still queued: %w", m.ob.depth(), ctx.Err())
		case <-t.C:
		}
	}
	return nil
}
