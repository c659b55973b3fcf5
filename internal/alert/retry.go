package alert

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

// RetryPolicy configures [WithRetry]. The zero value is usable.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, the first included;
	// default 4.
	MaxAttempts int
	// BaseDelay is the backoff before the first retry; it doubles for each
	// further retry, capped at MaxDelay. Defaults 500 ms and 30 s.
	BaseDelay time.Duration
	MaxDelay  time.Duration
	// MaxRetryAfter is the longest Retry-After the wrapper will wait for;
	// a longer one ends the retries with the error. Default 2 minutes.
	MaxRetryAfter time.Duration
	// Rand supplies the jitter: each delay d becomes d/2 + rand[0, d/2]
	// ("equal jitter"). Inject a seeded source for reproducible tests; nil
	// uses math/rand/v2's automatically seeded global generator. Access is
	// serialised, so one *rand.Rand may be shared.
	Rand *rand.Rand
	// Sleep waits d or until ctx is done; default a timer. Tests inject a
	// recorder.
	Sleep func(ctx context.Context, d time.Duration) error
	// Logger receives a debug record per retry; default discard.
	Logger *slog.Logger
}

// retrySink is the [WithRetry] wrapper.
type retrySink struct {
	inner Sink
	p     RetryPolicy
	mu    sync.Mutex // guards p.Rand
}

// WithRetry wraps s so that retryable failures ([IsRetryable]: network
// errors, 429, 5xx) are retried with exponential backoff and jitter,
// honouring Retry-After, up to p.MaxAttempts; permanent errors (other 4xx)
// return at once. It stops when ctx is done, and does not start a wait that
// would outlast ctx's deadline.
func WithRetry(s Sink, p RetryPolicy) Sink {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 500 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 30 * time.Second
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = 2 * time.Minute
	}
	if p.Sleep == nil {
		p.Sleep = sleepCtx
	}
	if p.Logger == nil {
		p.Logger = slog.New(slog.DiscardHandler)
	}
	return &retrySink{inner: s, p: p}
}

// Name is the wrapped sink's name.
func (r *retrySink) Name() string { return r.inner.Name() }

// Send delivers ev, retrying as configured.
func (r *retrySink) Send(ctx context.Context, ev Event) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = r.inner.Send(ctx, ev)
		if err == nil || !IsRetryable(err) {
			return err
		}
		if attempt >= r.p.MaxAttempts {
			return fmt.Errorf("%w (gave up after %d attempts)", err, attempt)
		}
		wait := r.backoff(attempt)
		if ra := retryAfterOf(err); ra > 0 {
			if ra > r.p.MaxRetryAfter {
				return fmt.Errorf("%w (Retry-After %s exceeds the %s limit; gave up after %d attempts)", err, ra, r.p.MaxRetryAfter, attempt)
			}
			wait = max(wait, ra)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return fmt.Errorf("%w (next retry in %s would pass the deadline; gave up after %d attempts)", err, wait.Round(time.Millisecond), attempt)
		}
		r.p.Logger.Debug("alert: retrying delivery", "sink", r.Name(), "attempt", attempt, "wait", wait, "err", err)
		if serr := r.p.Sleep(ctx, wait); serr != nil {
			return fmt.Errorf("%w (retry interrupted after %d attempts: %w)", err, attempt, serr)
		}
	}
}

// backoff is the jittered delay after the given (1-based) failed attempt.
func (r *retrySink) backoff(attempt int) time.Duration {
	d := r.p.BaseDelay
	for i := 1; i < attempt && d < r.p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, r.p.MaxDelay)
	half := int64(d / 2)
	var j int64
	if r.p.Rand != nil {
		r.mu.Lock()
		j = r.p.Rand.Int64N(half + 1)
		r.mu.Unlock()
	} else {
		j = rand.Int64N(half + 1)
	}
	return time.Duration(half + j)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// minSeveritySink is the [WithMinSeverity] wrapper.
type minSeveritySink struct {
	inner Sink
	min   Severity
}

// WithMinSeverity wraps s so that events whose alert is below min are
// skipped (Send returns nil). Because an alert's severity never decreases,
// a sink that saw an incident also sees its promotion and resolution.
func WithMinSeverity(s Sink, min Severity) Sink { return minSeveritySink{inner: s, min: min} }

// Name is the wrapped sink's name.
func (m minSeveritySink) Name() string { return m.inner.Name() }

// Send forwards ev if its severity is at least the minimum.
func (m minSeveritySink) Send(ctx context.Context, ev Event) error {
	if ev.Alert == nil || ev.Alert.Severity < m.min {
		return nil
	}
	return m.inner.Send(ctx, ev)
}
