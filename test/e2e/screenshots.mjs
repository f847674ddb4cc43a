// Screenshots of the real UI: code-server (VS Code's own workbench) with the extension under
// development, the ECS simulator's `demo` account behind it, in headless Chromium.
//   npm run screenshots            -> screenshots/*.png (ignored by git)
//   SHOTS=explorer,diagnostics npm run screenshots   only some of them
//   SHOTS_PUBLISH=1               also copies the README's shots into media/screenshots/
// Each shot waits for what it shows (a tree item and its children, a squiggle and its hover, a
// webview's content, a QuickPick's rows) and fails loudly when it never appears, so a screenshot
// never silently shows an empty UI. A failing shot leaves <name>.failed.png where it was.
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startCodeServer, workbenchUrl } from '../host/code-server.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const outDir = path.join(repo, 'screenshots');
const publishDir = path.join(repo, 'media', 'screenshots');
const only = process.env.SHOTS ? new Set(process.env.SHOTS.split(',').map((s) => s.trim())) : undefined;
/** The shots the README shows (media/screenshots/<name>.png), with SHOTS_PUBLISH=1. */
const PUBLISHED = ['explorer', 'explorer-glance', 'diagnostics', 'report', 'diagnose', 'exec-session', 'exec-blocked', 'iac-cloudformation', 'iac-cdk', 'iac-terraform'];
const VIEWPORT = { width: 1440, height: 900 };
/** Where the side bar ends: wide for the explorer (task ids, stop code and reason), narrower beside an editor. */
const SIDEBAR_WIDE = 760;
const SIDEBAR_NARROW = 460;

async function main() {
  mkdirSync(outDir, { recursive: true });
  const { startSimulator } = require(path.join(repo, 'out', 'sim', 'server.js'));
  const sim = await startSimulator({ scenario: 'demo' });
  const server = await startCodeServer({
    folder: path.join(repo, 'test', 'fixtures', 'taskdefs'),
    settings: {
      'ecsDoctor.endpoint': sim.url,
      'ecsDoctor.region': 'us-east-1',
      'ecsDoctor.refreshInterval': 0,
      // As in the playground: the stand-in session-manager-plugin, so an ECS Exec session opens
      // its simulated shell.
      'ecsDoctor.sessionManagerPluginPath': path.join(repo, 'sim', 'bin', 'session-manager-plugin'),
      'editor.hover.delay': 100,
      'editor.minimap.enabled': false,
      'workbench.editor.enablePreview': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'workbench.layoutControl.enabled': false,
      'workbench.tips.enabled': false,
      // A click selects a tree row without expanding it (the shots expand with the twistie).
      'workbench.tree.expandMode': 'doubleClick',
      // The DOM renderer, so a shot can wait for the terminal's text.
      'terminal.integrated.gpuAcceleration': 'off',
    },
    log: (m) => console.log(`[host] ${m}`),
  });
  const browser = await launchBrowser({ viewport: VIEWPORT });
  const { page } = browser;
  // Explain Stop Reason reads the clipboard for its suggestion: let the page read it without a prompt.
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url }).catch(() => undefined);
  const failures = [];
  const done = [];
  try {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(workbenchUrl(server, { extensionDevelopmentPath: repo }));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The configured theme (Default Dark Modern) applies a moment after the workbench appears.
    await page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 30_000 }).catch(() => {
      throw new Error('the workbench never switched to the dark theme');
    });
    await page.locator('.activitybar [aria-label^="ECS Doctor"]').first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1500);
    await tidyLayout(page);
    for (const [name, shot] of Object.entries(SHOTS)) {
      if (only && !only.has(name)) continue;
      const started = Date.now();
      try {
        const clip = await shot(page);
        const file = path.join(outDir, `${name}.png`);
        await page.screenshot({ path: file, ...(clip ? { clip } : {}) });
        const kb = Math.round(statSync(file).size / 1024);
        console.log(`screenshot: ${path.relative(repo, file)} (${kb} KB, ${Date.now() - started} ms)`);
        done.push(name);
      } catch (err) {
        failures.push(name);
        const message = String(err?.message ?? err);
        // Our own messages carry what the UI showed; Playwright's carry a long call log after the first line.
        console.error(`screenshot ${name} failed: ${/^(locator|page|frame)\./.test(message) ? message.split('\n')[0] : message.slice(0, 4000)}`);
        await page.screenshot({ path: path.join(outDir, `${name}.failed.png`) }).catch(() => undefined);
      }
      await dismiss(page);
    }
  } finally {
    await browser.close();
    await server.stop();
    await sim.stop();
  }
  if (process.env.SHOTS_PUBLISH) {
    mkdirSync(publishDir, { recursive: true });
    for (const name of PUBLISHED.filter((n) => done.includes(n))) {
      copyFileSync(path.join(outDir, `${name}.png`), path.join(publishDir, `${name}.png`));
      console.log(`published: media/screenshots/${name}.png`);
    }
  }
  if (failures.length) {
    console.error(`screenshots: ${failures.length} failed (${failures.join(', ')})`);
    process.exitCode = 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Workbench helpers

/**
 * Opens `fixture` (a path under test/fixtures/taskdefs), finds `word` on the line holding
 * `lineText`, hovers the squiggle under it until a hover naming `rule` shows, and returns a clip of
 * the editor down to the hover.
 */
async function iacShot(page, fixture, lineText, word, rule) {
  const file = path.basename(fixture);
  // The line as the file has it (1-based), so the editor can scroll to it: the editor renders only
  // the lines on screen, and a terminal left open by an earlier shot halves the editor's height.
  const lineNumber = readFileSync(path.join(repo, 'test', 'fixtures', 'taskdefs', fixture), 'utf8').split('\n').findIndex((l) => l.includes(lineText)) + 1;
  if (!lineNumber) throw new Error(`${fixture} has no line "${lineText}"`);
  await runCommand(page, 'View: Close All Editors');
  await setSidebarWidth(page, SIDEBAR_NARROW);
  await hidePanel(page);
  await openFile(page, file);
  // From the top of the file when the line fits on the first screen, else scrolled to it.
  const rendered = await page.evaluate((lineText) => [...document.querySelectorAll('.monaco-editor .view-line')].some((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').includes(lineText)), lineText);
  if (!rendered) await revealLine(page, lineNumber);
  // The squiggle on that line: the task-definition checks run a moment after the file opens.
  const squiggleOnLine = () =>
    page.evaluate((lineText) => {
      const norm = (t) => t.replace(/\u00a0/g, ' ');
      const line = [...document.querySelectorAll('.monaco-editor .view-line')].find((l) => norm(l.textContent ?? '').includes(lineText));
      if (!line) return false;
      const box = line.getBoundingClientRect();
      return [...document.querySelectorAll('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning')].some((e) => {
        const r = e.getBoundingClientRect();
        return r.top < box.bottom && r.bottom > box.top;
      });
    }, lineText);
  const squiggleDeadline = Date.now() + 30_000;
  while (!(await squiggleOnLine())) {
    if (Date.now() > squiggleDeadline) throw new Error(`no squiggle ever showed on line ${lineNumber} ("${lineText}") of ${file}`);
    await page.waitForTimeout(250);
  }
  let target;
  const deadline = Date.now() + 15_000;
  while (!target && Date.now() < deadline) {
    target = await page.evaluate(([lineText, word]) => {
      const norm = (t) => t.replace(/\u00a0/g, ' ');
      const line = [...document.querySelectorAll('.monaco-editor .view-line')].find((l) => norm(l.textContent ?? '').includes(lineText));
      if (!line) return undefined;
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let box;
      const at = norm(line.textContent ?? '').indexOf(lineText) + lineText.indexOf(word);
      let seen = 0;
      for (let n = walker.nextNode(); n && !box; n = walker.nextNode()) {
        const t = norm(n.textContent ?? '');
        if (at >= seen && at < seen + t.length) {
          const range = document.createRange();
          range.setStart(n, at - seen);
          range.setEnd(n, Math.min(t.length, at - seen + word.length));
          box = range.getBoundingClientRect();
        }
        seen += t.length;
      }
      if (!box) return undefined;
      const lineBox = line.getBoundingClientRect();
      const squiggle = [...document.querySelectorAll('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning')]
        .map((e) => e.getBoundingClientRect())
        .find((r) => r.top < lineBox.bottom && r.bottom > lineBox.top && r.left <= box.left + 1 && r.right >= box.right - 1);
      if (!squiggle) return undefined;
      return { x: box.left + box.width / 2, y: squiggle.top + squiggle.height / 2, bottom: squiggle.bottom };
    }, [lineText, word]);
    if (!target) await page.waitForTimeout(250);
  }
  if (!target) throw new Error(`no squiggle under "${word}" on the line "${lineText}" of ${file}`);
  const hover = page.locator('.monaco-hover').filter({ hasText: rule }).first();
  let shown = false;
  for (let attempt = 0; attempt < 4 && !shown; attempt++) {
    await page.mouse.move(target.x - 40, target.y + 60);
    await page.mouse.move(target.x, target.y, { steps: 4 });
    await page.mouse.move(target.x + 1, target.y);
    shown = await hover.waitFor({ state: 'visible', timeout: 4000 }).then(() => true, () => false);
  }
  if (!shown) throw new Error(`the hover naming ${rule} never appeared over ${file}`);
  await page.waitForTimeout(500);
  const tip = await hover.boundingBox();
  return editorClip(page, Math.max(target.bottom, tip ? tip.y + tip.height : 0) + 200);
}

/** Hides the panel (a terminal an earlier shot left open), so the editor has the window's height. */
async function hidePanel(page) {
  if (await page.locator('.part.panel').isVisible().catch(() => false)) await runCommand(page, 'View: Hide Panel');
  await page.locator('.part.panel').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {
    throw new Error('the panel never closed');
  });
}

/** Moves the cursor to `lineNumber` of the active editor (Go to Line), which scrolls it into view. */
async function revealLine(page, lineNumber) {
  await page.keyboard.press('Control+G');
  const input = quickInput(page);
  await input.waitFor();
  await input.fill(`:${lineNumber}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
  await page.locator('.monaco-editor .line-numbers').filter({ hasText: new RegExp(`^${lineNumber}$`) }).first().waitFor({ timeout: 10_000 }).catch(() => {
    throw new Error(`line ${lineNumber} never came into view`);
  });
}

/** Closes the (empty) secondary side bar. */
async function tidyLayout(page) {
  const aux = page.locator('.part.auxiliarybar');
  if (await aux.isVisible().catch(() => false)) await runCommand(page, 'View: Close Secondary Side Bar');
  await openEcsDoctor(page);
}

/** Drags the side bar's sash so that the side bar ends at x = `right`. */
async function setSidebarWidth(page, right) {
  await openEcsDoctor(page);
  const sash = await page.locator('.monaco-sash.vertical.primary-sidebar-sash').boundingBox();
  if (!sash) throw new Error("the side bar's sash is not visible");
  const x = sash.x + sash.width / 2;
  const y = sash.y + sash.height / 2;
  if (Math.abs(x - right) > 4) {
    await page.mouse.move(x, y);
    await page.waitForTimeout(200);
    await page.mouse.down();
    await page.mouse.move(right, y, { steps: 10 });
    await page.mouse.up();
  }
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (!sidebar || Math.abs(sidebar.x + sidebar.width - right) > 24) throw new Error(`the side bar did not resize to ${right} (${JSON.stringify(sidebar)})`);
  await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 60);
}

/** Escape twice (a hover, then a QuickPick or menu), then the mouse out of the way. */
async function dismiss(page) {
  // A modal dialog (the Exec preflight, a confirmation) closes with its Cancel.
  const dialog = page.locator('.monaco-dialog-box');
  if (await dialog.isVisible().catch(() => false)) await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 60);
}

async function openEcsDoctor(page) {
  // The activity bar's tab (an <li> holding the labelled link) says whether its view is open; clicking an open one closes it.
  const tab = page.locator('.activitybar li.action-item').filter({ has: page.locator('a[aria-label^="ECS Doctor"]') }).first();
  if ((await tab.getAttribute('aria-expanded')) !== 'true') await tab.click();
  const tree = page.locator('.part.sidebar .pane-body [role="tree"]').filter({ has: page.locator('[role="treeitem"]') }).first();
  await tree.waitFor({ timeout: 30_000 });
  return tree;
}

async function runCommand(page, title) {
  await page.keyboard.press('Control+Shift+P');
  const input = quickInput(page);
  await input.waitFor();
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first();
  await row.waitFor({ timeout: 10_000 }).catch(() => {
    throw new Error(`the command palette has no "${title}"`);
  });
  await row.click();
}

function quickInput(page) {
  return page.locator('.quick-input-widget .quick-input-box input');
}

/** The rows of the visible QuickPick (not separators). */
function quickPickRows(page) {
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
}

async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = quickInput(page);
  await input.waitFor();
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-lines').first().waitFor();
  await page.locator('.tab.active').filter({ hasText: name }).waitFor({ timeout: 10_000 });
}

/**
 * The visible webview's document. A webview is an iframe (laid over the editor, outside the
 * editor part's DOM) holding the document's iframe, whose id VS Code changes once it loads.
 */
function reportFrame(page) {
  return page.locator('iframe.webview.ready:visible').last().contentFrame().locator('iframe').first().contentFrame();
}

/** The editor part (tabs included) from the top of the window down to `bottom`. */
async function editorClip(page, bottom) {
  const editor = await page.locator('.part.editor').boundingBox();
  if (!editor) throw new Error('the editor part is not visible');
  const x = Math.floor(editor.x);
  return { x, y: 0, width: VIEWPORT.width - x, height: Math.min(Math.ceil(bottom), Math.floor(editor.y + editor.height)) };
}

// ---------------------------------------------------------------------------------------------
// The ECS Doctor tree: one node at a time, each waited for (rows move while the tree re-renders)

/** A tree item by its label: the accessible name is "label, description" (or just "label"). */
function treeItem(tree, label) {
  return tree.locator(`[role="treeitem"][aria-label^="${label},"], [role="treeitem"][aria-label="${label}"]`).first();
}

/** Facts about the tree's rows, in the page, by data-index. */
function rowsOf(tree) {
  return tree.locator('[role="treeitem"]').evaluateAll((els) =>
    els
      .map((e) => ({
        index: Number(e.getAttribute('data-index')),
        level: Number(e.getAttribute('aria-level')),
        label: e.getAttribute('aria-label') ?? '',
        expanded: e.getAttribute('aria-expanded'),
        // The spinner of a row still loading. Not a state shown with a spinner: a deploying
        // service's turning arrows, a task or container starting or stopping (PENDING, ...),
        // whose description says so.
        loading:
          !!e.querySelector('.codicon-loading') &&
          !/, (PROVISIONING|PENDING|ACTIVATING|DEACTIVATING|STOPPING|DEPROVISIONING)\b/.test(e.getAttribute('aria-label') ?? ''),
      }))
      .sort((a, b) => a.index - b.index),
  );
}

/** Waits until `check(rows)` holds; otherwise fails with what the tree showed. */
async function waitRows(tree, what, check, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  let rows = [];
  for (;;) {
    rows = await rowsOf(tree).catch(() => []);
    if (check(rows)) return rows;
    if (Date.now() > deadline) {
      const shown = rows.map((r) => `${'  '.repeat(Math.max(0, r.level - 1))}${r.label}${r.expanded === 'true' ? ' [+]' : ''}`).join('\n');
      throw new Error(`${what} never appeared; the tree showed:\n${shown}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Row matchers (with a description for error messages). */
const is = (label) => Object.assign((r) => r.label === label || r.label.startsWith(`${label},`), { desc: `"${label}"` });
const startsWith = (prefix) => Object.assign((r) => r.label.startsWith(prefix), { desc: `"${prefix}…"` });
const where = (desc, fn) => Object.assign(fn, { desc });
const describePath = (path) => path.map((m) => m.desc).join(' > ');

/** The rendered child rows of `parent`. */
function childRows(rows, parent) {
  const out = [];
  for (const x of rows.filter((y) => y.index > parent.index)) {
    if (x.level <= parent.level) break;
    if (x.level === parent.level + 1) out.push(x);
  }
  return out;
}

/** The row at the end of `path`: each matcher looks among the children of the previous row. */
function findPath(rows, path) {
  let row;
  for (const m of path) {
    row = (row ? childRows(rows, row) : rows).find(m);
    if (!row) return undefined;
  }
  return row;
}

/** Expands every row along `path`, one at a time, each time waiting for its children. Returns the last row. */
async function expandPath(tree, path) {
  let rows = [];
  for (let i = 1; i <= path.length; i++) {
    const sub = path.slice(0, i);
    rows = await waitRows(tree, `tree item ${describePath(sub)}`, (rs) => !!findPath(rs, sub));
    const row = findPath(rows, sub);
    if (row.expanded === 'false') await tree.locator(`[role="treeitem"][data-index="${row.index}"] .monaco-tl-twistie`).click();
    rows = await waitRows(tree, `the children of ${describePath(sub)}`, (rs) => {
      const r = findPath(rs, sub);
      return !!r && r.expanded === 'true' && childRows(rs, r).length > 0;
    });
  }
  return { rows, row: findPath(rows, path) };
}

const PROD_PAYMENTS = [is('prod'), is('payments')];
const RUNNING_TASK = where('a RUNNING task', (r) => /, RUNNING/.test(r.label));
const STOPPED_GROUP = startsWith('Stopped');
const taskIdOf = (row) => row.label.split(',')[0];
/** The demo's web task that passes the whole ECS Exec preflight (see the simulator's demo scenario). */
const EXEC_READY_TASK = '2f6a1c9e';

/** The first stopped task (with its stop code and reason) under `service` path's Stopped group. */
async function firstStoppedTask(tree, servicePath) {
  const group = [...servicePath, STOPPED_GROUP];
  await expandPath(tree, group);
  const rows = await waitRows(tree, `a stopped task with its stop code under ${describePath(group)}`, (rs) => {
    const g = findPath(rs, group);
    return !!g && childRows(rs, g).some((r) => /, \S+/.test(r.label));
  });
  return taskIdOf(childRows(rows, findPath(rows, group))[0]);
}

/** `prod` > `payments` > its first running task (containers) and its Stopped group, all expanded. */
async function explorerState(page, sidebarRight = SIDEBAR_NARROW) {
  await setSidebarWidth(page, sidebarRight);
  const tree = await openEcsDoctor(page);
  const { row: task } = await expandPath(tree, [...PROD_PAYMENTS, RUNNING_TASK]);
  const stoppedTask = await firstStoppedTask(tree, PROD_PAYMENTS);
  await waitRows(tree, 'every row loaded (no spinner)', (rs) => rs.every((r) => !r.loading), 20_000);
  return { tree, runningTask: taskIdOf(task), stoppedTask };
}

/** The view's own Collapse All (its title button, shown on hover). */
async function collapseTree(page) {
  // The view is alone in its container: its actions sit in the side bar's title (no pane header,
  // whose hover used to wait out Playwright's 30 s default before every Exec shot).
  await page.locator('.part.sidebar .composite.title').first().hover({ timeout: 2000 }).catch(() => undefined);
  await page.locator('.part.sidebar .action-label.codicon-collapse-all').first().click({ force: true, timeout: 5000 }).catch(() => undefined);
  await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 60);
}

/** Start ECS Exec Session from a container row's context menu (taking the default command). */
async function startExecOn(page, containerPath) {
  const tree = await openEcsDoctor(page);
  await collapseTree(page);
  const { row } = await expandPath(tree, containerPath.slice(0, 3));
  if (!row) throw new Error(`no row ${describePath(containerPath.slice(0, 3))}`);
  const rows = await waitRows(tree, `the container row ${describePath(containerPath)}`, (rs) => !!findPath(rs, containerPath));
  const containerRow = tree.locator(`[role="treeitem"][data-index="${findPath(rows, containerPath).index}"]`);
  await containerRow.click({ button: 'right' });
  const menuItem = page.getByRole('menuitem', { name: 'Start ECS Exec Session' });
  await menuItem.waitFor({ timeout: 10_000 }).catch(() => {
    throw new Error(`the context menu of ${describePath(containerPath)} has no "Start ECS Exec Session"`);
  });
  await page.waitForTimeout(300);
  await menuItem.hover();
  await page.keyboard.press('Enter');
  // The preflight runs first: a session that can start asks for the command, one that cannot
  // shows a modal (and never asks). Wait for whichever comes.
  const ask = page.locator('.quick-input-widget').filter({ hasText: /Command to run/ });
  await ask.or(page.locator('.monaco-dialog-box')).first().waitFor({ state: 'visible', timeout: 60_000 }).catch(() => undefined);
  if (await ask.isVisible().catch(() => false)) await page.keyboard.press('Enter');
  await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 60);
}

// ---------------------------------------------------------------------------------------------

const SHOTS = {
  /** The ECS Doctor view over the demo account: prod > payments, a task's containers, its stopped tasks. */
  async explorer(page) {
    const { tree, stoppedTask } = await explorerState(page, SIDEBAR_WIDE);
    // The stopped task's tooltip: stop code and the whole reason. (No click first: a click
    // hides a row's hover until the mouse leaves it.)
    const row = treeItem(tree, stoppedTask);
    const label = await row.locator('.label-name').boundingBox();
    if (!label) throw new Error('the stopped task row is not on screen');
    await page.mouse.move(label.x + 20, label.y + label.height / 2);
    await page.mouse.move(label.x + 24, label.y + label.height / 2);
    const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: /Stop code/ }).first();
    await hover.waitFor({ state: 'visible', timeout: 15_000 }).catch(() => {
      throw new Error("the stopped task's tooltip never appeared");
    });
    await page.waitForTimeout(600);
    // Crop to the side bar and the tooltip: the editor area beside them is empty.
    const rows = await tree.locator('[role="treeitem"]').evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().bottom)));
    const tip = await hover.boundingBox();
    const bottom = Math.min(VIEWPORT.height, Math.ceil(Math.max(rows, tip ? tip.y + tip.height : 0) + 24));
    const right = Math.min(VIEWPORT.width, Math.ceil(Math.max(SIDEBAR_WIDE, tip ? tip.x + tip.width : 0) + 16));
    return { x: 0, y: 0, width: right, height: bottom };
  },

  /**
   * "Diagnose Task" from a stopped task's inline button (notifications: its tasks fail to
   * start), the live report scrolled to its evidence table.
   */
  async diagnose(page) {
    await setSidebarWidth(page, SIDEBAR_NARROW);
    const tree = await openEcsDoctor(page);
    const stoppedTask = await firstStoppedTask(tree, [is('prod'), is(process.env.SHOTS_DIAGNOSE ?? 'checkout')]);
    const row = treeItem(tree, stoppedTask);
    await row.hover();
    const button = row.locator('.actions .action-label[aria-label^="Diagnose Task"]');
    await button.waitFor({ state: 'visible', timeout: 10_000 }).catch(() => {
      throw new Error('the stopped task has no inline "Diagnose Task" button');
    });
    await button.click();
    await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 60);
    const frame = reportFrame(page);
    await frame.locator('h1').filter({ hasText: /\S/ }).first().waitFor({ timeout: 60_000 }).catch(() => {
      throw new Error('the report view never rendered');
    });
    const table = frame.locator('table.evidence');
    await table.locator('tbody tr').first().waitFor({ timeout: 60_000 }).catch(() => {
      throw new Error('the report never showed its evidence table');
    });
    // Answer first: the verdict, the cause that fits and the fix (with its Copy buttons) on the first screen.
    await frame.locator('section#fix .copy-cmd').first().waitFor({ timeout: 10_000 }).catch(() => {
      throw new Error('the report has no fix command with a Copy button');
    });
    const fixBox = await frame.locator('section#fix').boundingBox();
    if (!fixBox || fixBox.y > VIEWPORT.height - 120) throw new Error('the fix is not on the first screen');
    await page.waitForTimeout(800);
    return undefined;
  },

  /**
   * The tree at a glance, nothing expanded below the clusters: every service's health read in
   * the background (never a pass before it is known), recent stops on the rows, and the cluster's
   * tooltip naming the services that make it red.
   */
  async 'explorer-glance'(page) {
    await runCommand(page, 'View: Close All Editors');
    await setSidebarWidth(page, SIDEBAR_WIDE);
    const tree = await openEcsDoctor(page);
    await collapseTree(page);
    await expandPath(tree, [is('prod')]);
    await expandPath(tree, [is('legacy-ec2')]);
    await waitRows(tree, 'every service health read (no "not read" / "reading" row)', (rs) => rs.some((r) => r.level === 2 && / running/.test(r.label)) && !rs.some((r) => /health not read|reading health/.test(r.label)), 60_000);
    await waitRows(tree, 'a service row with its recent stops', (rs) => rs.some((r) => / stopped /.test(r.label)), 30_000);
    const row = treeItem(tree, 'prod');
    const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: /because of/ }).first();
    // Off the tree and back onto the row (a row just clicked keeps its hover hidden until the mouse leaves).
    let shown = false;
    for (let attempt = 0; attempt < 4 && !shown; attempt++) {
      await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 60);
      // Where the row is now: rows can still arrive above it (legacy-ec2's last children).
      const label = await row.locator('.label-name').boundingBox();
      if (!label) throw new Error('the prod row is not on screen');
      await page.mouse.move(label.x + 10, label.y + label.height / 2, { steps: 4 });
      await page.mouse.move(label.x + 14, label.y + label.height / 2);
      shown = await hover.waitFor({ state: 'visible', timeout: 5000 }).then(() => true, () => false);
    }
    if (!shown) throw new Error("the cluster's tooltip never named the services that make it red");
    await page.waitForTimeout(600);
    const rows = await tree.locator('[role="treeitem"]').evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().bottom)));
    const tip = await hover.boundingBox();
    const bottom = Math.min(VIEWPORT.height, Math.ceil(Math.max(rows, tip ? tip.y + tip.height : 0) + 24));
    const right = Math.min(VIEWPORT.width, Math.ceil(Math.max(SIDEBAR_WIDE, tip ? tip.x + tip.width : 0) + 16));
    return { x: 0, y: 0, width: right, height: bottom };
  },

  /** "Open Task Definition as JSON" on a service: a read-only document named family:revision, linted. */
  async 'taskdef-json'(page) {
    await runCommand(page, 'View: Close All Editors');
    await setSidebarWidth(page, SIDEBAR_NARROW);
    const tree = await openEcsDoctor(page);
    await expandPath(tree, [is('prod')]);
    const row = treeItem(tree, 'web');
    await row.click({ button: 'right' });
    const menuItem = page.getByRole('menuitem', { name: /Open Task Definition/ });
    await menuItem.waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300);
    await menuItem.hover();
    await page.keyboard.press('Enter');
    await page.locator('.part.editor .tab').filter({ hasText: /^web:\d+\.json/ }).first().waitFor({ timeout: 30_000 }).catch(() => {
      throw new Error('no editor tab named web:N.json');
    });
    await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 60);
    await page.waitForTimeout(1500);
    return undefined;
  },

  /** Start ECS Exec Session where it cannot start (staging > admin: read-only root): the whole preflight in a modal. */
  async 'exec-blocked'(page) {
    await runCommand(page, 'View: Close All Editors');
    await setSidebarWidth(page, SIDEBAR_NARROW);
    await startExecOn(page, [is('staging'), is('admin'), RUNNING_TASK, is('admin')]);
    const dialog = page.locator('.monaco-dialog-box').filter({ hasText: /ECS Exec cannot start/ });
    await dialog.waitFor({ state: 'visible', timeout: 60_000 }).catch(() => {
      throw new Error('no modal showed the failed preflight');
    });
    await dialog.filter({ hasText: /Fix:/ }).waitFor({ timeout: 5000 }).catch(() => {
      throw new Error('the modal does not show the fix');
    });
    await page.waitForTimeout(500);
    return undefined;
  },

  /** prod > worker has ECS Exec off: its preflight offers Enable and Redeploy, whose confirmation names what it replaces. */
  async 'exec-confirm'(page) {
    await runCommand(page, 'View: Close All Editors');
    await setSidebarWidth(page, SIDEBAR_NARROW);
    await startExecOn(page, [is('prod'), is('worker'), RUNNING_TASK, where('its first container', (r) => r.level === 4)]);
    const blocked = page.locator('.monaco-dialog-box').filter({ hasText: /ECS Exec cannot start/ });
    await blocked.waitFor({ state: 'visible', timeout: 60_000 });
    await blocked.locator('.monaco-button').filter({ hasText: /Enable and Redeploy/ }).first().click();
    const confirm = page.locator('.monaco-dialog-box').filter({ hasText: /Redeploy service worker in cluster prod/ });
    await confirm.waitFor({ state: 'visible', timeout: 30_000 }).catch(() => {
      throw new Error('the Enable and Redeploy confirmation never named the service and cluster');
    });
    await confirm.filter({ hasText: /running task/ }).waitFor({ timeout: 5000 });
    await page.waitForTimeout(500);
    return undefined;
  },

  /** The playground's walkthrough: what to try. */
  async walkthrough(page) {
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'Welcome: Open Walkthrough...');
    const row = quickPickRows(page).filter({ hasText: 'Get started with ECS Doctor' }).first();
    await row.waitFor({ timeout: 15_000 }).catch(() => {
      throw new Error('no "Get started with ECS Doctor" walkthrough');
    });
    await row.click();
    await page.getByText('See what is wrong at a glance').first().waitFor({ timeout: 15_000 });
    await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 60);
    await page.waitForTimeout(1000);
    return undefined;
  },

  /**
   * "Diagnose Service" from the palette (cluster prod, service checkout by default: its new
   * revision keeps failing): the service report, verdict first, scrolled so the timeline chart
   * shows under the causes and fixes.
   */
  async 'service-doctor'(page) {
    await runCommand(page, 'View: Close All Editors');
    await runCommand(page, 'ECS Doctor: Diagnose Service');
    for (const want of ['prod', process.env.SHOTS_SERVICE ?? 'checkout']) {
      const row = quickPickRows(page).filter({ hasText: want }).first();
      await row.waitFor({ timeout: 30_000 }).catch(() => {
        throw new Error(`the Diagnose Service pick has no "${want}"`);
      });
      await quickInput(page).fill(want);
      await page.keyboard.press('Enter');
    }
    await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 60);
    const frame = reportFrame(page);
    await frame.locator('.svc-verdict').first().waitFor({ timeout: 60_000 }).catch(() => {
      throw new Error('the service report never rendered its verdict');
    });
    await frame.locator('svg.timeline').first().waitFor({ timeout: 10_000 }).catch(() => {
      throw new Error('the service report has no timeline chart');
    });
    await page.waitForTimeout(800);
    return undefined;
  },

  /** The service report scrolled to its timeline chart. */
  async 'service-timeline'(page) {
    const frame = reportFrame(page);
    const chart = frame.locator('svg.timeline').first();
    await chart.waitFor({ timeout: 30_000 }).catch(() => {
      throw new Error('no service report with a timeline is open (run the service-doctor shot first)');
    });
    await frame.locator('#stopped').first().evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.waitForTimeout(800);
    return undefined;
  },

  /**
   * "Show Logs" on prod > api's running task (two containers logging): the read-only logs
   * document, both containers merged by time and labelled, newest at the bottom.
   */
  async logs(page) {
    await runCommand(page, 'View: Close All Editors');
    await setSidebarWidth(page, SIDEBAR_NARROW);
    const tree = await openEcsDoctor(page);
    const task = [is('prod'), is('api'), startsWith('0b1c2d3e')];
    await expandPath(tree, task.slice(0, 2));
    const rows = await waitRows(tree, `the task row ${describePath(task)}`, (rs) => !!findPath(rs, task));
    const taskRow = tree.locator(`[role="treeitem"][data-index="${findPath(rows, task).index}"]`);
    await taskRow.click({ button: 'right' });
    const menuItem = page.getByRole('menuitem', { name: 'Show Logs' });
    await menuItem.waitFor({ timeout: 10_000 }).catch(() => {
      throw new Error('the running task\'s context menu has no "Show Logs"');
    });
    await page.waitForTimeout(300);
    await menuItem.hover();
    await page.keyboard.press('Enter');
    await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 60);
    await page.locator('.monaco-editor .view-lines').filter({ hasText: /xray-daemon/ }).first().waitFor({ timeout: 60_000 }).catch(() => {
      throw new Error('the logs document never showed both containers\' lines');
    });
    await page.waitForTimeout(800);
    return undefined;
  },

  /** "Check ECS Exec Readiness" on a running task: the checks in a QuickPick. */
  async 'exec-readiness'(page) {
    await runCommand(page, 'View: Close All Editors');
    const { tree, runningTask } = await explorerState(page);
    const row = treeItem(tree, runningTask);
    await row.click({ button: 'right' });
    const menuItem = page.getByRole('menuitem', { name: 'Check ECS Exec Readiness' });
    await menuItem.waitFor({ timeout: 10_000 }).catch(() => {
      throw new Error('the running task\'s context menu has no "Check ECS Exec Readiness"');
    });
    // The menu ignores a click that comes too soon after it opens: point at the item, then Enter.
    await page.waitForTimeout(300);
    await menuItem.hover();
    await page.keyboard.press('Enter');
    await page.locator('.context-view .monaco-menu').waitFor({ state: 'detached', timeout: 5000 }).catch(() => undefined);
    // Off the tree, or a row's tooltip opens under the QuickPick.
    await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 60);
    // A task with several containers asks which one first.
    const title = page.locator('.quick-input-widget .quick-input-title');
    await page.locator('.quick-input-widget').filter({ hasText: /ECS Exec readiness:|Check ECS Exec Readiness/ }).waitFor({ state: 'visible', timeout: 30_000 });
    if (!/readiness:/.test((await title.textContent().catch(() => '')) ?? '')) {
      await quickPickRows(page).first().click();
    }
    await page.locator('.quick-input-widget .quick-input-title').filter({ hasText: /ECS Exec readiness:/ }).waitFor({ state: 'visible', timeout: 60_000 }).catch(() => {
      throw new Error('the readiness checks never showed');
    });
    await quickPickRows(page).nth(2).waitFor({ timeout: 10_000 });
    const summary = await quickInput(page).getAttribute('placeholder');
    if (!/passed/.test(summary ?? '')) throw new Error(`the readiness QuickPick has no summary (placeholder: ${summary})`);
    await page.waitForTimeout(600);
    return undefined;
  },

  /**
   * "Start ECS Exec Session" on prod > web's container in the task that passes the preflight: the
   * playground's simulated shell in a terminal, after `hostname`.
   */
  async 'exec-session'(page) {
    await runCommand(page, 'View: Close All Editors');
    await setSidebarWidth(page, SIDEBAR_NARROW);
    const tree = await openEcsDoctor(page);
    const container = [is('prod'), is('web'), startsWith(EXEC_READY_TASK), is('web')];
    const { row } = await expandPath(tree, container.slice(0, 3));
    if (!row) throw new Error(`no row ${describePath(container.slice(0, 3))}`);
    const rows = await waitRows(tree, `the container row ${describePath(container)}`, (rs) => !!findPath(rs, container));
    const containerRow = tree.locator(`[role="treeitem"][data-index="${findPath(rows, container).index}"]`);
    await containerRow.click({ button: 'right' });
    const menuItem = page.getByRole('menuitem', { name: 'Start ECS Exec Session' });
    await menuItem.waitFor({ timeout: 10_000 }).catch(() => {
      throw new Error('the running container\'s context menu has no "Start ECS Exec Session"');
    });
    await page.waitForTimeout(300);
    await menuItem.hover();
    await page.keyboard.press('Enter');
    // It asks for the command to run (ecsDoctor.exec.askForCommand): take the default, /bin/sh.
    await page.locator('.quick-input-widget').filter({ hasText: /Command to run/ }).waitFor({ state: 'visible', timeout: 30_000 }).catch(() => {
      throw new Error('Start ECS Exec Session never asked for the command');
    });
    await page.keyboard.press('Enter');
    await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 60);
    const screen = page.locator('.terminal .xterm-rows');
    await screen.filter({ hasText: /simulated shell/ }).first().waitFor({ timeout: 60_000 }).catch(async () => {
      if (process.env.SHOTS_DEBUG) {
        await runCommand(page, 'ECS Doctor: Show Log');
        await page.waitForTimeout(2000);
        await page.locator('.output-view .monaco-editor').first().click();
        await page.keyboard.press('Control+Home');
        await page.waitForTimeout(500);
        await page.screenshot({ path: path.join(outDir, 'exec-session.debug.png') });
      }
      throw new Error('no terminal showed the simulated shell\'s banner');
    });
    await page.locator('.terminal .xterm-helper-textarea').first().focus();
    await page.keyboard.type('hostname');
    await page.keyboard.press('Enter');
    await screen.filter({ hasText: /hostname[\s\S]*\[simulated\][^$#]*[$#][\s\S]*\[simulated\]/ }).first().waitFor({ timeout: 30_000 }).catch(() => {
      throw new Error('the simulated shell never answered `hostname` with a new prompt');
    });
    await page.waitForTimeout(500);
    return undefined;
  },

  /** A task definition with the exec-form health-check squiggle and its hover (message + quick fix). */
  async diagnostics(page) {
    await setSidebarWidth(page, SIDEBAR_NARROW);
    await openFile(page, 'bad-register.json');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
    // The exec-form health check `["CMD", "curl http://localhost/health"]`: find the squiggle under
    // the string (not VS Code's own "comments are not permitted" one on line 2) and hover its box.
    // In the page, in one go (the editor re-renders lines as tokens and links arrive): the box of
    // the text `"curl` on the health-check line, and the error squiggle that covers it.
    let target;
    const deadline = Date.now() + 15_000;
    while (!target && Date.now() < deadline) {
      target = await page.evaluate(() => {
        const norm = (t) => t.replace(/\u00a0/g, ' ');
        const line = [...document.querySelectorAll('.monaco-editor .view-line')].find((l) => norm(l.textContent ?? '').includes('"CMD", "curl http://localhost/health"'));
        if (!line) return undefined;
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        let word;
        for (let n = walker.nextNode(); n && !word; n = walker.nextNode()) {
          const i = norm(n.textContent ?? '').indexOf('"curl');
          if (i < 0) continue;
          const range = document.createRange();
          range.setStart(n, i);
          range.setEnd(n, i + 5);
          word = range.getBoundingClientRect();
        }
        if (!word) return undefined;
        const lineBox = line.getBoundingClientRect();
        const squiggle = [...document.querySelectorAll('.monaco-editor .squiggly-error')]
          .map((e) => e.getBoundingClientRect())
          .find((r) => r.top < lineBox.bottom && r.bottom > lineBox.top && r.left <= word.left + 1 && r.right >= word.right);
        if (!squiggle) return undefined;
        // A point on the squiggle's box, over the word (not over the URL: its link hover would join in).
        return { x: word.left + word.width / 2, y: squiggle.top + squiggle.height / 2, squiggle: { x: squiggle.left, y: squiggle.top, width: squiggle.width, height: squiggle.height } };
      });
      if (!target) await page.waitForTimeout(250);
    }
    if (!target) throw new Error('no error squiggle under the exec-form health-check command');
    const box = target.squiggle;
    const hover = page.locator('.monaco-hover').filter({ hasText: /literally named/ }).first();
    // The editor sometimes drops the first pointer move after it opens: move off and back on.
    let shown = false;
    for (let attempt = 0; attempt < 4 && !shown; attempt++) {
      await page.mouse.move(target.x - 40, target.y + 60);
      await page.mouse.move(target.x, target.y, { steps: 4 });
      await page.mouse.move(target.x + 2, target.y);
      shown = await hover.waitFor({ state: 'visible', timeout: 4000 }).then(() => true, () => false);
    }
    if (!shown) throw new Error('the hover with the health-check/exec-form-string message never appeared');
    await hover.filter({ hasText: /health-check\/exec-form-string/ }).waitFor({ timeout: 5000 }).catch(() => {
      throw new Error('the hover does not name the rule health-check/exec-form-string');
    });
    await hover.locator('a, .action').filter({ hasText: /Quick Fix/i }).first().waitFor({ timeout: 10_000 }).catch(() => {
      throw new Error('the hover has no Quick Fix link');
    });
    await page.waitForTimeout(500);
    // Crop to the editor, down to a screenful of JSON under the hover.
    const tip = await hover.boundingBox();
    return editorClip(page, Math.max(box.y + box.height, tip ? tip.y + tip.height : 0) + 300);
  },

  /** A CloudFormation YAML template: the exec-form health check under `!Ref`s, hovered. */
  'iac-cloudformation': (page) => iacShot(page, 'iac/cloudformation/web.yaml', '- curl -f http://localhost:8080/health', 'curl', /health-check\/exec-form-string/),
  /** A CDK template (cdk.out/WebStack.template.json): curl without -f, hovered. */
  'iac-cdk': (page) => iacShot(page, 'iac/cdk.out/WebStack.template.json', '"CMD-SHELL", "curl http', 'curl', /health-check\/curl-without-fail/),
  /** A Terraform module: curl without -f in jsonencode(), hovered. */
  'iac-terraform': (page) => iacShot(page, 'iac/terraform/main.tf', '"CMD-SHELL", "curl http', 'curl', /health-check\/curl-without-fail/),

  /** An offline explanation of a pasted stop reason, in the report view. */
  async report(page) {
    await setSidebarWidth(page, SIDEBAR_NARROW);
    // The command prefills from the selection, the active JSON document or the clipboard: start from nothing.
    await runCommand(page, 'View: Close All Editors');
    await page.locator('.part.editor .tab').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    await page.evaluate(() => navigator.clipboard.writeText('').catch(() => undefined));
    await runCommand(page, 'ECS Doctor: Explain Stop Reason');
    const input = quickInput(page);
    await page.locator('.quick-input-widget .quick-input-title').filter({ hasText: 'Explain Stop Reason' }).waitFor({ state: 'visible', timeout: 15_000 }).catch(() => {
      throw new Error('the Explain Stop Reason input box never opened');
    });
    await input.fill('CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2: 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2: not found');
    await page.keyboard.press('Enter');
    const frame = reportFrame(page);
    await frame.locator('h1').first().waitFor({ timeout: 30_000 }).catch(() => {
      throw new Error('the report view never rendered');
    });
    await frame.getByText(/CannotPullContainerError/).first().waitFor({ timeout: 10_000 });
    await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 60);
    await page.waitForTimeout(1000);
    return editorClip(page, VIEWPORT.height);
  },

  /**
   * ECS Doctor's settings: its pages (package.json's configuration sections) under Extensions >
   * ECS Doctor, the setting labels without an "Ecs Doctor ›" prefix.
   */
  async settings(page) {
    await runCommand(page, 'View: Close All Editors');
    await hidePanel(page);
    await runCommand(page, 'Preferences: Open Settings (UI)');
    // Extensions > ECS Doctor in the table of contents: the extension's own settings, its
    // sections (Connection, Explorer, Task Definitions, ECS Exec) shown beneath it.
    const toc = page.locator('.settings-editor .settings-toc-container');
    await toc.getByText('Extensions', { exact: true }).first().click({ timeout: 15_000 });
    await page.keyboard.press('ArrowRight');
    await toc.getByText('ECS Doctor', { exact: true }).first().click({ timeout: 15_000 });
    await page.keyboard.press('ArrowRight');
    await toc.getByText('ECS Exec', { exact: true }).first().waitFor({ timeout: 10_000 }).catch(() => {
      throw new Error('the table of contents shows no ECS Exec section under ECS Doctor');
    });
    await page.locator('.settings-editor .setting-item-label').first().waitFor({ timeout: 15_000 });
    await page.locator('.settings-editor .setting-item-title').filter({ hasText: /^Profile/ }).first().waitFor({ timeout: 15_000 }).catch(() => {
      throw new Error('the Connection section never showed the Profile setting');
    });
    await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 60);
    await page.waitForTimeout(1000);
    // A nested key (ecsDoctor.exec.command) reads "Command" on the ECS Exec page, not "Ecs Doctor › Exec: Command".
    const text = (await page.locator('.settings-editor .setting-item-title').allTextContents()).join(' | ');
    if (/Ecs Doctor/.test(text)) throw new Error(`some setting labels still read "Ecs Doctor": ${text.slice(0, 600)}`);
    return editorClip(page, VIEWPORT.height);
  },

  /** The command palette filtered to ECS Doctor's commands. */
  async palette(page) {
    await runCommand(page, 'View: Close All Editors');
    await page.keyboard.press('Control+Shift+P');
    const input = quickInput(page);
    await input.waitFor();
    await input.fill('>ECS Doctor');
    await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'ECS Doctor:' }).nth(4).waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500);
    return undefined;
  },

  /**
   * Last, since the forward it starts stays in the status bar.
   * "Forward a Port..." on prod > web's container in the task that passes the preflight: port 8080
   * (suggested from the task definition), the suggested local port, then the status bar item and
   * the list of active forwards it opens (the stand-in plugin really listens).
   */
  async 'port-forward'(page) {
    await runCommand(page, 'View: Close All Editors');
    await setSidebarWidth(page, SIDEBAR_NARROW);
    const tree = await openEcsDoctor(page);
    const container = [is('prod'), is('web'), startsWith(EXEC_READY_TASK), is('web')];
    const { row } = await expandPath(tree, container.slice(0, 3));
    if (!row) throw new Error(`no row ${describePath(container.slice(0, 3))}`);
    const rows = await waitRows(tree, `the container row ${describePath(container)}`, (rs) => !!findPath(rs, container));
    const containerRow = tree.locator(`[role="treeitem"][data-index="${findPath(rows, container).index}"]`);
    await containerRow.click({ button: 'right' });
    const menuItem = page.getByRole('menuitem', { name: 'Forward a Port...' });
    await menuItem.waitFor({ timeout: 10_000 }).catch(() => {
      throw new Error('the running container\'s context menu has no "Forward a Port..."');
    });
    await page.waitForTimeout(300);
    await menuItem.hover();
    await page.keyboard.press('Enter');
    const widget = page.locator('.quick-input-widget');
    await widget.filter({ hasText: /8080/ }).waitFor({ state: 'visible', timeout: 30_000 }).catch(() => {
      throw new Error('Forward a Port... never offered port 8080 from the task definition');
    });
    await page.keyboard.press('Enter');
    await widget.filter({ hasText: /Local port/ }).waitFor({ state: 'visible', timeout: 30_000 }).catch(() => {
      throw new Error('Forward a Port... never asked for the local port');
    });
    await page.keyboard.press('Enter');
    const status = page.locator('.statusbar-item').filter({ hasText: /1 forward/ }).first();
    await status.waitFor({ timeout: 60_000 }).catch(() => {
      throw new Error('the status bar never counted the forward');
    });
    await status.click();
    await widget.filter({ hasText: /web:8080/ }).waitFor({ state: 'visible', timeout: 30_000 }).catch(() => {
      throw new Error('the list of port forwards never showed the forward');
    });
    await page.waitForTimeout(500);
    return undefined;
  },
};

main().catch((err) => {
  console.error(err?.stack ?? String(err));
  process.exitCode = 1;
});
