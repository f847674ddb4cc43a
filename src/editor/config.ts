import * as vscode from 'vscode';

/** Every `ecsDoctor.*` setting, typed. Read only through this module. */
export interface Settings {
  profile: string;
  region: string;
  endpoint: string;
  /** Task-definition diagnostics on/off. */
  lintEnabled: boolean;
  /** Per-rule severity or "off" (rule id -> setting); invalid entries are dropped. */
  lintRules: Record<string, 'off' | 'error' | 'warning' | 'info'>;
  /** ECS Exec: the command a session runs (default /bin/sh). */
  execCommand: string;
  /** ECS Exec: ask for the command (pre-filled with execCommand) at each session start. */
  execAskForCommand: boolean;
  /** ECS Exec: session-manager-plugin location; empty searches PATH and the usual install folders. */
  sessionManagerPluginPath: string;
  /** Explorer: Regions shown at once; empty uses `region` (then AWS_REGION / the profile's). */
  regions: string[];
  /** Explorer: seconds between automatic refreshes while the view is visible; 0 turns it off. */
  refreshInterval: number;
}

export const SECTION = 'ecsDoctor';

export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    profile: c.get<string>('profile', '').trim(),
    region: c.get<string>('region', '').trim(),
    endpoint: c.get<string>('endpoint', '').trim(),
    lintEnabled: c.get<boolean>('lint.enabled', true) !== false,
    lintRules: lintRules(c.get<unknown>('lint.rules', {})),
    execCommand: c.get<string>('exec.command', '/bin/sh').trim() || '/bin/sh',
    execAskForCommand: c.get<boolean>('exec.askForCommand', true) !== false,
    sessionManagerPluginPath: c.get<string>('sessionManagerPluginPath', '').trim(),
    regions: regionList(c.get<unknown>('regions', [])),
    refreshInterval: refreshSeconds(c.get<unknown>('refreshInterval', 30)),
  };
}

/** Trimmed, distinct, non-empty Region names. */
function regionList(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  return [...new Set(raw.filter((r): r is string => typeof r === 'string').map((r) => r.trim()).filter(Boolean))];
}

/** Whole seconds, 0 (off) or at least 5, at most a day; anything else falls back to 30. */
function refreshSeconds(raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0) return 30;
  if (raw === 0) return 0;
  return Math.min(86_400, Math.max(5, Math.round(raw)));
}

function lintRules(raw: unknown): Settings['lintRules'] {
  const out: Settings['lintRules'] = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [id, v] of Object.entries(raw as Record<string, unknown>)) {
    if (v === 'off' || v === 'error' || v === 'warning' || v === 'info') out[id] = v;
  }
  return out;
}

/** Holds the current settings and tells listeners which keys changed. */
export class Config implements vscode.Disposable {
  private current: Settings = readSettings();
  private readonly emitter = new vscode.EventEmitter<{ previous: Settings; changed: (keyof Settings)[] }>();
  private readonly watcher: vscode.Disposable;
  readonly onDidChange = this.emitter.event;

  constructor() {
    this.watcher = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      const previous = this.current;
      this.current = readSettings();
      const changed = (Object.keys(this.current) as (keyof Settings)[]).filter(
        (k) => JSON.stringify(this.current[k]) !== JSON.stringify(previous[k]),
      );
      if (changed.length) this.emitter.fire({ previous, changed });
    });
  }

  get settings(): Settings {
    return this.current;
  }

  /** Writes a setting to the user (global) scope, or the workspace when it is already set there. */
  async update<K extends keyof Settings>(key: K, value: Settings[K]): Promise<void> {
    const c = vscode.workspace.getConfiguration(SECTION);
    const inspect = c.inspect(key);
    const target =
      inspect?.workspaceFolderValue !== undefined
        ? vscode.ConfigurationTarget.WorkspaceFolder
        : inspect?.workspaceValue !== undefined
          ? vscode.ConfigurationTarget.Workspace
          : vscode.ConfigurationTarget.Global;
    await c.update(key, value, target);
  }

  dispose(): void {
    this.watcher.dispose();
    this.emitter.dispose();
  }
}
