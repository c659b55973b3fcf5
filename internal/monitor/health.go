package monitor

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Health is the monitor's liveness as /healthz reports it.
type Health struct {
	// OK is false when the node is unreachable, its head is older than
	// Config.MaxHeadAge or the monitor trails it by more than Config.MaxLag
	// blocks; Reason then says which.
	OK        bool   `json:"ok"`
	Reason    string `json:"reason,omitempty"`
	Connected bool   `json:"connected"`
	// Head and LastProcessed are block numbers; HeadAgeSeconds is how long
	// ago the head last changed.
	Head           uint64  `json:"head"`
	LastProcessed  uint64  `json:"last_processed"`
	Lag            uint64  `json:"lag"`
	HeadAgeSeconds float64 `json:"head_age_seconds"`
	MaxHeadAge     string  `json:"max_head_age"`
	MaxLag         uint64  `json:"max_lag"`
}

// Health reports whether the monitor is connected to the node and follows
// a fresh head closely enough.
func (m *Monitor) Health() Health {
	now := m.cfg.Clock()
	m.mu.Lock()
	h := Health{Connected: m.connected.Load(), Head: m.head, MaxHeadAge: m.cfg.MaxHeadAge.String(), MaxLag: m.cfg.MaxLag}
	if m.next > 0 {
		h.LastProcessed = m.next - 1
	}
	age := time.Duration(0)
	if !m.headAt.IsZero() {
		age = now.Sub(m.headAt)
	}
	m.mu.Unlock()
	h.HeadAgeSeconds = age.Seconds()
	if h.Head > h.LastProcessed {
		h.Lag = h.Head - h.LastProcessed
	}
	maxLag := m.cfg.MaxLag + m.cfg.Confirmations
	switch {
	case !h.Connected:
		h.Reason = "not connected to the node at " + redactURL(m.cfg.RPCURL)
	case age > m.cfg.MaxHeadAge:
		h.Reason = fmt.Sprintf("no new head for %s (max_head_age %s): the node is stalled or unreachable", age.Round(time.Second), m.cfg.MaxHeadAge)
	case h.Lag > maxLag:
		h.Reason = fmt.Sprintf("the last processed block trails the head by %d blocks (max_lag %d)", h.Lag, maxLag)
	default:
		h.OK = true
	}
	return h
}

// CaughtUp returns a channel closed once the monitor has processed every
// block up to the head it saw first (the initial backfill).
func (m *Monitor) CaughtUp() <-chan struct{} { return m.caughtUp }

// HealthHandler serves /healthz: 200 with the Health as JSON when healthy,
// 503 with the same JSON (its reason set) otherwise.
func (m *Monitor) HealthHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := m.Health()
		code := http.StatusOK
		if !h.OK {
			code = http.StatusServiceUnavailable
		}
		writeJSON(w, code, h)
	})
}

// ReadyHandler serves /readyz: 503 with a JSON reason until the monitor is
// subscribed and has finished its initial backfill, 200 after.
func (m *Monitor) ReadyHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		type ready struct {
			Ready  bool   `json:"ready"`
			Reason string `json:"reason,omitempty"`
		}
		select {
		case <-m.ready:
		default:
			writeJSON(w, http.StatusServiceUnavailable, ready{Reason: "not subscribed to the node yet"})
			return
		}
		select {
		case <-m.caughtUp:
		default:
			writeJSON(w, http.StatusServiceUnavailable, ready{Reason: "initial backfill in progress"})
			return
		}
		writeJSON(w, http.StatusOK, ready{Ready: true})
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
