#!/usr/bin/env bash
# bench/risk/run.sh: aegis risk — offline bytecode scoring (contracts/s on
# one core, p50/p99 per contract), one full node-mode token report on the
# devnet and on Anvil (p50/p99 over the 27-token testbed; target p99 <
# 500 ms), and the GoPlus API with a warm cache (req/s). The benchmarks live
# next to the engine's tests (internal/risk). The real-world corpus (OZ 3/4/5,
# solmate, Uniswap v2, risk testbed; solc 0.5.16-0.8.28, optimizer off / 200 /
# 1e6 / via-IR) is compiled by corpus.mjs into AEGIS_RISK_CORPUS (default
# ${TMPDIR:-/tmp}/aegis-risk-corpus; compile jobs already there are reused).
set -euo pipefail
cd "$(dirname "$0")/../.."
export AEGIS_RISK_CORPUS="${AEGIS_RISK_CORPUS:-${TMPDIR:-/tmp}/aegis-risk-corpus}"
node bench/risk/corpus.mjs "$AEGIS_RISK_CORPUS"
GOMAXPROCS=1 go test -run '^$' -bench 'Offline$' -benchtime 20x ./internal/risk/
GOMAXPROCS=1 go test -run '^$' -bench 'OfflineCorpus$' -benchtime 3x -timeout 60m ./internal/risk/
go test -run '^$' -bench 'Node(Devnet|Anvil)$' -benchtime 10x ./internal/risk/
go test -run '^$' -bench 'ServeWarm$' -benchtime 300x ./internal/risk/
