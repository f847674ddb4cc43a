// Installs the packaged ecs-doctor.vsix into a fresh code-server with --install-extension (the
// way a user gets it), opens the workbench WITHOUT any development payload, and checks that the
// ECS Doctor view container is in the activity bar, and that its Explorer lists the simulator's
// demo clusters: this proves the packaged bundles, including the lazily loaded dist/aws.js, work.
// Needs the simulator built (`npm run build:tests`).
//   npm run package && node test/e2e/vsix-smoke.mjs [path/to/file.vsix]
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startCodeServer, workbenchUrl } from '../host/code-server.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const vsix = path.resolve(process.argv[2] ?? path.join(repo, 'ecs-doctor.vsix'));

async function main() {
  if (!existsSync(vsix)) throw new Error(`${vsix} does not exist: run \`npm run package\` first`);
  const { startSimulator } = createRequire(import.meta.url)(path.join(repo, 'out', 'sim', 'server.js'));
  const sim = await startSimulator({ scenario: 'demo' });
  const server = await startCodeServer({
    vsix,
    smokeTestDriver: false,
    settings: { 'ecsDoctor.endpoint': sim.url, 'ecsDoctor.region': 'us-east-1' },
    log: (m) => console.log(`[host] ${m}`),
  });
  const browser = await launchBrowser();
  try {
    const { page } = browser;
    await page.goto(workbenchUrl(server));
    const item = page.locator('.activitybar [aria-label^="ECS Doctor"]').first();
    await item.waitFor({ timeout: 60_000 });
    await item.click();
    // A lone view's pane header is hidden; the view is there when its pane exists.
    await page.locator('.sidebar .pane-header[aria-label^="Explorer"]').first().waitFor({ state: 'attached', timeout: 30_000 });
    const cluster = page.locator('.sidebar [role="treeitem"]').filter({ hasText: 'prod' }).first();
    await cluster.waitFor({ timeout: 30_000 });
    mkdirSync(path.join(repo, 'screenshots'), { recursive: true });
    await page.screenshot({ path: path.join(repo, 'screenshots', 'vsix-installed.png') });
    console.log(`vsix-smoke: ${path.basename(vsix)} installed; the ECS Doctor view lists the demo clusters`);
    console.log('vsix-smoke: 1 passed, 0 failed');
  } finally {
    await browser.close();
    await server.stop();
    await sim.stop();
  }
}

main()
  .catch((err) => {
    console.error(`vsix-smoke: ${err?.message ?? err}`);
    console.error('vsix-smoke: 0 passed, 1 failed');
    process.exitCode = 1;
  })
  .finally(() => process.exit(process.exitCode ?? 0));
