/**
 * `ecs-doctor diagnose --cluster C --task T [--profile P] [--region R] [--endpoint-url URL]
 * [--format text|json]`: the editor's live stopped-task diagnosis in a terminal. Read-only.
 */
import { diagnosisJson, diagnosisText as formatDiagnosisText } from '../core/diagnose/format';
import type { DiagnoseResult } from '../core/diagnose/pipeline';
import { formatFlag, type CliCommand, type CliIO } from './io';
import { openSession } from './session';
import { serviceUsage, wantsService } from './serviceFlag';
import { parseAwsFlags, taskTarget } from './target';

const FORMATS = ['text', 'json'] as const;

const usage = `Usage: ecs-doctor diagnose --cluster <name|arn> --task <id|arn> [--profile P] [--region R]
                          [--endpoint-url URL] [--format text|json] [--verbose]

Diagnoses one stopped task (or a running task failing its health checks): reads describe-tasks,
classifies the stop, then checks the evidence read-only (task definition, container logs,
service events, ECR image, VPC endpoints / NAT route, subnet IPs, secrets, target group) and
names the cause the evidence points to, with fix steps. Never reads secret values.

Options:
  --cluster <c>        cluster name or ARN (required)
  --task <t>           task id or ARN (required; stopped tasks stay visible about an hour)
  --profile <p>        AWS profile (default: AWS_PROFILE, then "default")
  --region <r>         AWS Region (default: AWS_REGION, then the profile's)
  --endpoint-url <u>   one endpoint for every service (LocalStack, the ECS Doctor simulator)
  --format <f>         text (default) or json: {taskArn, category, variant, title, summary,
                       whereToLook, causes, fixes, docs, evidence: [{check, status, detail}], ...}

Exit codes: 0 diagnosed and no check failed, 1 a check failed (or the task could not be read),
2 bad usage.

With --service instead of --task, the service doctor:

${serviceUsage}`;

/** The JSON of one diagnosed task (issue 6's shape): the formatter shared with `ecs-doctor explain`. */
export { diagnosisJson };

/** Plain text, in the report's order: the formatter shared with `ecs-doctor explain`, with the live task's fields. */
export function diagnosisText(r: DiagnoseResult): string {
  return formatDiagnosisText(r.diagnosis, { task: r.task });
}

export const command: CliCommand = {
  name: 'diagnose',
  summary: 'diagnose a stopped ECS task live: the cause, the evidence and the fix',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    // The service doctor is its own path (src/cli/diagnoseService.ts).
    if (wantsService(args)) return (await import('./diagnoseService')).runServiceDiagnosis(args, io);
    const values = parseAwsFlags(args, { cluster: { type: 'string' }, task: { type: 'string' }, format: { type: 'string' } });
    const format = formatFlag(values.format, FORMATS);
    const { cluster, task } = taskTarget(values);
    const { aws, session, profile } = await openSession(values, io);
    try {
      let result: DiagnoseResult;
      try {
        result = await aws.diagnoseTask(session, cluster, task);
      } catch (err) {
        io.stderr(`ecs-doctor diagnose: ${aws.diagnoseErrorMessage(err, { profile })}\n`);
        return 1;
      }
      if (format === 'json') io.stdout(JSON.stringify(diagnosisJson(result.diagnosis), null, 2) + '\n');
      else io.stdout(diagnosisText(result));
      return (result.diagnosis.evidence ?? []).some((e) => e.status === 'fail') ? 1 : 0;
    } finally {
      session.dispose();
    }
  },
};
