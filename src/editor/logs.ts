/**
 * Container logs in the editor: "Show Logs" and "Follow Logs" on a task or container node (and
 * from the diagnosis report) open a read-only document of their own URI scheme, named after the
 * task or container: each container's awslogs lines with timestamps, merged by time, newest at
 * the bottom; "Load Older Lines" (a CodeLens) pages backwards; following appends lines as they
 * arrive (Live Tail, or paced polling) and stops when the document's tab closes.
 *
 * The lines live in memory only (a TextDocumentContentProvider serves them; nothing is written
 * to disk), as plain text: sanitised by src/core/logs, never interpreted as Markdown or HTML.
 * The reads are src/aws/logs.ts; the document's text is core/logs/document.ts.
 */
import * as vscode from 'vscode';
import type { Task } from '@aws-sdk/client-ecs';
import type { OpenedLogs } from '../aws/logs';
import type { AwsSession } from '../aws/session';
import { loadAws } from '../awsLoader';
import { clusterNameOf, parseTaskArn, taskIdOf } from '../core/arn';
import { userMessage } from '../core/awsErrors';
import { timeOf } from '../core/ecsTypes';
import { mergeByTime, renderLogDocument, stoppedStatus, type LogDocumentState } from '../core/logs';
import { describeError } from '../core/redact';
import type { Ctx } from './context';

export const LOGS_SCHEME = 'ecs-doctor-logs';
export const SHOW_LOGS_COMMAND = 'ecsDoctor.showLogs';
export const FOLLOW_LOGS_COMMAND = 'ecsDoctor.followLogs';
export const LOAD_OLDER_COMMAND = 'ecsDoctor.loadOlderLogLines';
/** Lines kept per document while following; the oldest go first. */
const MAX_LINES = 20_000;

/** What a command receives: a task or container node of the explorer, the report's target, or a task ARN. */
export interface LogsArg {
  clusterArn?: string;
  taskArn?: string;
  containerName?: string;
  region?: string;
  scope?: { region?: string; profile?: string };
  task?: Task;
  parent?: { task?: Task };
}

export interface LogsTargetOf {
  cluster: string;
  task: string;
  container?: string | undefined;
  region?: string | undefined;
  profile?: string | undefined;
  knownTask?: Task | undefined;
}

/** The target of a command argument; undefined when it names no task. */
export function logsTargetOf(arg: unknown): LogsTargetOf | undefined {
  if (typeof arg === 'string') {
    const t = parseTaskArn(arg.trim());
    return t?.cluster ? { cluster: t.cluster, task: arg.trim(), region: t.region } : undefined;
  }
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as LogsArg;
  const taskArn = a.taskArn;
  if (!taskArn) return undefined;
  const cluster = a.clusterArn ?? parseTaskArn(taskArn)?.cluster;
  if (!cluster) return undefined;
  const known = a.task && typeof a.task === 'object' && a.task.taskArn === taskArn ? a.task : a.parent?.task?.taskArn === taskArn ? a.parent.task : undefined;
  return { cluster, task: taskArn, container: a.containerName, region: a.scope?.region ?? a.region ?? parseTaskArn(taskArn)?.region, profile: a.scope?.profile, knownTask: known };
}

/** One open logs document. */
class LogView {
  state: LogDocumentState;
  opened: OpenedLogs | undefined;
  follow: AbortController | undefined;
  loading: Promise<void> | undefined;
  own: AwsSession | undefined;

  constructor(
    readonly uri: vscode.Uri,
    readonly target: LogsTargetOf,
  ) {
    const id = taskIdOf(target.task);
    this.state = {
      title: `${target.container ? `container ${target.container} of ` : ''}task ${id} (cluster ${clusterNameOf(target.cluster)})`,
      containers: target.container ? [target.container] : [],
      notices: [],
      lines: [],
      olderAvailable: false,
      status: 'Loading…',
    };
  }

  get following(): boolean {
    return !!this.follow && !this.follow.signal.aborted;
  }
}

/** The logs documents: content, CodeLenses, and the follow loops; what the integration tests drive. */
export class LogDocuments implements vscode.TextDocumentContentProvider, vscode.CodeLensProvider, vscode.Disposable {
  private readonly views = new Map<string, LogView>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly lensChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensChanged.event;
  private readonly disposables: vscode.Disposable[] = [];
  private pendingFire = new Set<string>();

  constructor(private readonly ctx: Ctx) {
    this.disposables.push(
      this.changed,
      this.lensChanged,
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === LOGS_SCHEME) this.close(d.uri);
      }),
      // A closed tab stops following at once (the document itself may be disposed later).
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) {
          const input = tab.input;
          if (input instanceof vscode.TabInputText && input.uri.scheme === LOGS_SCHEME && !this.isShown(input.uri)) this.stopFollowing(input.uri);
        }
      }),
    );
  }

  /** The URI of a target's document: named after the task or container, unique per target. */
  static uriOf(t: LogsTargetOf): vscode.Uri {
    const id = taskIdOf(t.task);
    const name = `${t.container ?? 'task'} ${id.slice(0, 8)}.log`;
    const query = new URLSearchParams({ cluster: t.cluster, task: t.task, ...(t.container ? { container: t.container } : {}), ...(t.region ? { region: t.region } : {}), ...(t.profile ? { profile: t.profile } : {}) });
    return vscode.Uri.from({ scheme: LOGS_SCHEME, path: `/${clusterNameOf(t.cluster)}/${name}`, query: query.toString() });
  }

  private static targetFromUri(uri: vscode.Uri): LogsTargetOf | undefined {
    const q = new URLSearchParams(uri.query);
    const cluster = q.get('cluster');
    const task = q.get('task');
    if (!cluster || !task) return undefined;
    return { cluster, task, container: q.get('container') ?? undefined, region: q.get('region') ?? undefined, profile: q.get('profile') ?? undefined };
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    let v = this.views.get(uri.toString());
    if (!v) {
      // A document VS Code restored (or opened by URI): read it again.
      const target = LogDocuments.targetFromUri(uri);
      if (!target) return 'This ECS Doctor logs document names no task.\n';
      v = this.viewFor(uri, target);
    }
    return renderLogDocument(v.state).text;
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const v = this.views.get(document.uri.toString());
    if (!v || v.loading) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses: vscode.CodeLens[] = [];
    if (v.opened && !v.opened.stopped && v.opened.cursors.length) {
      lenses.push(new vscode.CodeLens(top, v.following ? { title: '$(debug-pause) Stop Following', command: FOLLOW_LOGS_COMMAND, arguments: [document.uri] } : { title: '$(play) Follow', command: FOLLOW_LOGS_COMMAND, arguments: [document.uri] }));
    }
    const older = renderLogDocument(v.state).olderLine;
    if (older !== undefined) lenses.push(new vscode.CodeLens(new vscode.Range(older, 0, older, 0), { title: '$(arrow-up) Load Older Lines', command: LOAD_OLDER_COMMAND, arguments: [document.uri] }));
    return lenses;
  }

  private viewFor(uri: vscode.Uri, target: LogsTargetOf): LogView {
    const key = uri.toString();
    let v = this.views.get(key);
    if (!v) {
      v = new LogView(uri, target);
      this.views.set(key, v);
      v.loading = this.load(v).finally(() => {
        v!.loading = undefined;
        this.fire(v!);
      });
    }
    return v;
  }

  /** Opens (or reveals) the document of a target; with `follow`, starts following it. Resolves once its first lines are in. */
  async show(target: LogsTargetOf, follow = false): Promise<vscode.TextEditor> {
    const uri = LogDocuments.uriOf(target);
    // A document whose tab was closed (VS Code may keep the document a while) is read afresh.
    const stale = this.views.get(uri.toString());
    if (stale && !stale.following && !stale.loading && !this.isShown(uri)) {
      stale.own?.dispose();
      this.views.delete(uri.toString());
    }
    const v = this.viewFor(uri, target);
    // The first lines are in before the document opens, so it opens whole (and scrolled to the end).
    await v.loading;
    const doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'log') await vscode.languages.setTextDocumentLanguage(doc, 'log');
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    revealEnd(editor);
    if (follow && !v.following) this.startFollowing(v);
    return editor;
  }

  /** The view of a document (tests). */
  view(uri: vscode.Uri): { state: LogDocumentState; following: boolean; loading: Promise<void> | undefined } | undefined {
    return this.views.get(uri.toString());
  }

  private async session(v: LogView): Promise<AwsSession> {
    const session = await this.ctx.session();
    const region = await session.region().catch(() => undefined);
    const wantRegion = v.target.region && v.target.region !== region ? v.target.region : undefined;
    const wantProfile = v.target.profile && v.target.profile !== (session.profile ?? '') ? v.target.profile : undefined;
    if (!wantRegion && !wantProfile) return session;
    if (!v.own) {
      const { AwsSession } = await loadAws();
      const s = this.ctx.config.settings;
      v.own = new AwsSession({ profile: wantProfile ?? s.profile, region: wantRegion ?? region ?? s.region, endpoint: s.endpoint, logger: this.ctx.log });
    }
    return v.own;
  }

  private async load(v: LogView): Promise<void> {
    try {
      const aws = await loadAws();
      const session = await this.session(v);
      const started = performance.now();
      const opened = await aws.openTaskLogs(session, { cluster: v.target.cluster, task: v.target.task, container: v.target.container }, { knownTask: v.target.knownTask });
      this.ctx.log.info(`Logs: task ${taskIdOf(v.target.task)}: ${opened.lines.length} lines from ${opened.cursors.length} stream(s) in ${(performance.now() - started).toFixed(0)} ms`);
      v.opened = opened;
      v.state = {
        ...v.state,
        containers: opened.sources.map((s) => s.container),
        notices: opened.notices,
        lines: opened.lines,
        olderAvailable: opened.cursors.some((c) => !c.olderDone),
        status: opened.stopped ? stoppedStatus(timeOf(opened.task.stoppedAt), opened.task.stoppedReason) : opened.cursors.length ? 'Not following: use Follow (above) to see new lines as they arrive' : undefined,
      };
    } catch (err) {
      const aws = await loadAws().catch(() => undefined);
      const message = aws && err instanceof aws.LogsInputError ? err.message : userMessage(err);
      this.ctx.log.warn(`Logs: task ${taskIdOf(v.target.task)}: ${describeError(err)}`);
      v.state = { ...v.state, status: `Could not read the logs: ${message}` };
    }
  }

  async loadOlder(uri: vscode.Uri): Promise<void> {
    const v = this.views.get(uri.toString());
    if (!v?.opened) return;
    const aws = await loadAws();
    try {
      const older = await aws.loadOlderLines(await this.session(v), v.opened.cursors);
      v.state = { ...v.state, lines: mergeByTime([older, v.state.lines]), olderAvailable: v.opened.cursors.some((c) => !c.olderDone) };
    } catch (err) {
      void vscode.window.showErrorMessage(`ECS Doctor could not load older lines: ${userMessage(err)}`);
    }
    this.fire(v);
  }

  /** Starts or stops following a document. */
  toggleFollow(uri: vscode.Uri): void {
    const v = this.views.get(uri.toString());
    if (!v) return;
    if (v.following) this.stopFollowing(uri);
    else this.startFollowing(v);
  }

  private startFollowing(v: LogView): void {
    if (!v.opened || v.following) return;
    const opened = v.opened;
    const ac = new AbortController();
    v.follow = ac;
    void (async () => {
      const aws = await loadAws();
      const session = await this.session(v);
      try {
        const end = await aws.followLogs(session, opened, {
          signal: ac.signal,
          onLines: (lines) => {
            const all = v.state.lines.concat(lines);
            const dropped = Math.max(0, all.length - MAX_LINES);
            v.state = { ...v.state, lines: dropped ? all.slice(dropped) : all, olderAvailable: v.state.olderAvailable || dropped > 0 };
            this.fire(v, true);
          },
          onStatus: (status) => {
            v.state = { ...v.state, status };
            this.fire(v);
          },
          onFallback: (why) => this.ctx.log.info(`Logs: Live Tail not used for task ${taskIdOf(v.target.task)}: ${why}; polling instead`),
        });
        if (end === 'aborted' && this.views.has(v.uri.toString())) v.state = { ...v.state, status: 'Not following: use Follow (above) to see new lines as they arrive' };
      } catch (err) {
        v.state = { ...v.state, status: `Following stopped: ${userMessage(err)}` };
      } finally {
        if (v.follow === ac) v.follow = undefined;
        this.fire(v);
      }
    })();
    this.fire(v);
  }

  stopFollowing(uri: vscode.Uri): void {
    const v = this.views.get(uri.toString());
    v?.follow?.abort();
  }

  private close(uri: vscode.Uri): void {
    const key = uri.toString();
    const v = this.views.get(key);
    if (!v) return;
    v.follow?.abort();
    v.own?.dispose();
    this.views.delete(key);
  }

  private isShown(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === key));
  }

  /** Re-renders a document (coalesced per turn); `stick` keeps editors that showed the end at the end. */
  private fire(v: LogView, stick = false): void {
    const key = v.uri.toString();
    const atEnd = stick ? vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === key && isAtEnd(e)) : [];
    if (!this.pendingFire.has(key)) {
      this.pendingFire.add(key);
      queueMicrotask(() => {
        this.pendingFire.delete(key);
        this.changed.fire(v.uri);
        this.lensChanged.fire();
      });
    }
    if (atEnd.length) setTimeout(() => atEnd.forEach(revealEnd), 50);
  }

  dispose(): void {
    for (const v of this.views.values()) {
      v.follow?.abort();
      v.own?.dispose();
    }
    this.views.clear();
    for (const d of this.disposables) d.dispose();
  }
}

function isAtEnd(e: vscode.TextEditor): boolean {
  const last = e.visibleRanges.at(-1);
  return !last || last.end.line >= e.document.lineCount - 3;
}

function revealEnd(e: vscode.TextEditor): void {
  const end = new vscode.Position(Math.max(0, e.document.lineCount - 1), 0);
  e.selection = new vscode.Selection(end, end);
  e.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.Default);
}

/** Asks for a task ARN when the command runs from the palette. */
async function askTarget(): Promise<LogsTargetOf | undefined> {
  const v = await vscode.window.showInputBox({
    title: 'ECS Doctor: Show Logs',
    prompt: 'Task ARN (arn:aws:ecs:REGION:ACCOUNT:task/CLUSTER/ID): or use Show Logs on a task in the ECS Doctor view',
    ignoreFocusOut: true,
    validateInput: (s) => (logsTargetOf(s.trim()) ? undefined : 'Enter a task ARN that names its cluster'),
  });
  return v ? logsTargetOf(v.trim()) : undefined;
}

export function register(ctx: Ctx): LogDocuments {
  const docs = new LogDocuments(ctx);
  const run = async (arg: unknown, follow: boolean) => {
    if (arg instanceof vscode.Uri && arg.scheme === LOGS_SCHEME) {
      docs.toggleFollow(arg);
      return undefined;
    }
    if (arg === undefined && follow) {
      const active = vscode.window.activeTextEditor?.document.uri;
      if (active?.scheme === LOGS_SCHEME) {
        docs.toggleFollow(active);
        return undefined;
      }
    }
    const target = logsTargetOf(arg) ?? (arg === undefined ? await askTarget() : undefined);
    if (!target) {
      if (arg !== undefined) void vscode.window.showErrorMessage('ECS Doctor: Show Logs needs a task (use it on a task or container in the ECS Doctor view).');
      return undefined;
    }
    try {
      return await docs.show(target, follow);
    } catch (err) {
      void vscode.window.showErrorMessage(`ECS Doctor could not open the logs: ${userMessage(err)}`);
      return undefined;
    }
  };
  ctx.push(
    docs,
    vscode.workspace.registerTextDocumentContentProvider(LOGS_SCHEME, docs),
    vscode.languages.registerCodeLensProvider({ scheme: LOGS_SCHEME }, docs),
    vscode.commands.registerCommand(SHOW_LOGS_COMMAND, (arg?: unknown) => run(arg, false)),
    vscode.commands.registerCommand(FOLLOW_LOGS_COMMAND, (arg?: unknown) => run(arg, true)),
    vscode.commands.registerCommand(LOAD_OLDER_COMMAND, (uri?: vscode.Uri) => {
      const u = uri ?? vscode.window.activeTextEditor?.document.uri;
      return u?.scheme === LOGS_SCHEME ? docs.loadOlder(u) : undefined;
    }),
  );
  return docs;
}
