// Runs every *.test.js under a folder of out/ with node's test runner (both `npm run test:unit`
// and `npm run test:reliability` use it). Extra command-line arguments go to node, e.g.
// `npm run test:unit -- --test-name-pattern=roll-up`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Exits the process with node's exit code; a missing folder or no test file is a failure.
 * `testTimeoutMs` is each test's default time-out: it only turns a hang into a failure (tests wait
 * for events, never for time), so it is far above any test's run time on a loaded machine (the
 * longest, the reliability suite's memory test, takes minutes there).
 */
export function runNodeTests({ root, what, nodeArgs = [], testTimeoutMs = 20 * 60_000 }) {
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
    console.error(`No ${what} test files found under ${root}.`);
    process.exit(1);
  }
  const started = Date.now();
  const r = spawnSync(process.execPath, [...nodeArgs, '--enable-source-maps', '--test', '--test-reporter=spec', `--test-timeout=${testTimeoutMs}`, ...process.argv.slice(2), ...files], {
    stdio: 'inherit',
  });
  console.log(`${what}: ${Math.round((Date.now() - started) / 1000)} s`);
  process.exit(r.status ?? 1);
}
