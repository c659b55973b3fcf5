package contracts

// Regenerating the artifacts
//
// The Solidity sources under src/ are compiled by the pinned solc-js 0.8.28
// in tools/solc (optimizer on, 200 runs, evmVersion cancun, no via-IR) into
// one JSON artifact per contract under artifacts/, plus artifacts/manifest.json
// holding the sha256 of every source. After editing any .sol file run, from
// the repository root:
//
//	go generate ./contracts
//
// and commit src/ and artifacts/ together. It needs node and npm (the npm
// registry for the first `npm ci`); building and testing the Go code never
// does. TestArtifactsFresh fails when src/ and the manifest disagree.

//go:generate sh -c "cd ../tools/solc && npm ci --silent --no-audit --no-fund && node compile.mjs"
