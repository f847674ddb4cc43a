/**
 * Port forwarding in the editor: "Forward a Port..." on a running task or container (or from the
 * palette), the active forwards in the status bar and a list (task, ports, age) where each can be
 * opened in the browser or stopped, and every forward ended when VS Code closes.
 *
 * A forward is SSM StartSession with a port-forwarding document, then session-manager-plugin as
 * its own process with the six arguments `aws ssm start-session` passes (src/aws/forward.ts,
 * src/forwardPlugin.ts). The ECS Exec preflight runs first, and its failures are shown by the
 * same function (showBlockedPreflight in src/editor/exec.ts: a modal with every check). The
 * plugin's listener is on the loopback interface of this machine.
 *
 * The session token goes to the plugin's environment (a plugin newer than 1.2.497.0, as the AWS
 * CLI decides) or its first argument (an older one), through spawn and nowhere else. Log lines
 * use describePluginArgs() and describeError().
 */
import * as vscode from 'vscode';
import type { AwsSession } from '../aws/session';
import type { StartedForward } from '../aws/forward';
import { loadAws } from '../awsLoader';
import {
  blockingChecks,
  checkRemoteHost,
  chooseLocalPort,
  describeForwardTask,
  describePluginArgs,
  formatAge,
  forwardDocument,
  localUrl,
  parsePort,
  runExecChecks,
  formatChecksText,
  summarizeChecks,
  webScheme,
  type PluginLookup,
  type PortSuggestion,
} from '../core/exec';
import { lastSegment } from '../core/arn';
import { describeError } from '../core/redact';
import { startForwardPlugin, type ForwardProcess } from '../forwardPlugin';
import { anyFreeLocalPort, isLocalPortFree } from '../localPorts';
import { locatePluginWithVersion } from '../pluginFs';
import type { Ctx } from './context';
import { defaultUi as defaultExecUi, nodeOf, resolveTarget, showBlockedPreflight, showFailure, type ExecUi, type PickItem } from './exec';

export const FORWARD_COMMAND = 'ecsDoctor.forwardPort';
export const SHOW_FORWARDS_COMMAND = 'ecsDoctor.showForwards';
export const STOP_ALL_FORWARDS_COMMAND = 'ecsDoctor.stopAllForwards';

/** How long the plugin may take to open its listener before the forward is given up (a stalled network path). */
const READY_GUARD_MS = 60_000;

/** What to forward, when a caller (a test, a link) already knows it. */
interface ForwardArgs {
  port?: number;
  localPort?: number;
  host?: string;
}

export interface ActiveForward {
  id: number;
  sessionId: string;
  clusterArn: string;
  taskArn: string;
  containerName: string;
  port: number;
  localPort: number;
  host?: string | undefined;
  /** http/https when the port likely serves a web page. */
  scheme?: 'http' | 'https' | undefined;
  startedAt: number;
  description: string;
  process: ForwardProcess;
  /** The session the forward started with, held (AwsSession.hold) until its TerminateSession is sent. */
  session: AwsSession;
  stopping: boolean;
}

export type ForwardAction = 'open' | 'copy' | 'stop';

/** The UI the commands use; tests may pass their own. */
export interface ForwardUi extends ExecUi {
  /** Chooses the remote port: a suggested one, another port, or a host the task can reach. */
  pickRemote(ports: PortSuggestion[], title: string): Promise<{ port: number; host?: string | undefined } | undefined>;
  askLocalPort(suggested: number, title: string): Promise<number | undefined>;
  /** Shows the active forwards; resolves with the one chosen and what to do with it. */
  showForwards(forwards: ActiveForward[]): Promise<{ forward: ActiveForward; action: ForwardAction } | undefined>;
  /** A notice with buttons that does not block. */
  notice(message: string, ...buttons: string[]): Promise<string | undefined>;
}

const portInput = (title: string, prompt: string, value?: string) =>
  vscode.window.showInputBox({
    title,
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const r = parsePort(v);
      return 'error' in r ? r.error : undefined;
    },
  });

export function defaultForwardUi(): ForwardUi {
  return {
    ...defaultExecUi(),
    async pickRemote(ports, title) {
      type Choice = { kind: 'port'; port: number } | { kind: 'other' } | { kind: 'host' };
      const items: Array<PickItem<Choice>> = [
        ...ports.map((p) => ({
          label: `$(plug) ${p.port}`,
          description: [p.name, p.appProtocol, p.protocol].filter(Boolean).join(' · '),
          detail: 'A port of the container (task definition portMappings)',
          value: { kind: 'port' as const, port: p.port },
        })),
        { label: '$(edit) Another port of the container...', value: { kind: 'other' } },
        { label: '$(remote) A host the task can reach...', detail: 'A database or an internal endpoint, reached from inside the task', value: { kind: 'host' } },
      ];
      const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Port to forward to', ignoreFocusOut: true });
      if (!picked) return undefined;
      const c = picked.value;
      if (c.kind === 'port') return { port: c.port };
      if (c.kind === 'host') {
        const host = await vscode.window.showInputBox({
          title,
          prompt: 'Host the task can reach (a name its DNS resolves, or an IP address)',
          placeHolder: 'mydb.cluster-abc123.eu-west-1.rds.amazonaws.com',
          ignoreFocusOut: true,
          validateInput: (v) => checkRemoteHost(v),
        });
        if (!host) return undefined;
        const port = await portInput(title, `Port on ${host.trim()}`);
        if (!port) return undefined;
        return { port: Number(port.trim()), host: host.trim() };
      }
      const port = await portInput(title, 'Port in the container');
      return port ? { port: Number(port.trim()) } : undefined;
    },
    async askLocalPort(suggested, title) {
      const v = await portInput(title, 'Local port (the plugin listens on 127.0.0.1 only)', String(suggested));
      return v ? Number(v.trim()) : undefined;
    },
    async showForwards(forwards) {
      type Item = vscode.QuickPickItem & { forward: ActiveForward };
      const openButton = { iconPath: new vscode.ThemeIcon('globe'), tooltip: 'Open in Browser' };
      const stopButton = { iconPath: new vscode.ThemeIcon('debug-stop'), tooltip: 'Stop Forwarding' };
      const qp = vscode.window.createQuickPick<Item>();
      qp.title = 'Port Forwards';
      qp.placeholder = forwards.length ? 'Choose a forward to open, copy or stop' : 'No active port forwards';
      qp.items = forwards.map((f) => ({
        label: `$(plug) ${f.description}`,
        description: describeForwardTask(f.taskArn, f.clusterArn),
        detail: `open ${formatAge(Date.now() - f.startedAt)} · session ${f.sessionId}`,
        buttons: f.scheme ? [openButton, stopButton] : [stopButton],
        forward: f,
      }));
      return new Promise((resolve) => {
        let done = false;
        const finish = (v: { forward: ActiveForward; action: ForwardAction } | undefined) => {
          if (done) return;
          done = true;
          resolve(v);
          qp.dispose();
        };
        qp.onDidTriggerItemButton((e) => finish({ forward: e.item.forward, action: e.button === openButton ? 'open' : 'stop' }));
        qp.onDidAccept(async () => {
          const f = qp.selectedItems[0]?.forward;
          if (!f) return finish(undefined);
          done = true;
          qp.dispose();
          const actions: Array<PickItem<ForwardAction>> = [
            ...(f.scheme ? [{ label: '$(globe) Open in Browser', description: localUrl(f.scheme, f.localPort), value: 'open' as const }] : []),
            { label: '$(copy) Copy Local Address', description: `localhost:${f.localPort}`, value: 'copy' },
            { label: '$(debug-stop) Stop Forwarding', value: 'stop' },
          ];
          const a = await vscode.window.showQuickPick(actions, { title: f.description, ignoreFocusOut: true });
          resolve(a ? { forward: f, action: a.value } : undefined);
        });
        qp.onDidHide(() => finish(undefined));
        qp.show();
      });
    },
    notice: async (message, ...buttons) => vscode.window.showInformationMessage(message, ...buttons),
  };
}

/** The active forwards: the status bar item, the list, stopping, and the end of all of them with VS Code. */
export class ForwardManager implements vscode.Disposable {
  private readonly forwards = new Map<number, ActiveForward>();
  /** Each forward's hold on its session (released once its TerminateSession is sent). */
  private readonly holds = new Map<ActiveForward, () => void>();
  private nextId = 1;
  private readonly status: vscode.StatusBarItem;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: Ctx) {
    this.status = vscode.window.createStatusBarItem('ecsDoctor.forwards', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'ECS Doctor Port Forwards';
    this.status.command = SHOW_FORWARDS_COMMAND;
    this.update();
  }

  get active(): ActiveForward[] {
    return [...this.forwards.values()];
  }

  /** What the status bar shows (for tests). */
  get statusText(): string | undefined {
    return this.forwards.size ? this.status.text : undefined;
  }

  localPortsInUse(): number[] {
    return this.active.map((f) => f.localPort);
  }

  /** Adds a running forward; `release` ends its hold on `session` (taken here when not given), called once its TerminateSession is sent. */
  add(started: StartedForward, spec: { port: number; localPort: number; host?: string | undefined; scheme?: 'http' | 'https' | undefined }, process: ForwardProcess, session: AwsSession, release: () => void = session.hold()): ActiveForward {
    const f: ActiveForward = {
      id: this.nextId++,
      sessionId: started.sessionId,
      clusterArn: started.clusterArn,
      taskArn: started.taskArn,
      containerName: started.containerName,
      port: spec.port,
      localPort: spec.localPort,
      host: spec.host,
      scheme: spec.scheme,
      startedAt: Date.now(),
      description: started.description,
      process,
      session,
      stopping: false,
    };
    // Changing the profile, Region or endpoint disposes the sessions of the old settings; this
    // forward's session (its profile and Region) stays alive until its TerminateSession is sent.
    this.holds.set(f, release);
    this.forwards.set(f.id, f);
    void process.exited.then(({ code }) => {
      if (!this.forwards.has(f.id)) return;
      this.forwards.delete(f.id);
      this.update();
      if (!f.stopping) {
        const last = process.lines.filter((l) => !/^(Starting session|Waiting for connections|Connection accepted|Port \d+ opened)/.test(l)).slice(-2).join(' ');
        this.ctx.log.warn(`Port forward ${f.description} ended by itself (exit ${code ?? 'signal'})${last ? `: ${last}` : ''}`);
        void vscode.window.showWarningMessage(`Port forward ${f.description} ended${last ? `: ${last}` : '.'}`);
        void this.terminate(f);
      }
    });
    this.update();
    return f;
  }

  /** Stops a forward: SSM TerminateSession, and the plugin process ends. */
  async stop(f: ActiveForward): Promise<void> {
    if (f.stopping) return;
    f.stopping = true;
    this.forwards.delete(f.id);
    this.update();
    f.process.stop();
    await this.terminate(f);
    this.ctx.log.info(`Port forward ${f.description} stopped (session ${f.sessionId})`);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.active.map((f) => this.stop(f)));
  }

  private async terminate(f: ActiveForward): Promise<void> {
    try {
      const { terminateForwardSession } = await loadAws();
      await terminateForwardSession(f.session, f.sessionId);
    } catch (err) {
      this.ctx.log.warn(`Port forward: TerminateSession ${f.sessionId} failed: ${describeError(err)}`);
    } finally {
      // Sent (or failed): the session may go now, if the settings moved on meanwhile.
      this.holds.get(f)?.();
      this.holds.delete(f);
    }
  }

  private update(): void {
    const n = this.forwards.size;
    if (!n) {
      this.status.hide();
    } else {
      this.status.text = `$(plug) ${n} ${n === 1 ? 'forward' : 'forwards'}`;
      const tip = new vscode.MarkdownString(undefined, true);
      tip.isTrusted = false;
      tip.appendText(`ECS Doctor port forwards (listening on 127.0.0.1):\n`);
      for (const f of this.forwards.values()) tip.appendText(`\n• ${f.description}, ${describeForwardTask(f.taskArn, f.clusterArn)}`);
      this.status.tooltip = tip;
      this.status.show();
    }
    this.changed.fire();
  }

  /** Ends every forward when VS Code closes: the plugins at once, TerminateSession as far as time allows. */
  dispose(): void {
    const all = this.active;
    this.forwards.clear();
    for (const f of all) {
      f.stopping = true;
      f.process.stop();
      void this.terminate(f);
    }
    this.status.dispose();
    this.changed.dispose();
  }
}

let current: ForwardManager | undefined;

/** For deactivate(): stops every forward and waits for their TerminateSession calls. */
export async function stopAllForwards(): Promise<void> {
  await current?.stopAll();
}

export function register(ctx: Ctx, ui: ForwardUi = defaultForwardUi()): ForwardManager {
  const manager = new ForwardManager(ctx);
  current = manager;
  ctx.push(
    manager,
    vscode.commands.registerCommand(FORWARD_COMMAND, (node?: unknown) => forwardPort(ctx, manager, ui, node)),
    vscode.commands.registerCommand(SHOW_FORWARDS_COMMAND, () => showForwards(manager, ui)),
    vscode.commands.registerCommand(STOP_ALL_FORWARDS_COMMAND, () => manager.stopAll()),
  );
  return manager;
}

function argsOf(arg: unknown): ForwardArgs {
  if (!arg || typeof arg !== 'object') return {};
  const a = arg as Record<string, unknown>;
  const out: ForwardArgs = {};
  if (typeof a.port === 'number') out.port = a.port;
  if (typeof a.localPort === 'number') out.localPort = a.localPort;
  if (typeof a.host === 'string' && a.host.trim()) out.host = a.host.trim();
  return out;
}

async function act(manager: ForwardManager, ui: ForwardUi, f: ActiveForward, action: ForwardAction): Promise<void> {
  if (action === 'open' && f.scheme) ui.openExternal(localUrl(f.scheme, f.localPort));
  else if (action === 'copy') {
    await vscode.env.clipboard.writeText(`localhost:${f.localPort}`);
    ui.info(`Copied localhost:${f.localPort} to the clipboard.`);
  } else if (action === 'stop') await manager.stop(f);
}

export async function showForwards(manager: ForwardManager, ui: ForwardUi): Promise<void> {
  if (!manager.active.length) {
    ui.info('No active port forwards. Right-click a running task or container in the ECS explorer: Forward a Port...');
    return;
  }
  const chosen = await ui.showForwards(manager.active);
  if (chosen) await act(manager, ui, chosen.forward, chosen.action);
}

/** Forward a Port...: choose the ports, run the preflight, start the session and the plugin. */
export async function forwardPort(ctx: Ctx, manager: ForwardManager, ui: ForwardUi, arg?: unknown): Promise<ActiveForward | undefined> {
  const node = nodeOf(arg);
  const given = argsOf(arg);
  const title = 'Forward a Port';
  try {
    // The node's own profile and Region (a node of a second Region forwards there), else the shared session.
    const session = await ctx.sessionForNode(arg);
    const target = await resolveTarget(ui, session, node, title);
    if (!target) return undefined;
    const aws = await loadAws();

    // The remote end: given, or chosen among the container's ports (task definition portMappings).
    const { ports } = await ui.withProgress(`Port forwarding: reading the ports of ${target.container}`, () => aws.readForwardPorts(session, target.cluster, target.task, target.container));
    let remote: { port: number; host?: string | undefined } | undefined = given.port ? { port: given.port, host: given.host } : undefined;
    if (!remote) {
      remote = await ui.pickRemote(ports, `${title}: ${target.container} in task ${lastSegment(target.task)}`);
      if (!remote) return undefined;
    }
    const portCheck = parsePort(String(remote.port));
    if ('error' in portCheck) {
      await ui.error(portCheck.error);
      return undefined;
    }
    if (remote.host) {
      const bad = checkRemoteHost(remote.host);
      if (bad) {
        await ui.error(bad);
        return undefined;
      }
    }
    let localPort = given.localPort;
    if (localPort === undefined) {
      const suggested = await chooseLocalPort(remote.port, isLocalPortFree, anyFreeLocalPort, manager.localPortsInUse());
      localPort = await ui.askLocalPort(suggested, `${title}: local port for ${remote.host ? `${remote.host}:` : ''}${remote.port}`);
      if (localPort === undefined) return undefined;
    }
    const localCheck = parsePort(String(localPort), 'local port');
    if ('error' in localCheck) {
      await ui.error(localCheck.error);
      return undefined;
    }
    if (manager.localPortsInUse().includes(localPort) || !(await isLocalPortFree(localPort))) {
      await ui.error(`Local port ${localPort} is in use on 127.0.0.1. Choose another local port.`);
      return undefined;
    }

    // The ECS Exec preflight: the same agent, task role and network path; the caller needs ssm:StartSession.
    const document = forwardDocument(remote.host);
    let plugin: PluginLookup = { searched: [] };
    const gathered = await ui.withProgress(`Port forwarding: checking ${target.container} in task ${lastSegment(target.task)}`, async () => {
      plugin = await locatePluginWithVersion(ctx.config.settings.sessionManagerPluginPath);
      return aws.gatherExecFacts(session, { cluster: target.cluster, task: target.task, container: target.container }, plugin, { documentName: document });
    });
    const checks = runExecChecks(gathered.facts);
    ctx.log.info(`Port forwarding readiness for ${target.container} in ${target.task}:\n${formatChecksText(checks)}\n${summarizeChecks(checks, 'Port forwarding')}`);
    if (blockingChecks(checks).length) {
      await showBlockedPreflight(ctx, ui, session, checks, plugin, { feature: 'Port forwarding', container: target.container, task: target.task });
      return undefined;
    }

    // Held from StartSession to TerminateSession: a change of profile, Region or endpoint meanwhile
    // disposes the old settings' sessions, but not this one while the forward needs it.
    const release = session.hold();
    let handedOver = false;
    try {
      const task = gathered.task;
      const spec = { port: remote.port, localPort, host: remote.host };
      const started = await ui.withProgress(`Port forwarding: starting a session to ${target.container}`, () =>
        aws.startForwardSession(session, {
          cluster: task?.clusterArn ?? target.cluster,
          task: task?.taskArn ?? target.task,
          container: target.container,
          runtimeId: task?.containers?.find((c) => c.name === target.container)?.runtimeId,
          pluginVersion: plugin.version,
          ...spec,
        }),
      );
      ctx.log.info(`Port forward ${started.description}: session ${started.sessionId} (as: ${started.cliCommand}); running ${plugin.path} ${describePluginArgs(started.argv)}`);
      // started.env: the session JSON, when the plugin reads it from its environment (not from its command line, which `ps` shows).
      const proc = startForwardPlugin(plugin.path!, started.argv, { ...process.env, ...started.env }, (line) => ctx.log.info(`session-manager-plugin [${started.sessionId}]: ${line}`));
      let guard: NodeJS.Timeout | undefined;
      try {
        await ui.withProgress(`Port forwarding: waiting for the plugin to listen on localhost:${localPort}`, () =>
          Promise.race([
            proc.ready,
            new Promise<never>((_, reject) => {
              guard = setTimeout(() => reject(new Error(`session-manager-plugin did not open localhost:${localPort} within ${READY_GUARD_MS / 1000} s`)), READY_GUARD_MS);
            }),
          ]),
        );
      } catch (err) {
        proc.stop();
        await aws.terminateForwardSession(session, started.sessionId).catch(() => undefined);
        ctx.log.warn(`Port forward ${started.description} could not start: ${describeError(err)}`);
        await ui.error(`Port forwarding could not start: ${describeError(err)}`);
        return undefined;
      } finally {
        if (guard) clearTimeout(guard);
      }
      const appProtocol = remote.host ? undefined : ports.find((p) => p.port === remote!.port)?.appProtocol;
      const scheme = webScheme(remote.port, appProtocol);
      const f = manager.add(started, { ...spec, scheme }, proc, session, release);
      handedOver = true;
      void ui.notice(`Forwarding ${f.description} (listening on 127.0.0.1 only).`, ...(scheme ? ['Open in Browser'] : []), 'Show Forwards').then((choice) => {
        if (choice === 'Open in Browser' && scheme) ui.openExternal(localUrl(scheme, localPort!));
        else if (choice === 'Show Forwards') void showForwards(manager, ui);
      });
      return f;
    } finally {
      if (!handedOver) release();
    }
  } catch (err) {
    ctx.log.warn(`Port forwarding: could not start: ${describeError(err)}`);
    await showFailure(ctx, ui, 'Port forwarding could not start', err);
    return undefined;
  }
}
