#!/usr/bin/env bash
# Runs the `aegis monitor` benchmarks on the embedded devnet and prints a
# markdown table. Each benchmark builds its own devnet; nothing is
# downloaded. Environment knobs (defaults in brackets):
#   AEGIS_BENCH_TRAFFIC_TXS [500]  benign traffic txs recorded for throughput/memory
#   AEGIS_BENCH_PENDING_SWAPS [200] benign pending swaps for the latency run
#   AEGIS_BENCH_ATTACK_ROUNDS [2]  attack-library rounds for the latency run
#   AEGIS_BENCH_WATCHED [100]      watched contracts for the memory run
#   AEGIS_BENCH_BACKFILL_TXS [200] benign traffic txs for the backfill run
#   BACKFILLS [3]                  timed monitor start-ups (backfills)
#   PASSES [20]                    timed passes over the recorded blocks
set -euo pipefail
cd "$(dirname "$0")/../.."
pkg=./bench/monitor/
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
passes=${PASSES:-20}
backfills=${BACKFILLS:-3}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# Throughput on one core: GOMAXPROCS=1 (-cpu 1), so the GC shares the core.
go test -run '^$' -bench 'NormalizeAndDetect$' -benchtime "${passes}x" -cpu 1 -benchmem "$pkg" | tee "$out/tp.txt" >&2
go test -run '^$' -bench 'WatchedMemory$' -benchtime 1x "$pkg" | tee "$out/mem.txt" >&2
go test -run '^$' -bench 'PendingLatency$' -benchtime 1x "$pkg" | tee "$out/lat.txt" >&2
go test -run '^$' -bench 'Backfill$' -benchtime "${backfills}x" "$pkg" | tee "$out/bf.txt" >&2
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# m FILE UNIT prints the value reported with UNIT on the Benchmark line;
# n FILE UNIT prints it as an integer (counts).
m() {
	awk -v u="$2" '/^Benchmark/ { for (i = 3; i < NF; i++) if ($(i+1) == u) { print $i; exit } }' "$1"
}
n() { printf '%.0f' "$(m "$1" "$2")"; }
for f in tp mem lat bf; do
	if ! grep -q '^Benchmark' "$out/$f.txt"; then
		echo "benchmark $f did not run (skipped?); see its output above" >&2
		exit 1
	fi
done

cat <<TABLE
| Measure | Target | Result |
|---|---|---|
| Normalize + detect, 1 core (GOMAXPROCS=1), $(n "$out/tp.txt" txs/pass) recorded txs × ${passes} passes | ≥ 2,000 tx/s | **$(n "$out/tp.txt" tx/s) tx/s** ($(m "$out/tp.txt" µs/tx) µs/tx, $(n "$out/tp.txt" allocs/op) allocs/pass) |
| … per second of CPU time the process was given (getrusage; not inflated by waiting for a core) | | **$(n "$out/tp.txt" tx/cpu-s) tx/CPU-s** |
| Our processing vs the node's debug_traceBlockByNumber, same blocks | — | $(m "$out/tp.txt" ours-ms) ms vs $(m "$out/tp.txt" node-trace-ms) ms = **$(m "$out/tp.txt" ours/node)×** |
| Pending, send returned → monitor result, all $(n "$out/lat.txt" pending-txs) txs p50 / p95 / p99 | p99 < 50 ms | $(m "$out/lat.txt" send-p50-ms) / $(m "$out/lat.txt" send-p95-ms) / **$(m "$out/lat.txt" send-p99-ms)** ms (max $(m "$out/lat.txt" send-max-ms)) |
| … benign swaps only | | $(m "$out/lat.txt" benign-p50-ms) / $(m "$out/lat.txt" benign-p95-ms) / $(m "$out/lat.txt" benign-p99-ms) ms |
| … attack exploit txs only ($(n "$out/lat.txt" attack-txs-alerted) of $(n "$out/lat.txt" attack-txs) alerted while pending, $(n "$out/lat.txt" attack-txs-simulated) simulated) | | $(m "$out/lat.txt" attack-p50-ms) / $(m "$out/lat.txt" attack-p95-ms) / $(m "$out/lat.txt" attack-p99-ms) ms |
| … simulated txs only ($(n "$out/lat.txt" simulated-txs)) | | $(m "$out/lat.txt" simulated-p50-ms) / $(m "$out/lat.txt" simulated-p95-ms) / $(m "$out/lat.txt" simulated-p99-ms) ms |
| Pending, monitor SeenAt → DoneAt p50 / p95 / p99 | | $(m "$out/lat.txt" seen-p50-ms) / $(m "$out/lat.txt" seen-p95-ms) / $(m "$out/lat.txt" seen-p99-ms) ms |
| Heap for $(n "$out/mem.txt" watched) watched contracts (detectors + pricer + watchlist after the recorded blocks, minus 0 watched) | < 50 MB | **$(m "$out/mem.txt" MB-delta) MB** (in-use $(m "$out/mem.txt" MB-inuse-delta) MB) |
| … without the tx-anomaly detector | | $(m "$out/mem.txt" MB-delta-no-anomaly) MB |
| Start-up backfill, $(n "$out/bf.txt" blocks) blocks ($(n "$out/bf.txt" chain-txs) txs, $(n "$out/bf.txt" replayed-txs) touching watched contracts replayed), mean of ${backfills} | — | **$(m "$out/bf.txt" blocks/s) blocks/s, $(m "$out/bf.txt" tx/s) tx/s** ($(m "$out/bf.txt" ours-ms) ms) |
| … vs the node's debug_traceBlockByNumber, same blocks, same run | — | $(m "$out/bf.txt" ours-ms) ms vs $(m "$out/bf.txt" node-trace-ms) ms = **$(m "$out/bf.txt" ours/node)×** |

Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(go version | cut -d' ' -f3); load average before ${load_before}, after ${load_after}.
TABLE
