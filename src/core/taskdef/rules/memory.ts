/** memory/*: container memory limits. */
import { has, num, prop, rangeOf, type ContainerView } from '../document';
import { DOCS, type RuleFamily } from '../rule';

function label(c: ContainerView): string {
  return c.name !== undefined ? `Container "${c.name}"` : `Container #${c.index + 1}`;
}

export const memoryFamily: RuleFamily = {
  rules: [
    { id: 'memory/reservation-exceeds-limit', severity: 'error', docsUrl: DOCS.memory, summary: 'memoryReservation >= memory' },
    { id: 'memory/container-memory-required', severity: 'error', docsUrl: DOCS.memory, summary: 'EC2 task without task memory whose container sets neither memory nor memoryReservation' },
  ],
  check(doc, report) {
    const ec2NoTaskMemory = doc.task !== undefined && !doc.isFargate && !doc.compatUnknown && !has(doc.task, 'memory');
    for (const c of doc.containers) {
      const memNode = prop(c.node, 'memory');
      const resNode = prop(c.node, 'memoryReservation');
      const mem = num(memNode);
      const res = num(resNode);
      if (mem !== undefined && res !== undefined && res >= mem) {
        report(
          'memory/reservation-exceeds-limit',
          rangeOf(resNode!),
          `${label(c)}: memoryReservation (${res} MiB) must be lower than memory (${mem} MiB, the hard limit at which the container is killed with OutOfMemoryError). ` +
            'ECS rejects the task definition. Lower memoryReservation to what the container normally uses, or raise memory.',
        );
      }
      if (ec2NoTaskMemory && !memNode && !resNode) {
        report(
          'memory/container-memory-required',
          c.anchor,
          `${label(c)} sets neither memory nor memoryReservation and the task sets no memory: on EC2, ECS rejects the task definition. ` +
            'Set memoryReservation (soft, what the container normally needs) and optionally memory (hard limit), or a task-level memory.',
        );
      }
    }
  },
};
