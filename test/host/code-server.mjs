// Starts code-server (a real VS Code workbench and Node extension host) on 127.0.0.1 in its own
// process group, with every folder it writes to (HOME, XDG dirs, TMPDIR, user data, extensions)
// inside one temporary directory, and quiet settings. Used by the integration tests, the
// screenshots and `npm start`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureHost, hostEnv } from './ensure-host.mjs';
import { BROWSER_PACKAGES, ensureDebianPackages } from './system-packages.mjs';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'github.gitAuthentication': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'window.commandCenter': false,
};

/** Dummy AWS settings: nothing real can be found or used, so nothing can leave the machine. */
export function sandboxAwsEnv(dir, { region = 'us-east-1' } = {}) {
  const awsDir = path.join(dir, 'aws');
  mkdirSync(awsDir, { recursive: true });
  const config = path.join(awsDir, 'config');
  const credentials = path.join(awsDir, 'credentials');
  writeFileSync(config, `[default]\nregion = ${region}\n\n[profile sim]\nregion = ${region}\n`);
  writeFileSync(credentials, '[default]\naws_access_key_id = AKIDSIMULATOR0000000\naws_secret_access_key = simulator-secret-not-real\n\n[sim]\naws_access_key_id = AKIDSIMULATOR0000001\naws_secret_access_key = simulator-secret-not-real\n');
  return {
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: credentials,
    AWS_REGION: region,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_DEFAULT_PROFILE: undefined,
  };
}

/**
 * @param {{ folder?: string, settings?: object, env?: object, vsix?: string, log?: (m: string) => void,
 *           smokeTestDriver?: boolean, port?: number, keepDir?: boolean }} opts
 */
export async function startCodeServer(opts = {}) {
  const log = opts.log ?? ((m) => console.log(`[code-server] ${m}`));
  const host = ensureHost(log);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ecs-doctor-host-'));
  const dirs = {
    home: path.join(dir, 'home'),
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
    tmp: path.join(dir, 'tmp'),
    workspace: opts.folder ?? path.join(dir, 'workspace'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...(opts.settings ?? {}) }, null, 2),
  );
  // Machine-scoped settings (ecsDoctor.sessionManagerPluginPath) apply in a remote window only
  // from the remote's own settings: give them there too.
  mkdirSync(path.join(dirs.userData, 'Machine'), { recursive: true });
  writeFileSync(path.join(dirs.userData, 'Machine', 'settings.json'), JSON.stringify(opts.settings ?? {}, null, 2));

  const env = {
    ...hostEnv(process.env),
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
    XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
    TMPDIR: dirs.tmp,
    ...sandboxAwsEnv(dir),
    ...(opts.env ?? {}),
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.ELECTRON_RUN_AS_NODE;

  const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  if (opts.vsix) {
    const started = Date.now();
    const r = await runToEnd(host.codeServer, [...common, '--install-extension', opts.vsix], env);
    if (r.code !== 0) throw new Error(`code-server --install-extension failed (${r.code}): ${r.output.slice(-2000)}`);
    log(`installed ${path.basename(opts.vsix)} in ${Date.now() - started} ms`);
  }

  const port = opts.port ?? (await freePort());
  const args = [
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    ...common,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (opts.smokeTestDriver !== false) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(dirs.workspace);

  const child = spawn(host.codeServer, args, { env, cwd: dirs.home, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (b) => {
    output += b.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });

  const stop = async () => {
    if (!exited) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const deadline = Date.now() + 5000;
      while (!exited && Date.now() < deadline) await sleep(100);
      if (!exited) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited before it was ready:\n${output.slice(-3000)}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within 60 s:\n${output.slice(-3000)}`);
    }
    await sleep(200);
  }
  log(`listening on ${url}`);
  return { url, port, dir, dirs, env, stop, output: () => output };
}

/** The workbench URL that opens `folder`, optionally with a test payload (extension under development + tests). */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath, openFile } = {}) {
  const u = new URL(server.url + '/');
  u.searchParams.set('folder', folder ?? server.dirs.workspace);
  const payload = [['skipWelcome', 'true']];
  const authority = `127.0.0.1:${server.port}`;
  // A file to open at start (the web workbench's "openFile" payload).
  if (openFile) payload.push(['openFile', `vscode-remote://${authority}${openFile}`]);
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', `vscode-remote://${authority}${extensionDevelopmentPath}`]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://${authority}${extensionTestsPath}`]);
  u.searchParams.set('payload', JSON.stringify(payload));
  return u.toString();
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** CHROMIUM_PATH, or a Chromium on this machine, or Debian's `chromium` installed on first use. */
export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) {
    if (existsSyncSafe(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
    throw new Error(`CHROMIUM_PATH names ${process.env.CHROMIUM_PATH}, which is not a file.`);
  }
  const found = () => CHROMIUM_CANDIDATES.find(existsSyncSafe);
  if (found()) return found();
  ensureDebianPackages(BROWSER_PACKAGES, 'the headless browser that drives VS Code in the UI tests');
  const p = found();
  if (!p) throw new Error(`Chromium was installed but is in none of ${CHROMIUM_CANDIDATES.join(', ')}: set CHROMIUM_PATH.`);
  return p;
}

/** Launches headless Chromium with a fresh profile; returns { context, page, close }. */
export async function launchBrowser({ viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(path.join(os.tmpdir(), 'ecs-doctor-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function existsSyncSafe(p) {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function runToEnd(cmd, args, env) {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    c.stdout.on('data', (b) => (output += b));
    c.stderr.on('data', (b) => (output += b));
    c.on('exit', (code) => resolve({ code, output }));
    c.on('error', (err) => resolve({ code: -1, output: String(err) }));
  });
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
