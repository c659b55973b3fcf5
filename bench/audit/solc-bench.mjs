// solc-bench.mjs times solc-js AST generation (standard JSON, output
// selection "ast" only, as `solc --ast-compact-json` does) for the files of
// the benchmark corpus that one pinned compiler version builds. It is run by
// bench/audit (main.go) once per version, in a fresh node process, so that
// node start-up, the compiler load and the compilation are told apart:
//
//	node bench/audit/solc-bench.mjs VERSION [perfile|batch]...
//
// The corpus is the one of tools/corpus/corpus.mjs (each file assigned to the
// pinned version its pragmas select) plus contracts/src (solc 0.8.28). Modes:
//
//   - perfile: one compile job per file (the file plus the imports it pulls
//     in through the import callback), as a per-file tool would run solc;
//   - batch: jobs of up to 64 files that share the imports, so every file is
//     analyzed once (a lower bound for solc's cost; one job of all of OZ 5
//     exhausts solc-js 0.8.28's wasm memory).
//
// It prints one JSON object: version, files, load_ms (requiring the
// compiler), and per mode the milliseconds and the number of files solc
// rejected.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = await import(path.join(here, '../../tools/corpus/corpus.mjs'));
const contractsRoot = path.join(here, '../../contracts');

const [version, ...modes] = process.argv.slice(2);
if (!corpus.compilers.includes(version)) {
  process.stderr.write(`solc-bench.mjs: unknown version ${version}; pinned: ${corpus.compilers.join(', ')}\n`);
  process.exit(2);
}

// jobs lists the compile groups of this version: files (source unit names)
// with the reader and import callback they need.
const groups = [];
for (const pkg of corpus.packages) {
  const names = corpus.files(pkg).filter((n) => corpus.chooseCompiler(pkg, n) === version);
  if (names.length === 0) continue;
  groups.push({ names, read: corpus.read, callback: corpus.importCallback(corpus.ozAliasOf(pkg)) });
}
if (version === '0.8.28') {
  const names = [];
  const walk = (dir) => {
    for (const ent of fs.readdirSync(path.join(contractsRoot, dir), { withFileTypes: true })) {
      const rel = `${dir}/${ent.name}`;
      if (ent.isDirectory()) walk(rel);
      else if (ent.isFile() && ent.name.endsWith('.sol')) names.push(rel);
    }
  };
  walk('src');
  names.sort(corpus.byteOrder);
  const read = (n) => fs.readFileSync(path.join(contractsRoot, n), 'utf8');
  const callback = (p) => {
    try {
      return { contents: read(p) };
    } catch (e) {
      return { error: `cannot import ${p}: ${e.message}` };
    }
  };
  groups.push({ names, read, callback });
}

// Read every source before timing, so that disk I/O is not measured.
for (const g of groups) {
  g.inputs = new Map(g.names.map((n) => [n, g.read(n)]));
}

const t0 = performance.now();
const solc = corpus.loadSolc(version);
const loadMs = performance.now() - t0;

// compile runs one AST-only job and returns whether solc reported an error.
function compile(g, names) {
  const sources = {};
  for (const n of names) sources[n] = { content: g.inputs.get(n) };
  const input = { language: 'Solidity', sources, settings: { outputSelection: { '*': { '': ['ast'] } } } };
  let out;
  try {
    out = JSON.parse(solc.compile(JSON.stringify(input), { import: g.callback }));
  } catch {
    return true;
  }
  return (out.errors || []).some((e) => e.severity === 'error');
}

const result = { version, files: groups.reduce((n, g) => n + g.names.length, 0), load_ms: loadMs };
for (const mode of modes.length ? modes : ['perfile', 'batch']) {
  let rejected = 0;
  const start = performance.now();
  for (const g of groups) {
    if (mode === 'perfile') {
      for (const n of g.names) if (compile(g, [n])) rejected++;
    } else if (mode === 'batch') {
      for (let i = 0; i < g.names.length; i += 64) {
        const chunk = g.names.slice(i, i + 64);
        if (compile(g, chunk)) rejected += chunk.length;
      }
    } else {
      process.stderr.write(`solc-bench.mjs: unknown mode ${mode}\n`);
      process.exit(2);
    }
  }
  result[mode] = { ms: performance.now() - start, rejected };
}
process.stdout.write(JSON.stringify(result) + '\n');
