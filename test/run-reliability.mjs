// Runs every node:test file under out/test/reliability (built by `npm run build:tests`): faults,
// the refresh race, bad input, secrets and memory. `npm run test:reliability`.
// Extra arguments are passed to node, e.g. `-- --test-name-pattern=secrets`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = 'out/test/reliability';
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
  console.error('No reliability test files found under out/test/reliability.');
  process.exit(1);
}
const started = Date.now();
// --expose-gc: the memory test measures the heap after full collections.
const r = spawnSync(process.execPath, ['--expose-gc', '--enable-source-maps', '--no-warnings', '--test', '--test-concurrency=2', '--test-reporter=spec', ...process.argv.slice(2), ...files], {
  stdio: 'inherit',
});
console.log(`reliability: ${Math.round((Date.now() - started) / 1000)} s`);
process.exit(r.status ?? 1);
