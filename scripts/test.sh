#!/usr/bin/env bash
# The aegis test command (README "Run the tests"): installs the pinned npm
# tools the tests use, then runs the whole Go test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

# Pinned Anvil for the tests and benchmarks that compare against a real
# third-party node (tools/anvil/package-lock.json pins the exact version).
if [ ! -x tools/anvil/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ]; then
	(cd tools/anvil && npm ci --silent --no-audit --no-fund)
fi
export AEGIS_ANVIL="$PWD/tools/anvil/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"

# Pinned third-party Solidity corpus (OpenZeppelin 3/4/5, Uniswap v2/v3, solc-js,
# solhint) for the parser-vs-solc comparison and the corpus parse test.
if [ ! -d tools/corpus/node_modules ] || [ tools/corpus/package-lock.json -nt tools/corpus/node_modules/.package-lock.json ]; then
	(cd tools/corpus && npm ci --silent --no-audit --no-fund)
fi
export AEGIS_CORPUS_DIR="$PWD/tools/corpus/node_modules"

go test -count=1 -timeout 15m "$@" ./...
