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

const FORBIDDEN_IN_CORE = /^(vscode|(node:)?(fs|fs\/promises|net|http|https|child_process|dgram|tls))$|^(@aws-sdk|@smithy)\//;

/** The file's relative imports, each with the absolute path it points at. */
function relativeImports(file: string): Array<{ spec: string; target: string }> {
  return imports(file)
    .filter(({ spec }) => spec.startsWith('.'))
    .map(({ spec }) => ({ spec, target: path.resolve(path.dirname(file), spec) }));
}

/** "file: spec" for each relative import of a file under `root` that points into one of `dirs`. */
function importsInto(root: string, dirs: string[]): string[] {
  const outside = dirs.map((d) => path.resolve(d) + path.sep);
  const bad: string[] = [];
  for (const file of sources(path.resolve(root))) {
    for (const { spec, target } of relativeImports(file)) {
      if (outside.some((d) => (target + path.sep).startsWith(d))) bad.push(`${file}: ${spec}`);
    }
  }
  return bad;
}

describe('layers', () => {
  it('core/ imports no editor, AWS SDK, file system or network module, and nothing outside core/', () => {
    const bad: string[] = [];
    const core = path.resolve('src/core');
    for (const file of sources(core)) {
      for (const { spec } of imports(file)) if (FORBIDDEN_IN_CORE.test(spec)) bad.push(`${file}: ${spec}`);
      for (const { spec, target } of relativeImports(file)) {
        if (!target.startsWith(core + path.sep)) bad.push(`${file}: ${spec} (outside core/)`);
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
    assert.deepEqual(importsInto('src', ['sim', 'test']), []);
  });

  it('sim/ imports nothing from test/, bench/ or src/editor', () => {
    // The TypeScript simulator only; sim/playground.mjs starts the integration tests' VS Code host
    // (test/host) on purpose.
    assert.deepEqual(importsInto('sim', ['test', 'bench', 'src/editor']), []);
  });

  it('the import scanner sees what it must (so the checks above can fail)', () => {
    const sample = path.resolve('src/aws/session.ts');
    assert.ok(imports(sample).some((i) => i.spec.startsWith('@aws-sdk/')), 'session.ts imports the SDK');
    assert.ok(imports(path.resolve('sim/server.ts')).some((i) => i.spec === './scenario'), 'sim/server.ts imports ./scenario');
    assert.ok(FORBIDDEN_IN_CORE.test('@smithy/types') && FORBIDDEN_IN_CORE.test('node:fs') && !FORBIDDEN_IN_CORE.test('node:path'));
    assert.ok(importsInto('src/cli', ['src/core']).length > 0, 'the CLI imports core, and importsInto sees it');
  });
});
