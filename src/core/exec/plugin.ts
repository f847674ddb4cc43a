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
  return argv.map((a, n) => (n === 0 && a !== START_SESSION_RESPONSE_ENV ? '<session JSON>' : JSON.stringify(a))).join(' ');
}

// ---------------------------------------------------------------------------------------------
// The session response in the plugin's environment instead of on its command line
//
// A process's command line is readable by every user of the machine (`ps`), its environment only
// by the same user. AWS CLI v2 (2.13.37 and later; v1 too) runs `session-manager-plugin --version`
// before `aws ssm start-session` starts the plugin and, when that version is newer than
// 1.2.497.0, puts the StartSession response (which holds the session token) in the environment
// variable AWS_SSM_START_SESSION_RESPONSE and passes the variable's NAME as the first argument;
// an older plugin, or a version it cannot read, gets the JSON itself as before. See
// StartSessionCaller and VersionRequirement in awscli/customizations/sessionmanager.py:
// https://github.com/aws/aws-cli/blob/v2/awscli/customizations/sessionmanager.py (PR #8336).
// The plugin reads the variable when its first argument starts with that name, then unsets it
// (ValidateInputAndStartSession in src/sessionmanagerplugin/session/session.go of
// https://github.com/aws/session-manager-plugin; release notes 1.2.536.0: "Support reading
// StartSession API response parameters from environment variable"). It does so for every
// StartSession, so ECS Doctor does the same for ECS Exec (ExecuteCommand's session), which
// `aws ecs execute-command` still passes on the command line.

/** The variable the AWS CLI names; the plugin reads any variable whose name starts with it. */
export const START_SESSION_RESPONSE_ENV = 'AWS_SSM_START_SESSION_RESPONSE';
/** The AWS CLI's LAST_PLUGIN_VERSION_WITHOUT_ENV_VAR: a plugin must be newer than this. */
export const LAST_PLUGIN_VERSION_WITHOUT_ENV_VAR = '1.2.497.0';
/** The first plugin release that reads the variable (its release notes). */
export const FIRST_PLUGIN_VERSION_WITH_ENV_VAR = '1.2.536.0';

/**
 * True when `session-manager-plugin --version` printed a version newer than
 * {@link LAST_PLUGIN_VERSION_WITHOUT_ENV_VAR}, read as the AWS CLI's VersionRequirement reads it:
 * all whitespace removed, one to four dot-separated numbers, compared part by part (missing parts
 * are 0). Anything else (no output, "1.2.0.0-beta", five parts) is false: the JSON goes in argv.
 */
export function pluginReadsResponseFromEnv(versionOutput: string | undefined): boolean {
  const v = (versionOutput ?? '').replace(/\s+/g, '');
  if (!/^\d+(\.\d+){0,3}$/.test(v)) return false;
  const a = v.split('.').map(Number);
  const b = LAST_PLUGIN_VERSION_WITHOUT_ENV_VAR.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return false;
}

/** How to start the plugin: its arguments and what to add to its environment. */
export interface PluginLaunch {
  /** The six arguments; the first is the session JSON or {@link START_SESSION_RESPONSE_ENV}. */
  argv: string[];
  /** Variables to add to the plugin's environment: the session JSON when it is not in argv. Never log it. */
  env: Record<string, string>;
  /** True when the session response (and its token) goes in the environment, not on the command line. */
  responseInEnv: boolean;
}

/**
 * The launch of a six-argument vector (pluginArgs, forwardPluginArgs) for a plugin that printed
 * `versionOutput`: the session JSON moves to the environment when the plugin is new enough.
 */
export function pluginLaunch(argv: readonly string[], versionOutput: string | undefined): PluginLaunch {
  const [response, ...rest] = argv;
  if (response === undefined || !pluginReadsResponseFromEnv(versionOutput)) return { argv: [...argv], env: {}, responseInEnv: false };
  return { argv: [START_SESSION_RESPONSE_ENV, ...rest], env: { [START_SESSION_RESPONSE_ENV]: response }, responseInEnv: true };
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
