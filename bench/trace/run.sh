#!/usr/bin/env bash
# bench/trace/run.sh: index throughput vs the node's own tracing, and 6-hop
# trace latency on a synthetic graph (SQLite; -pg: a throwaway PostgreSQL,
# -db postgres://…: an existing one). Pass -edges 10000000 -dir DIR for the
# issue's 10M-edge target (a 3.6 GB SQLite database, ≈ 6 min to build; DIR
# keeps it for later runs).
set -euo pipefail
cd "$(dirname "$0")/../.."
go run ./bench/trace "$@"
