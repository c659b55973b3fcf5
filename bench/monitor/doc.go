// Package monitorbench benchmarks `aegis monitor` on the embedded devnet:
//
//   - BenchmarkNormalizeAndDetect: single-goroutine throughput of building
//     txmodel.Txs from recorded debug_traceBlockByNumber (callTracer,
//     withLog) output and running every default detector on each of them,
//     in traced transactions per second per core, and the ratio of that
//     processing time to the node's own tracing time for the same blocks;
//   - BenchmarkPendingLatency: a running Monitor on the devnet WebSocket in
//     manual mining; benign swaps and attack-library exploits are sent one
//     at a time and the time from the send call returning to the monitor's
//     pending result (and from the monitor receiving it) is reported as
//     p50/p95/p99;
//   - BenchmarkWatchedMemory: heap in use after GC of a Monitor that has
//     processed the recorded blocks with 100 watched contracts, minus the
//     same with 0;
//   - BenchmarkBackfill: a fresh Monitor's start-up backfill
//     (internal/monitor/backfill.go) over a smaller fixture's blocks, in
//     blocks/s and replayed tx/s, against the node's own
//     debug_traceBlockByNumber time for the same blocks in the same run.
//
// The recorded blocks (testbed deployment, ~500 benign traffic transactions
// and the attack library) are generated at benchmark start on a fresh
// devnet; nothing large is committed. bench/monitor/run.sh runs everything
// and prints a markdown table.
package monitorbench
