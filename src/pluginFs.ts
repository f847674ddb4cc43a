/**
 * The real filesystem behind plugin discovery (src/core/exec/plugin.ts findPlugin): the extension and
 * the CLI both use it. Synchronous stat calls on a handful of paths, done once per session start.
 */
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
