/** CannotPullContainerError: which registry the image is pulled from, and what that changes. */
import { PULL_BY_REGISTRY, type VariantSpec } from '../catalogue';
import { describeRegistry, isNotPrivateEcr, registryInMessage, registryOfImage } from '../registry';
import type { EvidenceCheckId, ImageRegistry } from '../types';
import type { Facts } from './facts';
import type { Container } from './input';

export interface PullRegistry {
  registry?: ImageRegistry;
  /** A sentence for the summary when the registry could not be told. */
  note?: string;
}

/**
 * The registry a pull error is about: the image reference (or registry URL) the message names;
 * else the failing container's image; else the task's images, when they all use one registry.
 */
export function pullRegistryOf(texts: string, containers: Container[], culprit: Container | undefined): PullRegistry {
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

export function registryFacts(r: ImageRegistry, facts: Facts): void {
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
export function pullSpecFor(spec: Omit<VariantSpec, 'match'>, registry: ImageRegistry | undefined): Omit<VariantSpec, 'match'> {
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

/** The pull error's sentence about the image: where it was read, and the registry. */
export function pullNamed(pull: PullRegistry): string | undefined {
  const r = pull.registry;
  if (!r) return pull.note;
  const where = r.source === 'container-image' ? ' (from the task definition; the message does not name it)' : '';
  const image = r.image ?? (r.repository ? undefined : '');
  const text = image ? `Image: ${image} (${r.name})${where}.` : `Registry: ${describeRegistry(r)}${where}.`;
  return r.dualStack ? `${text} It is a dual-stack ECR name, which AWS PrivateLink (VPC endpoints) does not serve: a private subnet needs a NAT gateway to reach it.` : text;
}
