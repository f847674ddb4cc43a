/**
 * ECS Exec: the session-manager-plugin, found over an injected view of the filesystem, and the
 * argument vector the AWS CLI passes it.
 */
import * as path from 'node:path';
import { lastSegment } from '../arn';
import type { PluginLookup } from './types';

// ---------------------------------------------------------------------------------------------
// The session-manager-plugin argument vector (exactly what the AWS CLI passes)

export interface ExecSessionFacts {
  sessionId?: string | undefined;
  streamUrl?: string | undefined;
  tokenValue?: string | undefined;
}

export interface PluginArgsInput {
  session: ExecSessionFacts;
  region: string;
  /** The named profile (--profile, AWS_PROFILE), or empty. */
  profile?: string | undefined;
  /** Cluster name or ARN. */
  cluster: string;
  /** Task id or ARN. */
  task: string;
  /** The container's runtimeId from DescribeTasks. */
  runtimeId: string;
  /** The ECS endpoint URL the ExecuteCommand call went to. */
  endpointUrl: string;
}

/**
 * JSON text as Python's `json.dumps` writes it with default options (", " and ": " separators,
 * non-ASCII escaped), which is how the AWS CLI serialises the plugin's JSON arguments.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NaN';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map((v) => pythonJsonDumps(v)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
}

/** The SSM target of an ECS Exec session: `ecs:<cluster name>_<task id>_<container runtimeId>`. */
export function execTarget(cluster: string, task: string, runtimeId: string): string {
  return `ecs:${lastSegment(cluster)}_${lastSegment(task)}_${runtimeId}`;
}

/**
 * The six arguments: session JSON, region, "StartSession", profile or "", {"Target": ...}, ECS
 * endpoint URL. Pass them as an argument vector, never through a shell. The first argument holds
 * the session token: never log the vector.
 */
export function pluginArgs(i: PluginArgsInput): string[] {
  const session = { sessionId: i.session.sessionId, streamUrl: i.session.streamUrl, tokenValue: i.session.tokenValue };
  return [
    pythonJsonDumps(session),
    i.region,
    'StartSession',
    i.profile ?? '',
    pythonJsonDumps({ Target: execTarget(i.cluster, i.task, i.runtimeId) }),
    i.endpointUrl,
  ];
}

/** The argument vector with the session JSON masked: the only form that may be logged. */
export function describePluginArgs(argv: readonly string[]): string {
  return argv.map((a, n) => (n === 0 ? '<session JSON>' : JSON.stringify(a))).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Finding the plugin

export const PLUGIN_NAME = 'session-manager-plugin';

/** What discovery may see of the machine; the faces back it with fs and process.env. */
export interface PluginFsView {
  platform: string;
  env: Record<string, string | undefined>;
  /** True when `p` is a regular file this user may execute. */
  isExecutable(p: string): boolean;
  /** True when `p` is a directory. */
  isDirectory?(p: string): boolean;
}

function envGet(env: Record<string, string | undefined>, name: string): string | undefined {
  if (env[name] !== undefined) return env[name];
  const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
  return key ? env[key] : undefined;
}

/** The places to look, in order: PATH, then the usual install folders of the platform. */
export function pluginCandidates(platform: string, env: Record<string, string | undefined>): string[] {
  const win = platform === 'win32';
  const p = win ? path.win32 : path.posix;
  const exeNames = win
    ? [PLUGIN_NAME, ...(envGet(env, 'PATHEXT') ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean).map((x) => PLUGIN_NAME + x.toLowerCase())].filter((n) => n !== PLUGIN_NAME)
    : [PLUGIN_NAME];
  const out: string[] = [];
  const add = (x: string) => {
    if (!out.includes(x)) out.push(x);
  };
  for (const dir of (envGet(env, 'PATH') ?? '').split(win ? ';' : ':')) {
    const d = dir.trim().replace(/^"(.*)"$/, '$1');
    if (!d) continue;
    for (const n of exeNames) add(p.join(d, n));
  }
  if (win) {
    const roots = [envGet(env, 'ProgramFiles') ?? 'C:\\Program Files', envGet(env, 'ProgramFiles(x86)') ?? 'C:\\Program Files (x86)', envGet(env, 'ProgramW6432')].filter((x): x is string => !!x);
    for (const r of roots) add(p.join(r, 'Amazon', 'SessionManagerPlugin', 'bin', `${PLUGIN_NAME}.exe`));
    const local = envGet(env, 'LOCALAPPDATA');
    if (local) add(p.join(local, 'Programs', 'Amazon', 'SessionManagerPlugin', 'bin', `${PLUGIN_NAME}.exe`));
  } else {
    add(`/usr/local/sessionmanagerplugin/bin/${PLUGIN_NAME}`);
    add(`/usr/local/bin/${PLUGIN_NAME}`);
    add(`/usr/bin/${PLUGIN_NAME}`);
    if (platform === 'darwin') {
      add(`/opt/homebrew/bin/${PLUGIN_NAME}`);
    } else {
      add(`/snap/bin/${PLUGIN_NAME}`);
    }
    const home = envGet(env, 'HOME');
    if (home) add(p.join(home, '.local', 'bin', PLUGIN_NAME));
  }
  return out;
}

/** Finds the plugin: the configured path when set (a file, or a folder holding it), else PATH and the usual folders. */
export function findPlugin(view: PluginFsView, configured?: string): PluginLookup {
  const win = view.platform === 'win32';
  const p = win ? path.win32 : path.posix;
  const setting = configured?.trim();
  if (setting) {
    const home = envGet(view.env, win ? 'USERPROFILE' : 'HOME');
    const expanded = home && (setting === '~' || setting.startsWith('~/') || setting.startsWith('~\\')) ? p.join(home, setting.slice(1)) : setting;
    const tries = view.isDirectory?.(expanded)
      ? [p.join(expanded, win ? `${PLUGIN_NAME}.exe` : PLUGIN_NAME), p.join(expanded, 'bin', win ? `${PLUGIN_NAME}.exe` : PLUGIN_NAME)]
      : [expanded];
    const found = tries.find((t) => view.isExecutable(t));
    return { path: found, searched: tries, configured: setting };
  }
  const searched = pluginCandidates(view.platform, view.env);
  return { path: searched.find((c) => view.isExecutable(c)), searched };
}
