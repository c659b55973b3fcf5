#!/usr/bin/env bash
# bench/trace/run.sh: index throughput vs the node's own tracing, and 6-hop
# trace latency on a synthetic graph (SQLite; -pg: a throwaway PostgreSQL,
# -db postgres://…: an existing one). Pass -edges 10000000 -dir DIR for the
# issue's 10M-edge target (a 3.6 GB SQLite database, ≈ 6 min to build; DIR
# keeps it for later runs). -plant 30 adds 30 laundering flows to the same
# graph and reports their traces' latency, depth and recall of final holders.
set -euo pipefail
cd "$(dirname "$0")/../.."
go run ./bench/trace "$@"
