/**
 * The session-manager-plugin of a port forward, as its own process (an argument vector, never a
 * shell): the extension and the CLI both run it through here. The plugin's output is read line by
 * line (it never prints the token; lines are still passed through safePluginLine) to learn when
 * its listener is up ("Port N opened for sessionId ...") or why it ended.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { listeningPort, safePluginLine } from './core/exec';
import { describeError } from './core/redact';

export interface ForwardProcess {
  readonly child: ChildProcess;
  /** The local port, once the plugin says its listener is up; rejects with the plugin's last words when it ends first. */
  readonly ready: Promise<number>;
  /** When the plugin has ended: its exit code (null when a signal ended it). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The plugin's last output lines (at most 40), safe to show. */
  readonly lines: string[];
  /** True once the plugin has ended. */
  readonly ended: boolean;
  /** Ends the plugin (SIGTERM; on Windows, TerminateProcess). */
  stop(): void;
}

export function startForwardPlugin(pluginPath: string, argv: string[], env: NodeJS.ProcessEnv, onLine?: (line: string) => void): ForwardProcess {
  const lines: string[] = [];
  let ended = false;
  const child = spawn(pluginPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], env, shell: false, windowsHide: true });
  let resolveReady!: (port: number) => void;
  let rejectReady!: (err: Error) => void;
  let listening = false;
  const ready = new Promise<number>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  ready.catch(() => undefined); // a caller that never awaits it must not see an unhandled rejection
  const take = (stream: NodeJS.ReadableStream | null) => {
    if (!stream) return;
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.search(/\r?\n/)) >= 0) {
        const line = safePluginLine(buf.slice(0, i));
        buf = buf.slice(i + 1).replace(/^\n/, '');
        if (!line.trim()) continue;
        lines.push(line);
        if (lines.length > 40) lines.shift();
        onLine?.(line);
        const port = listeningPort(line);
        if (port !== undefined && !listening) {
          listening = true;
          resolveReady(port);
        }
      }
    });
  };
  take(child.stdout);
  take(child.stderr);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('error', (err) => {
      ended = true;
      const said = `could not run ${pluginPath}: ${describeError(err)}`;
      lines.push(said);
      rejectReady(new Error(said));
      resolve({ code: 1, signal: null });
    });
    child.on('close', (code, signal) => {
      ended = true;
      const last = lines.filter((l) => !/^Starting session with SessionId/.test(l)).slice(-3).join(' ');
      rejectReady(new Error(`session-manager-plugin ended${code !== null ? ` with exit code ${code}` : signal ? ` (${signal})` : ''} before it listened${last ? `: ${last}` : '.'}`));
      resolve({ code, signal });
    });
  });
  return {
    child,
    ready,
    exited,
    lines,
    get ended() {
      return ended;
    },
    stop() {
      if (!ended && child.exitCode === null) child.kill('SIGTERM');
    },
  };
}
