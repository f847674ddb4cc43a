/**
 * classify(): a stopped task's fields -> a Diagnosis, offline and pure. It reads the whole
 * message, not just its prefix: the family is the first one the stoppedReason names, the
 * variant comes from the stoppedReason and the containers' own reasons together, and
 * "Essential container in task exited" is refined by the essential container's exit code and
 * reason. A message it does not recognise gets category Unknown with the raw text and the
 * generic order of looking, never a confident guess.
 *
 * Every regular expression is compiled once in catalogue.ts; each input text is capped, so a
 * call takes microseconds whatever is pasted.
 */
import {
  EXIT_CODES,
  EXIT_NULL,
  EXIT_OTHER,
  ESSENTIAL_DOCS,
  ESSENTIAL_EXITED,
  ESSENTIAL_PREVENTION,
  FAMILIES,
  PULL_BY_REGISTRY,
  PULL_PREVENTION_BY_REGISTRY,
  SIGNALS,
  UNKNOWN,
  type FamilySpec,
  type VariantSpec,
} from './catalogue';
import { describeRegistry, isNotPrivateEcr, registryInMessage, registryOfImage } from './registry';
import type { Cause, ContainerFacts, Diagnosis, DocLink, EvidenceCheckId, Fix, ImageRegistry, RawStopTexts, StopCategory, StopInput } from './types';

/** The longest text (per field) the classifier reads; AWS's own messages are far shorter. */
export const MAX_TEXT = 8192;

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

interface Container {
  name: string;
  reason?: string;
  exitCode: number | null;
  lastStatus?: string;
  essential?: boolean;
  image?: string;
}

function str(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.length > MAX_TEXT ? v.slice(0, MAX_TEXT) : v;
  const trimmed = t.trim();
  return trimmed ? trimmed : undefined;
}

function exitCodeOf(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d{1,4}$/.test(v.trim())) return Number(v.trim());
  return null;
}

function containersOf(input: StopInput): Container[] {
  const list = Array.isArray(input.containers) ? input.containers : [];
  const out: Container[] = [];
  for (const raw of list.slice(0, 100)) {
    if (!raw || typeof raw !== 'object') continue;
    const r = raw as ContainerFacts;
    const c: Container = { name: str(r.name) ?? `container ${out.length + 1}`, exitCode: exitCodeOf(r.exitCode) };
    const reason = str(r.reason);
    if (reason) c.reason = reason;
    const last = str(r.lastStatus);
    if (last) c.lastStatus = last;
    if (typeof r.essential === 'boolean') c.essential = r.essential;
    const image = str(r.image);
    if (image) c.image = image;
    out.push(c);
  }
  return out;
}

/** The family a message names first (the outermost error), if any. */
export function findFamily(text: string | undefined): FamilySpec | undefined {
  if (!text) return undefined;
  let best: FamilySpec | undefined;
  let at = Infinity;
  for (const fam of FAMILIES) {
    const m = fam.family.exec(text);
    if (m && m.index < at) {
      best = fam;
      at = m.index;
    }
  }
  return best;
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
// Facts named in the message: they fill the commands' placeholders and sharpen the summary.

const ECR_URI = /(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9][a-z0-9._\/-]*?)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})|@(sha256:[a-f0-9]{64}))?(?=$|[\s"'`:,;)])/;
const TARGET_GROUP = /arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[A-Za-z0-9-]+\/[a-f0-9]+/;
const CLASSIC_ELB = /\(elb ([A-Za-z0-9-]+)\)/;
const SUBNET = /\bsubnet-[0-9a-f]{8,17}\b/;
const SECRET_ARN = /arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9\/_+=.@-]+/;
const SSM_ARN = /arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9\/_.-]+/;
const SSM_INVALID = /invalid parameters?:\s*(\S+)/i;
const ASSUMED_ROLE = /assumed-role\/([A-Za-z0-9+=,.@_-]+)\//;
const ROLE_ARN = /arn:aws[a-z-]*:iam::\d{12}:role\/(?:[A-Za-z0-9+=,.@_-]+\/)*([A-Za-z0-9+=,.@_-]+)/;
const DEPLOYMENT = /\(deployment ([A-Za-z0-9\/_-]+)\)/;
const TASK_ARN = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\d{12}):task\/(?:([A-Za-z0-9_-]+)\/)?([A-Za-z0-9-]+)$/;
const TASKDEF_ARN = /task-definition\/([A-Za-z0-9_-]+):(\d+)$/;

interface Facts {
  [placeholder: string]: string | undefined;
}

function factsOf(input: StopInput, texts: string, containers: Container[], culprit?: Container): Facts {
  const facts: Facts = {};
  const arn = str(input.taskArn);
  const t = arn ? TASK_ARN.exec(arn) : null;
  if (t) {
    facts.region = t[1];
    if (t[3]) facts.cluster = t[3];
    facts['task-id'] = t[4];
    facts.task = t[4];
  }
  const ecr = ECR_URI.exec(texts) ?? (culprit?.image ? ECR_URI.exec(culprit.image) : null) ?? firstImage(containers);
  if (ecr) {
    facts.repository = ecr[3];
    if (ecr[4]) facts.tag = ecr[4];
    facts.region ??= ecr[2];
    facts.image = ecr[0];
  }
  const tg = TARGET_GROUP.exec(texts);
  if (tg) {
    facts['target-group-arn'] = tg[0];
    facts.region ??= tg[0].split(':')[3];
  }
  const elb = CLASSIC_ELB.exec(texts);
  if (elb) facts.elb = elb[1];
  const subnet = SUBNET.exec(texts);
  if (subnet) facts['subnet-id'] = subnet[0];
  const secret = SECRET_ARN.exec(texts);
  if (secret) facts['secret-arn'] = secret[0].replace(/[.,;:]+$/, '');
  const ssm = SSM_ARN.exec(texts) ?? SSM_INVALID.exec(texts);
  if (ssm) facts['parameter-name'] = (ssm[1] && !ssm[0].startsWith('arn:') ? ssm[1] : ssm[0]).replace(/[.,;:]+$/, '');
  const assumed = ASSUMED_ROLE.exec(texts);
  const role = ROLE_ARN.exec(texts);
  if (assumed) facts['execution-role'] = assumed[1];
  if (role) facts.role = role[1];
  const dep = DEPLOYMENT.exec(texts);
  if (dep) facts.deployment = dep[1];
  const group = str(input.group);
  if (group?.startsWith('service:')) facts.service = group.slice('service:'.length);
  const td = str(input.taskDefinitionArn);
  const tdm = td ? TASKDEF_ARN.exec(td) : null;
  if (tdm) {
    facts['task-definition'] = `${tdm[1]}:${tdm[2]}`;
    facts.family = tdm[1];
  }
  if (culprit) facts.container = culprit.name;
  return facts;
}

function firstImage(containers: Container[]): RegExpExecArray | null {
  for (const c of containers) {
    const m = c.image ? ECR_URI.exec(c.image) : null;
    if (m) return m;
  }
  return null;
}

/** A placeholder, or "[[ --region <image-region>]]": a part kept (filled) only when every placeholder in it is known. */
const FILLABLE = /\[\[([^\]]*)\]\]|<([a-z][a-z-]*)>/g;
const PLACEHOLDER = /<([a-z][a-z-]*)>/g;

type Part = string | { name: string } | { optional: Part[] };

/** Catalogue texts split once into literal and placeholder parts (bounded: texts are the catalogue's own). */
const COMPILED = new Map<string, Part[]>();

function split(text: string, re: RegExp, optional: boolean): Part[] {
  const parts: Part[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    if (optional && m[1] !== undefined) parts.push({ optional: split(m[1], PLACEHOLDER, false) });
    else parts.push({ name: (optional ? m[2] : m[1])! });
    last = m.index + m[0].length;
  }
  re.lastIndex = 0;
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

function render(parts: Part[], facts: Facts, keepMissing: boolean): string | undefined {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') out += p;
    else if ('name' in p) {
      const v = facts[p.name];
      if (v === undefined && !keepMissing) return undefined;
      out += v ?? `<${p.name}>`;
    } else out += render(p.optional, facts, false) ?? '';
  }
  return out;
}

function fill(text: string, facts: Facts): string {
  if (!text.includes('<')) return text;
  let parts = COMPILED.get(text);
  if (!parts) {
    parts = split(text, FILLABLE, true);
    if (COMPILED.size < 4096) COMPILED.set(text, parts);
  }
  return render(parts, facts, true)!;
}

// ---------------------------------------------------------------------------------------------
// CannotPullContainerError: which registry, and what that changes

interface PullRegistry {
  registry?: ImageRegistry;
  /** A sentence for the summary when the registry could not be told. */
  note?: string;
}

/**
 * The registry a pull error is about: the image reference (or registry URL) the message names;
 * else the failing container's image; else the task's images, when they all use one registry.
 */
function pullRegistryOf(texts: string, containers: Container[], culprit: Container | undefined): PullRegistry {
  const fromImages: ImageRegistry[] = [];
  for (const c of culprit?.image ? [culprit] : containers) {
    const r = c.image ? registryOfImage(c.image) : undefined;
    if (r) fromImages.push(r);
  }
  const named = registryInMessage(texts);
  if (named) {
    if (named.repository) return { registry: named };
    // The message names the registry (a URL, a DNS lookup) but not the image: take the image from the task definition.
    const same = fromImages.find((r) => r.host === named.host || (named.kind === 'ecr' && r.kind === 'ecr' && named.host === 'amazonaws.com' && r.region === named.region));
    return { registry: same ? { ...same, source: 'message' } : named };
  }
  if (!fromImages.length) return {};
  const hosts = [...new Set(fromImages.map((r) => r.host))];
  if (hosts.length === 1 || fromImages.every((r) => r.kind === 'ecr')) return { registry: fromImages[0]! };
  return { note: `The task pulls from several registries (${hosts.slice(0, 4).join(', ')}) and the message does not say which image failed: look at each container's reason.` };
}

function registryFacts(r: ImageRegistry, facts: Facts): void {
  facts['registry-host'] = r.host;
  facts['registry-name'] = r.name;
  const port = /:(\d{1,5})$/.exec(r.host);
  facts['registry-port'] = port ? port[1] : '443';
  if (r.repository) facts.repository = r.repository;
  if (r.tag) facts.tag = r.tag;
  if (r.digest) facts.digest = r.digest;
  const ref = r.repository ? `${r.host}/${r.repository}${r.digest ? `@${r.digest}` : `:${r.tag ?? '<tag>'}`}` : undefined;
  if (r.image ?? ref) facts.image = r.image ?? ref;
  if (r.kind === 'ecr') {
    if (r.account) facts['registry-id'] = r.account;
    if (r.region) {
      facts['image-region'] = r.region;
      facts.region ??= r.region;
    }
    return;
  }
  if (ref) facts['image-check'] = `docker manifest inspect ${ref}`;
  if (r.kind === 'docker-hub') {
    const repo = r.repository;
    facts['hub-url'] = !repo ? 'https://hub.docker.com/' : repo.startsWith('library/') ? `https://hub.docker.com/_/${repo.slice('library/'.length)}/tags` : `https://hub.docker.com/r/${repo}/tags`;
  }
}

/** A pull variant with its ECR-only parts replaced for registries outside private ECR. */
function pullSpecFor(spec: Omit<VariantSpec, 'match'>, registry: ImageRegistry | undefined): Omit<VariantSpec, 'match'> {
  const kind = registry?.kind;
  if (!isNotPrivateEcr(kind)) return spec;
  const byKind = PULL_BY_REGISTRY[spec.variant];
  const override = byKind?.[kind] ?? byKind?.external;
  const merged = override ? { ...spec, ...override } : spec;
  // Whatever the variant: the ECR image check cannot confirm anything about an image outside
  // private ECR, and the security-group check judges HTTPS (443) only, not a registry on another port.
  const drop = new Set<EvidenceCheckId>(['ecr-image']);
  if (/:\d{1,5}$/.test(registry!.host) && !registry!.host.endsWith(':443')) drop.add('security-groups');
  const causes = merged.causes.map((c) => {
    if (!c.checks?.some((k) => drop.has(k))) return c;
    const checks = c.checks.filter((k) => !drop.has(k));
    const { checks: _drop, ...rest } = c;
    return checks.length ? { ...rest, checks } : rest;
  });
  return { ...merged, causes, checks: merged.checks.filter((k) => !drop.has(k)) };
}

function fillAll(d: Diagnosis, facts: Facts): void {
  d.title = fill(d.title, facts);
  d.summary = fill(d.summary, facts);
  d.whereToLook = d.whereToLook.map((w) => fill(w, facts));
  for (const c of d.causes) c.text = fill(c.text, facts);
  for (const f of d.fixes) f.text = fill(f.text, facts);
}

/** The pull error's sentence about the image: where it was read, and the registry. */
function pullNamed(pull: PullRegistry): string | undefined {
  const r = pull.registry;
  if (!r) return pull.note;
  const where = r.source === 'container-image' ? ' (from the task definition; the message does not name it)' : '';
  const image = r.image ?? (r.repository ? undefined : '');
  const text = image ? `Image: ${image} (${r.name})${where}.` : `Registry: ${describeRegistry(r)}${where}.`;
  return r.dualStack ? `${text} It is a dual-stack ECR name, which AWS PrivateLink (VPC endpoints) does not serve: a private subnet needs a NAT gateway to reach it.` : text;
}

/** One sentence naming what the message itself points at. */
function namedInMessage(category: StopCategory, facts: Facts): string | undefined {
  switch (category) {
    case 'CannotPullContainerError':
      return facts.image ? `Image: ${facts.image}.` : undefined;
    case 'ElbHealthCheckFailed':
      if (facts['target-group-arn']) return `Target group: ${facts['target-group-arn'].split(':').pop()}.`;
      return facts.elb ? `Load balancer: ${facts.elb}.` : undefined;
    case 'ResourceInitializationError':
      if (facts['secret-arn']) return `Secret: ${facts['secret-arn']}.`;
      if (facts['parameter-name']) return `Parameter: ${facts['parameter-name']}.`;
      return facts['execution-role'] ? `Role: ${facts['execution-role']}.` : undefined;
    case 'TaskFailedToStart':
      if (facts['subnet-id']) return `Subnet: ${facts['subnet-id']}.`;
      return facts.role ? `Role: ${facts.role}.` : undefined;
    case 'ServiceSchedulerInitiated':
      return facts.deployment ? `Deployment: ${facts.deployment}.` : undefined;
    default:
      return undefined;
  }
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

function rawOf(input: StopInput, containers: Container[]): RawStopTexts {
  const raw: RawStopTexts = { containers: containers.map((c) => ({ name: c.name, ...(c.reason ? { reason: c.reason } : {}), exitCode: c.exitCode, ...(c.lastStatus ? { lastStatus: c.lastStatus } : {}) })) };
  const reason = str(input.stoppedReason);
  const code = str(input.stopCode);
  if (reason) raw.stoppedReason = reason;
  if (code) raw.stopCode = code;
  return raw;
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
  const reason = str(safe.stoppedReason);
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
  if (essentialText || (stopCode === 'EssentialContainerExited' && (containers.length > 0 || !reason)) || (!reason && exited)) {
    const culprit = culpritOf(containers);
    const spec = culprit ? exitSpec(culprit.exitCode) : { ...EXIT_NULL, variant: 'no-container-details', confidence: 'low' as const, summary: 'An essential container exited, but no container details were given: the exit code and the container\'s reason are needed to say why. Describe the task to get them.' };
    const notes: string[] = [];
    if (culprit) notes.push(`Exited: ${culprit.name}, ${exitText(culprit)}${culprit.reason ? `, reason "${culprit.reason}"` : ''}.`);
    const others = othersNote(containers, culprit);
    if (others) notes.push(others);
    if (!essentialText && reason) notes.push(`The stoppedReason "${reason}" is not one ECS Doctor recognises; the container exit codes were used instead.`);
    const p: Pick = { category: 'EssentialContainerExited', spec, docs: ESSENTIAL_DOCS, prevention: ESSENTIAL_PREVENTION, notes };
    if (culprit) p.container = culprit;
    if (!essentialText && reason) p.confidence = 'low';
    return build(safe, containers, all, p);
  }

  // 5. TaskFailedToStart by stop code alone (no text to read).
  if (stopCode === 'TaskFailedToStart' && !reason) {
    const fam = FAMILIES.find((f) => f.category === 'TaskFailedToStart')!;
    const p = familyPick(fam, genericVariant(fam), undefined, ['Classified from the stop code alone: the stoppedReason is needed to say more.']);
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
