// Helpers for the mocha suites that run inside the real VS Code extension host.
import * as vscode from 'vscode';
import type { EcsDoctorApi } from '../../src/extension';

interface Manifest {
  name: string;
  publisher: string;
  activationEvents?: string[];
  contributes: {
    commands?: { command: string; title: string }[];
    viewsContainers?: { activitybar?: { id: string; title: string }[] };
    views?: Record<string, { id: string; name: string }[]>;
    /** Titled sections, each a page of the Settings UI. */
    configuration?: { id: string; title: string; properties: Record<string, unknown> }[];
    menus?: Record<string, { command: string; when?: string }[]>;
  };
}

export function extensionId(): string {
  return 'ecs-doctor.ecs-doctor';
}

export function manifest(): Manifest {
  const ext = vscode.extensions.getExtension(extensionId());
  if (!ext) throw new Error(`extension ${extensionId()} is not loaded in this host`);
  return ext.packageJSON as Manifest;
}

/** Activates the extension (if needed) and returns what activate() returned. */
export async function getApi(): Promise<EcsDoctorApi> {
  const ext = vscode.extensions.getExtension<EcsDoctorApi>(extensionId());
  if (!ext) throw new Error(`extension ${extensionId()} is not loaded in this host`);
  return ext.isActive ? ext.exports : await ext.activate();
}

/** Sets ecsDoctor.* settings globally for a test and returns a function that restores them. */
export async function withSettings(values: Record<string, unknown>): Promise<() => Promise<void>> {
  const c = vscode.workspace.getConfiguration('ecsDoctor');
  const previous: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    previous[k] = c.inspect(k)?.globalValue;
    await c.update(k, v, vscode.ConfigurationTarget.Global);
  }
  return async () => {
    const c2 = vscode.workspace.getConfiguration('ecsDoctor');
    for (const [k, v] of Object.entries(previous)) await c2.update(k, v, vscode.ConfigurationTarget.Global);
  };
}

/** Polls until `probe` returns a truthy value or the time runs out. */
export async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
