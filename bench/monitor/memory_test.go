package monitorbench

import (
	"context"
	"runtime"
	"slices"
	"testing"

	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/txanomaly"
)

// liveHeap returns the live heap (HeapAlloc) and heap in use after two
// full collections.
func liveHeap() (alloc, inuse uint64) {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc, ms.HeapInuse
}

// BenchmarkWatchedMemory measures the memory the monitor's per-chain state
// holds for its watched protocols: a default detector set, a pricer seeded
// with the testbed pools and a watchlist of AEGIS_BENCH_WATCHED (default
// 100) contracts (the fixture's real contracts, padded with never-touched
// synthetic addresses), after every recorded block went through it. It
// reports the live heap after GC with that state retained, minus the same
// with an empty watchlist (the baseline), in MB, and the same delta without
// the transaction-anomaly detector (its per-protocol half-space forests
// dominate). Use -benchtime 1x.
//
//	go test -run '^$' -bench WatchedMemory -benchtime 1x ./bench/monitor/
func BenchmarkWatchedMemory(b *testing.B) {
	f := sharedFixture(b)
	ctx := context.Background()
	p, _, err := newPipeline(ctx, f, 0)
	if err != nil {
		b.Skipf("warm-up pass: %v", err)
	}
	watched := envInt("AEGIS_BENCH_WATCHED", 100)
	// measure returns the retained heap of a processed state watching n,
	// optionally without the transaction-anomaly detector.
	measure := func(n int, noAnomaly bool) (alloc, inuse int64) {
		a0, i0 := liveHeap()
		st := p.newState(n)
		if noAnomaly {
			st.dets = slices.DeleteFunc(st.dets, func(d detect.Detector) bool { return d.Meta().Name == txanomaly.Name })
		}
		if _, err := p.process(ctx, st); err != nil {
			b.Fatal(err)
		}
		a1, i1 := liveHeap()
		runtime.KeepAlive(st)
		return int64(a1) - int64(a0), int64(i1) - int64(i0)
	}
	var base, with, baseInuse, withInuse, noAnom int64
	for b.Loop() {
		base, baseInuse = measure(0, false)
		with, withInuse = measure(watched, false)
		noAnom, _ = measure(watched, true)
	}
	const mb = 1 << 20
	b.ReportMetric(float64(base)/mb, "MB-0-watched")
	b.ReportMetric(float64(with)/mb, "MB-watched")
	b.ReportMetric(float64(with-base)/mb, "MB-delta")
	b.ReportMetric(float64(withInuse-baseInuse)/mb, "MB-inuse-delta")
	b.ReportMetric(float64(noAnom-base)/mb, "MB-delta-no-anomaly")
	b.ReportMetric(float64(watched), "watched")
}
