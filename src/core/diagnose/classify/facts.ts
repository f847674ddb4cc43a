/**
 * Facts named in the message (and the task's fields): they fill the catalogue's placeholders and
 * sharpen the summary.
 */
import type { Diagnosis, StopCategory, StopInput } from '../types';
import { findTargetGroupArn, parseArn, parseTaskArn, regionOf } from '../../arn';
import { str, type Container } from './input';

const ECR_URI = /(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9][a-z0-9._\/-]*?)(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})|@(sha256:[a-f0-9]{64}))?(?=$|[\s"'`:,;)])/;
const CLASSIC_ELB = /\(elb ([A-Za-z0-9-]+)\)/;
const SUBNET = /\bsubnet-[0-9a-f]{8,17}\b/;
const SECRET_ARN = /arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9\/_+=.@-]+/;
const SSM_ARN = /arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9\/_.-]+/;
const SSM_INVALID = /invalid parameters?:\s*(\S+)/i;
const ASSUMED_ROLE = /assumed-role\/([A-Za-z0-9+=,.@_-]+)\//;
const ROLE_ARN = /arn:aws[a-z-]*:iam::\d{12}:role\/(?:[A-Za-z0-9+=,.@_-]+\/)*([A-Za-z0-9+=,.@_-]+)/;
const DEPLOYMENT = /\(deployment ([A-Za-z0-9\/_-]+)\)/;
const TASKDEF_ARN = /task-definition\/([A-Za-z0-9_-]+):(\d+)$/;

export interface Facts {
  [placeholder: string]: string | undefined;
}

export function factsOf(input: StopInput, texts: string, containers: Container[], culprit?: Container): Facts {
  const facts: Facts = {};
  const arn = str(input.taskArn);
  const t = parseTaskArn(arn);
  if (t) {
    if (t.region) facts.region = t.region;
    if (t.cluster) facts.cluster = t.cluster;
    facts['task-id'] = t.taskId;
    facts.task = t.taskId;
  }
  const ecr = ECR_URI.exec(texts) ?? (culprit?.image ? ECR_URI.exec(culprit.image) : null) ?? firstImage(containers);
  if (ecr) {
    facts.repository = ecr[3];
    if (ecr[4]) facts.tag = ecr[4];
    facts.region ??= ecr[2];
    facts.image = ecr[0];
  }
  const tg = findTargetGroupArn(texts);
  if (tg) {
    facts['target-group-arn'] = tg;
    facts.region ??= regionOf(tg);
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

export function fill(text: string, facts: Facts): string {
  if (!text.includes('<')) return text;
  let parts = COMPILED.get(text);
  if (!parts) {
    parts = split(text, FILLABLE, true);
    if (COMPILED.size < 4096) COMPILED.set(text, parts);
  }
  return render(parts, facts, true)!;
}

export function fillAll(d: Diagnosis, facts: Facts): void {
  d.title = fill(d.title, facts);
  d.summary = fill(d.summary, facts);
  d.whereToLook = d.whereToLook.map((w) => fill(w, facts));
  for (const c of d.causes) c.text = fill(c.text, facts);
  for (const f of d.fixes) f.text = fill(f.text, facts);
}

/** One sentence naming what the message itself points at. */
export function namedInMessage(category: StopCategory, facts: Facts): string | undefined {
  switch (category) {
    case 'CannotPullContainerError':
      return facts.image ? `Image: ${facts.image}.` : undefined;
    case 'ElbHealthCheckFailed':
      if (facts['target-group-arn']) return `Target group: ${parseArn(facts['target-group-arn'])?.resource ?? facts['target-group-arn']}.`;
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
