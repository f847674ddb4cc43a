/**
 * The real filesystem behind plugin discovery (src/core/exec/plugin.ts findPlugin): the extension and
 * the CLI both use it. Synchronous stat calls on a handful of paths, done once per session start;
 * then `session-manager-plugin --version`, as the AWS CLI runs it, to learn whether the plugin
 * takes the session token in its environment (src/core/exec/plugin.ts pluginLaunch).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { findPlugin, type PluginFsView, type PluginLookup } from './core/exec';

export function nodePluginFs(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): PluginFsView {
  return {
    platform,
    env,
    isExecutable(p: string): boolean {
      try {
        if (!statSync(p).isFile()) return false;
        if (platform === 'win32') return true;
        accessSync(p, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
    isDirectory(p: string): boolean {
      try {
        return statSync(p).isDirectory();
      } catch {
        return false;
      }
    },
  };
}

/** Finds session-manager-plugin on this machine: the configured path, else PATH and the usual folders. */
export function locatePlugin(configured?: string, env: NodeJS.ProcessEnv = process.env): PluginLookup {
  return findPlugin(nodePluginFs(env), configured);
}

/** A guard against a plugin that never answers `--version`: it then counts as an old plugin. */
const VERSION_GUARD_MS = 10_000;

/**
 * What `<plugin> --version` prints, trimmed ('' when it fails or prints nothing). Asked before
 * each session, as the AWS CLI asks (the plugin answers at once; an updated plugin is seen).
 */
export function readPluginVersion(pluginPath: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise<string>((resolve) => {
    execFile(pluginPath, ['--version'], { env, timeout: VERSION_GUARD_MS, windowsHide: true, shell: false, encoding: 'utf8', maxBuffer: 64 * 1024 }, (err, stdout) => {
      resolve(err ? '' : String(stdout).trim());
    });
  });
}

/** {@link locatePlugin}, then the version of the plugin found (see {@link readPluginVersion}). */
export async function locatePluginWithVersion(configured?: string, env: NodeJS.ProcessEnv = process.env): Promise<PluginLookup> {
  const found = locatePlugin(configured, env);
  return found.path ? { ...found, version: await readPluginVersion(found.path, env) } : found;
}
