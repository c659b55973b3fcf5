#!/usr/bin/env bash
# bench/trace/run.sh: index throughput vs the node's own tracing, and 6-hop
# trace latency on a synthetic SQLite graph. Pass -edges 10000000 for the
# issue's 10M-edge target (builds a ~2 GB database; takes a while).
set -euo pipefail
cd "$(dirname "$0")/../.."
go run ./bench/trace "$@"
