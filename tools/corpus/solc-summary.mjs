// solc-summary.mjs compiles every corpus file (corpus.mjs) with the pinned
// solc-js version its pragmas (and those of its imports) select, asking only
// for the AST, and writes what solc reports about its declarations to
// solidity/parser/testdata/solc/<package>/<path>.json, where TestAgainstSolc
// compares it with our parser's output.
//
// Usage (from tools/corpus, after npm ci):
//
//	node solc-summary.mjs [outdir]
//
// Each summary holds the source unit name, the sha256 of the source, the
// compiler, and either "errors" (solc rejected the file: it is then skipped
// by the comparison) or "decls": one [nodeType, kind, name, start, length]
// per declaration at file and contract level, in source order:
// PragmaDirective, ImportDirective, ContractDefinition (kind contract,
// interface, library; "abstract contract" is kind contract),
// FunctionDefinition (kind function, freeFunction, constructor, fallback,
// receive), ModifierDefinition, EventDefinition, ErrorDefinition,
// StructDefinition, EnumDefinition, VariableDeclaration (state variables and
// file-level constants), UserDefinedValueTypeDefinition, UsingForDirective.
// start and length are solc's "src" byte offset and length; the file index
// is dropped since it depends on the compile job. Names: the pragma's first
// literal, the import's path as written, the using directive's library path
// ("" for the braced form). Output is deterministic.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  astInput, byteOrder, chooseCompiler, files, here, importCallback, loadSolc,
  ozAliasOf, packages, read,
} from './corpus.mjs';

const outRoot = path.resolve(process.argv[2] || path.join(here, '../../solidity/parser/testdata/solc'));

const declTypes = new Set([
  'PragmaDirective', 'ImportDirective', 'ContractDefinition', 'FunctionDefinition',
  'ModifierDefinition', 'EventDefinition', 'ErrorDefinition', 'StructDefinition',
  'EnumDefinition', 'VariableDeclaration', 'UserDefinedValueTypeDefinition',
  'UsingForDirective',
]);

// decl returns the summary tuple of AST node n.
function decl(n) {
  const [start, length] = n.src.split(':').map(Number);
  let kind = '';
  let name = n.name ?? '';
  switch (n.nodeType) {
    case 'PragmaDirective':
      name = n.literals[0];
      break;
    case 'ImportDirective':
      name = n.file;
      break;
    case 'ContractDefinition':
      kind = n.contractKind;
      break;
    case 'FunctionDefinition':
      kind = n.kind ?? (n.isConstructor ? 'constructor' : 'function');
      break;
    case 'UsingForDirective':
      name = n.libraryName ? (n.libraryName.name ?? n.libraryName.namePath ?? '') : '';
      break;
  }
  return [n.nodeType, kind, name, start, length];
}

// summarize returns the declarations of source unit AST ast.
function summarize(ast) {
  const out = [];
  for (const n of ast.nodes) {
    if (!declTypes.has(n.nodeType)) continue;
    out.push(decl(n));
    if (n.nodeType === 'ContractDefinition') {
      for (const m of n.nodes) if (declTypes.has(m.nodeType)) out.push(decl(m));
    }
  }
  return out;
}

// compile runs one AST-only job over names and returns solc's output. A
// crash of the compiler itself (solc-js 0.8.28 runs out of wasm memory on
// all of OZ 5 in one job) is returned as an error.
function compile(version, names, ozAlias) {
  const solc = loadSolc(version);
  let out;
  try {
    out = JSON.parse(solc.compile(JSON.stringify(astInput(names)), { import: importCallback(ozAlias) }));
  } catch (e) {
    return { out: {}, errors: [{ severity: 'error', type: 'CompilerCrash', message: e.message }] };
  }
  const errors = (out.errors || []).filter((e) => e.severity === 'error');
  return { out, errors };
}

// batchSize bounds the files per compile job (see compile).
const batchSize = 64;

function errorText(e) {
  const loc = e.sourceLocation ? `${e.sourceLocation.file}:${e.sourceLocation.start}: ` : '';
  return `${loc}${e.type}: ${e.message}`;
}

// write stores the summary of one corpus file.
function write(pkg, name, summary) {
  const rel = name.slice(pkg.root.length + 1);
  const file = path.join(outRoot, pkg.name, rel + '.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const head = {
    source: name,
    sha256: createHash('sha256').update(read(name)).digest('hex'),
    solc: summary.solc,
  };
  let text = JSON.stringify(head).slice(0, -1);
  if (summary.errors) {
    text += `,"errors":${JSON.stringify(summary.errors)}}\n`;
  } else {
    text += ',"decls":[\n' + summary.decls.map((d) => JSON.stringify(d)).join(',\n') + '\n]}\n';
  }
  fs.writeFileSync(file, text);
}

// summarizeBatch compiles names (files of pkg selecting version v) in one
// job and writes their summaries; it returns the number rejected.
function summarizeBatch(pkg, v, names) {
  const ozAlias = ozAliasOf(pkg);
  const { out, errors } = compile(v, names, ozAlias);
  let rejected = 0;
  for (const name of names) {
    let fileOut = out;
    if (errors.length > 0) {
      // Some file of the batch is rejected: judge each file on its own.
      const r = compile(v, [name], ozAlias);
      if (r.errors.length > 0) {
        write(pkg, name, { solc: v, errors: r.errors.map(errorText) });
        rejected++;
        continue;
      }
      fileOut = r.out;
    }
    const ast = fileOut.sources?.[name]?.ast;
    if (!ast) {
      write(pkg, name, { solc: v, errors: ['solc returned no AST'] });
      rejected++;
      continue;
    }
    write(pkg, name, { solc: v, decls: summarize(ast) });
  }
  process.stderr.write(`${pkg.name}: solc ${v}: ${names.length} files${errors.length ? ` (batch had ${errors.length} errors)` : ''}\n`);
  return rejected;
}

fs.rmSync(outRoot, { recursive: true, force: true });
let total = 0;
let rejected = 0;
for (const pkg of packages) {
  const byVersion = new Map();
  for (const name of files(pkg)) {
    total++;
    const v = chooseCompiler(pkg, name);
    if (v === null) {
      write(pkg, name, { solc: '', errors: ['no pinned solc version satisfies the pragmas'] });
      rejected++;
      continue;
    }
    if (!byVersion.has(v)) byVersion.set(v, []);
    byVersion.get(v).push(name);
  }
  for (const [v, all] of [...byVersion].sort((a, b) => byteOrder(a[0], b[0]))) {
    for (let i = 0; i < all.length; i += batchSize) {
      rejected += summarizeBatch(pkg, v, all.slice(i, i + batchSize));
    }
  }
}
process.stderr.write(`wrote ${total} summaries (${rejected} rejected) to ${outRoot}\n`);
