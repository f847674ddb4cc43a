import * as vscode from 'vscode';
import type { AwsSession } from '../aws/session';
import { loadAws } from '../awsLoader';
import { Config } from './config';
import type { Log } from './log';

/**
 * Owns the long-lived parts of the extension (settings, log, the AWS session) and the
 * disposables of every feature. Features receive it as a parameter; there is no global.
 */
export class Ctx implements vscode.Disposable {
  readonly config = new Config();
  private sessionPromise: Promise<AwsSession> | undefined;
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

  private resetSession(): void {
    const old = this.sessionPromise;
    this.sessionPromise = undefined;
    void old?.then((s) => s.dispose(), () => undefined);
    this.sessionEmitter.fire();
  }

  push(...disposables: vscode.Disposable[]): void {
    this.extensionContext.subscriptions.push(...disposables);
  }

  dispose(): void {
    void this.sessionPromise?.then((s) => s.dispose(), () => undefined);
  }
}
