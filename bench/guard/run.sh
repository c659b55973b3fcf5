#!/usr/bin/env bash
# bench/guard/run.sh: response latency of the aegis guard on the embedded
# devnet — first sight of a pending reentrancy exploit → protective pause()
# accepted by the node, 50 trials per iteration, p50/p99 (target p99 < 100 ms).
# The benchmark lives next to the guard's test helpers (internal/guard).
set -euo pipefail
cd "$(dirname "$0")/../.."
go test -run '^$' -bench 'ResponseLatency$' -benchtime 1x ./internal/guard/
