import type { Cause, Diagnosis, Evidence, EvidenceCheckId, Fix } from './types';

/** Default labels for the evidence table. */
export const CHECK_TITLES: Record<EvidenceCheckId, string> = {
  'task-fields': 'Task fields',
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

/** The causes one piece of evidence speaks to: those it names, else those that list its check. */
function targetsOf(e: Evidence, causes: readonly Cause[]): Cause[] {
  return e.causes ? causes.filter((c) => e.causes!.includes(c.id)) : causes.filter((c) => (c.checks ?? []).includes(e.check));
}

const line = (e: Evidence) => `${evidenceTitle(e)}: ${e.detail}`;

/**
 * Judges every cause against the evidence, never more sure than the evidence allows:
 * - a failed check confirms the one cause it speaks to; when it fits several (an image tag that
 *   does not exist: never pushed, deleted, mistyped), each is only "likely";
 * - a passing check rules out only the causes it names: "the execution role is set" says
 *   nothing about what the role may do, so it cannot rule out a missing permission; a cause it
 *   does rule out stays ruled out even when another failure fits it among other causes;
 * - the rest stays unchecked.
 */
function judgeAll(causes: readonly Cause[], evidence: readonly Evidence[]): Cause[] {
  const confirmed = new Map<string, string[]>();
  const likely = new Map<string, string[]>();
  const ruledOut = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, id: string, why: string) => m.set(id, [...(m.get(id) ?? []), why]);
  for (const e of evidence) {
    if (e.status === 'fail') {
      const targets = targetsOf(e, causes);
      for (const c of targets) add(targets.length === 1 ? confirmed : likely, c.id, line(e));
    } else if (e.status === 'pass' && e.causes) {
      for (const c of targetsOf(e, causes)) add(ruledOut, c.id, line(e));
    }
  }
  return causes.map((c): Cause => {
    // A check that verified this very cause outweighs a finding that merely fits it among others.
    const pick = confirmed.has(c.id) ? (['confirmed', confirmed] as const) : ruledOut.has(c.id) ? (['ruled-out', ruledOut] as const) : likely.has(c.id) ? (['likely', likely] as const) : undefined;
    return pick ? { ...c, status: pick[0], because: pick[1].get(c.id) } : { ...c, status: 'unchecked' };
  });
}

const RANK = { confirmed: 0, likely: 1, unchecked: 2, 'ruled-out': 3 } as const;

function stableSort<T>(items: readonly T[], key: (t: T) => number): T[] {
  return items
    .map((item, i) => ({ item, i, k: key(item) }))
    .sort((a, b) => a.k - b.k || a.i - b.i)
    .map((x) => x.item);
}

/**
 * Folds live evidence into an offline diagnosis: each cause becomes confirmed, likely, ruled out
 * or unchecked (see judgeAll); causes and fix steps are re-ranked (confirmed first, ruled out
 * last, otherwise the catalogue's order); and
 * `verdict` names what the evidence points to. Pure: returns a new Diagnosis.
 */
export function applyEvidence(diagnosis: Diagnosis, evidence: readonly Evidence[]): Diagnosis {
  const judged = judgeAll(diagnosis.causes, evidence);
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
  const likely = causes.filter((c) => c.status === 'likely');
  if (likely.length) {
    const finding = evidence.find((e) => e.status === 'fail' && likely.some((c) => c.because?.includes(line(e))));
    const found = finding ? `: ${line(finding).replace(/[.\s]+$/, '')}` : '';
    return likely.length === 1
      ? `A check found the problem${found}. It fits: ${likely[0]!.text}`
      : `A check found the problem${found}. It fits ${likely.length} of the likely causes, which no check tells apart.`;
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
