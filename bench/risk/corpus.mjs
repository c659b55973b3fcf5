// corpus.mjs builds the real-world token corpus of the offline risk
// benchmark (BenchmarkOfflineCorpus in internal/risk): ERC-20 tokens from the
// pinned npm corpus (OpenZeppelin 3/4/5 ERC-20 with every combination of
// their stock extensions and owner models, solmate ERC-20, Uniswap v2
// pair/ERC-20) and the risk testbed sources (contracts/src/risktokens),
// compiled with the pinned solc-js 0.5.16, 0.6.12, 0.7.6 and 0.8.28 and
// varied optimizer settings (off, runs 200, runs 1e6, via-IR).
//
// Usage: node bench/risk/corpus.mjs <outdir>
//
// Each compile job writes <outdir>/<job>.json ({contract: runtime hex}); a job
// whose file exists is not recompiled, so reruns are cheap. Nothing is
// committed: the corpus is rebuilt at benchmark time.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSolc, importCallback, read } from '../../tools/corpus/corpus.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: node bench/risk/corpus.mjs <outdir>\n');
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });

// Optimizer settings. viaIR and the paris target only on 0.8.28.
const SETTINGS = {
  off: { optimizer: { enabled: false } },
  r200: { optimizer: { enabled: true, runs: 200 } },
  r1m: { optimizer: { enabled: true, runs: 1000000 } },
  ir: { optimizer: { enabled: true, runs: 200 }, viaIR: true },
  // Pre-Shanghai target (no PUSH0), as for chains without it.
  paris: { optimizer: { enabled: true, runs: 200 }, evmVersion: 'paris' },
};

// subsets returns every subset of xs.
function subsets(xs) {
  const outs = [[]];
  for (const x of xs) for (const s of outs.slice()) outs.push([...s, x]);
  return outs;
}

// ovr emits an explicit override when a chosen base overrides fn (another
// ERC20-derived base reaches ERC20's version without passing through it).
function ovr(chosen, defs, sig, call, ret) {
  const by = chosen.filter((e) => defs.includes(e));
  if (by.length < 1) return '';
  const list = (ret.base ?? ['ERC20']).concat(by).join(', ');
  return `  function ${sig} override(${list})${ret.returns ?? ''} { ${ret.returns ? 'return ' : ''}super.${call}; }\n`;
}

// ozToken writes one OpenZeppelin ERC-20 wrapper.
function ozToken(v, name, exts, permit, owner) {
  const imp = (p) => `import "${v}/${p}.sol";\n`;
  const extPath = v === 'oz3' ? 'token/ERC20/' : 'token/ERC20/extensions/';
  let src = `// SPDX-License-Identifier: MIT\npragma solidity ${v === 'oz3' ? '>=0.6.0 <0.8.0' : '^0.8.20'};\n`;
  src += imp('token/ERC20/ERC20');
  const bases = ['ERC20', ...exts];
  if (permit >= 1) bases.push('ERC20Permit');
  if (permit === 2) bases.push('ERC20Votes');
  for (const b of bases.slice(1)) src += imp((v === 'oz3' && b === 'ERC20Permit' ? 'drafts/' : extPath) + b);
  if (owner === 'own') { src += imp('access/Ownable'); bases.push('Ownable'); }
  if (owner === 'ac') { src += imp('access/AccessControl'); bases.push('AccessControl'); }
  const all = bases;
  src += `contract ${name} is ${bases.join(', ')} {\n`;
  if (owner === 'ac') src += '  bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");\n';
  const vis = v === 'oz3' ? ' public' : '';
  let ctor = `  constructor()${vis} ERC20("${name}", "TK")`;
  if (exts.includes('ERC20Capped')) ctor += ' ERC20Capped(1e27)';
  if (permit >= 1) ctor += ` ERC20Permit("${name}")`;
  if (owner === 'own' && v === 'oz5') ctor += ' Ownable(msg.sender)';
  ctor += ' {\n';
  if (owner === 'ac') ctor += `    _${v === 'oz3' ? 'setupRole' : 'grantRole'}(DEFAULT_ADMIN_ROLE, msg.sender);\n`;
  ctor += '    _mint(msg.sender, 1e24);\n';
  src += ctor + '  }\n';
  const guard = owner === 'own' ? 'onlyOwner ' : '';
  const req = owner === 'ac' ? `    require(hasRole(MINTER_ROLE, msg.sender), "minter");\n` : '';
  if (owner !== 'none') {
    src += `  function mint(address to, uint256 amount) public ${guard}{\n${req}    _mint(to, amount);\n  }\n`;
    if (exts.includes('ERC20Pausable')) {
      src += `  function pause() public ${guard}{\n${req}    _pause();\n  }\n`;
      src += `  function unpause() public ${guard}{\n${req}    _unpause();\n  }\n`;
    }
    if (exts.includes('ERC20Snapshot')) src += `  function snapshot() public ${guard}{\n${req}    _snapshot();\n  }\n`;
  }
  const A = 'address from, address to, uint256 amount';
  if (v === 'oz3') {
    src += ovr(all, ['ERC20Capped', 'ERC20Pausable', 'ERC20Snapshot'], `_beforeTokenTransfer(${A}) internal`, '_beforeTokenTransfer(from, to, amount)', {});
  } else if (v === 'oz4') {
    src += ovr(all, ['ERC20Pausable', 'ERC20Snapshot'], `_beforeTokenTransfer(${A}) internal`, '_beforeTokenTransfer(from, to, amount)', {});
    src += ovr(all, ['ERC20Votes'], `_afterTokenTransfer(${A}) internal`, '_afterTokenTransfer(from, to, amount)', {});
    src += ovr(all, ['ERC20Capped', 'ERC20Votes'], '_mint(address account, uint256 amount) internal', '_mint(account, amount)', {});
    src += ovr(all, ['ERC20Votes'], '_burn(address account, uint256 amount) internal', '_burn(account, amount)', {});
  } else {
    src += ovr(all, ['ERC20Capped', 'ERC20Pausable', 'ERC20Votes'], '_update(address from, address to, uint256 value) internal', '_update(from, to, value)', {});
    if (permit === 2) src += '  function nonces(address o) public view override(ERC20Permit, Nonces) returns (uint256) { return super.nonces(o); }\n';
  }
  src += '}\n';
  return src;
}

// ozJobs returns the sources of every OpenZeppelin wrapper of version v.
function ozSources(v, exts, permits) {
  const srcs = {};
  let i = 0;
  for (const ex of subsets(exts)) {
    for (const permit of permits) {
      for (const owner of ['none', 'own', 'ac']) {
        const name = `${v.toUpperCase()}Tok${i++}`;
        srcs[`wrap/${name}.sol`] = { content: ozToken(v, name, ex, permit, owner) };
      }
    }
  }
  return srcs;
}

// pick keeps every k-th source (a deterministic sample).
function pick(srcs, k) {
  const o = {};
  Object.keys(srcs).sort().forEach((n, i) => { if (i % k === 0) o[n] = srcs[n]; });
  return o;
}

function solmateSources() {
  const s = {};
  const variants = {
    SmFixed: 'constructor() ERC20("F", "F", 18) { _mint(msg.sender, 1e24); }',
    SmOwnedMint: 'address public owner = msg.sender; constructor() ERC20("M", "M", 18) {} function mint(address to, uint256 a) external { require(msg.sender == owner, "owner"); _mint(to, a); }',
    SmBurn: 'constructor() ERC20("B", "B", 18) { _mint(msg.sender, 1e24); } function burn(uint256 a) external { _burn(msg.sender, a); }',
    SmOwnedMintBurn: 'address public owner = msg.sender; constructor() ERC20("O", "O", 6) {} function mint(address to, uint256 a) external { require(msg.sender == owner, "owner"); _mint(to, a); } function burn(address f, uint256 a) external { require(msg.sender == owner, "owner"); _burn(f, a); } function setOwner(address o) external { require(msg.sender == owner, "owner"); owner = o; }',
  };
  for (const [n, body] of Object.entries(variants)) {
    s[`wrap/${n}.sol`] = { content: `// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\nimport "solmate/src/tokens/ERC20.sol";\ncontract ${n} is ERC20 { ${body} }\n` };
  }
  return s;
}

function uniswapSources() {
  const s = {
    '@uniswap/v2-core/contracts/UniswapV2Pair.sol': { content: read('@uniswap/v2-core/contracts/UniswapV2Pair.sol') },
  };
  const variants = {
    UvFixed: 'constructor() public { _mint(msg.sender, 1e24); }',
    UvOwnedMint: 'address public owner = msg.sender; function mint(address to, uint a) external { require(msg.sender == owner, "owner"); _mint(to, a); }',
    UvBurn: 'constructor() public { _mint(msg.sender, 1e24); } function burn(uint a) external { _burn(msg.sender, a); }',
  };
  for (const [n, body] of Object.entries(variants)) {
    s[`wrap/${n}.sol`] = { content: `pragma solidity =0.5.16;\nimport "@uniswap/v2-core/contracts/UniswapV2ERC20.sol";\ncontract ${n} is UniswapV2ERC20 { ${body} }\n` };
  }
  return s;
}

function riskSources() {
  const s = {};
  const dir = path.join(repo, 'contracts/src/risktokens');
  for (const f of fs.readdirSync(dir).sort()) {
    if (f.endsWith('.sol')) s[`contracts/src/risktokens/${f}`] = { content: fs.readFileSync(path.join(dir, f), 'utf8') };
  }
  return s;
}

// repoImports reads contracts/… imports from this repository and everything
// else from the corpus node_modules.
function imports(ozAlias) {
  const corpus = importCallback(ozAlias);
  return (p) => {
    if (p.startsWith('contracts/')) {
      try {
        return { contents: fs.readFileSync(path.join(repo, p), 'utf8') };
      } catch (e) {
        return { error: `cannot import ${p}: ${e.message}` };
      }
    }
    return corpus(p);
  };
}

const jobs = [];
for (const solc of ['0.6.12', '0.7.6']) {
  const srcs = ozSources('oz3', ['ERC20Burnable', 'ERC20Capped', 'ERC20Pausable', 'ERC20Snapshot'], [0]);
  for (const st of ['off', 'r200', 'r1m']) jobs.push({ id: `oz3-${solc}-${st}`, solc, st, srcs, oz: 'oz3' });
}
{
  // 0.6.12 and 0.7.6 emit the same runtime for the plain wrappers: the
  // draft EIP-2612 permit (oz3 drafts/, pragma >=0.6.5) adds new ones.
  const srcs = ozSources('oz3', ['ERC20Burnable', 'ERC20Capped', 'ERC20Pausable', 'ERC20Snapshot'], [1]);
  for (const st of ['off', 'r200', 'r1m']) jobs.push({ id: `oz3permit-0.7.6-${st}`, solc: '0.7.6', st, srcs, oz: 'oz3' });
}
{
  const srcs = ozSources('oz4', ['ERC20Burnable', 'ERC20Capped', 'ERC20Pausable', 'ERC20Snapshot', 'ERC20FlashMint'], [0, 1, 2]);
  jobs.push({ id: 'oz4-0.8.28-r200', solc: '0.8.28', st: 'r200', srcs, oz: 'oz4' });
  jobs.push({ id: 'oz4-0.8.28-off', solc: '0.8.28', st: 'off', srcs, oz: 'oz4' });
  jobs.push({ id: 'oz4-0.8.28-r1m', solc: '0.8.28', st: 'r1m', srcs: pick(srcs, 3), oz: 'oz4' });
  jobs.push({ id: 'oz4-0.8.28-ir', solc: '0.8.28', st: 'ir', srcs: pick(srcs, 48), oz: 'oz4' });
}
{
  const srcs = ozSources('oz5', ['ERC20Burnable', 'ERC20Capped', 'ERC20Pausable', 'ERC20FlashMint'], [0, 1, 2]);
  jobs.push({ id: 'oz5-0.8.28-r200', solc: '0.8.28', st: 'r200', srcs, oz: 'oz5' });
  jobs.push({ id: 'oz5-0.8.28-off', solc: '0.8.28', st: 'off', srcs, oz: 'oz5' });
  jobs.push({ id: 'oz5-0.8.28-r1m', solc: '0.8.28', st: 'r1m', srcs: pick(srcs, 3), oz: 'oz5' });
  jobs.push({ id: 'oz5-0.8.28-ir', solc: '0.8.28', st: 'ir', srcs: pick(srcs, 24), oz: 'oz5' });
}
for (const st of ['off', 'r200', 'r1m', 'ir', 'paris']) jobs.push({ id: `solmate-0.8.28-${st}`, solc: '0.8.28', st, srcs: solmateSources() });
for (const st of ['off', 'r200', 'r1m']) jobs.push({ id: `uv2-0.5.16-${st}`, solc: '0.5.16', st, srcs: uniswapSources() });
for (const st of ['off', 'r200', 'r1m', 'ir', 'paris']) jobs.push({ id: `risk-0.8.28-${st}`, solc: '0.8.28', st, srcs: riskSources() });

const only = process.env.CORPUS_ONLY;
let total = 0;
for (const j of jobs) {
  if (only && !j.id.includes(only)) continue;
  const file = path.join(out, `${j.id}.json`);
  if (fs.existsSync(file)) {
    total += Object.keys(JSON.parse(fs.readFileSync(file, 'utf8'))).length;
    continue;
  }
  const t0 = Date.now();
  const input = {
    language: 'Solidity',
    sources: j.srcs,
    settings: { ...SETTINGS[j.st], outputSelection: { '*': { '*': ['evm.deployedBytecode.object'] } } },
  };
  const res = JSON.parse(loadSolc(j.solc).compile(JSON.stringify(input), { import: imports(j.oz) }));
  const errs = (res.errors || []).filter((e) => e.severity === 'error');
  if (errs.length) {
    process.stderr.write(`corpus.mjs: ${j.id}: ${errs.length} errors, first: ${errs[0].formattedMessage}\n`);
    process.exit(1);
  }
  const codes = {};
  for (const [f, cs] of Object.entries(res.contracts || {})) {
    if (!j.srcs[f]) continue; // only the job's own units, not their imports
    for (const [n, c] of Object.entries(cs)) {
      const hex = c.evm?.deployedBytecode?.object;
      if (hex && hex.length > 0) codes[`${f}:${n}`] = hex;
    }
  }
  fs.writeFileSync(file, JSON.stringify(codes));
  total += Object.keys(codes).length;
  process.stderr.write(`corpus.mjs: ${j.id}: ${Object.keys(codes).length} runtimes in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
}
process.stderr.write(`corpus.mjs: ${total} runtimes in ${out}\n`);
