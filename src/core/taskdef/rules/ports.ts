/** ports/*: port mappings. */
import { items, num, prop, rangeOf } from '../document';
import { replaceNode } from '../edits';
import { DOCS, type RuleFamily } from '../rule';

export const portsFamily: RuleFamily = {
  rules: [
    { id: 'ports/awsvpc-host-port', severity: 'error', docsUrl: DOCS.portMapping, summary: 'hostPort differs from containerPort in awsvpc mode' },
  ],
  check(doc, report) {
    if (!doc.task) return;
    if (doc.networkMode !== 'awsvpc' && !(doc.isFargate && doc.networkMode === undefined)) return;
    for (const c of doc.containers) {
      for (const pm of items(prop(c.node, 'portMappings'))) {
        const hpNode = prop(pm, 'hostPort');
        const hp = num(hpNode);
        const cp = num(prop(pm, 'containerPort'));
        if (hp === undefined || cp === undefined || hp === cp) continue;
        report(
          'ports/awsvpc-host-port',
          rangeOf(hpNode!),
          `Container "${c.name ?? c.index + 1}": in awsvpc mode the task has its own network interface, so hostPort must be left out or equal containerPort (${cp}), not ${hp}: ` +
            'ECS rejects the task definition. Remove hostPort or set it to the containerPort.',
          [{ title: `Set hostPort to ${cp}`, edits: [replaceNode(doc, hpNode!, String(cp))], isPreferred: true }],
        );
      }
    }
  },
};
