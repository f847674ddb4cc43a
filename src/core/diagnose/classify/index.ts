/**
 * classify(): a stopped task's fields -> a Diagnosis, offline and pure. It reads the whole
 * message, not just its prefix: the family is the first one the stoppedReason names, the
 * variant comes from the stoppedReason and the containers' own reasons together, and
 * "Essential container in task exited" is refined by the essential container's exit code and
 * reason. A message it does not recognise gets category Unknown with the raw text and the
 * generic order of looking, never a confident guess.
 *
 * Every regular expression is compiled once (the catalogue's at load, the message facts' in
 * facts.ts); each input text is capped (input.ts), so a call takes microseconds whatever is
 * pasted. pull.ts adapts a pull error to the registry it names.
 */
import {
  EXIT_CODES,
  EXIT_NULL,
  EXIT_UNKNOWN,
  EXIT_OTHER,
  ESSENTIAL_DOCS,
  ESSENTIAL_EXITED,
  ESSENTIAL_PREVENTION,
  FAMILIES,
  PULL_PREVENTION_BY_REGISTRY,
  SIGNALS,
  UNKNOWN,
  type FamilySpec,
  type VariantSpec,
} from '../catalogue';
import { isNotPrivateEcr } from '../registry';
import type { Cause, Diagnosis, DocLink, EvidenceCheckId, Fix, StopCategory, StopInput } from '../types';
import { factsOf, fill, fillAll, namedInMessage } from './facts';
import { containersOf, rawOf, str, type Container } from './input';
import { pullNamed, pullRegistryOf, pullSpecFor, registryFacts, type PullRegistry } from './pull';

export { MAX_TEXT } from './input';

const STOP_CODE_FAMILY: Record<string, StopCategory> = {
  UserInitiated: 'UserInitiated',
  ServiceSchedulerInitiated: 'ServiceSchedulerInitiated',
  SpotInterruption: 'SpotInterruption',
  TerminationNotice: 'InfrastructureMaintenance',
  InfrastructureHealth: 'InfrastructureMaintenance',
};

/** Families whose stop was requested from outside the container (a SIGKILL then means stopTimeout). */
const REQUESTED_STOPS = new Set<StopCategory>([
  'UserInitiated',
  'ServiceSchedulerInitiated',
  'SpotInterruption',
  'InfrastructureMaintenance',
  'ElbHealthCheckFailed',
  'ContainerHealthCheckFailed',
]);

const OOM_TEXT = /OutOfMemoryError|Container killed due to memory usage|\bOOM ?Killed\b/i;

/** Each family's pattern, case-insensitive: consoles and users retype prefixes ("Cannotstartcontainererror"). */
const FAMILY_PATTERNS: ReadonlyArray<readonly [FamilySpec, RegExp]> = FAMILIES.map((fam) => [fam, fam.family.flags.includes('i') ? fam.family : new RegExp(fam.family.source, `${fam.family.flags}i`)] as const);

/** The family a message names first (the outermost error), if any. */
export function findFamily(text: string | undefined): FamilySpec | undefined {
  if (!text) return undefined;
  let best: FamilySpec | undefined;
  let at = Infinity;
  for (const [fam, pattern] of FAMILY_PATTERNS) {
    const m = pattern.exec(text);
    if (m && m.index < at) {
      best = fam;
      at = m.index;
    }
  }
  return best;
}

/**
 * A service event that quotes a task's error ("(service web) was unable to place a task. Reason:
 * CannotPullContainerError: ..."): the quoted error is what names the family. Amazon ECS
 * Developer Guide, "Amazon ECS service event messages". Returns the quoted text when it names a
 * family of its own, else the message unchanged.
 */
export function unwrapServiceEvent(text: string | undefined): string | undefined {
  if (!text) return text;
  const m = /was unable to place a task[^]*?\bReason:\s*(\S[^]*)$/i.exec(text);
  const inner = m?.[1]?.trim();
  if (!inner) return text;
  const fam = findFamily(inner);
  return fam && fam.category !== 'TaskFailedToStart' ? inner : text;
}

function pickVariant(fam: FamilySpec, text: string): VariantSpec {
  for (const v of fam.variants) {
    if (!v.match) return v;
    if (v.match.some((re) => re.test(text))) return v;
  }
  return fam.variants[fam.variants.length - 1]!;
}

function genericVariant(fam: FamilySpec): VariantSpec {
  return fam.variants[fam.variants.length - 1]!;
}


// ---------------------------------------------------------------------------------------------
// Building the Diagnosis

interface Pick {
  category: StopCategory;
  spec: Omit<VariantSpec, 'match'>;
  docs: DocLink[];
  prevention: string[];
  container?: Container;
  /** Extra sentences for the summary (container context, the stop code, ...). */
  notes: string[];
  extraCauses?: Cause[];
  extraFixes?: Fix[];
  extraChecks?: EvidenceCheckId[];
  confidence?: Diagnosis['confidence'];
}


function uniq<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function build(input: StopInput, containers: Container[], texts: string, pick: Pick): Diagnosis {
  const facts = factsOf(input, texts, containers, pick.container);
  let p = pick;
  let pull: PullRegistry | undefined;
  if (p.category === 'CannotPullContainerError') {
    pull = pullRegistryOf(texts, containers, p.container);
    if (pull.registry) {
      registryFacts(pull.registry, facts);
      const kind = pull.registry.kind;
      p = { ...p, spec: pullSpecFor(p.spec, pull.registry), ...(isNotPrivateEcr(kind) ? { prevention: PULL_PREVENTION_BY_REGISTRY[kind] } : {}) };
    }
  }
  const named = pull ? pullNamed(pull) : namedInMessage(p.category, facts);
  const causes = [...p.spec.causes, ...(p.extraCauses ?? [])].map((c) => ({ ...c, ...(c.checks ? { checks: [...c.checks] } : {}) }));
  const fixes = [...p.spec.fixes, ...(p.extraFixes ?? [])].map((f) => (f.command ? { ...f, command: fill(f.command, facts) } : { ...f }));
  const d: Diagnosis = {
    category: p.category,
    variant: p.spec.variant,
    title: p.spec.title,
    summary: [p.spec.summary, named, ...p.notes].filter(Boolean).join(' '),
    confidence: p.confidence ?? p.spec.confidence ?? 'high',
    whereToLook: [...p.spec.whereToLook],
    causes,
    fixes,
    prevention: uniq([...(p.spec.prevention ?? []), ...p.prevention]),
    docs: uniqDocs([...(p.spec.docs ?? []), ...p.docs]),
    checks: uniq([...p.spec.checks, ...(p.extraChecks ?? [])]),
    raw: rawOf(input, containers),
  };
  if (pull) {
    if (pull.registry) d.registry = pull.registry;
    fillAll(d, facts);
  }
  const arn = str(input.taskArn);
  if (arn) d.taskArn = arn;
  if (p.container) {
    d.container = p.container.name;
    d.exitCode = p.container.exitCode;
  }
  return d;
}

function uniqDocs(docs: DocLink[]): DocLink[] {
  const seen = new Set<string>();
  return docs.filter((d) => (seen.has(d.url) ? false : (seen.add(d.url), true)));
}

function exitText(c: Container): string {
  return c.exitCode === null ? 'no exit code' : `exit code ${c.exitCode}`;
}

/** Other containers' exits, as context ("sidecar: exit code 143 (stopped with the task)"). */
function othersNote(containers: Container[], culprit: Container | undefined): string | undefined {
  const others = containers.filter((c) => c !== culprit && (c.exitCode !== null || c.reason));
  if (!others.length || !culprit) return undefined;
  const parts = others.slice(0, 5).map((c) => {
    const collateral = c.exitCode === 143 || c.exitCode === 137 || c.exitCode === 0 ? ' (stopped along with the task)' : '';
    return `${c.name}: ${exitText(c)}${collateral}`;
  });
  return `Other containers: ${parts.join('; ')}${others.length > 5 ? `; and ${others.length - 5} more` : ''}.`;
}

/** The SIGKILL-after-stopTimeout cause, for requested stops where a container exited 137 without an OOM reason. */
function sigkillAfterStop(containers: Container[], all: string): Pick['extraCauses'] {
  const killed = containers.find((c) => c.exitCode === 137);
  if (!killed || OOM_TEXT.test(all)) return undefined;
  return [
    {
      id: 'ignored-sigterm',
      text: `${killed.name} exited with 137 (SIGKILL): it did not exit on SIGTERM within stopTimeout (default 30 s), so it was killed without a clean shutdown.`,
      checks: ['task-definition'],
    },
  ];
}

const SIGTERM_FIX: Fix = {
  text: 'Handle SIGTERM (exec the process as PID 1 or set initProcessEnabled) and raise the container\'s stopTimeout (max 120 s) if draining takes longer.',
  cause: 'ignored-sigterm',
};

function familyPick(fam: FamilySpec, spec: VariantSpec, container: Container | undefined, notes: string[]): Pick {
  const p: Pick = { category: fam.category, spec, docs: fam.docs, prevention: fam.prevention, notes };
  if (container) p.container = container;
  return p;
}

/** Ranking of exit codes for "which container stopped the task": a real failure first, collateral stops last. */
function exitRank(c: Container): number {
  if (c.reason && OOM_TEXT.test(c.reason)) return 0;
  if (c.exitCode === null) return 5;
  if (c.exitCode === 137) return 2;
  if (c.exitCode === 0) return 3;
  if (c.exitCode === 143) return 4;
  return 1;
}

function culpritOf(containers: Container[]): Container | undefined {
  if (!containers.length) return undefined;
  const essentials = containers.filter((c) => c.essential === true);
  const unknownEssential = containers.filter((c) => c.essential === undefined);
  const pool = essentials.length ? essentials : unknownEssential.length ? unknownEssential : containers;
  let best: Container | undefined;
  let bestRank = Infinity;
  for (const c of pool) {
    const r = exitRank(c);
    if (r < bestRank) {
      best = c;
      bestRank = r;
    }
  }
  return best;
}

function exitSpec(code: number | null): Omit<VariantSpec, 'match'> {
  if (code === null) return EXIT_NULL;
  const known = EXIT_CODES[code];
  if (known) return known;
  if (code > 128 && code < 160) {
    const sig = code - 128;
    const name = SIGNALS[sig] ?? `signal ${sig}`;
    return {
      ...EXIT_OTHER,
      variant: `exit-${code}-signal`,
      title: `The container was ended by ${name} (exit code ${code})`,
      summary: `Exit ${code} is 128 + ${sig}: the process was ended by ${name}. Something sent it that signal (the runtime, a supervisor, the application itself), or it crashed with it.`,
    };
  }
  return { ...EXIT_OTHER, variant: code < 0 || code > 255 ? 'exit-out-of-range' : 'exit-other' };
}

/**
 * Classifies a stopped task from its describe-tasks fields (any subset: a pasted reason alone is
 * enough). Pure, synchronous and total: never throws, whatever the input.
 */
export function classify(input: StopInput): Diagnosis {
  const safe: StopInput = input && typeof input === 'object' ? input : {};
  const containers = containersOf(safe);
  const reason = unwrapServiceEvent(str(safe.stoppedReason));
  const stopCode = str(safe.stopCode);
  const containerReasons = containers.map((c) => c.reason).filter((r): r is string => !!r);
  const all = [reason ?? '', ...containerReasons].join('\n');
  const essentialText = !!reason && ESSENTIAL_EXITED.test(reason);

  // 1. The stoppedReason names a family: it wins, refined by the whole text. (AWS Batch writes
  // "Essential container in task exited - CannotInspectContainerError: ...": the named family.)
  const taskFam = findFamily(reason);
  if (taskFam) {
    const spec = pickVariant(taskFam, all);
    const detail = containers.find((c) => c.reason && findFamily(c.reason) === taskFam) ?? (taskFam.category === 'OutOfMemoryError' ? culpritOf(containers) : undefined);
    const notes: string[] = [];
    const p = familyPick(taskFam, spec, detail, notes);
    if (REQUESTED_STOPS.has(taskFam.category)) {
      const extra = sigkillAfterStop(containers, all);
      if (extra) {
        p.extraCauses = extra;
        p.extraFixes = [SIGTERM_FIX];
        p.extraChecks = ['task-definition'];
      }
      const oom = containers.find((c) => c.reason && OOM_TEXT.test(c.reason));
      if (oom) notes.push(`Note: ${oom.name} also reports "${oom.reason}".`);
    }
    return build(safe, containers, all, p);
  }

  // 2. A stop requested from outside, with a reason ECS Doctor does not know (StopTask --reason "...").
  const codeCategory = stopCode ? STOP_CODE_FAMILY[stopCode] : undefined;
  if (codeCategory && !essentialText) {
    const fam = FAMILIES.find((f) => f.category === codeCategory)!;
    const notes = [reason ? `The stop code is ${stopCode}; the reason given was "${reason}".` : `Classified from the stop code ${stopCode} alone (no stoppedReason).`];
    const p = familyPick(fam, genericVariant(fam), undefined, notes);
    p.confidence = reason ? 'high' : 'medium';
    const extra = sigkillAfterStop(containers, all);
    if (extra) {
      p.extraCauses = extra;
      p.extraFixes = [SIGTERM_FIX];
    }
    return build(safe, containers, all, p);
  }

  // 3. A container's own reason names a family (the OOM may appear only there).
  const withFamily = containers
    .map((c) => ({ c, fam: findFamily(c.reason) }))
    .filter((x): x is { c: Container; fam: FamilySpec } => !!x.fam)
    .sort((a, b) => rankFamily(a) - rankFamily(b));
  if (withFamily.length) {
    const { c, fam } = withFamily[0]!;
    const spec = pickVariant(fam, [c.reason ?? '', reason ?? ''].join('\n'));
    const notes = [`From the reason of container ${c.name}${c.exitCode !== null ? ` (exit code ${c.exitCode})` : ''}.`];
    const others = othersNote(containers, c);
    if (others) notes.push(others);
    if (reason && !essentialText) notes.push(`The task's own stoppedReason, "${reason}", is not one ECS Doctor recognises.`);
    const p = familyPick(fam, spec, c, notes);
    if (reason && !essentialText) p.confidence = 'medium';
    return build(safe, containers, all, p);
  }

  // 4. An essential container exited: the exit code tells the story.
  const exited = containers.some((c) => c.exitCode !== null || c.lastStatus === 'STOPPED');
  // A generic or unknown text with the EssentialContainerExited stop code: the code's documented meaning.
  if (essentialText || stopCode === 'EssentialContainerExited' || (!reason && exited)) {
    const culprit = culpritOf(containers);
    const spec = culprit ? exitSpec(culprit.exitCode) : EXIT_UNKNOWN;
    const notes: string[] = [];
    if (culprit) notes.push(`Exited: ${culprit.name}, ${exitText(culprit)}${culprit.reason ? `, reason "${culprit.reason}"` : ''}.`);
    const others = othersNote(containers, culprit);
    if (others) notes.push(others);
    if (!essentialText && reason) notes.push(`The stoppedReason "${reason}" is not one ECS Doctor recognises; the container exit codes were used instead.`);
    // The exit code's own prevention where it has one (an OOM kill wants memory headroom, not a circuit breaker).
    const p: Pick = { category: 'EssentialContainerExited', spec, docs: ESSENTIAL_DOCS, prevention: spec.prevention ? [] : ESSENTIAL_PREVENTION, notes };
    if (culprit) p.container = culprit;
    if (!essentialText && reason) p.confidence = 'low';
    return build(safe, containers, all, p);
  }

  // 5. TaskFailedToStart by its stop code (no text, or a text that names no family): the code's
  // documented meaning (ECS API reference, Task.stopCode).
  if (stopCode === 'TaskFailedToStart') {
    const fam = FAMILIES.find((f) => f.category === 'TaskFailedToStart')!;
    const p = familyPick(fam, genericVariant(fam), undefined, [reason ? `Classified from the stop code TaskFailedToStart; the reason given was "${reason.length > 300 ? `${reason.slice(0, 300)}…` : reason}".` : 'Classified from the stop code alone: the stoppedReason is needed to say more.']);
    p.confidence = 'low';
    return build(safe, containers, all, p);
  }

  // 6. Unknown: say so, keep the raw text, give the generic order of looking.
  const notes: string[] = [];
  if (reason) notes.push(`The message was: "${reason.length > 300 ? `${reason.slice(0, 300)}…` : reason}".`);
  for (const r of containerReasons.slice(0, 3)) notes.push(`A container reports: "${r.length > 300 ? `${r.slice(0, 300)}…` : r}".`);
  if (stopCode) notes.push(`Stop code: ${stopCode}.`);
  if (!reason && !stopCode && !containers.length) notes.push('Nothing to classify was given: paste a stoppedReason, a container reason or describe-tasks output.');
  const p: Pick = { category: 'Unknown', spec: reason || stopCode || containers.length ? UNKNOWN : { ...UNKNOWN, variant: 'empty' }, docs: UNKNOWN.docs, prevention: UNKNOWN.prevention, notes, confidence: 'low' };
  return build(safe, containers, all, p);
}

function rankFamily(x: { c: Container; fam: FamilySpec }): number {
  const oom = x.fam.category === 'OutOfMemoryError' ? 0 : 10;
  const essential = x.c.essential === false ? 5 : 0;
  return oom + essential + FAMILIES.indexOf(x.fam) / 100;
}
