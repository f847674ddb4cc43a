/**
 * Target health as ELBv2 DescribeTargetHealth reports it, in words
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html).
 */
import type { TargetHealthFacts } from '../facts';
import { meaningOfCodes } from './events';

const REASONS: Record<string, string> = {
  'Elb.RegistrationInProgress': 'the target is being registered',
  'Elb.InitialHealthChecking': 'the load balancer is still sending the first health checks',
  'Target.ResponseCodeMismatch': 'the target answered with a status the matcher does not accept: it is up; the path, port or matcher is wrong',
  'Target.Timeout': 'the health check timed out: nothing answered on that port in time (not listening yet, wrong port, or a security group drops it)',
  'Target.FailedHealthChecks': 'the health checks failed (connection refused or reset): nothing is listening on that port',
  'Target.NotRegistered': 'the target is not registered',
  'Target.NotInUse': 'the target group is not used by any load balancer, or the target is in an Availability Zone the load balancer does not serve',
  'Target.DeregistrationInProgress': 'the target is being deregistered',
  'Target.InvalidState': 'the target is stopped or terminated',
  'Target.IpUnusable': 'the IP address cannot be used as a target',
  'Target.HealthCheckDisabled': 'health checks are disabled',
  'Elb.InternalError': 'the load balancer had an internal error',
};

export function reasonText(t: TargetHealthFacts): string {
  const codes = /codes:\s*\[([^\]]*)\]/i.exec(t.description ?? '')?.[1];
  if (codes) return meaningOfCodes(codes.split(/[,\s]+/).filter(Boolean));
  return (t.reason && REASONS[t.reason]) ?? t.description ?? t.reason ?? 'no reason given';
}

export interface TargetHealthSummary {
  total: number;
  healthy: number;
  unhealthy: TargetHealthFacts[];
  initial: number;
  byReason: Record<string, number>;
}

export function summarizeTargets(targets: readonly TargetHealthFacts[]): TargetHealthSummary {
  const s: TargetHealthSummary = { total: targets.length, healthy: 0, unhealthy: [], initial: 0, byReason: {} };
  for (const t of targets) {
    if (t.state === 'healthy') s.healthy++;
    else if (t.state === 'initial') s.initial++;
    else if (t.state === 'unhealthy') s.unhealthy.push(t);
    if (t.reason) s.byReason[t.reason] = (s.byReason[t.reason] ?? 0) + 1;
  }
  return s;
}
