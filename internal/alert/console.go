package alert

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
)

// ConsoleConfig configures a [Console] sink.
type ConsoleConfig struct {
	// Writer receives the lines; default os.Stderr.
	Writer io.Writer
	// Color adds ANSI colours to the severity label.
	Color bool
	// Label distinguishes several console sinks in Name.
	Label string
}

// Console writes each event as one to three human-readable lines:
//
//	[CRITICAL] CONFIRMED Flash-loan price manipulation on LendingPool (chain 1, id 3f2a…)
//	  0xabcd…1234 drained 412 ETH from LendingPool via … · confidence 0.97 (high) · detectors: a, b · txs: 0xaaaa…aaaa (confirmed, block 100)
//	  response: paused LendingPool in block 101; 412 ETH protected
//
// Writes are serialised, so a Console is safe for concurrent use.
type Console struct {
	cfg ConsoleConfig
	mu  sync.Mutex
}

// NewConsole returns a console sink.
func NewConsole(cfg ConsoleConfig) *Console {
	if cfg.Writer == nil {
		cfg.Writer = os.Stderr
	}
	return &Console{cfg: cfg}
}

// Name returns "console" (or "console:<label>").
func (c *Console) Name() string { return sinkName("console", c.cfg.Label) }

// Send writes the event.
func (c *Console) Send(ctx context.Context, ev Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	a := ev.Alert
	if a == nil {
		return &SinkError{Sink: c.Name(), Err: fmt.Errorf("event %d has no alert", ev.Seq)}
	}
	sev := "[" + strings.ToUpper(a.Severity.String()) + "]"
	if c.cfg.Color {
		sev = ansiColor(a.Severity) + sev + "\x1b[0m"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s (chain %d, %s, id %s)", sev, kindLabel(ev.Kind), a.Title, a.ChainID, a.Stage, a.ID)
	if ev.Reason != "" && ev.Kind != EventOpened {
		fmt.Fprintf(&b, " — %s", ev.Reason)
	}
	b.WriteString("\n  ")
	b.WriteString(a.Summary)
	fmt.Fprintf(&b, " · confidence %.2f (%s)", float64(a.Confidence), a.Confidence.Level())
	if len(a.Detectors) > 0 {
		b.WriteString(" · detectors: " + strings.Join(a.Detectors, ", "))
	}
	if len(a.Evidence.Txs) > 0 {
		b.WriteString(" · txs: " + txLine(a.Evidence.Txs, 3))
	}
	if a.Response != nil {
		b.WriteString("\n  response: " + a.Response.String())
	}
	b.WriteByte('\n')
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := io.WriteString(c.cfg.Writer, b.String()); err != nil {
		return &SinkError{Sink: c.Name(), Err: err}
	}
	return nil
}

func ansiColor(s Severity) string {
	switch s {
	case SeverityCritical:
		return "\x1b[1;31m"
	case SeverityHigh:
		return "\x1b[31m"
	case SeverityMedium:
		return "\x1b[33m"
	case SeverityLow:
		return "\x1b[34m"
	}
	return "\x1b[2m"
}
