import type { Cause, Diagnosis, Evidence, EvidenceCheckId, Fix } from './types';

/** Default labels for the evidence table. */
export const CHECK_TITLES: Record<EvidenceCheckId, string> = {
  'task-fields': 'Stopped task fields',
  'task-definition': 'Task definition',
  logs: 'Container logs',
  'service-events': 'Service events and deployment',
  'ecr-image': 'Image in ECR',
  'vpc-endpoints': 'Route to AWS services (VPC endpoints / NAT)',
  'subnet-ips': 'Free IP addresses in the subnet',
  secrets: 'Secrets and parameters',
  'execution-role': 'Task execution role',
  'target-group': 'Load balancer target group',
  'security-groups': 'Security group rules',
  'container-health-check': 'Container health check',
  memory: 'Memory settings',
};

export function evidenceTitle(e: Evidence): string {
  return e.title ?? CHECK_TITLES[e.check] ?? e.check;
}

function evidenceFor(cause: Cause, evidence: readonly Evidence[]): Evidence[] {
  return evidence.filter((e) => (e.causes ? e.causes.includes(cause.id) : (cause.checks ?? []).includes(e.check)));
}

function judge(cause: Cause, evidence: readonly Evidence[]): Cause {
  const mine = evidenceFor(cause, evidence);
  const failed = mine.filter((e) => e.status === 'fail');
  if (failed.length) return { ...cause, status: 'confirmed', because: failed.map((e) => `${evidenceTitle(e)}: ${e.detail}`) };
  const passed = mine.filter((e) => e.status === 'pass');
  // Ruled out only when every check that could confirm the cause ran and found nothing,
  // or when a check explicitly named this cause and passed.
  const explicit = passed.some((e) => e.causes?.includes(cause.id));
  const allChecked = (cause.checks ?? []).length > 0 && (cause.checks ?? []).every((c) => passed.some((e) => e.check === c));
  if (explicit || allChecked) return { ...cause, status: 'ruled-out', because: passed.map((e) => `${evidenceTitle(e)}: ${e.detail}`) };
  return { ...cause, status: 'unchecked' };
}

const RANK = { confirmed: 0, unchecked: 1, 'ruled-out': 2 } as const;

function stableSort<T>(items: readonly T[], key: (t: T) => number): T[] {
  return items
    .map((item, i) => ({ item, i, k: key(item) }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map((x) => x.item);
}

/**
 * Folds live evidence into an offline diagnosis: each cause becomes confirmed (a relevant check
 * failed), ruled out (every check that could confirm it passed) or unchecked; causes and fix
 * steps are re-ranked (confirmed first, ruled out last, otherwise the catalogue's order); and
 * `verdict` names what the evidence points to. Pure: returns a new Diagnosis.
 */
export function applyEvidence(diagnosis: Diagnosis, evidence: readonly Evidence[]): Diagnosis {
  const judged = diagnosis.causes.map((c) => judge(c, evidence));
  const causes = stableSort(judged, (c) => RANK[c.status ?? 'unchecked']);
  const statusOf = new Map(causes.map((c) => [c.id, c.status ?? 'unchecked'] as const));
  // Exact repairs from failing rows (real ids, not placeholders) come before the catalogue's steps.
  const exact: Fix[] = [];
  for (const e of evidence) {
    if (e.status !== 'fail' || !e.fix || exact.some((f) => f.command === e.fix!.command)) continue;
    const fix: Fix = { text: e.fix.text, command: e.fix.command };
    const cause = e.causes?.find((id) => statusOf.get(id) === 'confirmed');
    if (cause) fix.cause = cause;
    exact.push(fix);
  }
  const fixes: Fix[] = [...exact, ...stableSort(diagnosis.fixes, (f) => (f.cause ? RANK[statusOf.get(f.cause) ?? 'unchecked'] : RANK.unchecked))];
  return { ...diagnosis, causes, fixes, evidence: [...evidence], verdict: verdictOf(diagnosis, causes, evidence) };
}

function verdictOf(d: Diagnosis, causes: Cause[], evidence: readonly Evidence[]): string | undefined {
  if (evidence.length === 0) return undefined;
  const confirmed = causes.filter((c) => c.status === 'confirmed');
  if (confirmed.length) {
    const first = confirmed[0]!;
    const more = confirmed.length > 1 ? ` (and ${confirmed.length - 1} more confirmed cause${confirmed.length > 2 ? 's' : ''})` : '';
    return `The evidence points to: ${first.text}${first.because?.length ? ` (${first.because[0]})` : ''}${more}`;
  }
  const failed = evidence.filter((e) => e.status === 'fail');
  if (failed.length) {
    // A check failed that no listed cause covers (e.g. for an Unknown message): say so plainly.
    return `No listed cause is confirmed, but a check found a problem: ${evidenceTitle(failed[0]!)}: ${failed[0]!.detail}`;
  }
  const ruledOut = causes.filter((c) => c.status === 'ruled-out').length;
  const remaining = causes.find((c) => c.status !== 'ruled-out');
  const ran = evidence.filter((e) => e.status !== 'skipped').length;
  if (ran === 0) return `No check could be run; the verdict rests on the ${d.category === 'Unknown' ? 'raw text' : 'message'} alone.`;
  if (ruledOut && remaining) return `The checks ruled out ${ruledOut} of ${causes.length} likely causes; most likely remaining: ${remaining.text}`;
  if (ruledOut && !remaining) return 'The checks ruled out every listed cause: look at the raw messages and the container logs again.';
  return 'The checks that ran found nothing wrong; the message itself is the best evidence.';
}
