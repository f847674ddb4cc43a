import * as vscode from 'vscode';
import type { AwsSession } from '../aws/session';
import { loadAws } from '../awsLoader';
import { parseArn } from '../core/arn';
import { Config } from './config';
import type { Log } from './log';

/**
 * Owns the long-lived parts of the extension (settings, log, the AWS session) and the
 * disposables of every feature. Features receive it as a parameter; there is no global.
 */
export class Ctx implements vscode.Disposable {
  readonly config = new Config();
  private sessionPromise: Promise<AwsSession> | undefined;
  /** Sessions of other profiles/Regions (explorer scopes, nodes of a second Region), by "profile|region". */
  private readonly scoped = new Map<string, Promise<AwsSession>>();
  private readonly sessionEmitter = new vscode.EventEmitter<void>();
  /** Fires after profile, region or endpoint changed and the next session() returns a new one. */
  readonly onDidChangeSession = this.sessionEmitter.event;

  constructor(
    readonly extensionContext: vscode.ExtensionContext,
    readonly log: Log,
  ) {
    this.push(this.config, this.sessionEmitter);
    this.push(
      this.config.onDidChange(({ changed }) => {
        if (changed.some((k) => k === 'profile' || k === 'region' || k === 'endpoint')) {
          this.log.info(`AWS settings changed (${changed.join(', ')}); a new session will be used`);
          this.resetSession();
        }
      }),
    );
  }

  /** The AWS session for the current settings; the AWS SDK is loaded on the first call. */
  session(): Promise<AwsSession> {
    this.sessionPromise ??= loadAws().then(({ AwsSession }) => {
      const s = this.config.settings;
      return new AwsSession({ profile: s.profile, region: s.region, endpoint: s.endpoint, logger: this.log });
    });
    return this.sessionPromise;
  }

  /**
   * The session of one profile and Region: the shared {@link session} when they are the current
   * settings' (or not given), else a session of that scope, made once and shared by everyone who
   * asks (the explorer's extra Regions, commands on their nodes) until the settings change.
   */
  async sessionFor(scope: { profile?: string | undefined; region?: string | undefined }): Promise<AwsSession> {
    const shared = await this.session();
    const s = this.config.settings;
    const currentProfile = s.profile || process.env.AWS_PROFILE || undefined;
    const wantProfile = scope.profile && scope.profile !== currentProfile && scope.profile !== (shared.profile ?? 'default') ? scope.profile : undefined;
    let wantRegion = scope.region || undefined;
    if (wantRegion && wantRegion === (await shared.region().catch(() => undefined))) wantRegion = undefined;
    if (!wantProfile && !wantRegion) return shared;
    const key = `${wantProfile ?? ''}|${wantRegion ?? ''}`;
    let p = this.scoped.get(key);
    if (!p) {
      p = loadAws().then(({ AwsSession }) => new AwsSession({ profile: wantProfile ?? s.profile, region: wantRegion ?? s.region, endpoint: s.endpoint, logger: this.log }));
      this.scoped.set(key, p);
    }
    return p;
  }

  /**
   * The session every command started from a tree node must use: the node's own profile and
   * Region (its explorer scope, else a `region` field, else the Region in its task, service or
   * cluster ARN), so a node of a second Region (ecsDoctor.regions) is read and acted on there.
   * Anything else (the palette, no node) gets the shared session.
   */
  sessionForNode(node: unknown): Promise<AwsSession> {
    return this.sessionFor(scopeOfNode(node));
  }

  private resetSession(): void {
    const old = [this.sessionPromise, ...this.scoped.values()];
    this.sessionPromise = undefined;
    this.scoped.clear();
    for (const p of old) void p?.then((s) => s.dispose(), () => undefined);
    this.sessionEmitter.fire();
  }

  push(...disposables: vscode.Disposable[]): void {
    this.extensionContext.subscriptions.push(...disposables);
  }

  dispose(): void {
    for (const p of [this.sessionPromise, ...this.scoped.values()]) void p?.then((s) => s.dispose(), () => undefined);
  }
}

/**
 * The profile and Region of a tree node or a command argument: `scope` (an explorer node's),
 * else `region`/`profile` fields, else the Region of an ARN it carries (taskArn, serviceArn,
 * clusterArn, a nested task or container, or an ARN string itself).
 */
export function scopeOfNode(node: unknown): { profile?: string; region?: string } {
  if (typeof node === 'string') {
    const region = parseArn(node.trim())?.region;
    return region ? { region } : {};
  }
  if (!node || typeof node !== 'object') return {};
  const n = node as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const scope = n.scope && typeof n.scope === 'object' ? (n.scope as Record<string, unknown>) : undefined;
  const out: { profile?: string; region?: string } = {};
  const profile = str(scope?.profile) ?? str(n.profile);
  if (profile) out.profile = profile;
  const nested = (k: string) => (n[k] && typeof n[k] === 'object' ? (n[k] as Record<string, unknown>) : undefined);
  const arns = [n.taskArn, n.serviceArn, n.clusterArn, nested('task')?.taskArn, nested('container')?.taskArn, nested('service')?.serviceArn, typeof n.task === 'string' ? n.task : undefined];
  const region = str(scope?.region) ?? str(n.region) ?? arns.map((a) => parseArn(str(a))?.region).find((r) => !!r);
  if (region) out.region = region;
  return out;
}
