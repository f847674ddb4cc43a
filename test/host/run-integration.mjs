// The offline launcher of the integration suite: runs out/test/integration/index.js (the same
// mocha `run()` entry @vscode/test-electron uses) inside a real VS Code extension host, namely
// code-server driven by Debian's Chromium through playwright-core. Exits non-zero when a test
// fails, when the host never starts or never reports, or when no test ran.
//
// Environment: ECS_DOCTOR_TEST_GREP narrows the tests; ECS_DOCTOR_TEST_TIMEOUT_S (default 900).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { launchBrowser, startCodeServer, workbenchUrl } from './code-server.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const suite = path.join(repo, 'out', 'test', 'integration', 'index');
const timeoutS = Number(process.env.ECS_DOCTOR_TEST_TIMEOUT_S || 900);

function fail(message) {
  console.error(`integration: ${message}`);
  process.exitCode = 1;
}

async function main() {
  if (!existsSync(suite + '.js')) return fail(`${path.relative(repo, suite)}.js is missing: run \`npm run build:tests\` first`);
  if (!existsSync(path.join(repo, 'dist', 'extension.js'))) return fail('dist/extension.js is missing: run `npm run build` first');

  const started = Date.now();
  const server = await startCodeServer({
    log: (m) => console.log(`[host] ${m}`),
    env: {
      ECS_DOCTOR_TEST_GREP: process.env.ECS_DOCTOR_TEST_GREP ?? '',
      ECS_DOCTOR_REPO: repo,
    },
  });
  let browser;
  let sawTestOutput = false;
  let summary;
  try {
    browser = await launchBrowser();
    const { page } = browser;
    const exit = new Promise((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code)));
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      // The workbench forwards console calls as (format string, ...arguments), like mocha's reporter makes them.
      const list = Array.isArray(args) ? args : [args];
      const text = typeof list[0] === 'string' ? format(...list) : list.map((a) => JSON.stringify(a)).join(' ');
      sawTestOutput = true;
      const m = /integration: (\d+) passed, (\d+) failed/.exec(text);
      if (m) summary = { passed: Number(m[1]), failed: Number(m[2]) };
      (type === 'error' ? console.error : console.log)(text);
    });
    page.on('pageerror', (err) => console.error(`[workbench] ${err.message}`));
    await page.goto(
      workbenchUrl(server, { extensionDevelopmentPath: repo, extensionTestsPath: suite }),
    );
    const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutS * 1000));
    const code = await Promise.race([exit, timeout]);
    if (code === 'timeout') {
      fail(`the extension host did not report within ${timeoutS} s (host ${sawTestOutput ? 'started' : 'never started'})`);
      console.error(server.output().slice(-4000));
      return;
    }
    if (!summary) {
      fail(`the extension host exited with ${code} without running the suite`);
      console.error(server.output().slice(-4000));
      return;
    }
    console.log(`integration: finished in ${Math.round((Date.now() - started) / 1000)} s`);
    if (code !== 0 || summary.failed > 0) return fail(`${summary.failed} failed (exit ${code})`);
    if (summary.passed === 0) return fail('no test ran');
  } finally {
    await withTimeout(browser?.close(), 10_000);
    await withTimeout(server.stop(), 15_000);
  }
}

function withTimeout(promise, ms) {
  return Promise.race([Promise.resolve(promise).catch(() => undefined), new Promise((r) => setTimeout(r, ms).unref())]);
}

main()
  .catch((err) => {
    fail(err?.stack ?? String(err));
  })
  // Playwright and the server's sockets may keep handles open: exit with the verdict once cleaned up.
  .finally(() => process.exit(process.exitCode ?? 0));
