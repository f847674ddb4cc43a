import { ECSClient } from '@aws-sdk/client-ecs';
import type { Logger } from '../core/logger';
import { silentLogger } from '../core/logger';
import { redact } from '../core/redact';

/** Where to talk to AWS: what the user chose in settings or on the command line. Empty means "as the AWS CLI would decide". */
export interface SessionOptions {
  /** Profile from ~/.aws/config; empty uses AWS_PROFILE, then `default`. */
  profile?: string;
  /** Region; empty uses AWS_REGION / AWS_DEFAULT_REGION, then the profile's region. */
  region?: string;
  /** Endpoint URL for every service (LocalStack, the ECS Doctor simulator). Overrides the profile's endpoint_url. */
  endpoint?: string;
  /** Per-request time-out in milliseconds (default 15 s), so a stalled call ends. */
  requestTimeoutMs?: number;
  /** SDK retry attempts (default 5: throttling and 5xx are retried with back-off). */
  maxAttempts?: number;
  logger?: Logger;
}

/**
 * IAM is asked only for checks (GetRole, SimulatePrincipalPolicy), never for the work itself: one
 * retry is enough, and an endpoint that does not implement IAM (moto, LocalStack answer HTTP 500
 * with a web page) must not be asked five times. See {@link AwsSession.iam}.
 */
export const IAM_MAX_ATTEMPTS = 2;

/** Anything with the SDK v3 client constructor shape. */
type ClientCtor<C> = new (config: Record<string, unknown>) => C;

/**
 * One session = one (profile, region, endpoint). It builds SDK clients on demand with the same
 * configuration, memoised per client class, and destroys them on dispose.
 */
export class AwsSession {
  readonly profile: string | undefined;
  readonly endpoint: string | undefined;
  private readonly clients = new Map<unknown, { destroy(): void }>();
  private readonly ctorIds = new Map<unknown, number>();
  readonly logger: Logger;
  private resolvedRegion: string | undefined;

  constructor(private readonly options: SessionOptions = {}) {
    this.profile = nonEmpty(options.profile);
    this.endpoint = nonEmpty(options.endpoint);
    this.logger = options.logger ?? silentLogger;
  }

  /** The ECS client every view and command shares. */
  get ecs(): ECSClient {
    return this.client(ECSClient);
  }

  /** The IAM client, at most {@link IAM_MAX_ATTEMPTS} attempts per call (one retry). Loads the IAM SDK on first use. */
  async iam(): Promise<import('@aws-sdk/client-iam').IAMClient> {
    const { IAMClient } = await import('@aws-sdk/client-iam');
    return this.client(IAMClient);
  }

  /**
   * A client of any AWS SDK v3 service, configured like the ECS one. `overrides` (for example
   * `{ maxAttempts: 1 }` for a caller that paces and retries itself) get their own client.
   */
  client<C extends { destroy(): void }>(ctor: ClientCtor<C>, overrides?: Record<string, unknown>): C {
    let key: unknown = ctor;
    if (overrides) {
      if (!this.ctorIds.has(ctor)) this.ctorIds.set(ctor, this.ctorIds.size);
      key = `${this.ctorIds.get(ctor)}:${JSON.stringify(overrides)}`;
    }
    let c = this.clients.get(key) as C | undefined;
    if (!c) {
      const config: Record<string, unknown> = {
        maxAttempts: this.options.maxAttempts ?? 5,
        requestHandler: {
          requestTimeout: this.options.requestTimeoutMs ?? 15_000,
          connectionTimeout: Math.min(this.options.requestTimeoutMs ?? 15_000, 5_000),
          // Without this the SDK only logs a warning and a stalled call never ends.
          throwOnRequestTimeout: true,
        },
        logger: sdkLogger(this.logger),
      };
      if (this.profile) config.profile = this.profile;
      const region = nonEmpty(this.options.region);
      if (region) config.region = region;
      if (this.endpoint) config.endpoint = this.endpoint;
      c = new ctor({ ...config, ...overrides });
      // IAM, however it is asked for (session.iam() or client(IAMClient)): at most one retry.
      if ((c as { config?: { serviceId?: unknown } }).config?.serviceId === 'IAM' && overrides?.maxAttempts === undefined && (this.options.maxAttempts ?? Infinity) > IAM_MAX_ATTEMPTS) {
        c.destroy();
        c = new ctor({ ...config, ...overrides, maxAttempts: IAM_MAX_ATTEMPTS });
      }
      this.clients.set(key, c);
    }
    return c;
  }

  /** The region the clients use, resolved like the AWS CLI (setting, environment, profile). */
  async region(): Promise<string> {
    if (this.resolvedRegion) return this.resolvedRegion;
    const provider = (this.ecs.config as { region: string | (() => Promise<string>) }).region;
    const r = typeof provider === 'function' ? await provider() : provider;
    if (!r) throw new Error('No AWS Region is set: choose one in the ECS Doctor view, the `ecsDoctor.region` setting or AWS_REGION.');
    this.resolvedRegion = r;
    return r;
  }

  private holds = 0;
  private closeRequested = false;
  private closedFlag = false;

  /**
   * Keeps this session's clients (its profile, Region and endpoint) alive until the returned
   * release() is called, even when {@link dispose} is called meanwhile: something that must still
   * reach AWS after the settings change, such as a port forward's or an Exec terminal's SSM
   * TerminateSession, holds the session it started with. The last release of a disposed session
   * disposes it. release() may be called more than once.
   */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0 && this.closeRequested) this.dispose();
    };
  }

  /** True once dispose() was called, even while a {@link hold} keeps the clients alive. */
  get closing(): boolean {
    return this.closeRequested || this.closedFlag;
  }

  /** True once the clients were destroyed (dispose() with no hold left). */
  get closed(): boolean {
    return this.closedFlag;
  }

  dispose(): void {
    this.closeRequested = true;
    if (this.holds > 0) return;
    this.closedFlag = true;
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }
}

function nonEmpty(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? t : undefined;
}

/**
 * The SDK logs every request and response (info) and every failed call with its input (error).
 * Both go to trace, formatted and redacted only when trace is on: our own layer already reports
 * failures where they matter (per node, per check). The SDK's own warnings stay warnings.
 */
function sdkLogger(log: Logger) {
  const fmt = (args: unknown[]) =>
    redact(args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' '));
  const trace = (...args: unknown[]) => log.trace(fmt(args));
  // `info` is a getter, not a method: the SDK's logger middleware calls `logger?.info?.({ ... output:
  // outputFilterSensitiveLog(output) })`, and the schema walk that builds that argument is only
  // skipped when `info` itself is undefined. With trace off, copying every response (100 described
  // tasks a page) for a line no one keeps was the slowest part of reading a busy service.
  const traced = () => ((log.traceEnabled?.() ?? true) ? trace : undefined);
  return {
    trace: () => undefined,
    debug: (...args: unknown[]) => {
      if (traced()) trace(...args);
    },
    get info() {
      return traced();
    },
    warn: (...args: unknown[]) => log.warn(fmt(args)),
    error: (...args: unknown[]) => {
      if (traced()) trace(...args);
    },
  };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
