import { judgeEcrImage, parseEcrImage } from '../../core/diagnose/judges';
import type { Evidence } from '../../core/diagnose/types';
import { call, errorName, failedEvidence, pool } from './guard';
import { needsTaskDef, type Collector } from './context';

/** Whether each ECR image's tag or digest exists (ECR DescribeImages; other registries are not checked). */
export const collectEcrImage: Collector = async (ctx) => {
  const td = ctx.taskDef;
  const images = new Map<string, string[]>();
  for (const c of ctx.task.containers.length ? ctx.task.containers : (td?.containers ?? [])) {
    const image = td?.containers.find((d) => d.name === c.name)?.image ?? c.image;
    if (image) images.set(image, [...(images.get(image) ?? []), c.name]);
  }
  if (!images.size) return td ? [] : [needsTaskDef(ctx, 'ecr-image')];
  const jobs = [...images].map(([image, users]) => async (): Promise<Evidence> => {
    const who = users.join(', ');
    const ref = parseEcrImage(image);
    if (!ref) {
      return { check: 'ecr-image', title: `Image of ${who}`, status: 'skipped', detail: `${image} is not in a private ECR registry; its tag was not checked.`, causes: [] };
    }
    if (ref.region !== ctx.region) {
      return { check: 'ecr-image', title: `Image of ${who} in ECR`, status: 'skipped', detail: `The repository is in ${ref.region}, not ${ctx.region}; check it there.`, command: judgeEcrImage(who, ref, { kind: 'found' }).command! };
    }
    const command = judgeEcrImage(who, ref, { kind: 'found' }).command!;
    try {
      const { ECRClient, DescribeImagesCommand } = await import('@aws-sdk/client-ecr');
      const ecr = ctx.session.client(ECRClient);
      const imageId = ref.digest ? { imageDigest: ref.digest } : { imageTag: ref.tag };
      const out = await call('ecr:DescribeImages', () =>
        ecr.send(new DescribeImagesCommand({ registryId: ref.registryId, repositoryName: ref.repository, imageIds: [imageId] })),
      );
      const found = out.imageDetails?.[0];
      if (!found) return judgeEcrImage(who, ref, { kind: 'image-not-found' });
      const res: { kind: 'found'; tags?: string[]; pushedAt?: string } = { kind: 'found' };
      if (found.imageTags) res.tags = found.imageTags;
      if (found.imagePushedAt) res.pushedAt = new Date(found.imagePushedAt).toISOString();
      return judgeEcrImage(who, ref, res);
    } catch (err) {
      const name = errorName(err);
      if (name === 'ImageNotFoundException') return judgeEcrImage(who, ref, { kind: 'image-not-found' });
      if (name === 'RepositoryNotFoundException') return judgeEcrImage(who, ref, { kind: 'repository-not-found' });
      return failedEvidence('ecr-image', err, { title: `Image of ${who} in ECR`, command });
    }
  });
  return pool(jobs, 3);
};
