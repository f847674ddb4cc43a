// Amazon ECR (AWS JSON 1.1, X-Amz-Target AmazonEC2ContainerRegistry_V20150921.*): DescribeImages
// and DescribeRepositories, with ECR's RepositoryNotFoundException / ImageNotFoundException.
// State: the scenario's `ecr.repositories[].images[]` (registry = the scenario's account).
import { hexId, paginate, SimError, type OpContext, type SimService } from '../protocol';
import type { ScenarioEcr } from '../types';

type Repo = NonNullable<ScenarioEcr['repositories']>[number];
type Image = NonNullable<Repo['images']>[number];

function repo(ctx: OpContext): Repo {
  const p = ctx.params;
  const registry = (p.registryId as string | undefined) ?? ctx.state.accountId;
  const name = p.repositoryName as string | undefined;
  if (!name) throw new SimError('InvalidParameterException', 'repositoryName is required.');
  const r = registry === ctx.state.accountId ? ctx.state.ecr.repositories?.find((x) => x.repositoryName === name) : undefined;
  if (!r) {
    throw new SimError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${registry}'`);
  }
  return r;
}

const digestOf = (r: Repo, i: Image, n: number) => i.imageDigest ?? `sha256:${hexId(`${r.repositoryName}#${n}`, 64)}`;

function detail(ctx: OpContext, r: Repo, i: Image, n: number) {
  return {
    registryId: ctx.state.accountId,
    repositoryName: r.repositoryName,
    imageDigest: digestOf(r, i, n),
    ...(i.imageTags?.length ? { imageTags: i.imageTags } : {}),
    imageSizeInBytes: i.imageSizeInBytes ?? 52_428_800,
    imagePushedAt: ctx.state.time(i.imagePushedAt ?? '-1d'),
    imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    artifactMediaType: 'application/vnd.docker.container.image.v1+json',
  };
}

export const ecr: SimService = {
  name: 'ecr',
  signingName: 'ecr',
  protocol: 'json',
  targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
  operations: {
    DescribeImages(ctx) {
      const r = repo(ctx);
      const images = (r.images ?? []).map((i, n) => ({ i, n }));
      const ids = ctx.params.imageIds as Array<{ imageTag?: string; imageDigest?: string }> | undefined;
      if (ids?.length) {
        // Like ECR: every requested id must exist, else ImageNotFoundException for the first missing one.
        const found = [];
        for (const id of ids) {
          const hit = images.find(({ i, n }) => (id.imageDigest ? digestOf(r, i, n) === id.imageDigest : true) && (id.imageTag ? (i.imageTags ?? []).includes(id.imageTag) : true));
          if (!hit) {
            throw new SimError(
              'ImageNotFoundException',
              `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${r.repositoryName}' in the registry with id '${ctx.state.accountId}'`,
            );
          }
          found.push(hit);
        }
        return { imageDetails: found.map(({ i, n }) => detail(ctx, r, i, n)) };
      }
      const status = (ctx.params.filter as { tagStatus?: string } | undefined)?.tagStatus;
      const filtered = images.filter(({ i }) => (status === 'TAGGED' ? !!i.imageTags?.length : status === 'UNTAGGED' ? !i.imageTags?.length : true));
      const { page, nextToken } = paginate(filtered, {
        maxResults: ctx.params.maxResults,
        nextToken: ctx.params.nextToken,
        defaultSize: 100,
        maxSize: 1000,
        filterKey: `${r.repositoryName}:${status ?? ''}`,
      });
      return { imageDetails: page.map(({ i, n }) => detail(ctx, r, i, n)), ...(nextToken ? { nextToken } : {}) };
    },
    DescribeRepositories(ctx) {
      const names = ctx.params.repositoryNames as string[] | undefined;
      const all = ctx.state.ecr.repositories ?? [];
      const repos = names?.length
        ? names.map((name) => {
            const r = all.find((x) => x.repositoryName === name);
            if (!r) throw new SimError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${ctx.state.accountId}'`);
            return r;
          })
        : all;
      return {
        repositories: repos.map((r) => ({
          repositoryArn: `arn:aws:ecr:${ctx.state.region}:${ctx.state.accountId}:repository/${r.repositoryName}`,
          registryId: ctx.state.accountId,
          repositoryName: r.repositoryName,
          repositoryUri: `${ctx.state.accountId}.dkr.ecr.${ctx.state.region}.amazonaws.com/${r.repositoryName}`,
          createdAt: ctx.state.time('-30d'),
          imageTagMutability: 'MUTABLE',
          imageScanningConfiguration: { scanOnPush: r.imageScanningConfiguration?.scanOnPush ?? false },
        })),
      };
    },
  },
};
