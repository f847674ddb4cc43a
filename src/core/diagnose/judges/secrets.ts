/** Whether each secret the task definition references exists (never its value). */
import type { SecretLookup, TaskDefFacts } from '../facts';
import { needsTaskDef, type Judge } from '../live';
import type { Evidence } from '../types';
import { secretRefsOf } from './refs';
import { plural, q } from './text';

/** Whether each secrets[].valueFrom exists (never reads a value). */
export function judgeSecrets(lookups: SecretLookup[], td: TaskDefFacts): Evidence {
  if (!lookups.length) return { check: 'secrets', status: 'pass', detail: 'The task definition references no secrets or parameters.' };
  const line = (l: SecretLookup) => `${l.ref.valueFrom} (${l.usedBy.join('; ')}): ${STATE_TEXT[l.state]}${l.note ? ` (${l.note})` : ''}`;
  const lines = lookups.map(line);
  const bad = lookups.filter((l) => l.state === 'missing' || l.state === 'deleted');
  const command = lookups
    .map((l) =>
      l.ref.service === 'secretsmanager'
        ? `aws secretsmanager describe-secret --secret-id ${q(l.ref.secretId)}`
        : `aws ssm get-parameters --names ${q(l.ref.name)} --query 'InvalidParameters'`,
    )
    .filter((c, i, all) => all.indexOf(c) === i)
    .join('\n');
  if (bad.length) {
    return { check: 'secrets', status: 'fail', detail: `${plural(bad.length, 'secret reference')} of ${lookups.length} ${bad.length === 1 ? 'does' : 'do'} not resolve: ${bad.map((b) => `${b.ref.valueFrom} is ${STATE_TEXT[b.state]}`).join('; ')}.`, lines, command };
  }
  const denied = lookups.filter((l) => l.state === 'denied');
  const unchecked = lookups.filter((l) => l.state !== 'exists');
  if (unchecked.length) {
    const ev: Evidence = {
      check: 'secrets',
      status: 'skipped',
      detail: `${plural(lookups.length - unchecked.length, 'reference')} of ${lookups.length} ${lookups.length - unchecked.length === 1 ? 'exists' : 'exist'}; ${plural(unchecked.length, 'other')} could not be checked${denied.length ? ` (needs ${[...new Set(denied.map((d) => d.note))].join(', ')})` : ''}.`,
      lines,
      command,
    };
    if (denied[0]?.note) ev.missingPermission = denied[0].note;
    return ev;
  }
  void td;
  return { check: 'secrets', status: 'pass', detail: `${lookups.length === 1 ? 'The 1 secret reference exists' : `All ${lookups.length} secret references exist`} (values were not read).`, lines, command };
}

const STATE_TEXT: Record<SecretLookup['state'], string> = {
  exists: 'exists',
  missing: 'not found',
  deleted: 'scheduled for deletion',
  'other-region': 'in another Region, not checked',
  denied: 'access denied',
  error: 'could not be checked',
};

/**
 * Every secrets[].valueFrom (and log secretOptions, repository credentials) of the task
 * definition, looked up in the task's Region; a reference to another Region is not looked up.
 */
export const checkSecrets: Judge = async (facts, collect) => {
  const td = facts.taskDef;
  if (!td) return [needsTaskDef(facts, 'secrets')];
  const refs = secretRefsOf(td);
  const lookups: SecretLookup[] = refs.map(({ ref, usedBy }) => ({ ref, usedBy, state: 'error' as const }));
  const here = lookups.filter((l) => !l.ref.region || l.ref.region === facts.region);
  for (const l of lookups) if (!here.includes(l)) l.state = 'other-region';
  if (here.length) {
    const found = await collect('secrets', here.map((l) => l.ref));
    here.forEach((l, i) => {
      const s = found[i];
      if (!s) return;
      l.state = s.state;
      if (s.note !== undefined) l.note = s.note;
    });
  }
  return [judgeSecrets(lookups, td)];
};
