#!/usr/bin/env bash
# bench/audit/run.sh: installs the pinned corpus and tools (npm ci in
# tools/corpus), builds the aegis CLI and runs the side-by-side benchmark
# (aegis parse / aegis audit / solc-js AST / solhint), printing a markdown
# table. Extra arguments go to the Go driver, e.g.
#
#	bench/audit/run.sh              # full run (~5 min on 2 cores)
#	bench/audit/run.sh -solc batch  # skip the slow per-file solc pass
#
# See bench/audit/main.go and docs/bench-audit.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -d tools/corpus/node_modules ] || [ tools/corpus/package-lock.json -nt tools/corpus/node_modules/.package-lock.json ]; then
	(cd tools/corpus && npm ci --silent --no-audit --no-fund)
fi

bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/aegis" ./cmd/aegis
go build -o "$bin/bench-audit" ./bench/audit

echo "aegis $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(go version | cut -d' ' -f3), node $(node --version), $(nproc) cores" >&2
"$bin/bench-audit" -aegis "$bin/aegis" "$@"
