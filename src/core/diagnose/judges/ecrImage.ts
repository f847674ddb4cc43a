/** Whether each private ECR image's tag or digest exists (ECR DescribeImages). */
import type { EcrImageLookup, EcrImageRef } from '../facts';
import { failedEvidence, needsTaskDef, pool, type Judge } from '../live';
import type { Evidence } from '../types';
import { parseEcrImage } from './refs';
import { q } from './text';

/** ECR DescribeImages outcome for the task's image. */
export function judgeEcrImage(container: string, ref: EcrImageRef, outcome: EcrImageLookup): Evidence {
  const what = ref.digest ? `digest ${ref.digest.slice(0, 19)}…` : `tag ${ref.tag}`;
  const title = `Image of ${container} in ECR`;
  const command = `aws ecr describe-images --registry-id ${ref.registryId} --region ${ref.region} --repository-name ${q(ref.repository)} --image-ids ${ref.digest ? `imageDigest=${ref.digest}` : `imageTag=${q(ref.tag ?? 'latest')}`}`;
  if (outcome.kind === 'repository-not-found') {
    return { check: 'ecr-image', title, status: 'fail', detail: `The repository ${ref.repository} does not exist in registry ${ref.registryId} (${ref.region}).`, command };
  }
  if (outcome.kind === 'image-not-found') {
    return { check: 'ecr-image', title, status: 'fail', detail: `The repository ${ref.repository} has no image with ${what}: it was never pushed, was overwritten or expired by a lifecycle policy.`, command };
  }
  return {
    check: 'ecr-image',
    title,
    status: 'pass',
    detail: `${ref.repository} has the image with ${what}${outcome.pushedAt ? `, pushed ${outcome.pushedAt}` : ''}.`,
    command,
  };
}

/**
 * The image of each container (the task definition's, else the one describe-tasks reports),
 * looked up once per image; images outside private ECR, or in another Region, are not looked up.
 */
export const checkEcrImage: Judge = async (facts, collect) => {
  const td = facts.taskDef;
  const images = new Map<string, string[]>();
  for (const c of facts.task.containers.length ? facts.task.containers : (td?.containers ?? [])) {
    const image = td?.containers.find((d) => d.name === c.name)?.image ?? c.image;
    if (image) images.set(image, [...(images.get(image) ?? []), c.name]);
  }
  if (!images.size) return td ? [] : [needsTaskDef(facts, 'ecr-image')];
  const jobs = [...images].map(([image, users]) => async (): Promise<Evidence> => {
    const who = users.join(', ');
    const ref = parseEcrImage(image);
    if (!ref) {
      return { check: 'ecr-image', title: `Image of ${who}`, status: 'skipped', detail: `${image} is not in a private ECR registry; its tag was not checked.`, causes: [] };
    }
    if (ref.region !== facts.region) {
      return { check: 'ecr-image', title: `Image of ${who} in ECR`, status: 'skipped', detail: `The repository is in ${ref.region}, not ${facts.region}; check it there.`, command: judgeEcrImage(who, ref, { kind: 'found' }).command! };
    }
    const command = judgeEcrImage(who, ref, { kind: 'found' }).command!;
    try {
      return judgeEcrImage(who, ref, await collect('ecr-image', ref));
    } catch (err) {
      return failedEvidence('ecr-image', err, { title: `Image of ${who} in ECR`, command });
    }
  });
  return pool(jobs, 3);
};
