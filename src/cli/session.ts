import type { AwsModule } from '../awsLoader';
import { loadAws } from '../awsLoader';
import type { Logger } from '../core/logger';
import { redact } from '../core/redact';
import { UsageError, type CliIO } from './io';

/** The values of the shared AWS flags (`awsFlags` in ./io) after parsing. */
export interface AwsFlagValues {
  profile?: string;
  region?: string;
  'endpoint-url'?: string;
  verbose?: boolean;
}

/** --verbose: the AWS layer's log lines, redacted, on stderr; otherwise nothing. */
export function verboseLogger(verbose: boolean, io: CliIO): Logger {
  const say = (prefix: string) => (m: string | Error) => {
    if (verbose) io.stderr(`${prefix}${redact(typeof m === 'string' ? m : m.message)}\n`);
  };
  return {
    traceEnabled: () => false,
    trace: () => undefined,
    debug: say('debug: '),
    info: say(''),
    warn: say('warning: '),
    error: say('error: '),
  };
}

/**
 * Checks the AWS flags, loads the AWS layer and opens a session the way the AWS CLI would:
 * --profile, else AWS_PROFILE; --region, else the environment and profile; --endpoint-url for
 * every service. The caller disposes the session.
 */
export async function openSession(
  values: AwsFlagValues,
  io: CliIO,
): Promise<{ aws: AwsModule; session: InstanceType<AwsModule['AwsSession']>; logger: Logger; profile: string | undefined }> {
  const endpoint = values['endpoint-url'];
  if (endpoint !== undefined && !/^https?:\/\/\S+$/i.test(endpoint)) {
    throw new UsageError(`--endpoint-url must be an http(s) URL (got "${endpoint}")`);
  }
  const profile = values.profile ?? (io.env.AWS_PROFILE || undefined);
  const logger = verboseLogger(values.verbose === true, io);
  const aws = await loadAws();
  const session = new aws.AwsSession({ profile, region: values.region, endpoint, logger });
  return { aws, session, logger, profile };
}
