import type { EcrImageLookup, EcrImageRef } from '../../core/diagnose/facts';
import { errorName } from '../../core/awsErrors';
import type { LookupContext } from './context';
import { call } from './guard';

/** ECR DescribeImages for one image reference: found (with its tags and push time), or which part is missing. */
export async function describeImage(ctx: LookupContext, ref: EcrImageRef): Promise<EcrImageLookup> {
  const { ECRClient, DescribeImagesCommand } = await import('@aws-sdk/client-ecr');
  const ecr = ctx.session.client(ECRClient);
  const imageId = ref.digest ? { imageDigest: ref.digest } : { imageTag: ref.tag };
  try {
    const out = await call('ecr:DescribeImages', () => ecr.send(new DescribeImagesCommand({ registryId: ref.registryId, repositoryName: ref.repository, imageIds: [imageId] })));
    const found = out.imageDetails?.[0];
    if (!found) return { kind: 'image-not-found' };
    const res: EcrImageLookup = { kind: 'found' };
    if (found.imageTags) res.tags = found.imageTags;
    if (found.imagePushedAt) res.pushedAt = new Date(found.imagePushedAt).toISOString();
    return res;
  } catch (err) {
    const name = errorName(err);
    if (name === 'ImageNotFoundException') return { kind: 'image-not-found' };
    if (name === 'RepositoryNotFoundException') return { kind: 'repository-not-found' };
    throw err;
  }
}
