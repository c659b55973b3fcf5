#!/usr/bin/env bash
# bench/risk/run.sh: aegis risk — offline bytecode scoring (contracts/s on
# one core, p50/p99 per contract), one full node-mode token report on the
# devnet and on Anvil (p50/p99 over the 27-token testbed; target p99 <
# 500 ms), and the GoPlus API with a warm cache (req/s). The benchmarks live
# next to the engine's tests (internal/risk).
set -euo pipefail
cd "$(dirname "$0")/../.."
GOMAXPROCS=1 go test -run '^$' -bench 'Offline$' -benchtime 20x ./internal/risk/
go test -run '^$' -bench 'Node(Devnet|Anvil)$' -benchtime 10x ./internal/risk/
go test -run '^$' -bench 'ServeWarm$' -benchtime 300x ./internal/risk/
