// One way to call ECS: every call goes through the paced data layer (src/aws/ecs.ts), so the
// explorer, ECS Exec and the diagnosis share one pacer per session. Only the session (which builds
// the client) and the data layer may import values from @aws-sdk/client-ecs; everyone else
// imports its types at most. Scans src/, so a raw `client.send(new XCommand())` added later fails here.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../../../..');
const ALLOWED = new Set(['src/aws/session.ts', 'src/aws/ecs.ts']);

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The value imports (and re-exports, requires, dynamic imports) of a module in a source text. */
function valueImportsOf(text: string, module: string): string[] {
  const m = module.replace(/[/\\^$*+?.()|[\]{}-]/g, '\\$&');
  const found: string[] = [];
  const statement = new RegExp(`\\b(import|export)\\s+(type\\s+)?([^;]*?)\\s*from\\s*['"]${m}['"]`, 'g');
  for (const s of text.matchAll(statement)) {
    if (s[2]) continue; // import type / export type
    const braces = /\{([^}]*)\}/.exec(s[3] ?? '');
    const outside = (s[3] ?? '').replace(/\{[^}]*\}/, '').replace(/[\s,]/g, '');
    const named = braces ? braces[1]!.split(',').map((x) => x.trim()).filter(Boolean) : [];
    if (outside || named.some((x) => !x.startsWith('type '))) found.push(s[0]);
  }
  for (const s of text.matchAll(new RegExp(`\\b(?:import|require)\\s*\\(\\s*['"]${m}['"]\\s*\\)`, 'g'))) found.push(s[0]);
  for (const s of text.matchAll(new RegExp(`^\\s*import\\s*['"]${m}['"]`, 'gm'))) found.push(s[0]);
  return found;
}

describe('one way to call ECS', () => {
  const files = sources(path.join(ROOT, 'src')).map((f) => ({ rel: path.relative(ROOT, f).split(path.sep).join('/'), text: readFileSync(f, 'utf8') }));

  it('only the session and the data layer import values from @aws-sdk/client-ecs', () => {
    const offenders = files.filter((f) => !ALLOWED.has(f.rel) && valueImportsOf(f.text, '@aws-sdk/client-ecs').length).map((f) => f.rel);
    assert.deepEqual(offenders, [], `raw ECS calls outside the data layer: route them through src/aws/ecs.ts (EcsData)`);
  });

  it('nothing sends on the session\'s ECS client directly', () => {
    const offenders = files.filter((f) => !ALLOWED.has(f.rel) && /\.ecs\s*\.\s*send\s*\(|client\(\s*ECSClient\b/.test(f.text)).map((f) => f.rel);
    assert.deepEqual(offenders, []);
  });

  it('the scan sees the imports it allows (it is not looking at nothing)', () => {
    for (const rel of ALLOWED) {
      const f = files.find((x) => x.rel === rel);
      assert.ok(f, rel);
      assert.ok(valueImportsOf(f.text, '@aws-sdk/client-ecs').length > 0, rel);
    }
  });

  it('tells value imports from type imports', () => {
    const m = '@aws-sdk/client-ecs';
    const value = [
      `import { DescribeTasksCommand } from '${m}';`,
      `import {\n  type Task,\n  ListTasksCommand,\n} from "${m}";`,
      `import * as ecs from '${m}';`,
      `import ecs from '${m}';`,
      `export { ECSClient } from '${m}';`,
      `const { ECSClient } = await import('${m}');`,
      `const sdk = require('${m}');`,
    ];
    const typeOnly = [`import type { Task } from '${m}';`, `import { type Task, type Service } from '${m}';`, `export type { Task } from '${m}';`, `import { X } from '@aws-sdk/client-ecr';`];
    for (const t of value) assert.equal(valueImportsOf(t, m).length, 1, t);
    for (const t of typeOnly) assert.deepEqual(valueImportsOf(t, m), [], t);
  });
});
