/** container/*: the set of containers and how they depend on each other. */
import { items, prop, rangeOf, str, type ContainerView } from '../document';
import { jsonValue, replaceNode } from '../edits';
import { DOCS, type RuleFamily } from '../rule';
import type { Fix } from '../types';

function label(c: ContainerView): string {
  return c.name !== undefined ? `Container "${c.name}"` : `Container #${c.index + 1}`;
}

export const containerFamily: RuleFamily = {
  rules: [
    { id: 'container/no-essential', severity: 'error', docsUrl: DOCS.essential, summary: 'no container is essential' },
    { id: 'container/depends-on-unknown', severity: 'error', docsUrl: DOCS.dependsOn, summary: '`dependsOn` names a container that is not in the task' },
    { id: 'container/depends-on-essential-exit', severity: 'error', docsUrl: DOCS.dependsOn, summary: '`dependsOn` condition COMPLETE or SUCCESS on an essential container' },
    { id: 'container/duplicate-name', severity: 'error', docsUrl: DOCS.containerDefinition, summary: 'two containers share a name' },
    { id: 'container/missing-name-or-image', severity: 'error', docsUrl: DOCS.containerDefinition, summary: 'a container without `name` or `image`' },
    { id: 'container/image-latest', severity: 'info', docsUrl: DOCS.image, summary: 'image without a tag or with `:latest` (and no digest)' },
  ],
  check(doc, report) {
    const cs = doc.containers;
    if (cs.length > 0 && doc.containersComplete && cs.every((c) => !c.essential && !c.essentialUnknown)) {
      report(
        'container/no-essential',
        doc.containersAnchor,
        'No container is essential: ECS rejects the task definition ("at least one essential container is required"). ' +
          'Mark the main application container "essential": true (the default when the field is left out).',
      );
    }
    const seen = new Map<string, ContainerView>();
    for (const c of cs) {
      const nameNode = prop(c.node, 'name');
      if (c.name !== undefined) {
        if (seen.has(c.name)) {
          report(
            'container/duplicate-name',
            rangeOf(nameNode!),
            `Two containers are named "${c.name}": ECS rejects the task definition, and dependsOn, ECS Exec and log streams address containers by name. Give each container a unique name.`,
          );
        } else seen.set(c.name, c);
      }
      const image = prop(c.node, 'image');
      const imageText = str(image);
      if (image && imageText !== undefined && imageText.trim() === '') {
        report(
          'container/missing-name-or-image',
          rangeOf(image),
          `${label(c)} has an empty image: ECS rejects the task definition when it is registered. Every container needs an "image".`,
        );
      }
      if (!nameNode || !image) {
        const missing = [!nameNode && 'name', !image && 'image'].filter(Boolean).join(' and ');
        report(
          'container/missing-name-or-image',
          c.anchor,
          `${label(c)} has no ${missing}: ECS rejects the task definition when it is registered. Every container needs a unique "name" and an "image".`,
        );
      }
      const img = str(image);
      if (img !== undefined && !img.includes('${') && img.trim() !== '') {
        const tag = imageTag(img);
        if (tag === undefined || tag === 'latest') {
          report(
            'container/image-latest',
            rangeOf(image!),
            `${label(c)} uses ${tag ? 'the ":latest" tag' : 'an image without a tag (which means ":latest")'}: each new task pulls whatever the tag points to at that moment, ` +
              'so tasks of one service can run different code, a scale-out can deploy an untested build and a rollback does not roll back. ' +
              'Pin a version tag or a digest (image@sha256:...).',
          );
        }
      }
      for (const dep of items(prop(c.node, 'dependsOn'))) {
        const nameRef = prop(dep, 'containerName');
        const target = str(nameRef);
        if (target === undefined) continue;
        const t = doc.byName.get(target);
        if (!t && !doc.containersComplete) continue;
        if (!t) {
          const fixes: Fix[] = [];
          const close = cs.find((o) => o.name !== undefined && o.name.toLowerCase() === target.toLowerCase());
          if (close?.name !== undefined) fixes.push({ title: `Change to "${close.name}"`, edits: [replaceNode(doc, nameRef!, jsonValue(close.name))], isPreferred: true });
          report(
            'container/depends-on-unknown',
            rangeOf(nameRef!),
            `${label(c)} depends on "${target}", which is not a container of this task: ECS rejects the task definition. ` +
              `Use one of: ${cs.filter((o) => o.name !== undefined).map((o) => `"${o.name}"`).join(', ') || '(no named containers)'}.`,
            fixes,
          );
          continue;
        }
        const cond = prop(dep, 'condition');
        const condition = str(cond)?.toUpperCase();
        if ((condition === 'COMPLETE' || condition === 'SUCCESS') && t.essential && !t.essentialUnknown) {
          report(
            'container/depends-on-essential-exit',
            rangeOf(cond!),
            `${label(c)} waits for "${target}" to ${condition === 'COMPLETE' ? 'complete' : 'exit successfully'}, but "${target}" is essential, and when an essential container exits the whole task stops. ` +
              `ECS does not allow this condition on an essential container. Mark "${target}" "essential": false (an init container), or wait for START or HEALTHY.`,
          );
        }
      }
    }
  },
};

/** The tag of an image reference, undefined when it has none (a digest counts as pinned: returns '@'). */
export function imageTag(image: string): string | undefined {
  if (image.includes('@')) return '@';
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image.slice(colon + 1) : undefined;
}
