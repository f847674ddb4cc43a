/**
 * What a task definition refers to and needs: private ECR image references, secret references,
 * the images only the internet can bring, and the VPC endpoints a task without a route out needs.
 */
import type { EcrImageRef, SecretRef, TaskDefFacts } from '../facts';
import { describeRegistry, registryOfImage } from '../registry';
import { list, plural } from './text';

/**
 * The VPC endpoints (short service names) a task without a route to the internet may need: ECR
 * (ecr.api, ecr.dkr, and the s3 gateway endpoint for the image layers), CloudWatch Logs, Secrets
 * Manager, SSM Parameter Store and, for ECS Exec, ssmmessages. AWS documents them in the Amazon
 * ECR User Guide page "Amazon ECR interface VPC endpoints (AWS PrivateLink)" and the Amazon ECS
 * Developer Guide page "Amazon ECS interface VPC endpoints (AWS PrivateLink)".
 */
export const ENDPOINT_SERVICES = ['ecr.api', 'ecr.dkr', 's3', 'logs', 'secretsmanager', 'ssm', 'ssmmessages'] as const;
export type EndpointService = (typeof ENDPOINT_SERVICES)[number];

/**
 * A private ECR image reference: `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/<repo>[:tag|@digest]`
 * or the dual-stack form `<account>.dkr-ecr[-fips].<region>.on.aws/<repo>[:tag|@digest]`.
 * Anything else (Docker Hub, ECR Public, another registry) returns undefined.
 */
export function parseEcrImage(image: string | undefined): EcrImageRef | undefined {
  if (!image) return undefined;
  const m = /^(\d{12})\.dkr(?:\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|-ecr(?:-fips)?\.([a-z0-9-]+)\.on\.aws)\/([^:@\s]+)(?::([^@\s]+))?(?:@(sha256:[0-9a-f]{64}))?$/.exec(
    image.trim(),
  );
  if (!m) return undefined;
  const ref: EcrImageRef = { registryId: m[1]!, region: (m[2] ?? m[3])!, repository: m[4]! };
  if (m[6]) ref.digest = m[6];
  if (m[5]) ref.tag = m[5];
  if (!ref.tag && !ref.digest) ref.tag = 'latest';
  return ref;
}

/**
 * Where a secrets[].valueFrom points. Secrets Manager ARNs may carry `:json-key:version-stage:version-id`
 * after the secret's own ARN; SSM takes a parameter ARN or, in the task's Region, a bare name.
 */
export function parseSecretRef(valueFrom: string): SecretRef {
  const v = valueFrom.trim();
  if (v.startsWith('arn:')) {
    const parts = v.split(':');
    const service = parts[2];
    const region = parts[3] || undefined;
    if (service === 'secretsmanager') {
      const ref: SecretRef = { service: 'secretsmanager', valueFrom: v, secretId: parts.slice(0, 7).join(':') };
      if (region) ref.region = region;
      if (parts[7]) ref.jsonKey = parts[7];
      return ref;
    }
    if (service === 'ssm') {
      const resource = parts.slice(5).join(':');
      const name = resource.replace(/^parameter/, '');
      const ref: SecretRef = { service: 'ssm', valueFrom: v, name: name.startsWith('/') && name.split('/').length === 2 ? name.slice(1) : name };
      if (region) ref.region = region;
      return ref;
    }
  }
  return { service: 'ssm', valueFrom: v, name: v };
}

/** Every secret reference of a task definition with the containers/variables that use it. */
export function secretRefsOf(td: TaskDefFacts): Array<{ ref: SecretRef; usedBy: string[] }> {
  const byValue = new Map<string, { ref: SecretRef; usedBy: string[] }>();
  const add = (valueFrom: string, who: string) => {
    const key = valueFrom.trim();
    if (!key) return;
    const entry = byValue.get(key) ?? { ref: parseSecretRef(key), usedBy: [] };
    entry.usedBy.push(who);
    byValue.set(key, entry);
  };
  for (const c of td.containers) {
    for (const s of c.secrets) add(s.valueFrom, `${c.name}: ${s.name}`);
    for (const s of c.logSecrets ?? []) add(s.valueFrom, `${c.name}: log option ${s.name}`);
    if (c.repositoryCredentials) add(c.repositoryCredentials, `${c.name}: repository credentials`);
  }
  return [...byValue.values()];
}

/**
 * The containers whose image VPC endpoints cannot bring: anything but private ECR in this Region
 * (Docker Hub, ECR Public, other registries, ECR in another Region). They need a route out.
 */
export function imagesNeedingInternet(td: TaskDefFacts, region: string): Array<{ container: string; where: string }> {
  const out: Array<{ container: string; where: string }> = [];
  for (const c of td.containers) {
    if (!c.image) continue;
    const ecr = parseEcrImage(c.image);
    if (ecr?.region === region) continue;
    const where = ecr ? `Amazon ECR in ${ecr.region} (${c.image})` : (() => {
      const r = registryOfImage(c.image);
      return r ? describeRegistry(r) : c.image;
    })();
    out.push({ container: c.name, where });
  }
  return out;
}

/** The VPC endpoints a task of this definition needs when it has no route to the internet. */
export function requiredEndpoints(td: TaskDefFacts, opts: { region: string; execEnabled?: boolean }): Array<{ service: EndpointService; why: string }> {
  const out: Array<{ service: EndpointService; why: string }> = [];
  const ecrHere = td.containers.filter((c) => parseEcrImage(c.image)?.region === opts.region);
  if (ecrHere.length) {
    const why = `image of ${list(ecrHere.map((c) => c.name))} is in ECR`;
    out.push({ service: 'ecr.api', why }, { service: 'ecr.dkr', why }, { service: 's3', why: 'ECR image layers are stored in S3' });
  }
  const awslogs = td.containers.filter((c) => c.logDriver === 'awslogs');
  if (awslogs.length) out.push({ service: 'logs', why: `${list(awslogs.map((c) => c.name))} log${awslogs.length === 1 ? 's' : ''} with awslogs` });
  const refs = secretRefsOf(td);
  const sm = refs.filter((r) => r.ref.service === 'secretsmanager');
  if (sm.length) out.push({ service: 'secretsmanager', why: `${plural(sm.length, 'secret')} from Secrets Manager` });
  const ssm = refs.filter((r) => r.ref.service === 'ssm');
  if (ssm.length) out.push({ service: 'ssm', why: `${plural(ssm.length, 'parameter')} from SSM Parameter Store` });
  if (opts.execEnabled) out.push({ service: 'ssmmessages', why: 'ECS Exec is enabled on the task' });
  return out;
}
