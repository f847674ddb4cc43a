/**
 * `ecs-doctor diagnose --cluster C --service S [--format text|json|markdown]`: the service doctor
 * in a terminal (what is wrong with this service, and what to change). Read-only. A separate path
 * from the task diagnosis; `diagnose` hands over here when --service is given.
 */
import { serviceExitCode, type ServiceReport } from '../core/diagnose/service';
import { serviceJson, serviceMarkdown, serviceText } from '../core/diagnose/service/format';
import { formatFlag, UsageError, type CliIO } from './io';
import { openSession } from './session';
import { parseAwsFlags } from './target';

const FORMATS = ['text', 'json', 'markdown'] as const;

export { serviceUsage } from './serviceFlag';

export { wantsService } from './serviceFlag';

export function renderService(report: ServiceReport, format: string): string {
  if (format === 'json') return JSON.stringify(serviceJson(report), null, 2) + '\n';
  if (format === 'markdown') return serviceMarkdown(report);
  return serviceText(report);
}

export async function runServiceDiagnosis(args: string[], io: CliIO): Promise<number> {
  const values = parseAwsFlags(args, { cluster: { type: 'string' }, service: { type: 'string' }, format: { type: 'string' } });
  const format = formatFlag(values.format, FORMATS);
  const cluster = values.cluster?.trim();
  const service = values.service?.trim();
  if (!cluster) throw new UsageError('--cluster is required');
  if (!service) throw new UsageError('--service needs a service name or ARN');
  const { aws, session, profile } = await openSession(values, io);
  try {
    let report: ServiceReport;
    try {
      report = await aws.diagnoseService(session, cluster, service);
    } catch (err) {
      io.stderr(`ecs-doctor diagnose: ${aws.serviceDiagnoseErrorMessage(err, { profile })}\n`);
      return 1;
    }
    io.stdout(renderService(report, format));
    return serviceExitCode(report);
  } finally {
    session.dispose();
  }
}
