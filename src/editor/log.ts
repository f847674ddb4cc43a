import * as vscode from 'vscode';
import type { Logger } from '../core/logger';
import { redact } from '../core/redact';

/**
 * The one "ECS Doctor" LogOutputChannel. Every line is redacted before it is written, errors
 * keep their stacks (in the log, never in a pop-up), and the level follows the channel's own
 * (Developer: Set Log Level...).
 */
export class Log implements Logger, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor(channel?: vscode.LogOutputChannel) {
    this.channel = channel ?? vscode.window.createOutputChannel('ECS Doctor', { log: true });
  }

  traceEnabled(): boolean {
    return this.channel.logLevel === vscode.LogLevel.Trace;
  }

  trace(message: string): void {
    this.channel.trace(redact(message));
  }
  debug(message: string): void {
    this.channel.debug(redact(message));
  }
  info(message: string): void {
    this.channel.info(redact(message));
  }
  warn(message: string): void {
    this.channel.warn(redact(message));
  }
  error(message: string | Error): void {
    if (message instanceof Error) {
      this.channel.error(redact(message.stack ?? `${message.name}: ${message.message}`));
    } else {
      this.channel.error(redact(message));
    }
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
