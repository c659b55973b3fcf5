package monitor

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the monitor's Prometheus metrics. They are registered on an
// injected Registerer (no global state); a nil *Metrics records nothing.
type Metrics struct {
	blocks          prometheus.Counter
	headLag         prometheus.Gauge
	txs             prometheus.Counter
	pendingSim      prometheus.Counter
	alerts          *prometheus.CounterVec
	detectorLatency *prometheus.HistogramVec
	reorgs          prometheus.Counter
	reconnects      prometheus.Counter
	outDepth        *prometheus.GaugeVec
	outDelivered    *prometheus.CounterVec
	outFailures     *prometheus.CounterVec
	outDropped      *prometheus.CounterVec
}

// NewMetrics creates the monitor's metrics and registers them on reg:
// aegis_monitor_blocks_processed_total, _head_lag_blocks,
// _transactions_processed_total, _pending_simulated_total,
// _alerts_total{detector,severity}, _detector_latency_seconds{detector},
// _reorgs_total, _reconnects_total, and the alert outbox's
// _outbox_depth{sink}, _outbox_delivered_total{sink},
// _outbox_failures_total{sink} (failed attempts) and
// _outbox_dropped_total{sink,reason} (reason full: evicted from a full
// queue; gave_up: abandoned after its last attempt or a permanent error).
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	const ns, sub = "aegis", "monitor"
	m := &Metrics{
		blocks: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "blocks_processed_total", Help: "Blocks fully processed."}),
		headLag: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: ns, Subsystem: sub,
			Name: "head_lag_blocks", Help: "Chain head minus the last processed block."}),
		txs: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "transactions_processed_total", Help: "Mined transactions inspected."}),
		pendingSim: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "pending_simulated_total", Help: "Pending transactions simulated."}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "alerts_total", Help: "Detector observations by detector and severity."}, []string{"detector", "severity"}),
		detectorLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: ns, Subsystem: sub,
			Name: "detector_latency_seconds", Help: "Time spent in Detector.Inspect.",
			Buckets: prometheus.ExponentialBuckets(0.00005, 4, 10)}, []string{"detector"}),
		reorgs: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "reorgs_total", Help: "Chain reorganisations handled."}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "reconnects_total", Help: "RPC reconnections."}),
		outDepth: prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: ns, Subsystem: sub,
			Name: "outbox_depth", Help: "Alert events queued for delivery, by sink."}, []string{"sink"}),
		outDelivered: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "outbox_delivered_total", Help: "Alert events delivered, by sink."}, []string{"sink"}),
		outFailures: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "outbox_failures_total", Help: "Failed delivery attempts, by sink."}, []string{"sink"}),
		outDropped: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: ns, Subsystem: sub,
			Name: "outbox_dropped_total", Help: "Alert events never delivered, by sink and reason (full, gave_up)."}, []string{"sink", "reason"}),
	}
	if reg == nil {
		return m, nil
	}
	var errs []error
	for _, c := range []prometheus.Collector{m.blocks, m.headLag, m.txs, m.pendingSim, m.alerts, m.detectorLatency, m.reorgs, m.reconnects, m.outDepth, m.outDelivered, m.outFailures, m.outDropped} {
		errs = append(errs, reg.Register(c))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return m, nil
}

func (m *Metrics) block(lag uint64) {
	if m == nil {
		return
	}
	m.blocks.Inc()
	m.headLag.Set(float64(lag))
}

func (m *Metrics) lag(lag uint64) {
	if m != nil {
		m.headLag.Set(float64(lag))
	}
}

func (m *Metrics) tx() {
	if m != nil {
		m.txs.Inc()
	}
}

func (m *Metrics) simulated() {
	if m != nil {
		m.pendingSim.Inc()
	}
}

func (m *Metrics) alert(detector, severity string) {
	if m != nil {
		m.alerts.WithLabelValues(detector, severity).Inc()
	}
}

func (m *Metrics) latency(detector string, d time.Duration) {
	if m != nil {
		m.detectorLatency.WithLabelValues(detector).Observe(d.Seconds())
	}
}

func (m *Metrics) reorg() {
	if m != nil {
		m.reorgs.Inc()
	}
}

func (m *Metrics) reconnect() {
	if m != nil {
		m.reconnects.Inc()
	}
}

func (m *Metrics) outboxDepth(sink string, n int64) {
	if m != nil {
		m.outDepth.WithLabelValues(sink).Set(float64(n))
	}
}

func (m *Metrics) outboxDelivered(sink string) {
	if m != nil {
		m.outDelivered.WithLabelValues(sink).Inc()
	}
}

func (m *Metrics) outboxFailed(sink string) {
	if m != nil {
		m.outFailures.WithLabelValues(sink).Inc()
	}
}

func (m *Metrics) outboxDropped(sink, reason string, n int) {
	if m != nil {
		m.outDropped.WithLabelValues(sink, reason).Add(float64(n))
	}
}
