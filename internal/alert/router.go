package alert

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// RouterConfig configures a [Router]. The zero value is usable.
type RouterConfig struct {
	// Timeout bounds each sink's Send (retries included); default 30 s.
	Timeout time.Duration
	// Logger receives a warning per failed delivery (sink name, alert ID,
	// redacted error); default discard.
	Logger *slog.Logger
}

// Router fans each event out to its sinks concurrently. Each sink gets its
// own timeout; a failing or hanging sink never delays or blocks the others.
// Every goroutine it starts is tracked and waited for by [Router.Close].
type Router struct {
	cfg    RouterConfig
	sinks  []Sink
	base   context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu        sync.Mutex
	closed    bool
	closeOnce sync.Once
}

// ErrRouterClosed is returned by Send after Close.
var ErrRouterClosed = errors.New("alert: router closed")

// NewRouter returns a router delivering to sinks.
func NewRouter(cfg RouterConfig, sinks ...Sink) *Router {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	base, cancel := context.WithCancel(context.Background())
	return &Router{cfg: cfg, sinks: append([]Sink(nil), sinks...), base: base, cancel: cancel}
}

// SinkFailure is one sink's failed delivery.
type SinkFailure struct {
	Sink string
	Err  error
}

// DeliveryError reports the sinks that failed to deliver one event.
type DeliveryError struct {
	// Kind and AlertID identify the event.
	Kind     EventKind
	AlertID  string
	Failures []SinkFailure
	// Sinks is how many sinks the event was routed to.
	Sinks int
}

// Error lists the failures.
func (e *DeliveryError) Error() string {
	parts := make([]string, len(e.Failures))
	for i, f := range e.Failures {
		parts[i] = f.Err.Error()
	}
	return fmt.Sprintf("alert: %s event for %s failed on %d of %d sinks: %s",
		e.Kind, e.AlertID, len(e.Failures), e.Sinks, strings.Join(parts, "; "))
}

// Unwrap returns the per-sink errors.
func (e *DeliveryError) Unwrap() []error {
	errs := make([]error, len(e.Failures))
	for i, f := range e.Failures {
		errs[i] = f.Err
	}
	return errs
}

// routerGrace is how long Send waits past the per-sink timeout for sinks
// to notice their cancelled context before reporting them as timed out.
const routerGrace = 50 * time.Millisecond

// Send delivers ev to every sink concurrently and waits for all of them,
// but never longer than the per-sink timeout (plus a short grace): a sink
// that ignores its context is reported as timed out, and its goroutine is
// left for Close to wait for. It returns nil or a *DeliveryError.
func (r *Router) Send(ctx context.Context, ev Event) error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return ErrRouterClosed
	}
	// Add under the lock so Close cannot start waiting in between.
	r.wg.Add(len(r.sinks))
	r.mu.Unlock()

	parent, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(r.base, cancel) // Close cancels in-flight sends
	defer stop()

	type result struct {
		i   int
		err error
	}
	results := make(chan result, len(r.sinks)) // buffered: late senders never block
	for i, s := range r.sinks {
		go func() {
			defer r.wg.Done()
			sctx, scancel := context.WithTimeout(parent, r.cfg.Timeout)
			defer scancel()
			results <- result{i, safeSend(sctx, s, ev)}
		}()
	}

	errs := make([]error, len(r.sinks))
	done := make([]bool, len(r.sinks))
	timer := time.NewTimer(r.cfg.Timeout + routerGrace)
	defer timer.Stop()
wait:
	for n := 0; n < len(r.sinks); n++ {
		select {
		case res := <-results:
			errs[res.i], done[res.i] = res.err, true
		case <-timer.C:
			break wait
		}
	}
	de := &DeliveryError{Kind: ev.Kind, Sinks: len(r.sinks)}
	if ev.Alert != nil {
		de.AlertID = ev.Alert.ID
	}
	for i, s := range r.sinks {
		err := errs[i]
		if !done[i] {
			err = &SinkError{Sink: s.Name(), Err: fmt.Errorf("no result within %s: %w", r.cfg.Timeout, context.DeadlineExceeded)}
		}
		if err != nil {
			de.Failures = append(de.Failures, SinkFailure{Sink: s.Name(), Err: err})
			r.cfg.Logger.Warn("alert: delivery failed", "sink", s.Name(), "alert", de.AlertID, "event", ev.Kind, "err", err)
		}
	}
	if len(de.Failures) == 0 {
		return nil
	}
	return de
}

// safeSend turns a panicking sink into an error.
func safeSend(ctx context.Context, s Sink, ev Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &SinkError{Sink: s.Name(), Err: fmt.Errorf("panic: %v", p)}
		}
	}()
	return s.Send(ctx, ev)
}

// Close stops accepting events, cancels in-flight deliveries and waits
// (until ctx is done) for every goroutine the router started; then, once,
// it closes the sinks that implement io.Closer (wrapped sinks are not
// unwrapped: close those yourself). If ctx ends first, Close returns an
// error and may be called again to keep waiting.
func (r *Router) Close(ctx context.Context) error {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	r.cancel()

	done := make(chan struct{})
	go func() { r.wg.Wait(); close(done) }() // ends when the last sink returns
	select {
	case <-done:
	case <-ctx.Done():
		return fmt.Errorf("alert: router close: sinks still running: %w", ctx.Err())
	}
	var errs []error
	r.closeOnce.Do(func() {
		for _, s := range r.sinks {
			if c, ok := s.(io.Closer); ok {
				if err := c.Close(); err != nil {
					errs = append(errs, err)
				}
			}
		}
	})
	return errors.Join(errs...)
}
