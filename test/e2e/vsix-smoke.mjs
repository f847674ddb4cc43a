// Installs the packaged ecs-doctor.vsix into a fresh code-server with --install-extension (the
// way a user gets it), opens the workbench WITHOUT any development payload, and checks that the
// ECS Doctor view container is in the activity bar and its Explorer view opens.
//   npm run package && node test/e2e/vsix-smoke.mjs [path/to/file.vsix]
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startCodeServer, workbenchUrl } from '../host/code-server.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const vsix = path.resolve(process.argv[2] ?? path.join(repo, 'ecs-doctor.vsix'));

async function main() {
  if (!existsSync(vsix)) throw new Error(`${vsix} does not exist: run \`npm run package\` first`);
  const server = await startCodeServer({ vsix, smokeTestDriver: false, log: (m) => console.log(`[host] ${m}`) });
  const browser = await launchBrowser();
  try {
    const { page } = browser;
    await page.goto(workbenchUrl(server));
    const item = page.locator('.activitybar [aria-label^="ECS Doctor"]').first();
    await item.waitFor({ timeout: 60_000 });
    await item.click();
    await page.locator('.pane-header').filter({ hasText: /Explorer/i }).first().waitFor({ timeout: 30_000 });
    await page.locator('.sidebar .title-label').filter({ hasText: /ECS Doctor/i }).first().waitFor({ timeout: 30_000 });
    mkdirSync(path.join(repo, 'screenshots'), { recursive: true });
    await page.screenshot({ path: path.join(repo, 'screenshots', 'vsix-installed.png') });
    console.log(`vsix-smoke: ${path.basename(vsix)} installed; the ECS Doctor view opens`);
    console.log('vsix-smoke: 1 passed, 0 failed');
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(`vsix-smoke: ${err?.message ?? err}`);
  console.error('vsix-smoke: 0 passed, 1 failed');
  process.exitCode = 1;
});
