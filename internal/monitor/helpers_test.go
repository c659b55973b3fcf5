package monitor_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/monitor"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// reentrancyDetector is a minimal test detector: a watched contract's code
// re-entered in its own context.
type reentrancyDetector struct{}

func (reentrancyDetector) Meta() detect.Meta {
	return detect.Meta{Name: "reentrancy", Title: "Reentrancy", Severity: alert.SeverityCritical, Confidence: 0.9}
}

func (reentrancyDetector) Inspect(_ context.Context, env *detect.Env, tx *txmodel.Tx) ([]alert.Observation, error) {
	var out []alert.Observation
	for _, p := range env.Watch.Protocols() {
		for _, a := range p.Addresses {
			if fr := tx.ReentrantFrames(a); len(fr) > 0 && tx.Status == txmodel.StatusSuccess {
				out = append(out, alert.Observation{
					Severity: alert.SeverityCritical, Confidence: 0.9, Title: "Reentrancy",
					Message: "re-entered " + p.Name,
					Victim:  alert.Protocol{Name: p.Name, Address: a.Hex()},
					Numbers: map[string]float64{"reentries": float64(len(fr))},
				})
			}
		}
	}
	return out, nil
}

// recorder collects delivered events.
type recorder struct {
	mu  sync.Mutex
	evs []alert.Event
	ch  chan alert.Event
}

func newRecorder() *recorder { return &recorder{ch: make(chan alert.Event, 256)} }

func (r *recorder) on(ev alert.Event) {
	r.mu.Lock()
	r.evs = append(r.evs, ev)
	r.mu.Unlock()
	select {
	case r.ch <- ev:
	default:
	}
}

func (r *recorder) events() []alert.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]alert.Event(nil), r.evs...)
}

// waitFor waits for an event matching f.
func (r *recorder) waitFor(t *testing.T, ctx context.Context, what string, f func(alert.Event) bool) alert.Event {
	t.Helper()
	for _, ev := range r.events() {
		if f(ev) {
			return ev
		}
	}
	for {
		select {
		case <-ctx.Done():
			t.Fatalf("no %s event; got %s", what, kinds(r.events()))
		case ev := <-r.ch:
			if f(ev) {
				return ev
			}
		}
	}
}

func kinds(evs []alert.Event) string {
	var b strings.Builder
	for _, ev := range evs {
		b.WriteString(string(ev.Kind) + "/" + string(ev.Alert.Stage) + " ")
	}
	return b.String()
}

func watchTargets(s attack.Staged) *monitor.Watchlist {
	w := monitor.NewWatchlist()
	for _, tg := range s.Targets() {
		w.Add(detect.Protocol{Name: tg.Name, Addresses: []common.Address{tg.Address}})
	}
	return w
}

// running runs m until the test ends and fails the test if Run errs.
func running(t *testing.T, ctx context.Context, m *monitor.Monitor) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Errorf("Run did not return after cancel")
			}
		})
	}
	t.Cleanup(stop)
	select {
	case <-m.Ready():
	case err := <-done:
		t.Fatalf("Run: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("monitor not ready")
	}
	return stop
}

// testLogger logs to t.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// jsonlEvents reads a JSONL alert file.
func jsonlEvents(t *testing.T, path string) []alert.Event {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []alert.Event
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var ev alert.Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, ev)
	}
	return out
}

func openJSONL(t *testing.T, dir string) (*alert.JSONLFile, string) {
	t.Helper()
	p := filepath.Join(dir, "alerts.jsonl")
	j, err := alert.OpenJSONL(alert.JSONLConfig{Path: p})
	if err != nil {
		t.Fatal(err)
	}
	return j, p
}

// proxy is a TCP proxy whose connections the test can cut, and which can
// refuse new ones for a while.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	down   bool
	wg     sync.WaitGroup
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	p.wg.Add(1)
	go p.serve()
	t.Cleanup(func() {
		_ = ln.Close()
		p.cut(false)
		p.wg.Wait()
	})
	return p
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.down {
			p.mu.Unlock()
			_ = c.Close()
			continue
		}
		u, err := net.Dial("tcp", p.target)
		if err != nil {
			p.mu.Unlock()
			_ = c.Close()
			continue
		}
		p.conns = append(p.conns, c, u)
		p.mu.Unlock()
		p.wg.Add(2)
		go func() { defer p.wg.Done(); _, _ = io.Copy(u, c); _ = u.Close() }()
		go func() { defer p.wg.Done(); _, _ = io.Copy(c, u); _ = c.Close() }()
	}
}

// cut closes every open connection; down makes the proxy refuse new ones
// until cut(false) is called again.
func (p *proxy) cut(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.conns = nil
}
