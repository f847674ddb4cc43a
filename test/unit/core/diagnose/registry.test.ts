// The registry behind a CannotPullContainerError: read from the image reference (or registry URL)
// the message names, else from the container's image; and what it changes in the diagnosis
// (nothing ECR-specific for an image outside private ECR).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { classify } from '../../../../src/core/diagnose/classify';
import { diagnosisJson, diagnosisText } from '../../../../src/core/diagnose/format';
import { parseImageRef, registryInMessage, registryOfImage } from '../../../../src/core/diagnose/registry';
import { EVIDENCE_CHECKS, type Diagnosis, type StopInput } from '../../../../src/core/diagnose/types';

const HUB_MISSING_TAG = 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/nginx:1.99: not found';
const HUB_NO_ROUTE = 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/tryretool/backend:2.110.5: failed to do request: Head "https://registry-1.docker.io/v2/tryretool/backend/manifests/2.110.5": dial tcp 34.205.13.154:443: i/o timeout';
const HUB_RATE = 'CannotPullContainerError: inspect image has been retried 5 time(s): httpReaderSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/library/node/manifests/sha256:2bb501e6429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit';
const HUB_UNQUALIFIED_DENIED = "CannotPullContainerError: Error response from daemon: pull access denied for mycompany/private-api, repository does not exist or may require 'docker login': denied: requested access to the resource is denied";
const HUB_UNQUALIFIED_MANIFEST = 'CannotPullContainerError: Error response from daemon: manifest for nginx:1.99 not found: manifest unknown: manifest unknown';
const ECR_MISSING_TAG = 'CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref 123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api:v2-missing: 123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api:v2-missing: not found';
const ECR_PUBLIC_MISSING_TAG = 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref public.ecr.aws/nginx/nginx:9.99: public.ecr.aws/nginx/nginx:9.99: not found';
const ECR_PUBLIC_RATE = 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref public.ecr.aws/docker/library/redis:7.2: unexpected status from HEAD request to https://public.ecr.aws/v2/docker/library/redis/manifests/7.2: 429 Too Many Requests';
const GHCR_DENIED = 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ghcr.io/acme/api:2.0: failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aacme%2Fapi%3Apull&service=ghcr.io: 401 Unauthorized';
const PRIVATE_PORT_NO_ROUTE = 'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref registry.example.com:5000/team/app:1.4: failed to do request: Head "https://registry.example.com:5000/v2/team/app/manifests/1.4": dial tcp 10.20.30.40:5000: i/o timeout';

/** What an image outside private ECR must never be told: ECR's checks, permissions, endpoints, lifecycle or CLI. */
const ECR_ONLY = /aws ecr describe-images|aws ecr get-lifecycle-policy|aws ecr describe-repositories|aws ecr get-repository-policy|lifecycle polic|ecr:[A-Z]|ecr\.api|ecr\.dkr|AmazonECSTaskExecutionRolePolicy|starport|Image in ECR/;

function advice(d: Diagnosis): string {
  return [d.title, d.summary, ...d.whereToLook, ...d.causes.map((c) => c.text), ...d.fixes.map((f) => `${f.text}\n${f.command ?? ''}`), ...d.prevention].join('\n');
}

function assertNothingEcr(d: Diagnosis, label: string): void {
  assert.ok(!d.checks.includes('ecr-image'), `${label}: no ecr-image check (${d.checks.join(', ')})`);
  for (const c of d.causes) assert.ok(!(c.checks ?? []).includes('ecr-image'), `${label}: cause ${c.id} lists ecr-image`);
  const text = advice(d);
  const m = ECR_ONLY.exec(text);
  assert.equal(m, null, `${label}: ECR-only advice "${m?.[0]}" in:\n${text}`);
}

function assertConsistent(d: Diagnosis): void {
  const ids = new Set(d.causes.map((c) => c.id));
  assert.equal(ids.size, d.causes.length, `unique cause ids in ${d.variant}`);
  for (const f of d.fixes) if (f.cause) assert.ok(ids.has(f.cause), `fix for unknown cause ${f.cause} in ${d.variant}`);
  for (const c of d.checks) assert.ok(EVIDENCE_CHECKS.includes(c));
  assert.equal(new Set(d.checks).size, d.checks.length);
  for (const x of d.docs) assert.match(x.url, /^https:\/\/(docs\.aws\.amazon\.com|aws\.amazon\.com)\//);
}

describe('registry: parsing image references (Docker normalisation)', () => {
  it('reads each registry kind', () => {
    const cases: Array<[string, string, string, string | undefined, string | undefined]> = [
      // image, kind, host, repository, tag
      ['nginx:1.27', 'docker-hub', 'docker.io', 'library/nginx', '1.27'],
      ['library/nginx', 'docker-hub', 'docker.io', 'library/nginx', 'latest'],
      ['mycompany/private-api', 'docker-hub', 'docker.io', 'mycompany/private-api', 'latest'],
      ['docker.io/library/nginx:1.99', 'docker-hub', 'docker.io', 'library/nginx', '1.99'],
      ['registry-1.docker.io/bitnami/redis:7.2', 'docker-hub', 'docker.io', 'bitnami/redis', '7.2'],
      ['index.docker.io/library/node:20', 'docker-hub', 'docker.io', 'library/node', '20'],
      ['public.ecr.aws/nginx/nginx:1.27', 'ecr-public', 'public.ecr.aws', 'nginx/nginx', '1.27'],
      ['123456789012.dkr.ecr.us-east-1.amazonaws.com/team/api:v2', 'ecr', '123456789012.dkr.ecr.us-east-1.amazonaws.com', 'team/api', 'v2'],
      ['123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/api:1', 'ecr', '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com', 'api', '1'],
      ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/api:1', 'ecr', '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', 'api', '1'],
      ['123456789012.dkr-ecr.eu-west-1.on.aws/web:3', 'ecr', '123456789012.dkr-ecr.eu-west-1.on.aws', 'web', '3'],
      ['ghcr.io/acme/api:2.0', 'other', 'ghcr.io', 'acme/api', '2.0'],
      ['quay.io/prometheus/node-exporter:v1.8.0', 'other', 'quay.io', 'prometheus/node-exporter', 'v1.8.0'],
      ['registry.example.com:5000/team/app:1.4', 'other', 'registry.example.com:5000', 'team/app', '1.4'],
      ['localhost/app', 'other', 'localhost', 'app', 'latest'],
    ];
    for (const [image, kind, host, repository, tag] of cases) {
      const r = parseImageRef(image);
      assert.ok(r, image);
      assert.deepEqual([r.kind, r.host, r.repository, r.tag], [kind, host, repository, tag], image);
    }
    const ecr = parseImageRef('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/api:1')!;
    assert.deepEqual([ecr.account, ecr.region, ecr.fips], ['123456789012', 'us-gov-west-1', true]);
    assert.equal(parseImageRef('123456789012.dkr-ecr.eu-west-1.on.aws/web:3')!.dualStack, true);
    const digest = `sha256:${'a'.repeat(64)}`;
    const pinned = parseImageRef(`nginx@${digest}`)!;
    assert.deepEqual([pinned.kind, pinned.repository, pinned.digest, pinned.tag], ['docker-hub', 'library/nginx', digest, undefined]);
  });

  it('refuses what is not an image reference', () => {
    for (const bad of ['', '   ', 'Not An Image', 'UPPER/case:1', 'nginx:bad tag', 'nginx@sha256:short', 'a'.repeat(600)]) assert.equal(parseImageRef(bad), undefined, bad);
    assert.equal(registryOfImage(undefined), undefined);
  });

  it('finds the registry in the message: a named reference, a registry URL, a DNS lookup', () => {
    assert.deepEqual(pick(registryInMessage(HUB_MISSING_TAG)), ['docker-hub', 'docker.io', 'library/nginx', '1.99']);
    assert.deepEqual(pick(registryInMessage(HUB_UNQUALIFIED_DENIED)), ['docker-hub', 'docker.io', 'mycompany/private-api', 'latest']);
    assert.deepEqual(pick(registryInMessage(HUB_UNQUALIFIED_MANIFEST)), ['docker-hub', 'docker.io', 'library/nginx', '1.99']);
    assert.deepEqual(pick(registryInMessage(HUB_RATE)), ['docker-hub', 'docker.io', 'library/node', undefined]);
    assert.deepEqual(pick(registryInMessage(PRIVATE_PORT_NO_ROUTE)), ['other', 'registry.example.com:5000', 'team/app', '1.4']);
    assert.deepEqual(pick(registryInMessage('CannotPullContainerError: Error response from daemon: Get "https://ghcr.io/v2/": dial tcp: lookup ghcr.io on 10.0.0.2:53: no such host')), ['other', 'ghcr.io', undefined, undefined]);
    assert.deepEqual(pick(registryInMessage('dial tcp: lookup quay.io on 10.0.0.2:53: no such host')), ['other', 'quay.io', undefined, undefined]);
    assert.deepEqual(pick(registryInMessage('CannotPullContainerError: API error (404): repository 111122223333.dkr.ecr.us-east-1.amazonaws.com/<repo>/<image> not found')), ['ecr', '111122223333.dkr.ecr.us-east-1.amazonaws.com', undefined, undefined]);
    // ECR's layers come from S3: the starport bucket means private ECR; other AWS hosts name no registry.
    assert.equal(registryInMessage('failed to do request: Get "https://prod-us-east-1-starport-layer-bucket.s3.us-east-1.amazonaws.com/a1b2": dial tcp 52.216.0.1:443: i/o timeout')?.kind, 'ecr');
    assert.equal(registryInMessage('Post "https://sts.us-east-1.amazonaws.com/": i/o timeout'), undefined);
    assert.equal(registryInMessage('CannotPullContainerError: context canceled'), undefined);
  });
});

function pick(r: ReturnType<typeof registryInMessage>): unknown[] {
  return [r?.kind, r?.host, r?.repository, r?.tag];
}

describe('registry: the pull diagnosis by registry kind (exact texts)', () => {
  it('private ECR: ECR causes, the ecr-image check, commands filled with repository, tag, account and Region', () => {
    const d = classify({ stoppedReason: ECR_MISSING_TAG });
    assert.deepEqual([d.variant, d.registry?.kind, d.registry?.account, d.registry?.region, d.registry?.repository, d.registry?.tag], ['manifest-not-found', 'ecr', '123456789012', 'us-east-1', 'team/api', 'v2-missing']);
    assert.ok(d.checks.includes('ecr-image'));
    assert.ok(d.causes.some((c) => c.id === 'tag-expired' && /lifecycle/.test(c.text)));
    const cmds = d.fixes.map((f) => f.command ?? '').join('\n');
    assert.match(cmds, /aws ecr describe-images --registry-id 123456789012 --region us-east-1 --repository-name team\/api /);
    assert.match(cmds, /aws ecr get-lifecycle-policy --registry-id 123456789012 --region us-east-1 --repository-name team\/api$/m);
    assert.doesNotMatch(cmds, /\[\[|<registry-id>|<image-region>/);
    assertConsistent(d);
  });

  it('private ECR in another partition, FIPS and dual-stack names are ECR too', () => {
    const cn = classify({ stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref 123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/api:1: 123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/api:1: not found' });
    assert.deepEqual([cn.registry?.kind, cn.registry?.region], ['ecr', 'cn-north-1']);
    assert.match(cn.fixes.map((f) => f.command).join('\n'), /--region cn-north-1 --repository-name api/);
    const fips = classify({ stoppedReason: 'CannotPullContainerError: context canceled', containers: [{ name: 'api', image: '123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/api:1' }] });
    assert.deepEqual([fips.registry?.kind, fips.registry?.fips, fips.registry?.source], ['ecr', true, 'container-image']);
    assert.ok(fips.checks.includes('vpc-endpoints'));
    const dual = classify({ stoppedReason: 'CannotPullContainerError: context canceled', containers: [{ name: 'web', image: '123456789012.dkr-ecr.eu-west-1.on.aws/web:3' }] });
    assert.equal(dual.registry?.dualStack, true);
    assert.match(dual.summary, /dual-stack ECR name.*PrivateLink/);
  });

  it('without a registry anywhere, the ECR-first answer stays (AWS documents the pull error for ECR)', () => {
    const d = classify({ stoppedReason: 'CannotPullContainerError: context canceled' });
    assert.equal(d.registry, undefined);
    assert.ok(d.checks.includes('vpc-endpoints'));
    assert.match(advice(d), /ecr\.api/);
  });

  it('ECR Public: a missing tag is checked on ECR Public, nothing about private ECR', () => {
    const d = classify({ stoppedReason: ECR_PUBLIC_MISSING_TAG });
    assert.deepEqual([d.variant, d.registry?.kind, d.registry?.repository, d.registry?.tag], ['manifest-not-found', 'ecr-public', 'nginx/nginx', '9.99']);
    assert.ok(d.fixes.some((f) => f.command === 'docker manifest inspect public.ecr.aws/nginx/nginx:9.99'));
    assert.match(d.summary, /Image: public\.ecr\.aws\/nginx\/nginx:9\.99 \(Amazon ECR Public\)/);
    assertNothingEcr(d, 'ecr-public manifest');
    assertConsistent(d);
  });

  it('ECR Public: the per-IP rate limit is ECR Public\'s, fixed with a pull-through cache rule', () => {
    const d = classify({ stoppedReason: ECR_PUBLIC_RATE });
    assert.equal(d.variant, 'docker-hub-rate-limit', 'the variant id is stable');
    assert.equal(d.registry?.kind, 'ecr-public');
    assert.match(d.title, /Amazon ECR Public rate limit/);
    assert.doesNotMatch(d.summary, /Docker Hub/);
    assert.ok(d.fixes.some((f) => /create-pull-through-cache-rule .*--upstream-registry-url public\.ecr\.aws/.test(f.command ?? '')));
    assertConsistent(d);
  });

  it('Docker Hub, qualified: a missing tag is checked on Docker Hub (the example of the report)', () => {
    const d = classify({ stoppedReason: HUB_MISSING_TAG });
    assert.deepEqual([d.category, d.variant, d.registry?.kind, d.registry?.source], ['CannotPullContainerError', 'manifest-not-found', 'docker-hub', 'message']);
    assert.deepEqual(d.causes.map((c) => c.id), ['tag-missing', 'tag-expired', 'tag-typo'], 'cause ids are stable');
    assert.ok(d.fixes.some((f) => f.command === 'docker manifest inspect docker.io/library/nginx:1.99'));
    assert.match(d.whereToLook.join('\n'), /https:\/\/hub\.docker\.com\/_\/nginx\/tags/);
    assert.match(d.causes[0]!.text, /1\.99.*library\/nginx.*Docker Hub/);
    assert.deepEqual(d.checks, ['task-definition']);
    assertNothingEcr(d, 'docker hub manifest');
    assertConsistent(d);
    const text = diagnosisText(d, { offline: true });
    assert.doesNotMatch(text, /ECR lifecycle policy deleted|aws ecr describe-images --repository-name <repository>/);
    assert.deepEqual(diagnosisJson(d).registry, { kind: 'docker-hub', host: 'docker.io', name: 'Docker Hub', source: 'message', repository: 'library/nginx', image: 'docker.io/library/nginx:1.99', tag: '1.99' });
  });

  it('Docker Hub, qualified: no route means a NAT gateway or a public IP; VPC endpoints do not help', () => {
    const d = classify({ stoppedReason: HUB_NO_ROUTE });
    assert.deepEqual([d.variant, d.registry?.kind, d.registry?.repository, d.registry?.tag], ['no-route-to-registry', 'docker-hub', 'tryretool/backend', '2.110.5']);
    assert.match(d.summary, /VPC endpoints cannot reach it/);
    assert.ok(d.causes.some((c) => c.id === 'no-route' && /NAT gateway/.test(c.text)));
    assert.ok(d.causes.some((c) => c.id === 'public-ip-disabled'));
    assert.ok(!d.causes.some((c) => c.id === 'endpoint-sg'), 'no endpoint security group cause');
    assert.ok(d.fixes.some((f) => /create-route .*--nat-gateway-id/.test(f.command ?? '')));
    assert.ok(d.checks.includes('vpc-endpoints'), 'the route check still runs (it reads the NAT/IGW route)');
    assertNothingEcr(d, 'docker hub no-route');
    assertConsistent(d);
  });

  it('Docker Hub rate limit: authenticate with repositoryCredentials or mirror to ECR', () => {
    const d = classify({ stoppedReason: HUB_RATE });
    assert.deepEqual([d.variant, d.registry?.kind], ['docker-hub-rate-limit', 'docker-hub']);
    assert.match(d.fixes[0]!.text, /repositoryCredentials.*secretsmanager:GetSecretValue/);
    assert.ok(d.fixes.some((f) => /create-pull-through-cache-rule .*registry-1\.docker\.io/.test(f.command ?? '')));
    assert.ok(d.checks.includes('secrets') && d.checks.includes('execution-role'));
    assertNothingEcr(d, 'docker hub rate limit');
    assertConsistent(d);
  });

  it('Docker Hub, unqualified names: pull access denied and a missing manifest', () => {
    const denied = classify({ stoppedReason: HUB_UNQUALIFIED_DENIED });
    assert.deepEqual([denied.variant, denied.registry?.kind, denied.registry?.repository], ['pull-access-denied', 'docker-hub', 'mycompany/private-api']);
    assert.ok(denied.causes.some((c) => c.id === 'private-registry-credentials'));
    assert.ok(denied.fixes.some((f) => f.command === 'docker manifest inspect docker.io/mycompany/private-api:latest'));
    assert.match(denied.whereToLook.join('\n'), /https:\/\/hub\.docker\.com\/r\/mycompany\/private-api\/tags/);
    assertNothingEcr(denied, 'docker hub denied');
    assertConsistent(denied);
    const manifest = classify({ stoppedReason: HUB_UNQUALIFIED_MANIFEST });
    assert.deepEqual([manifest.variant, manifest.registry?.kind, manifest.registry?.repository, manifest.registry?.tag], ['manifest-not-found', 'docker-hub', 'library/nginx', '1.99']);
    assert.match(manifest.summary, /Image: nginx:1\.99 \(Docker Hub\)/);
    assertNothingEcr(manifest, 'docker hub unqualified manifest');
  });

  it('ghcr.io: access denied needs repositoryCredentials, not ECR permissions', () => {
    const d = classify({ stoppedReason: GHCR_DENIED });
    assert.deepEqual([d.variant, d.registry?.kind, d.registry?.host, d.registry?.repository], ['pull-access-denied', 'other', 'ghcr.io', 'acme/api']);
    assert.match(d.summary, /ghcr\.io answered "access denied"/);
    assert.ok(d.fixes.some((f) => /repositoryCredentials/.test(f.text) && /aws secretsmanager create-secret/.test(f.command ?? '')));
    assert.ok(d.fixes.some((f) => f.command === 'docker manifest inspect ghcr.io/acme/api:2.0'));
    assertNothingEcr(d, 'ghcr');
    assertConsistent(d);
  });

  it('a private registry with a port: no route names the host and its port', () => {
    const d = classify({ stoppedReason: PRIVATE_PORT_NO_ROUTE });
    assert.deepEqual([d.variant, d.registry?.kind, d.registry?.host, d.registry?.repository, d.registry?.tag], ['no-route-to-registry', 'other', 'registry.example.com:5000', 'team/app', '1.4']);
    assert.ok(d.causes.some((c) => c.id === 'registry-unreachable' && /port 5000/.test(c.text)));
    assert.ok(d.causes.some((c) => c.id === 'task-sg-egress' && /TCP 5000 to registry\.example\.com:5000/.test(c.text)));
    assert.match(d.summary, /VPN, peering, Transit Gateway/);
    assert.ok(!d.checks.includes('security-groups'), 'the security-group check judges 443 only: not for a registry on port 5000');
    assert.ok(classify({ stoppedReason: HUB_NO_ROUTE }).checks.includes('security-groups'), 'Docker Hub is on 443: the check applies');
    assertNothingEcr(d, 'private registry');
    assertConsistent(d);
  });
});

describe('registry: from the container image when the message does not name it', () => {
  const short = 'CannotPullContainerError: context canceled';

  it('an unqualified Docker Hub image in the task definition', () => {
    const d = classify({ stoppedReason: short, containers: [{ name: 'web', image: 'nginx:1.27', exitCode: null }] });
    assert.deepEqual([d.variant, d.registry?.kind, d.registry?.source, d.registry?.repository], ['context-canceled', 'docker-hub', 'container-image', 'library/nginx']);
    assert.match(d.summary, /Image: nginx:1\.27 \(Docker Hub\) \(from the task definition; the message does not name it\)/);
    assertNothingEcr(d, 'container image docker hub');
    assertConsistent(d);
  });

  it('the image of the container whose reason is the pull error, not the others', () => {
    const d = classify({
      stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
      containers: [
        { name: 'app', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:7', exitCode: null },
        { name: 'exporter', image: 'quay.io/prometheus/node-exporter:v1.8.0', exitCode: null, reason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): request canceled while waiting for connection' },
      ],
    });
    assert.equal(d.container, 'exporter');
    assert.deepEqual([d.variant, d.registry?.kind, d.registry?.host], ['no-route-to-registry', 'other', 'quay.io']);
    assertNothingEcr(d, 'quay sidecar');
  });

  it('a registry URL without the image: the image comes from the task definition', () => {
    const d = classify({
      stoppedReason: 'CannotPullContainerError: Error response from daemon: Get https://registry-1.docker.io/v2/: net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)',
      containers: [{ name: 'api', image: 'bitnami/redis:7.2', exitCode: null }],
    });
    assert.deepEqual([d.registry?.kind, d.registry?.repository, d.registry?.tag, d.registry?.source], ['docker-hub', 'bitnami/redis', '7.2', 'message']);
    assertNothingEcr(d, 'hub url');
  });

  it('several registries and no container named: says so instead of guessing ECR or Docker Hub', () => {
    const d = classify({ stoppedReason: short, containers: [{ name: 'app', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:7' }, { name: 'proxy', image: 'nginx:1.27' }] });
    assert.equal(d.registry, undefined);
    assert.match(d.summary, /several registries \(123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com, docker\.io\)/);
  });

  it('the message wins over the container image', () => {
    const d = classify({ stoppedReason: ECR_MISSING_TAG, containers: [{ name: 'api', image: 'nginx:1.27' }] });
    assert.equal(d.registry?.kind, 'ecr');
    assert.ok(d.checks.includes('ecr-image'));
  });

  it('an ECR image in the task definition fills the ECR commands', () => {
    const d = classify({ stoppedReason: 'CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReaderSeeker: failed open: unexpected status code', containers: [{ name: 'api', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:3' }] });
    assert.equal(d.registry?.kind, 'ecr');
    assert.ok(d.checks.includes('ecr-image'));
  });
});

describe('registry: nothing ECR-specific for Docker Hub, whatever the variant', () => {
  const hub = (reason: string, image = 'nginx:1.27'): StopInput => ({ stoppedReason: reason, containers: [{ name: 'web', image, exitCode: null }] });
  const DIGEST = `sha256:${'4f'.repeat(32)}`;
  const cases: Array<[string, StopInput]> = [
    ['manifest-not-found', { stoppedReason: HUB_MISSING_TAG }],
    ['manifest-not-found', { stoppedReason: HUB_UNQUALIFIED_MANIFEST }],
    ['no-route-to-registry', { stoppedReason: HUB_NO_ROUTE }],
    ['docker-hub-rate-limit', { stoppedReason: HUB_RATE }],
    ['pull-access-denied', { stoppedReason: HUB_UNQUALIFIED_DENIED }],
    ['context-canceled', hub('CannotPullContainerError: context canceled')],
    ['no-basic-auth-credentials', { stoppedReason: 'CannotPullContainerError: API error (500): Get https://registry-1.docker.io/v2/acme/private/manifests/1.0: no basic auth credentials' }],
    ['dns-failure', hub('CannotPullContainerError: Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.0.0.2:53: no such host')],
    ['forbidden-403', { stoppedReason: `CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReaderSeeker: failed open: unexpected status code https://registry-1.docker.io/v2/acme/private/blobs/${DIGEST}: 403 Forbidden` }],
    ['repository-not-found', { stoppedReason: 'CannotPullContainerError: Error response from daemon: repository acme/gone not found: does not exist or no pull access' }],
    ['platform-mismatch', hub("CannotPullContainerError: image Manifest does not contain descriptor matching platform 'linux/amd64'")],
    ['layer-corrupt-or-interrupted', hub(`CannotPullContainerError: failed to extract layer ${DIGEST}: unexpected EOF`)],
    ['disk-full', hub('CannotPullContainerError: write /var/lib/docker/tmp/GetImageBlob111111111: no space left on device')],
    ['invalid-reference', hub('CannotPullContainerError: Error response from daemon: invalid reference format', 'nginx:1.27')],
    ['other', hub('CannotPullContainerError: something the catalogue has never seen')],
  ];
  for (const [variant, input] of cases) {
    it(`${variant}: ${String(input.stoppedReason).slice(26, 90)}`, () => {
      const d = classify(input);
      assert.equal(d.category, 'CannotPullContainerError');
      assert.equal(d.variant, variant);
      assert.equal(d.registry?.kind, 'docker-hub');
      assertNothingEcr(d, variant);
      assertConsistent(d);
      assert.doesNotMatch(advice(d), /<registry-(?:name|host|port)>/, 'registry placeholders are filled');
    });
  }
});
