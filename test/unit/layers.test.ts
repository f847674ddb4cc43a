// The layering ARCHITECTURE.md describes, checked on the source: core/ is pure (no editor, no
// AWS SDK, no file system or network) and imports nothing of ours outside core/; aws/ never
// reaches into the faces; src/ imports nothing from sim/ or test/; the simulator (sim/) is a
// program of its own and imports nothing from test/, bench/ or src/editor.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Every module specifier a file imports or re-exports, with `import type` ones marked. */
function imports(file: string): Array<{ spec: string; typeOnly: boolean }> {
  const text = readFileSync(file, 'utf8');
  const found: Array<{ spec: string; typeOnly: boolean }> = [];
  const re = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const spec = m[3] ?? m[4] ?? m[5];
    if (spec) found.push({ spec, typeOnly: Boolean(m[2]) });
  }
  return found;
}

const FORBIDDEN_IN_CORE = /^(vscode|@aws-sdk\/|@smithy\/|(node:)?(fs|fs\/promises|net|http|https|child_process|dgram|tls))$/;

describe('layers', () => {
  it('core/ imports no editor, AWS SDK, file system or network module, and nothing outside core/', () => {
    const bad: string[] = [];
    const core = path.resolve('src/core');
    for (const file of sources(core)) {
      for (const { spec } of imports(file)) {
        if (FORBIDDEN_IN_CORE.test(spec) || /^@aws-sdk\//.test(spec)) bad.push(`${file}: ${spec}`);
        if (spec.startsWith('.')) {
          const target = path.resolve(path.dirname(file), spec);
          if (!target.startsWith(core + path.sep)) bad.push(`${file}: ${spec} (outside core/)`);
        }
      }
    }
    assert.deepEqual(bad, []);
  });

  it('aws/ never imports the editor face, the CLI or vscode', () => {
    const bad: string[] = [];
    for (const file of sources(path.resolve('src/aws'))) {
      for (const { spec } of imports(file)) {
        if (spec === 'vscode' || /(^|\/)(editor|cli)(\/|$)/.test(spec)) bad.push(`${file}: ${spec}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('src/ imports nothing from sim/ or test/', () => {
    const bad: string[] = [];
    const outside = ['sim', 'test'].map((d) => path.resolve(d) + path.sep);
    for (const file of sources(path.resolve('src'))) {
      for (const { spec } of imports(file)) {
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), spec);
        if (outside.some((d) => (target + path.sep).startsWith(d))) bad.push(`${file}: ${spec}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('sim/ imports nothing from test/, bench/ or src/editor', () => {
    // The TypeScript simulator only; sim/playground.mjs starts the integration tests' VS Code host
    // (test/host) on purpose.
    const bad: string[] = [];
    const outside = ['test', 'bench', 'src/editor'].map((d) => path.resolve(d) + path.sep);
    for (const file of sources(path.resolve('sim'))) {
      for (const { spec } of imports(file)) {
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), spec);
        if (outside.some((d) => (target + path.sep).startsWith(d))) bad.push(`${file}: ${spec}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('the import scanner sees what it must (so the checks above can fail)', () => {
    const sample = path.resolve('src/aws/session.ts');
    assert.ok(imports(sample).some((i) => i.spec.startsWith('@aws-sdk/')), 'session.ts imports the SDK');
    assert.ok(imports(path.resolve('sim/server.ts')).some((i) => i.spec === './scenario'), 'sim/server.ts imports ./scenario');
  });
});
