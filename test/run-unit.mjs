// Runs every node:test file under out/test/unit (built by `npm run build:tests`).
// Extra arguments are passed to node, e.g. `npm run test:unit -- --test-name-pattern=roll-up`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = 'out/test/unit';
if (!existsSync(root)) {
  console.error(`${root} does not exist: run \`npm run build:tests\` first.`);
  process.exit(2);
}
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.test.js')) files.push(p);
  }
})(root);
if (files.length === 0) {
  console.error('No unit test files found under out/test/unit.');
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-reporter=spec', ...process.argv.slice(2), ...files], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
