// Transpiles src/, sim/, test/ and bench/ TypeScript to out/ (same layout, CommonJS, no bundling) for
// node:test, the mocha suites in the VS Code host, the simulator and the benchmarks.
// Type checking is `npm run typecheck`; this step only strips types, so it takes well under a second.
import * as esbuild from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

function walk(dir, out = []) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const entryPoints = ['src', 'sim', 'test', 'bench'].flatMap((d) => walk(d));
const started = Date.now();
await esbuild.build({
  entryPoints,
  outdir: 'out',
  outbase: '.',
  bundle: false,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  supported: { 'dynamic-import': false },
  logLevel: 'warning',
  // As in esbuild.mjs: the CLI's version is package.json's.
  define: { ECS_DOCTOR_VERSION: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
});
console.log(`build:tests: ${entryPoints.length} files to out/ in ${Date.now() - started} ms`);

// Remove outputs whose source is gone (never the whole folder: another run may be reading it).
const wanted = new Set(entryPoints.map((f) => path.join('out', f.replace(/\.ts$/, '.js'))));
for (const f of walkJs('out')) if (!wanted.has(f)) rmSync(f, { force: true });
removeEmptyDirs('out');

function walkJs(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walkJs(p, out);
    else if (p.endsWith('.js')) out.push(p);
  }
  return out;
}

/** Removes the folders a move left empty (out/test/sim after the simulator moved to sim/, ...). */
function removeEmptyDirs(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) {
      removeEmptyDirs(p);
      try {
        if (readdirSync(p).length === 0) rmdirSync(p);
      } catch {
        // another build filled or removed it meanwhile
      }
    }
  }
}
