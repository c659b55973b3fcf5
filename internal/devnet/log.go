package devnet

import (
	"context"
	"log/slog"

	"github.com/ethereum/go-ethereum/log"
)

// gethLogLevel is the lowest level of geth's own log records that is passed
// on to the devnet's logger; geth is chatty at info level.
const gethLogLevel = slog.LevelWarn

// minLevelHandler drops records below min and forwards the rest.
type minLevelHandler struct {
	min   slog.Level
	inner slog.Handler
}

func (h minLevelHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.inner.Enabled(ctx, l)
}

func (h minLevelHandler) Handle(ctx context.Context, r slog.Record) error {
	if _, expected := expectedWarnings[r.Message]; expected {
		return nil
	}
	return h.inner.Handle(ctx, r)
}

// expectedWarnings are geth warnings that a fresh in-memory dev chain always
// raises and that mean nothing there: shown to users they only alarm.
var expectedWarnings = map[string]struct{}{
	// On start-up geth looks for the head's state, which a chain that
	// only has its genesis in memory has not committed yet.
	"Head block is not reachable": {},
}

func (h minLevelHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return minLevelHandler{min: h.min, inner: h.inner.WithAttrs(attrs)}
}

func (h minLevelHandler) WithGroup(name string) slog.Handler {
	return minLevelHandler{min: h.min, inner: h.inner.WithGroup(name)}
}

// gethLogger wraps a geth log.Logger in a distinct type. log.SetDefault only
// replaces the process-wide slog default when handed geth's own concrete
// logger type, so the wrapper keeps that side effect away.
type gethLogger struct {
	log.Logger
}

// NewGethLogger returns a geth logger that forwards geth's warnings and
// errors to l (records below warn are dropped). A nil l discards everything.
//
// It is meant for a standalone program that wants geth's package-level
// messages: log.SetDefault(devnet.NewGethLogger(l)). Unlike passing
// log.NewLogger directly, this does not change slog's process-wide default.
func NewGethLogger(l *slog.Logger) log.Logger {
	if l == nil {
		return gethLogger{log.NewLogger(log.DiscardHandler())}
	}
	return gethLogger{log.NewLogger(minLevelHandler{min: gethLogLevel, inner: l.Handler()})}
}
