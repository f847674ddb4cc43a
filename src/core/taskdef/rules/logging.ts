/** logging/*: the awslogs driver. */
import { has, keyOf, prop, rangeOf, str, type ContainerView } from '../document';
import { insertProperties, insertProperty, jsonValue } from '../edits';
import { DOCS, type RuleFamily } from '../rule';
import type { Fix } from '../types';

function label(c: ContainerView): string {
  return c.name !== undefined ? `Container "${c.name}"` : `Container #${c.index + 1}`;
}

/** The Region the document already names (task ARN, another awslogs-region, an ECR image, a secret ARN). */
export function inferRegion(text: string): string | undefined {
  const m =
    /["']?awslogs-region["']?\s*[:=]\s*["']?([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)\b/.exec(text) ??
    /arn:aws[\w-]*:[a-z0-9-]+:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):/.exec(text) ??
    /\.dkr\.ecr(?:-fips)?\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.amazonaws\.com/.exec(text);
  return m?.[1];
}

const REGION_PLACEHOLDER = 'us-east-1';

export const loggingFamily: RuleFamily = {
  rules: [
    { id: 'logging/awslogs-options', severity: 'error', docsUrl: DOCS.awslogs, summary: 'awslogs without awslogs-group or awslogs-region' },
    { id: 'logging/awslogs-stream-prefix', severity: 'warning', docsUrl: DOCS.awslogs, summary: 'awslogs on Fargate without awslogs-stream-prefix' },
  ],
  check(doc, report) {
    let region: string | null | undefined = null; // computed once, only when needed
    const family = doc.task ? str(prop(doc.task, 'family')) : undefined;
    for (const c of doc.containers) {
      const lc = prop(c.node, 'logConfiguration');
      const driver = prop(lc, 'logDriver');
      if (str(driver) !== 'awslogs') continue;
      const options = prop(lc, 'options');
      const opts = options?.type === 'object' ? options : undefined;
      const missing = ['awslogs-group', 'awslogs-region'].filter((k) => !has(opts, k));
      if (missing.length > 0 && (options === undefined || opts)) {
        if (region === null) region = inferRegion(doc.text);
        const values: Record<string, string> = {
          'awslogs-group': `/ecs/${family ?? c.name ?? 'app'}`,
          'awslogs-region': region ?? REGION_PLACEHOLDER,
        };
        const entries = missing.map((k) => [k, jsonValue(values[k]!)] as [string, string]);
        const edit = opts
          ? insertProperties(doc, opts, entries)
          : insertProperty(doc, lc!, 'options', `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')} }`);
        const fixes: Fix[] = [
          {
            title: `Add ${missing.join(' and ')}${missing.includes('awslogs-region') && !region ? ` (check the Region: ${REGION_PLACEHOLDER} is a placeholder)` : ''}`,
            edits: [edit],
            isPreferred: missing.includes('awslogs-region') ? region !== undefined : true,
          },
        ];
        report(
          'logging/awslogs-options',
          rangeOf(driver!),
          `${label(c)} uses the awslogs driver without ${missing.map((m) => `"${m}"`).join(' and ')}: the container cannot start (CannotStartContainerError / ResourceInitializationError: ` +
            'failed to initialize logging driver) and no log is ever written. Add the log group and the Region of the log group to "options".',
          fixes,
        );
      }
      if (doc.isFargate && (options === undefined || opts) && !has(opts, 'awslogs-stream-prefix')) {
        const prefix = 'ecs';
        const edit = opts
          ? insertProperty(doc, opts, 'awslogs-stream-prefix', jsonValue(prefix))
          : undefined;
        report(
          'logging/awslogs-stream-prefix',
          opts ? rangeOf(keyOf(lc, 'options')!) : rangeOf(driver!),
          `${label(c)} runs on Fargate with awslogs but without "awslogs-stream-prefix": Fargate requires it, and without it log streams are not named ` +
            'prefix/container-name/task-id, so a stopped task\'s logs cannot be found from its id. Add "awslogs-stream-prefix" (for example "ecs").',
          edit ? [{ title: `Add "awslogs-stream-prefix": "${prefix}"`, edits: [edit], isPreferred: true }] : [],
        );
      }
    }
  },
};
