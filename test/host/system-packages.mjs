// Debian packages the real-VS-Code test host needs, installed by the project itself on first use
// so that the README's commands (`npm test`, `npm start`, `npm run screenshots`) work on a fresh
// machine with nothing but Node.js and npm:
//   - g++, make, python3 and libkrb5-dev: code-server's native modules (among them `kerberos`,
//     which includes <gssapi/gssapi.h>) compile from source when code-server is installed;
//   - chromium: the headless browser that drives the workbench in the integration suite and
//     the screenshots (`npm start` does not need it: you bring your own browser).
// As root it runs apt-get; otherwise it uses `sudo -n` when that needs no password, and else
// stops with the exact command to run.
import { spawnSync } from 'node:child_process';

/** Each entry: the Debian package, and how to tell it is there without asking dpkg. */
export const BUILD_PACKAGES = [
  { pkg: 'g++', command: 'g++' },
  { pkg: 'make', command: 'make' },
  { pkg: 'python3', command: 'python3' },
  { pkg: 'libkrb5-dev', header: '/usr/include/gssapi/gssapi.h' },
];
export const BROWSER_PACKAGES = [{ pkg: 'chromium', command: 'chromium' }];

function has(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}

function present(entry) {
  if (entry.command && has('sh', ['-c', `command -v ${entry.command}`])) return true;
  if (entry.header && has('test', ['-f', entry.header])) return true;
  return has('sh', ['-c', `dpkg-query -W -f='\${Status}' ${entry.pkg} 2>/dev/null | grep -q 'install ok installed'`]);
}

/** The packages of `entries` that are missing on this machine. */
export function missingPackages(entries) {
  return entries.filter((e) => !present(e)).map((e) => e.pkg);
}

/**
 * Installs the missing packages of `entries` with apt-get, or throws an Error whose message says
 * exactly what to run. `why` names what needs them, for the log and the message.
 */
export function ensureDebianPackages(entries, why, log = (m) => console.log(`[host] ${m}`)) {
  const missing = missingPackages(entries);
  if (missing.length === 0) return [];
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.platform !== 'linux' || !has('sh', ['-c', 'command -v apt-get'])) {
    throw new Error(`${why} needs ${missing.join(', ')}, and this machine has no apt-get: install them with your system's package manager.`);
  }
  let prefix = [];
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    if (!has('sudo', ['-n', 'true'])) throw new Error(`${why} needs ${missing.join(', ')}: run \`sudo sh -c '${command}'\`, then try again.`);
    prefix = ['sudo', '-n'];
  }
  log(`installing Debian packages for ${why}: ${missing.join(', ')} ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => {
    const [cmd, ...rest] = [...prefix, 'apt-get', ...args];
    return spawnSync(cmd, rest, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  const update = apt(['update', '-qq']);
  if (update.status !== 0) log(`apt-get update failed (exit ${update.status}); trying the install with the lists the machine has`);
  const install = apt(['install', '-y', '-qq', '--no-install-recommends', ...missing]);
  if (install.status !== 0) {
    const tail = `${install.stdout ?? ''}\n${install.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`${why} needs ${missing.join(', ')}, and \`apt-get install\` failed (exit ${install.status}):\n${tail}`);
  }
  const still = missingPackages(entries);
  if (still.length) throw new Error(`apt-get reported success, but ${still.join(', ')} still cannot be found`);
  log(`installed ${missing.join(', ')}`);
  return missing;
}
