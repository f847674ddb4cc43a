/**
 * ECS Exec in the editor: "Start ECS Exec Session" (palette or explorer node) and "Check ECS Exec
 * Readiness". The preflight is src/core/exec/ over facts from src/aws/exec.ts; the session runs
 * session-manager-plugin directly as the terminal's process (an argument vector, never a shell
 * line), and ends with SSM TerminateSession when the terminal closes.
 *
 * The session token goes to the plugin's environment (a plugin newer than 1.2.497.0, as the AWS
 * CLI decides) or its first argument (an older one), through createTerminal and nowhere else. Log
 * lines use describePluginArgs() and describeError(); messages shown to the user are
 * classified AWS errors in words (classifyAwsError), with the explorer's sign-in actions when the
 * credentials are the problem.
 */
import * as vscode from 'vscode';
import type { StartedExec } from '../aws/exec';
import type { AwsSession } from '../aws/session';
import { loadAws } from '../awsLoader';
import {
  blockingChecks,
  describePluginArgs,
  formatChecksText,
  PLUGIN_INSTALL_URL,
  preflightDetail,
  redeployConfirmation,
  STATUS_LABEL,
  summarizeChecks,
  runExecChecks,
  type ExecCheck,
  type ExecCheckStatus,
  type ExecFixAction,
  type PluginLookup,
} from '../core/exec';
import { lastSegment, parseTaskArn } from '../core/arn';
import { classifyAwsError } from '../core/awsErrors';
import { describeError } from '../core/redact';
import { locatePluginWithVersion } from '../pluginFs';
import type { Ctx } from './context';

export const START_COMMAND = 'ecsDoctor.startExecSession';
export const CHECK_COMMAND = 'ecsDoctor.checkExecReadiness';

/** What the explorer passes (a task or container node), or a test. */
export interface ExecNode {
  clusterArn?: string;
  taskArn?: string;
  containerName?: string;
  /** The command to run, skipping the prompt. */
  command?: string;
}

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

/** The UI the commands use; tests may pass their own. */
export interface ExecUi {
  pick<T>(items: PickItem<T>[], title: string, placeHolder: string): Promise<PickItem<T> | undefined>;
  askCommand(initial: string, title: string): Promise<string | undefined>;
  withProgress<T>(title: string, work: () => Promise<T>): Promise<T>;
  /** Shows the checks; resolves with the check the user chose (to apply its fix), if any. */
  showChecks(checks: ExecCheck[], title: string): Promise<ExecCheck | undefined>;
  /**
   * A modal confirmation of a write: the safe choice (Cancel) is the default and the Escape
   * button; `button` must be chosen explicitly.
   */
  confirm(message: string, detail: string, button: string, safe?: { title: string; text: string }): Promise<boolean>;
  /** An error with buttons; resolves with the button chosen. */
  error(message: string, ...buttons: string[]): Promise<string | undefined>;
  /**
   * A failed preflight where the user is looking: a modal with every check (each failing one
   * with its fix in full) and the actions; resolves with the button chosen.
   */
  blocked(message: string, detail: string, ...buttons: string[]): Promise<string | undefined>;
  /** One check in full (detail and fix) with what selecting it can do; resolves with the button chosen. */
  checkDetail(check: ExecCheck, ...buttons: string[]): Promise<string | undefined>;
  info(message: string): void;
  openExternal(url: string): void;
}

const ICON: Record<ExecCheckStatus, string> = { pass: '$(pass)', fail: '$(error)', warn: '$(warning)', unknown: '$(question)' };

export function defaultUi(): ExecUi {
  return {
    pick: async (items, title, placeHolder) => vscode.window.showQuickPick(items, { title, placeHolder, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true }),
    askCommand: async (initial, title) =>
      vscode.window.showInputBox({
        title,
        value: initial,
        prompt: 'Command to run in the container (runs through the container\'s own ECS Exec agent)',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'Enter a command, for example /bin/sh'),
      }),
    withProgress: (title, work) => Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: false }, work)),
    showChecks: async (checks, title) => {
      // The summary goes in the placeholder (picking a check applies or copies its fix): a leading
      // separator's label would be drawn inside the first check's row and truncate its title.
      const items: Array<vscode.QuickPickItem & { check: ExecCheck }> = checks.map((c) => ({
        label: `${ICON[c.status]} ${c.title}`,
        description: c.fix && c.status !== 'pass' ? `${STATUS_LABEL[c.status]} · select for the fix in full` : STATUS_LABEL[c.status],
        detail: c.fix && c.status !== 'pass' ? `${c.detail}  Fix: ${c.fix}` : c.detail,
        check: c,
      }));
      const chosen = await vscode.window.showQuickPick(items, {
        title,
        placeHolder: `${summarizeChecks(checks)} Select a check to see it in full.`,
        matchOnDescription: true,
        matchOnDetail: true,
        ignoreFocusOut: true,
      });
      return chosen?.check;
    },
    confirm: async (message, detail, button, safe) => {
      // The dialog's primary (Enter) button is the first one that is not Cancel: make it the safe
      // choice (copy the equivalent AWS CLI command), never the write; Escape cancels.
      const cancel: vscode.MessageItem = { title: 'Cancel', isCloseAffordance: true };
      const alt: vscode.MessageItem | undefined = safe ? { title: safe.title } : undefined;
      const go: vscode.MessageItem = { title: button };
      const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, ...(alt ? [alt] : []), go, cancel);
      if (choice && choice === alt && safe) {
        await vscode.env.clipboard.writeText(safe.text);
        void vscode.window.setStatusBarMessage('$(check) ECS Doctor: the AWS CLI command was copied; nothing was changed', 5000);
      }
      return choice === go;
    },
    error: async (message, ...buttons) => vscode.window.showErrorMessage(message, ...buttons),
    blocked: async (message, detail, ...buttons) => vscode.window.showErrorMessage(message, { modal: true, detail }, ...buttons),
    checkDetail: async (check, ...buttons) => {
      const detail = [check.detail, check.fix && check.status !== 'pass' ? `Fix: ${check.fix}` : ''].filter(Boolean).join('\n\n');
      const show = check.status === 'fail' ? vscode.window.showErrorMessage : check.status === 'pass' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
      return show(`${check.title}: ${STATUS_LABEL[check.status]}`, { modal: true, detail }, ...buttons);
    },
    info: (m) => void vscode.window.showInformationMessage(m),
    openExternal: (url) => void vscode.env.openExternal(vscode.Uri.parse(url)),
  };
}

/** Sessions open in terminals, so closing a terminal ends its session. */
export class ExecSessions implements vscode.Disposable {
  private readonly open = new Map<vscode.Terminal, { sessionId: string; session: AwsSession; release: () => void }>();
  private readonly listener: vscode.Disposable;

  constructor(private readonly ctx: Ctx) {
    this.listener = vscode.window.onDidCloseTerminal((t) => void this.closed(t));
  }

  /** Remembers the terminal's session; its AWS session is held (AwsSession.hold) until TerminateSession is sent, even if the settings change meanwhile. */
  track(terminal: vscode.Terminal, sessionId: string, session: AwsSession, release: () => void = session.hold()): void {
    this.open.set(terminal, { sessionId, session, release });
  }

  sessionOf(terminal: vscode.Terminal): string | undefined {
    return this.open.get(terminal)?.sessionId;
  }

  private async closed(t: vscode.Terminal): Promise<void> {
    const s = this.open.get(t);
    if (!s) return;
    this.open.delete(t);
    try {
      const { terminateExecSession } = await loadAws();
      await terminateExecSession(s.session, s.sessionId);
      this.ctx.log.info(`ECS Exec: ended session ${s.sessionId} (terminal closed, exit ${t.exitStatus?.code ?? 'unknown'})`);
    } catch (err) {
      this.ctx.log.warn(`ECS Exec: TerminateSession ${s.sessionId} failed: ${describeError(err)}`);
    } finally {
      s.release();
    }
  }

  dispose(): void {
    this.listener.dispose();
  }
}

export function register(ctx: Ctx, ui: ExecUi = defaultUi()): ExecSessions {
  const sessions = new ExecSessions(ctx);
  ctx.push(
    sessions,
    vscode.commands.registerCommand(START_COMMAND, (node?: unknown) => startExecSession(ctx, sessions, ui, node)),
    vscode.commands.registerCommand(CHECK_COMMAND, (node?: unknown) => checkExecReadiness(ctx, ui, node)),
  );
  return sessions;
}

export function nodeOf(arg: unknown): ExecNode {
  if (!arg || typeof arg !== 'object') return {};
  const a = arg as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const task = a.task && typeof a.task === 'object' ? (a.task as Record<string, unknown>) : undefined;
  const container = a.container && typeof a.container === 'object' ? (a.container as Record<string, unknown>) : undefined;
  const out: ExecNode = {};
  const clusterArn = str(a.clusterArn) ?? str(task?.clusterArn);
  const taskArn = str(a.taskArn) ?? str(task?.taskArn) ?? str(container?.taskArn);
  const containerName = str(a.containerName) ?? str(container?.name);
  const command = str(a.command);
  if (clusterArn) out.clusterArn = clusterArn;
  if (taskArn) out.taskArn = taskArn;
  if (containerName) out.containerName = containerName;
  if (command) out.command = command;
  // a new-format task ARN names its cluster: arn:...:task/CLUSTER/ID
  if (!out.clusterArn && out.taskArn) {
    const cluster = parseTaskArn(out.taskArn)?.cluster;
    if (cluster) out.clusterArn = cluster;
  }
  return out;
}

interface Target {
  cluster: string;
  task: string;
  container: string;
  runtimeId?: string | undefined;
}

/** Cluster, running task and container: from the node, else picked in the palette. */
export async function resolveTarget(ui: ExecUi, session: AwsSession, node: ExecNode, title: string): Promise<Target | undefined> {
  const aws = await loadAws();
  let cluster = node.clusterArn;
  if (!cluster) {
    const arns = await ui.withProgress('ECS Exec: listing clusters', () => aws.listClusterArns(session));
    if (arns.length === 0) {
      ui.info('No ECS clusters in this account and Region.');
      return undefined;
    }
    const picked = arns.length === 1 ? { value: arns[0]! } : await ui.pick(arns.map((a) => ({ label: lastSegment(a), description: a, value: a })), title, 'Cluster');
    if (!picked) return undefined;
    cluster = picked.value;
  }
  let taskArn = node.taskArn;
  let containers: Array<{ name?: string | undefined; lastStatus?: string | undefined; runtimeId?: string | undefined; managedAgents?: Array<{ name?: string | undefined; lastStatus?: string | undefined }> | undefined }> | undefined;
  if (!taskArn) {
    const tasks = await ui.withProgress(`ECS Exec: listing running tasks in ${lastSegment(cluster)}`, () => aws.listRunningTasks(session, cluster!));
    if (tasks.length === 0) {
      ui.info(`No running tasks in cluster ${lastSegment(cluster)}.`);
      return undefined;
    }
    const picked = await ui.pick(
      tasks.map((t) => ({
        label: `${t.enableExecuteCommand ? '$(terminal)' : '$(circle-slash)'} ${lastSegment(t.taskArn ?? '')}`,
        description: `${t.group ?? ''}  ${lastSegment(t.taskDefinitionArn ?? '')}`,
        detail: `${t.lastStatus ?? ''} · ${t.launchType ?? t.capacityProviderName ?? ''} · exec ${t.enableExecuteCommand ? 'enabled' : 'not enabled'} · ${(t.containers ?? []).map((c) => c.name).join(', ')}`,
        value: t,
      })),
      title,
      'Running task',
    );
    if (!picked) return undefined;
    taskArn = picked.value.taskArn!;
    containers = picked.value.containers;
  }
  let container = node.containerName;
  if (!container) {
    if (!containers) {
      const t = await ui.withProgress('ECS Exec: reading the task', () => aws.describeExecTask(session, cluster!, taskArn!));
      containers = t?.containers;
    }
    const list = containers ?? [];
    if (list.length === 0) {
      await ui.error(`Task ${lastSegment(taskArn)} was not found or has no containers.`);
      return undefined;
    }
    if (list.length === 1) container = list[0]!.name;
    else {
      const picked = await ui.pick(
        list.map((c) => ({
          label: c.name ?? '?',
          description: `${c.lastStatus ?? ''} · ExecuteCommandAgent ${c.managedAgents?.find((m) => m.name === 'ExecuteCommandAgent')?.lastStatus ?? 'absent'}`,
          value: c.name ?? '',
        })),
        title,
        'Container',
      );
      if (!picked) return undefined;
      container = picked.value;
    }
  }
  if (!container) return undefined;
  return { cluster, task: taskArn, container };
}

async function preflight(ctx: Ctx, ui: ExecUi, session: AwsSession, target: Target) {
  const aws = await loadAws();
  let plugin: PluginLookup = { searched: [] };
  const gathered = await ui.withProgress(`ECS Exec: checking ${target.container} in task ${lastSegment(target.task)}`, async () => {
    plugin = await locatePluginWithVersion(ctx.config.settings.sessionManagerPluginPath);
    return aws.gatherExecFacts(session, { cluster: target.cluster, task: target.task, container: target.container }, plugin);
  });
  const checks = runExecChecks(gathered.facts);
  ctx.log.info(`ECS Exec readiness for ${target.container} in ${target.task}:\n${formatChecksText(checks)}\n${summarizeChecks(checks)}`);
  return { gathered, checks, plugin };
}

/** Applies a check's fix action after a confirmation. */
async function applyFix(ctx: Ctx, ui: ExecUi, session: AwsSession, action: ExecFixAction): Promise<void> {
  const svc = action.serviceName;
  const aws = await loadAws();
  const counts = await aws.describeExecService(session, action.clusterArn, svc).catch((err: unknown) => {
    ctx.log.warn(`ECS Exec: DescribeServices ${svc} failed: ${describeError(err)}`);
    return undefined;
  });
  const words = redeployConfirmation(action, counts);
  const cli = `aws ecs update-service --cluster ${lastSegment(action.clusterArn)} --service ${svc} --enable-execute-command --force-new-deployment`;
  const ok = await ui.confirm(words.message, words.detail, 'Enable and Redeploy', { title: 'Copy the AWS CLI Command', text: cli });
  if (!ok) return;
  try {
    const r = await ui.withProgress(`ECS Exec: updating service ${svc}`, () => aws.enableExecForService(session, action.clusterArn, svc));
    ctx.log.info(`ECS Exec: enabled execute command on service ${svc}${r.deploymentId ? ` (deployment ${r.deploymentId})` : ''}`);
    ui.info(`ECS Exec is on for service ${svc}; a new deployment is rolling out. Start a session in one of its new tasks when they are RUNNING.`);
  } catch (err) {
    ctx.log.warn(`ECS Exec: UpdateService ${svc} failed: ${describeError(err)}`);
    await showFailure(ctx, ui, `Could not update service ${svc}`, err, session.profile);
  }
}

/**
 * Shows a failed command's error in words. When the credentials are the problem, it offers what
 * the explorer's welcome view offers: choose a profile, open the AWS config, or sign in to SSO.
 */
export async function showFailure(ctx: Ctx, ui: ExecUi, what: string, err: unknown, profile?: string): Promise<void> {
  const c = classifyAwsError(err, { profile: profile || ctx.config.settings.profile || process.env.AWS_PROFILE || undefined });
  if (!c.credentials) {
    await ui.error(`${what}: ${c.message}`);
    return;
  }
  const actions: Record<string, string> =
    c.kind === 'sso-expired'
      ? { 'Sign In with AWS SSO': 'ecsDoctor.ssoLogin', 'Select Profile': 'ecsDoctor.selectProfile' }
      : { 'Select Profile': 'ecsDoctor.selectProfile', 'Open AWS Config': 'ecsDoctor.openAwsConfig' };
  const choice = await ui.error(`${what}: ${c.message}`, ...Object.keys(actions));
  const command = choice ? actions[choice] : undefined;
  if (command) void vscode.commands.executeCommand(command);
}

const COPY_FIX = 'Copy Fix';
const ENABLE = 'Enable and Redeploy…';
const INSTALL = 'Install Instructions';

/** The checks in a list; a chosen check opens in full with what it offers (never a silent copy). */
export async function offerChecks(ctx: Ctx, ui: ExecUi, session: AwsSession, checks: ExecCheck[], title: string): Promise<void> {
  const chosen = await ui.showChecks(checks, title);
  if (!chosen) return;
  const buttons: string[] = [];
  if (chosen.action) buttons.push(ENABLE);
  if (chosen.id === 'plugin' && chosen.status === 'fail') buttons.push(INSTALL);
  if (chosen.fix && chosen.status !== 'pass') buttons.push(COPY_FIX);
  const choice = await ui.checkDetail(chosen, ...buttons);
  await act(ctx, ui, session, choice, chosen.action, chosen.fix);
}

async function act(ctx: Ctx, ui: ExecUi, session: AwsSession, choice: string | undefined, action: ExecFixAction | undefined, fix: string | undefined): Promise<void> {
  if (choice === ENABLE && action) await applyFix(ctx, ui, session, action);
  else if (choice === INSTALL) ui.openExternal(PLUGIN_INSTALL_URL);
  else if (choice === COPY_FIX && fix) {
    await vscode.env.clipboard.writeText(fix);
    void vscode.window.setStatusBarMessage('$(check) ECS Doctor: fix copied to the clipboard', 4000);
  }
}

/** What a failed preflight was for: the words of its modal. */
export interface BlockedFor {
  feature: 'ECS Exec' | 'Port forwarding';
  container: string;
  task: string;
}

/**
 * A failed preflight, the same for ECS Exec and port forwarding: the whole preflight where the
 * user is looking (a modal, not only the log or a toast that a second click would not show
 * again), each failing check with its fix in full, and what can be done: install the plugin or
 * open its setting when it is missing, else enable exec and redeploy, copy the fixes, or show the
 * checks one by one.
 */
export async function showBlockedPreflight(ctx: Ctx, ui: ExecUi, session: AwsSession, checks: ExecCheck[], plugin: PluginLookup, what: BlockedFor): Promise<void> {
  const failing = blockingChecks(checks);
  const detail = preflightDetail(checks, what.feature);
  if (failing.some((c) => c.id === 'plugin')) {
    const choice = await ui.blocked(
      plugin.configured
        ? `The Session Manager plugin was not found at "${plugin.configured}" (ecsDoctor.sessionManagerPluginPath). ${what.feature} needs it.`
        : `The Session Manager plugin (session-manager-plugin) is not installed: ${what.feature} needs it. Install it, or set ecsDoctor.sessionManagerPluginPath.`,
      detail,
      INSTALL,
      'Open Settings',
    );
    if (choice === INSTALL) ui.openExternal(PLUGIN_INSTALL_URL);
    else if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'ecsDoctor.sessionManagerPluginPath');
    return;
  }
  const action = failing.find((c) => c.action)?.action;
  const fixes = failing.filter((c) => c.fix).map((c) => `${c.title}: ${c.fix}`).join('\n');
  const buttons = [...(action ? [ENABLE] : []), ...(fixes ? ['Copy Fixes'] : []), 'Show Checks'];
  // The titles name what each check requires ("Root filesystem writable"): say they failed.
  const choice = await ui.blocked(`${what.feature} cannot start in ${what.container}. Failed: ${failing.map((c) => c.title).join('; ')}.`, detail, ...buttons);
  if (choice === 'Show Checks') await offerChecks(ctx, ui, session, checks, `${what.feature} readiness: ${what.container} in task ${lastSegment(what.task)}`);
  else if (choice === 'Copy Fixes') await act(ctx, ui, session, COPY_FIX, undefined, fixes);
  else if (choice === ENABLE && action) await applyFix(ctx, ui, session, action);
}

export async function checkExecReadiness(ctx: Ctx, ui: ExecUi, arg?: unknown): Promise<ExecCheck[] | undefined> {
  try {
    // The node's own profile and Region (a node of a second Region runs there), else the shared session.
    const session = await ctx.sessionForNode(arg);
    const target = await resolveTarget(ui, session, nodeOf(arg), 'Check ECS Exec Readiness');
    if (!target) return undefined;
    const { checks } = await preflight(ctx, ui, session, target);
    void offerChecks(ctx, ui, session, checks, `ECS Exec readiness: ${target.container} in task ${lastSegment(target.task)}`);
    return checks;
  } catch (err) {
    ctx.log.warn(`ECS Exec readiness check failed: ${describeError(err)}`);
    await showFailure(ctx, ui, 'ECS Exec readiness check failed', err);
    return undefined;
  }
}

/** The terminal's name: the container and the task. */
export function terminalName(container: string, taskArn: string): string {
  return `ECS Exec: ${container} @ ${lastSegment(taskArn)}`;
}

export async function startExecSession(ctx: Ctx, sessions: ExecSessions, ui: ExecUi, arg?: unknown): Promise<vscode.Terminal | undefined> {
  const node = nodeOf(arg);
  try {
    const session = await ctx.sessionForNode(arg);
    const target = await resolveTarget(ui, session, node, 'Start ECS Exec Session');
    if (!target) return undefined;
    const settings = ctx.config.settings;
    let command: string | undefined = node.command ?? settings.execCommand;
    if (!node.command && settings.execAskForCommand) {
      command = await ui.askCommand(settings.execCommand, `Command to run in ${target.container}`);
      if (command === undefined) return undefined;
    }
    command = command.trim();

    const { gathered, checks, plugin } = await preflight(ctx, ui, session, target);
    if (blockingChecks(checks).length) {
      await showBlockedPreflight(ctx, ui, session, checks, plugin, { feature: 'ECS Exec', container: target.container, task: target.task });
      return undefined;
    }

    const aws = await loadAws();
    const task = gathered.task;
    // Held from ExecuteCommand on (as a forward is from StartSession): a profile or Region change
    // while the call is in flight must not destroy its client; the terminal keeps the hold.
    const release = session.hold();
    let started: StartedExec;
    try {
      started = await ui.withProgress(`ECS Exec: starting a session in ${target.container}`, () =>
        aws.startExecSession(session, {
          cluster: task?.clusterArn ?? target.cluster,
          task: task?.taskArn ?? target.task,
          container: target.container,
          command: command!,
          runtimeId: task?.containers?.find((c) => c.name === target.container)?.runtimeId,
          pluginVersion: plugin.version,
        }),
      );
    } catch (err) {
      release();
      throw err;
    }
    ctx.log.info(`ECS Exec: session ${started.sessionId} in ${started.containerName} of ${started.taskArn} (${command}); running ${plugin.path} ${describePluginArgs(started.argv)}`);
    let terminal: vscode.Terminal;
    try {
      terminal = vscode.window.createTerminal({
        name: terminalName(started.containerName, started.taskArn),
        shellPath: plugin.path!,
        shellArgs: started.argv,
        // The session JSON when the plugin reads it from there (not on its command line, which `ps` shows).
        env: started.env,
        iconPath: new vscode.ThemeIcon('terminal'),
      });
    } catch (err) {
      // No terminal to end it later: end the session now, then let go of the AWS session.
      await aws.terminateExecSession(session, started.sessionId).catch((e: unknown) => ctx.log.warn(`ECS Exec: could not end session ${started.sessionId}: ${describeError(e)}`));
      release();
      throw err;
    }
    sessions.track(terminal, started.sessionId, session, release);
    terminal.show();
    return terminal;
  } catch (err) {
    ctx.log.warn(`ECS Exec: could not start a session: ${describeError(err)}`);
    await showFailure(ctx, ui, 'ECS Exec: could not start a session', err);
    return undefined;
  }
}
