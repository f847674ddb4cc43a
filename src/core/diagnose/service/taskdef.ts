/**
 * The running revision's task definition, linted with the editor's own rules (core/taskdef), as
 * evidence: a health check on the wrong port is the answer for an unhealthy service. Fields only
 * DescribeTaskDefinition returns (ARN, revision, status, ...) are dropped first, so the document is
 * the register-task-definition input the rules know.
 */
import { lintText } from '../../taskdef/lint';
import type { Finding } from '../../taskdef/types';

const DESCRIBE_ONLY = ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy', 'deregisteredAt'];

export interface LintedTaskDef {
  findings: Array<Pick<Finding, 'ruleId' | 'severity' | 'message' | 'docsUrl'>>;
}

export function lintRunningTaskDef(document: unknown): LintedTaskDef {
  if (!document || typeof document !== 'object') return { findings: [] };
  const copy: Record<string, unknown> = { ...(document as Record<string, unknown>) };
  for (const k of DESCRIBE_ONLY) delete copy[k];
  const { findings } = lintText(JSON.stringify(copy, null, 2));
  return { findings: findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, docsUrl: f.docsUrl })) };
}

/** Rule ids that bear on health and restarts (shown first, and named in causes). */
export function isHealthRule(ruleId: string): boolean {
  return /health|port|memory|essential|stop-?timeout/i.test(ruleId);
}
