// corpus.mjs describes the pinned third-party Solidity corpus installed by
// `npm ci` in tools/corpus and the solc-js compilers that build it. It is
// shared by solc-summary.mjs (reference declarations for the parser
// conformance test) and bench/audit/solc-bench.mjs (solc AST timing).
//
// A corpus file is identified by its source unit name: its path below
// tools/corpus/node_modules, e.g. "oz5/token/ERC20/ERC20.sol". Relative
// imports resolve against that name, so every compile job uses these names
// and the import callback reads them from node_modules.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const semver = require('semver');

/** Directory of this script (tools/corpus). */
export const here = path.dirname(fileURLToPath(import.meta.url));
/** The npm install root holding the corpus packages and compilers. */
export const modules = path.join(here, 'node_modules');

/**
 * The corpus packages: name (the testdata directory), root (below
 * node_modules), the directories below root that hold the sources, and the
 * compilers to prefer, in order, before any other pinned one.
 */
export const packages = [
  { name: 'oz3', root: 'oz3', dirs: [''], prefer: ['0.6.12', '0.7.6'] },
  { name: 'oz4', root: 'oz4', dirs: [''], prefer: ['0.8.28'] },
  { name: 'oz5', root: 'oz5', dirs: [''], prefer: ['0.8.28'] },
  { name: 'uv2', root: '@uniswap/v2-core', dirs: ['contracts'], prefer: ['0.5.16'] },
  { name: 'uv3', root: '@uniswap/v3-core', dirs: ['contracts'], prefer: ['0.7.6'] },
];

/** The pinned solc-js versions, newest first (package aliases solc-<v>). */
export const compilers = ['0.8.28', '0.7.6', '0.6.12', '0.5.16'];

const loaded = new Map();

/** loadSolc returns the solc-js wrapper of the pinned version v. */
export function loadSolc(v) {
  if (!loaded.has(v)) {
    const solc = require(`solc-${v}`);
    const long = solc.version();
    if (!long.startsWith(v + '+')) {
      throw new Error(`solc-${v} reports version ${long}; run npm ci in tools/corpus`);
    }
    loaded.set(v, solc);
  }
  return loaded.get(v);
}

/** byteOrder compares strings by UTF-8 bytes, matching Go's sort.Strings. */
export function byteOrder(a, b) {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** sortKeys returns a deep copy of v with object keys in byteOrder (stable JSON output). */
export function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v).sort(byteOrder)) o[k] = sortKeys(v[k]);
    return o;
  }
  return v;
}

function walk(abs, rel, out) {
  for (const ent of fs.readdirSync(abs, { withFileTypes: true })) {
    const p = path.join(abs, ent.name);
    const r = rel ? `${rel}/${ent.name}` : ent.name;
    if (ent.isDirectory()) walk(p, r, out);
    else if (ent.isFile() && ent.name.endsWith('.sol')) out.push(r);
  }
}

/**
 * files returns the source unit names of the .sol files of package pkg in
 * byte order.
 */
export function files(pkg) {
  const out = [];
  for (const d of pkg.dirs) {
    const rel = d ? `${pkg.root}/${d}` : pkg.root;
    const abs = path.join(modules, rel);
    if (!fs.existsSync(abs)) {
      throw new Error(`${abs} missing; run npm ci in tools/corpus`);
    }
    walk(abs, rel, out);
  }
  return out.sort(byteOrder);
}

const contentCache = new Map();

/** read returns the content of source unit name (a node_modules path). */
export function read(name) {
  if (!contentCache.has(name)) {
    contentCache.set(name, fs.readFileSync(path.join(modules, name), 'utf8'));
  }
  return contentCache.get(name);
}

/**
 * resolveName maps an import callback path to a node_modules path: package
 * imports of @openzeppelin/contracts go to the alias of the importing
 * corpus package (callers pass it as ozAlias); everything else is already a
 * node_modules path.
 */
export function resolveName(p, ozAlias) {
  const oz = '@openzeppelin/contracts/';
  if (p.startsWith(oz) && ozAlias) return `${ozAlias}/${p.slice(oz.length)}`;
  return p;
}

/** importCallback returns a solc-js import callback reading node_modules. */
export function importCallback(ozAlias) {
  return (p) => {
    try {
      return { contents: read(resolveName(p, ozAlias)) };
    } catch (e) {
      return { error: `cannot import ${p}: ${e.message}` };
    }
  };
}

// stripComments blanks out comments (approximately: enough to find pragmas
// and imports; string literals containing comment starters are rare in
// import and pragma positions).
function stripComments(src) {
  return src.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
}

/** pragmas returns the `pragma solidity` ranges of src. */
export function pragmas(src) {
  const out = [];
  for (const m of stripComments(src).matchAll(/\bpragma\s+solidity\s+([^;]+);/g)) {
    out.push(m[1].trim());
  }
  return out;
}

/** imports returns the resolved source unit names imported by name. */
export function imports(name, ozAlias) {
  const out = [];
  for (const m of stripComments(read(name)).matchAll(/\bimport\b([^;]*);/g)) {
    const lit = m[1].match(/["']([^"']+)["']/);
    if (!lit) continue;
    let p = lit[1];
    if (p.startsWith('./') || p.startsWith('../')) {
      p = path.posix.normalize(path.posix.join(path.posix.dirname(name), p));
    }
    out.push(resolveName(p, ozAlias));
  }
  return out;
}

/** closure returns name and every source it imports, transitively. */
export function closure(name, ozAlias) {
  const seen = new Set([name]);
  const stack = [name];
  while (stack.length) {
    const n = stack.pop();
    let deps;
    try {
      deps = imports(n, ozAlias);
    } catch {
      continue; // missing file: solc reports it
    }
    for (const d of deps) {
      if (!seen.has(d)) {
        seen.add(d);
        stack.push(d);
      }
    }
  }
  return [...seen];
}

function satisfies(v, ranges) {
  return ranges.every((r) => {
    // Solidity allows `^0.8.0 <0.9.0`-style conjunctions that npm semver
    // parses the same way; `0.8.20` means `=0.8.20` in both.
    const range = semver.validRange(r.replace(/\s+/g, ' '));
    return range !== null && semver.satisfies(v, range);
  });
}

/**
 * chooseCompiler returns the pinned version to compile source unit name of
 * pkg with: the first of pkg.prefer, then of all pinned versions (newest
 * first), satisfying the pragmas of the file and everything it imports, or
 * null if none does.
 */
export function chooseCompiler(pkg, name) {
  const ranges = [];
  for (const n of closure(name, ozAliasOf(pkg))) {
    try {
      ranges.push(...pragmas(read(n)));
    } catch {
      // missing import: solc reports it
    }
  }
  for (const v of [...pkg.prefer, ...compilers]) {
    if (satisfies(v, ranges)) return v;
  }
  return null;
}

/** ozAliasOf returns the @openzeppelin/contracts alias for pkg, if any. */
export function ozAliasOf(pkg) {
  return pkg.root.startsWith('oz') ? pkg.root : null;
}

/**
 * astInput returns the standard JSON input that asks only for the AST of
 * the given sources (their content read from node_modules).
 */
export function astInput(names) {
  const sources = {};
  for (const n of names) sources[n] = { content: read(n) };
  return {
    language: 'Solidity',
    sources,
    settings: { outputSelection: { '*': { '': ['ast'] } } },
  };
}

/** lineCount returns the number of lines of src (newlines, plus a final unterminated line). */
export function lineCount(src) {
  let n = 0;
  for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) n++;
  if (src.length > 0 && src[src.length - 1] !== '\n') n++;
  return n;
}
