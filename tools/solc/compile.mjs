// compile.mjs builds every contracts/src/**/*.sol with the pinned solc-js
// (package.json) and writes one artifact per contract to
// contracts/artifacts/<ContractName>.json plus contracts/artifacts/manifest.json.
//
// Run it through `go generate ./contracts` (see contracts/generate.go), which
// does `npm ci` first. Output is deterministic: object keys are sorted,
// sources are compiled in path order, and artifacts of contracts that no
// longer exist are removed. Contract names must be unique across the tree.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const solc = require('solc');

const COMPILER = '0.8.28';
const here = path.dirname(fileURLToPath(import.meta.url));
// AEGIS_CONTRACTS_DIR overrides the contracts directory (for compiling a
// scratch copy of the tree); it defaults to ../../contracts.
const root = path.resolve(process.env.AEGIS_CONTRACTS_DIR || path.resolve(here, '../../contracts'));
const srcDir = path.join(root, 'src');
const outDir = path.join(root, 'artifacts');

function fail(msg) {
  process.stderr.write(`compile.mjs: ${msg}\n`);
  process.exit(1);
}

const longVersion = solc.version();
if (!longVersion.startsWith(COMPILER + '+')) {
  fail(`solc-js is ${longVersion}, want ${COMPILER}; run npm ci in tools/solc`);
}

// walk returns the .sol files under dir as contracts-relative posix paths.
function walk(dir) {
  const out = [];
  for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
    if (ent.name.startsWith('.') || ent.name.startsWith('_')) continue;
    const p = path.join(dir, ent.name);
    if (ent.isDirectory()) out.push(...walk(p));
    else if (ent.isFile() && ent.name.endsWith('.sol')) {
      out.push(path.relative(root, p).split(path.sep).join('/'));
    }
  }
  return out;
}

// byteOrder compares strings by UTF-8 bytes, matching Go's sort.Strings.
function byteOrder(a, b) {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

// sortKeys returns a deep copy of v with object keys in byte order.
function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v).sort(byteOrder)) o[k] = sortKeys(v[k]);
    return o;
  }
  return v;
}

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

const files = walk(srcDir).sort(byteOrder);
if (files.length === 0) fail(`no .sol files under ${srcDir}`);

const sources = {};
const hashes = {};
let combined = '';
for (const f of files) {
  const content = fs.readFileSync(path.join(root, f));
  hashes[f] = sha256(content);
  // The combined hash is sha256 over "<sha256>  <path>\n" lines in path
  // order (the sha256sum format), recomputed by contracts_test.go.
  combined += `${hashes[f]}  ${f}\n`;
  sources[f] = { content: content.toString('utf8') };
}

const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  viaIR: false,
  outputSelection: {
    '*': {
      '*': [
        'abi',
        'evm.bytecode.object',
        'evm.bytecode.sourceMap',
        'evm.deployedBytecode.object',
        'evm.deployedBytecode.sourceMap',
        'storageLayout',
      ],
      '': ['ast'],
    },
  },
};

function findImports(p) {
  const full = path.resolve(root, p);
  if (!full.startsWith(root + path.sep)) return { error: `import outside contracts/: ${p}` };
  try {
    return { contents: fs.readFileSync(full, 'utf8') };
  } catch (e) {
    return { error: `import ${p}: ${e.message}` };
  }
}

// Each source file is compiled on its own, together with only its import
// closure, so that an artifact depends on nothing but its source and what it
// imports: adding or editing an unrelated file elsewhere in the tree (another
// engineer's protocol) leaves it byte-for-byte unchanged (AST ids and source
// indices would otherwise shift).
const artifacts = {};
const contracts = {};
let warningCount = 0;
for (const f of files) {
  const input = { language: 'Solidity', sources: { [f]: sources[f] }, settings };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const all = output.errors || [];
  const errors = all.filter((e) => e.severity === 'error');
  // Warnings are reported once, by the compilation of the file they are in.
  const warnings = all.filter((e) => e.severity !== 'error' && (!e.sourceLocation || e.sourceLocation.file === f));
  warningCount += warnings.length;
  for (const w of warnings) process.stderr.write(w.formattedMessage + '\n');
  if (errors.length > 0) {
    for (const e of errors) process.stderr.write(e.formattedMessage + '\n');
    fail(`${errors.length} compile error(s) compiling ${f}`);
  }
  const ast = output.sources[f].ast;
  const kinds = {};
  for (const node of ast.nodes) {
    if (node.nodeType !== 'ContractDefinition') continue;
    kinds[node.name] = node.contractKind === 'contract' && node.abstract ? 'abstract' : node.contractKind;
  }
  const byName = output.contracts[f] || {};
  for (const name of Object.keys(byName).sort(byteOrder)) {
    if (artifacts[name]) {
      fail(`duplicate contract name ${name}: declared in ${artifacts[name].sourceName} and ${f}; contract names must be unique across contracts/src`);
    }
    if (name === 'manifest') fail(`contract name "manifest" is reserved (${f})`);
    const c = byName[name];
    const bytecode = c.evm.bytecode.object;
    if (/__\$[0-9a-f]{34}\$__/.test(bytecode)) {
      fail(`${name} (${f}) needs linking to an external library; use internal library functions`);
    }
    artifacts[name] = {
      contractName: name,
      sourceName: f,
      compiler: COMPILER,
      kind: kinds[name] || 'contract',
      abi: c.abi,
      bytecode: bytecode ? '0x' + bytecode : '0x',
      deployedBytecode: c.evm.deployedBytecode.object ? '0x' + c.evm.deployedBytecode.object : '0x',
      sourceMap: c.evm.bytecode.sourceMap || '',
      deployedSourceMap: c.evm.deployedBytecode.sourceMap || '',
      storageLayout: c.storageLayout || { storage: [], types: null },
      ast,
    };
    contracts[name] = { kind: artifacts[name].kind, sourceName: f };
  }
}

fs.mkdirSync(outDir, { recursive: true });
const written = new Set();
for (const name of Object.keys(artifacts).sort(byteOrder)) {
  const file = `${name}.json`;
  fs.writeFileSync(path.join(outDir, file), JSON.stringify(sortKeys(artifacts[name])) + '\n');
  written.add(file);
}

const manifest = {
  compiler: COMPILER,
  compilerLongVersion: longVersion,
  settings: { evmVersion: 'cancun', optimizer: { enabled: true, runs: 200 }, viaIR: false },
  sources: hashes,
  combinedSha256: sha256(combined),
  contracts,
};
fs.writeFileSync(path.join(outDir, 'manifest.json'), JSON.stringify(sortKeys(manifest), null, 2) + '\n');
written.add('manifest.json');

let removed = 0;
for (const f of fs.readdirSync(outDir)) {
  if (f.endsWith('.json') && !written.has(f)) {
    fs.unlinkSync(path.join(outDir, f));
    removed++;
  }
}
process.stdout.write(
  `compiled ${files.length} sources with solc ${longVersion}: ${Object.keys(artifacts).length} artifacts` +
    (removed ? `, removed ${removed} stale` : '') +
    (warningCount ? `, ${warningCount} warning(s)` : '') + '\n',
);
