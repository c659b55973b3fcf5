#!/usr/bin/env bash
# Installs the pinned Anvil (npm @foundry-rs/anvil-linux-amd64, pinned in
# tools/anvil/package.json + package-lock.json) and benchmarks the aegis devnet
# against it. Prints a markdown table. Extra arguments go to the benchmark
# program, e.g.
#   bench/devnet/run.sh -txs 5000 -batch 200
set -euo pipefail
cd "$(dirname "$0")/../../tools/anvil"
npm ci --no-audit --no-fund --silent
cd ../../bench/devnet
go run . "$@"
