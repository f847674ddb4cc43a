/**
 * Which registry a pull error is about: the image reference the message names (or the registry
 * host of a URL it names), else the container's image from the task definition. Pure; every
 * regular expression is compiled once, and each one is anchored on a literal phrase, so a call
 * costs a few microseconds on any input classify() lets through (MAX_TEXT).
 *
 * Image references follow Docker's normalisation: a first path component with a dot or a port
 * (or `localhost`) is a registry host; anything else is Docker Hub (`nginx` = docker.io/library/nginx).
 */
import type { ImageRegistry, RegistryKind } from './types';

/** A private ECR registry: `<account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]` or the dual-stack `<account>.dkr-ecr[-fips].<region>.on.aws`. */
const ECR_HOST = /^(\d{12})\.dkr([.-])ecr(-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(?:amazonaws\.com(?:\.cn)?|on\.aws)$/;
const ECR_PUBLIC_HOST = /^public\.ecr\.aws$/;
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
/** Hosts that serve Docker Hub's layers or tokens: they identify Docker Hub but name no image. */
const DOCKER_HUB_AUX = /^(?:auth\.docker\.io|production\.cloudflare\.docker\.com|[a-z0-9-]+\.cloudfront\.docker\.com)$/;
/** ECR serves image layers from this S3 bucket: a URL on it means the image is in private ECR. */
const ECR_LAYER_BUCKET = /^prod-([a-z]{2}(?:-[a-z]+)+-\d+)-starport-layer-bucket\.s3[.-]/;

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOST_PART = /^(?:localhost|\[[0-9a-fA-F:]+\]|[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,20})(?::\d{1,5})?$/;
const PATH_PART = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/**
 * Phrases after which Docker, containerd and the ECS agent print the image reference, e.g.
 * "failed to resolve ref docker.io/library/nginx:1.99: not found", "pull access denied for
 * mycompany/api, repository does not exist", "manifest for nginx:1.99 not found",
 * "repository 1111.dkr.ecr.us-east-1.amazonaws.com/web not found".
 */
const NAMED_REF =
  /(?:failed to resolve ref(?:erence)?|pull access denied for|manifest for|failed to pull (?:and unpack )?image|pulling image|Error response from daemon: repository|API error \(404\): repository)\s+"?([^\s"'`,;()<>]{1,400})/i;
/** A registry URL: https://registry-1.docker.io/v2/library/node/manifests/sha256:..., https://ghcr.io/v2/ */
const URL_REF = /https?:\/\/([A-Za-z0-9.-]+(?::\d{1,5})?)(\/v2\/([^\s"'`,;()<>]{0,400}?)\/(?:manifests|blobs)\/([^\s"'`,;()<>?]{1,200}))?(?=[\s"'`,;()<>?:/]|$)/g;
/** "dial tcp: lookup ghcr.io on 10.0.0.2:53: no such host" */
const LOOKUP = /\blookup ([A-Za-z0-9.-]+\.[A-Za-z]{2,})(?: on |: )/;

/** The parts of an image reference, as Docker would read it. Undefined when it is not one. */
export function parseImageRef(text: string | undefined): ImageRegistry | undefined {
  if (!text) return undefined;
  let ref = text.trim().replace(/^(?:https?:\/\/)/, '').replace(/[:.,;/]+$/, '');
  if (!ref || ref.length > 512 || /\s/.test(ref)) return undefined;
  let digest: string | undefined;
  const at = ref.indexOf('@');
  if (at >= 0) {
    digest = ref.slice(at + 1);
    ref = ref.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  const slash = ref.indexOf('/');
  const first = slash >= 0 ? ref.slice(0, slash) : '';
  const isHost = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['));
  let host: string;
  let rest: string;
  if (slash < 0 && ref.includes('.') && !ref.includes(':') && HOST_PART.test(ref) && (ref.split('.').length > 2 || registryOfHost(ref, 'message').kind !== 'other')) {
    // "repository 1111.dkr.ecr.us-east-1.amazonaws.com/<repo> not found": the host alone.
    return registryOfHost(ref, 'message');
  }
  if (isHost) {
    if (!HOST_PART.test(first)) return undefined;
    host = first.toLowerCase();
    rest = ref.slice(slash + 1);
  } else {
    host = 'docker.io';
    rest = ref;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  if (rest && !rest.split('/').every((p) => PATH_PART.test(p))) return undefined;
  const out = registryOfHost(host, 'message');
  if (rest) {
    out.repository = out.kind === 'docker-hub' && !rest.includes('/') ? `library/${rest}` : rest;
    out.image = text.trim().replace(/[:.,;/]+$/, '');
    if (tag) out.tag = tag;
    if (digest) out.digest = digest;
    if (!tag && !digest) out.tag = 'latest';
  }
  return out;
}

/** What a registry host is: private ECR (with account and Region), ECR Public, Docker Hub, or another registry. */
export function registryOfHost(hostIn: string, source: ImageRegistry['source']): ImageRegistry {
  const host = hostIn.toLowerCase();
  const ecr = ECR_HOST.exec(host);
  if (ecr) {
    const r: ImageRegistry = { kind: 'ecr', host, name: 'Amazon ECR', source, account: ecr[1]!, region: ecr[4]! };
    if (ecr[2] === '-') r.dualStack = true;
    if (ecr[3]) r.fips = true;
    return r;
  }
  if (ECR_PUBLIC_HOST.test(host)) return { kind: 'ecr-public', host, name: 'Amazon ECR Public', source };
  if (DOCKER_HUB_HOSTS.has(host) || DOCKER_HUB_AUX.test(host)) return { kind: 'docker-hub', host: 'docker.io', name: 'Docker Hub', source };
  return { kind: 'other', host, name: host, source };
}

/** The registry a message names: an image reference first, then a registry URL, then a DNS lookup. */
export function registryInMessage(text: string): ImageRegistry | undefined {
  const named = NAMED_REF.exec(text);
  if (named) {
    const r = parseImageRef(named[1]);
    if (r) return r;
  }
  URL_REF.lastIndex = 0;
  let fromUrl: ImageRegistry | undefined;
  for (let m = URL_REF.exec(text), n = 0; m && n < 8; m = URL_REF.exec(text), n++) {
    const host = m[1]!.toLowerCase();
    const layer = ECR_LAYER_BUCKET.exec(host);
    if (layer) {
      fromUrl ??= { kind: 'ecr', host: 'amazonaws.com', name: 'Amazon ECR', source: 'message', region: layer[1]! };
      continue;
    }
    if (/\.amazonaws\.com(?:\.cn)?$/.test(host) && !ECR_HOST.test(host)) continue; // another AWS service (S3, STS, ...)
    const r = registryOfHost(host, 'message');
    if (m[3] && (r.kind !== 'docker-hub' || !DOCKER_HUB_AUX.test(host))) {
      const repo = m[3];
      const ref = m[4]!;
      if (repo.split('/').every((p) => PATH_PART.test(p))) {
        r.repository = repo;
        if (DIGEST.test(ref)) r.digest = ref;
        else if (TAG.test(ref)) r.tag = ref;
      }
    }
    if (!fromUrl || (fromUrl.host === 'amazonaws.com' && r.kind === 'ecr')) fromUrl = r;
    if (r.repository) break;
  }
  URL_REF.lastIndex = 0;
  if (fromUrl) return fromUrl;
  const lookup = LOOKUP.exec(text);
  if (lookup && !(/\.amazonaws\.com(?:\.cn)?$/.test(lookup[1]!) && !ECR_HOST.test(lookup[1]!.toLowerCase()))) return registryOfHost(lookup[1]!, 'message');
  return undefined;
}

/** The registry of a container image from the task definition (source 'container-image'). */
export function registryOfImage(image: string | undefined): ImageRegistry | undefined {
  const r = parseImageRef(image);
  if (!r) return undefined;
  r.source = 'container-image';
  return r;
}

/** The registries outside AWS: VPC endpoints do not reach them, and ECR's checks and permissions do not apply. */
export function isNotPrivateEcr(kind: RegistryKind | undefined): kind is 'ecr-public' | 'docker-hub' | 'other' {
  return kind === 'ecr-public' || kind === 'docker-hub' || kind === 'other';
}

/** "Docker Hub (docker.io/library/nginx:1.99)", "ghcr.io (ghcr.io/acme/api:2.0)". */
export function describeRegistry(r: ImageRegistry): string {
  const image = r.image ?? (r.repository ? `${r.host}/${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}` : undefined);
  return image ? `${r.name} (${image})` : r.kind === 'other' ? r.host : `${r.name} (${r.host})`;
}
