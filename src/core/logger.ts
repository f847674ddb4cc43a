/** The logging surface the pure core and the AWS layer write to; the editor backs it with a
 * LogOutputChannel, the CLI with stderr (behind --verbose), tests with an array. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
  /**
   * Whether trace lines are kept, so costly ones (whole SDK requests and responses) are only
   * formatted when someone will read them. Absent means yes.
   */
  traceEnabled?(): boolean;
}

export const silentLogger: Logger = {
  traceEnabled: () => false,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
