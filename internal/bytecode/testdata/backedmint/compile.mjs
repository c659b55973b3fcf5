// compile.mjs compiles Fixtures.sol (importing OpenZeppelin 5 from the
// pinned corpus in tools/corpus) with the pinned solc-js 0.8.28 in three
// settings — legacy codegen without and with the optimizer, and via-IR —
// and writes runtimes.json ({setting: {contract: {runtime, methods}}}; the
// r200 entries also carry creation code and ABI, for node-mode tests).
//
// Usage (from the repository root, after npm ci in tools/corpus):
//   node internal/bytecode/testdata/backedmint/compile.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSolc, importCallback, sortKeys } from '../../../../tools/corpus/corpus.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SETTINGS = {
  legacy: { optimizer: { enabled: false } },
  r200: { optimizer: { enabled: true, runs: 200 } },
  ir: { optimizer: { enabled: true, runs: 200 }, viaIR: true },
};

const solc = loadSolc('0.8.28');
const src = fs.readFileSync(path.join(here, 'Fixtures.sol'), 'utf8');
const out = { compiler: solc.version(), settings: SETTINGS, runtimes: {} };
for (const [name, s] of Object.entries(SETTINGS)) {
  const input = {
    language: 'Solidity',
    sources: { 'Fixtures.sol': { content: src } },
    settings: {
      ...s,
      evmVersion: 'cancun',
      outputSelection: { 'Fixtures.sol': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object', 'evm.methodIdentifiers'] } },
    },
  };
  const res = JSON.parse(solc.compile(JSON.stringify(input), { import: importCallback('oz5') }));
  const errors = (res.errors || []).filter((e) => e.severity === 'error');
  if (errors.length) {
    for (const e of errors) process.stderr.write(e.formattedMessage + '\n');
    process.exit(1);
  }
  const set = {};
  for (const [c, v] of Object.entries(res.contracts['Fixtures.sol'])) {
    if (!v.evm.deployedBytecode.object) continue;
    set[c] = { runtime: '0x' + v.evm.deployedBytecode.object, methods: v.evm.methodIdentifiers };
    if (name === 'r200') {
      set[c].creation = '0x' + v.evm.bytecode.object;
      set[c].abi = v.abi;
    }
  }
  out.runtimes[name] = set;
}
fs.writeFileSync(path.join(here, 'runtimes.json'), JSON.stringify(sortKeys(out), null, 1) + '\n');
process.stdout.write(`compiled ${Object.keys(SETTINGS).length} settings with solc ${solc.version()}\n`);
