// Screenshots of the real UI: code-server (VS Code's own workbench) with the extension under
// development, the ECS simulator's `demo` account behind it, in headless Chromium.
//   npm run screenshots            -> screenshots/*.png (ignored by git)
//   SHOTS=explorer,diagnostics npm run screenshots   only some of them
// Each shot waits for what it shows (a tree item, a squiggle, a hover) and fails loudly when it
// never appears, so a screenshot never silently shows an empty UI.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startCodeServer, workbenchUrl } from '../host/code-server.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const outDir = path.join(repo, 'screenshots');
const only = process.env.SHOTS ? new Set(process.env.SHOTS.split(',')) : undefined;

async function main() {
  mkdirSync(outDir, { recursive: true });
  const { startSimulator } = require(path.join(repo, 'out', 'test', 'sim', 'server.js'));
  const sim = await startSimulator({ scenario: 'demo' });
  const server = await startCodeServer({
    folder: path.join(repo, 'test', 'fixtures', 'taskdefs'),
    settings: {
      'ecsDoctor.endpoint': sim.url,
      'ecsDoctor.region': 'us-east-1',
      'ecsDoctor.refreshInterval': 0,
      'editor.hover.delay': 100,
      'workbench.editor.enablePreview': false,
    },
    log: (m) => console.log(`[host] ${m}`),
  });
  const browser = await launchBrowser({ viewport: { width: 1440, height: 900 } });
  const { page } = browser;
  const failures = [];
  try {
    await page.goto(workbenchUrl(server, { extensionDevelopmentPath: repo }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: /ECS Doctor/ }).or(page.locator('.activitybar [aria-label^="ECS Doctor"]')).first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1500);
    for (const [name, shot] of Object.entries(SHOTS)) {
      if (only && !only.has(name)) continue;
      try {
        await shot(page);
        const file = path.join(outDir, `${name}.png`);
        await page.screenshot({ path: file });
        console.log(`screenshot: ${path.relative(repo, file)}`);
      } catch (err) {
        failures.push(name);
        console.error(`screenshot ${name} failed: ${err.message.split('\n')[0]}`);
        await page.screenshot({ path: path.join(outDir, `${name}.failed.png`) }).catch(() => undefined);
      }
      await page.keyboard.press('Escape');
    }
  } finally {
    await browser.close();
    await server.stop();
    await sim.stop();
  }
  if (failures.length) {
    console.error(`screenshots: ${failures.length} failed (${failures.join(', ')})`);
    process.exitCode = 1;
  }
}

async function openEcsDoctor(page) {
  const item = page.locator('.activitybar [aria-label^="ECS Doctor"]').first();
  const expanded = await item.getAttribute('aria-expanded').catch(() => null);
  if (expanded !== 'true') await item.click();
  return page.locator('.pane-body [role="tree"]').filter({ has: page.locator('[role="treeitem"]') }).first();
}

async function expand(item) {
  if ((await item.getAttribute('aria-expanded')) === 'false') await item.click();
}

async function runCommand(page, title) {
  await page.keyboard.press('Control+Shift+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
  await page.keyboard.press('Enter');
}

async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

const SHOTS = {
  /** The activity bar with the ECS Doctor view open over the demo account, a cluster and a service expanded. */
  async explorer(page) {
    const tree = await openEcsDoctor(page);
    const clusters = tree.locator('[role="treeitem"][aria-level="2"]');
    const top = tree.locator('[role="treeitem"][aria-level="1"]');
    await top.first().waitFor({ timeout: 30_000 });
    // Level 1 may be the profile/region header with clusters beneath, or the clusters themselves.
    let cluster = (await clusters.count()) ? clusters.first() : top.nth(1);
    if (!(await cluster.count())) cluster = top.first();
    await expand(cluster);
    const level = Number(await cluster.getAttribute('aria-level'));
    const service = tree.locator(`[role="treeitem"][aria-level="${level + 1}"]`).first();
    await service.waitFor({ timeout: 30_000 });
    await expand(service);
    await tree.locator(`[role="treeitem"][aria-level="${level + 2}"]`).first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1500);
  },

  /** A task definition with a health-check squiggle and its hover. */
  async diagnostics(page) {
    await openFile(page, 'bad-register.json');
    const squiggle = page.locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning').first();
    await squiggle.waitFor({ timeout: 30_000 });
    const box = await squiggle.boundingBox();
    if (!box) throw new Error('the squiggle has no box');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.locator('.monaco-hover').filter({ hasText: /health/i }).first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500);
  },

  /** The command palette with ECS Doctor's commands. */
  async palette(page) {
    await page.keyboard.press('Control+Shift+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('>ECS Doctor');
    await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
    await page.waitForTimeout(500);
  },

  /** An offline explanation of a pasted stop reason, in the report view. */
  async report(page) {
    await runCommand(page, 'ECS Doctor: Explain Stop Reason');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2: not found');
    await page.keyboard.press('Enter');
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await frame.getByText(/CannotPullContainerError/).first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1000);
  },
};

main().catch((err) => {
  console.error(err?.stack ?? String(err));
  process.exitCode = 1;
});
