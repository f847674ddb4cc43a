/**
 * service/*: what only a whole template shows, when it holds the service, its task definition
 * and its target group (CloudFormation AWS::ECS::Service, Terraform aws_ecs_service).
 */
import { isUnknown, num, rangeOf, str, type TaskDoc } from '../document';
import { insertProperty, jsonValue, replaceNode } from '../edits';
import { DOCS, type RuleFamily } from '../rule';
import type { Fix } from '../types';

/** The grace period the quick fix proposes when no container asks for more. */
export const SUGGESTED_GRACE_PERIOD = 60;

/** The longest known startPeriod of the task's containers (undefined: none known, or one computed). */
function maxStartPeriod(task: TaskDoc): number | undefined {
  let max: number | undefined;
  for (const c of task.containers) {
    const sp = c.healthCheck?.children?.find((p) => p.children?.[0]?.value === 'startPeriod')?.children?.[1];
    if (isUnknown(sp)) return undefined;
    const v = num(sp);
    if (v !== undefined) max = Math.max(max ?? 0, v);
  }
  return max;
}

export const serviceFamily: RuleFamily = {
  rules: [
    { id: 'service/grace-period', severity: 'warning', docsUrl: DOCS.gracePeriod, summary: "a service behind a load balancer without a health-check grace period, or one shorter than its containers' startPeriod" },
    { id: 'service/container-port', severity: 'error', docsUrl: DOCS.serviceLoadBalancer, summary: "the load balancer's containerPort is not a port mapping of that container (or the container is not in the task)" },
    { id: 'service/target-type', severity: 'error', docsUrl: DOCS.targetType, summary: 'an awsvpc (Fargate) service behind a target group whose target type is not `ip`' },
  ],
  checkFile(file, report) {
    const tasks = new Map(file.tasks.filter((t) => t.ref !== undefined).map((t) => [t.ref!, t]));
    for (const s of file.services) {
      if (s.loadBalancers.length === 0) continue;
      const task = s.taskRef !== undefined ? tasks.get(s.taskRef) : undefined;

      // service/grace-period
      const g = s.gracePeriod;
      if (!isUnknown(g)) {
        const grace = num(g);
        const start = task ? maxStartPeriod(task) : undefined;
        const suggested = Math.max(SUGGESTED_GRACE_PERIOD, start ?? 0);
        const fix = (): Fix =>
          g
            ? { title: `Set the health-check grace period to ${suggested}`, edits: [replaceNode(file, g, String(suggested))], isPreferred: true }
            : { title: `Add a health-check grace period of ${suggested} s`, edits: [insertProperty(file, s.props, 'healthCheckGracePeriodSeconds', String(suggested))], isPreferred: true };
        if (!g || grace === 0) {
          report(
            'service/grace-period',
            g ? rangeOf(g) : (s.loadBalancersAnchor ?? s.anchor),
            `Service "${s.ref}" is behind a load balancer with ${g ? 'a health-check grace period of 0' : 'no health-check grace period'}: ` +
              'the load balancer\'s health checks count from the moment a task starts, so a task that boots slower than the target group\'s threshold is marked unhealthy and replaced before it serves, over and over. ' +
              `Set the grace period to at least the time the application needs to start${start ? ` (its containers' startPeriod is ${start} s)` : ''}.`,
            [fix()],
          );
        } else if (grace !== undefined && start !== undefined && grace < start) {
          report(
            'service/grace-period',
            rangeOf(g),
            `Service "${s.ref}": the health-check grace period (${grace} s) is shorter than its containers' health-check startPeriod (${start} s), ` +
              'so the load balancer may fail a task that the container health check still lets boot, and the service replaces it. Make the grace period at least as long as startPeriod.',
            [fix()],
          );
        }
      }

      for (const lb of s.loadBalancers) {
        // service/container-port
        const name = str(lb.containerName);
        if (task && name !== undefined && lb.containerName) {
          const c = task.byName.get(name);
          if (!c && task.containersComplete) {
            const names = [...task.byName.keys()];
            const close = names.find((n) => n.toLowerCase() === name.toLowerCase()) ?? (names.length === 1 ? names[0] : undefined);
            report(
              'service/container-port',
              rangeOf(lb.containerName),
              `Service "${s.ref}" sends load-balancer traffic to container "${name}", which is not in task definition "${task.ref}" (${names.map((n) => `"${n}"`).join(', ') || 'no named containers'}): ` +
                'ECS rejects the service. Use the name of the container that serves the traffic.',
              close ? [{ title: `Change to "${close}"`, edits: [replaceNode(file, lb.containerName, jsonValue(close))], isPreferred: true }] : [],
            );
          } else if (c && !c.portsUnknown) {
            const port = num(lb.containerPort);
            const mapped = port !== undefined && (c.containerPorts.includes(port) || c.portRanges.some(([a, b]) => port >= a && port <= b));
            if (port !== undefined && lb.containerPort && !mapped) {
              const ports = [...new Set(c.containerPorts)];
              report(
                'service/container-port',
                rangeOf(lb.containerPort),
                `Service "${s.ref}" sends load-balancer traffic to port ${port} of container "${name}", but its portMappings list ${ports.length ? ports.join(', ') : 'no port'}: ` +
                  'ECS rejects the service (the container port must be one of the container\'s port mappings). Use the port the application listens on and map it.',
                ports.map((p) => ({ title: `Use the container's port ${p}`, edits: [replaceNode(file, lb.containerPort!, String(p))], isPreferred: ports.length === 1 })),
              );
            }
          }
        }

        // service/target-type
        const tg = lb.targetGroupRef !== undefined ? file.targetGroups.get(lb.targetGroupRef) : undefined;
        if (!tg || isUnknown(tg.targetType)) continue;
        const awsvpc = s.awsvpc || (task !== undefined && (task.networkMode === 'awsvpc' || (task.isFargate && task.networkMode === undefined)));
        if (!awsvpc) continue;
        const type = str(tg.targetType);
        if (type?.toLowerCase() === 'ip') continue;
        report(
          'service/target-type',
          tg.targetType ? rangeOf(tg.targetType) : tg.anchor,
          `Target group "${tg.ref}" has target type "${type ?? 'instance'}"${tg.targetType ? '' : ' (the default)'}, but service "${s.ref}" runs awsvpc tasks (each with its own network interface, as on Fargate): ` +
            'ECS cannot register them and the service fails to start tasks. Set the target type to "ip".',
          [
            tg.targetType
              ? { title: 'Set the target type to "ip"', edits: [replaceNode(file, tg.targetType, '"ip"')], isPreferred: true }
              : { title: 'Add target type "ip"', edits: [insertProperty(file, tg.props, 'targetType', '"ip"')], isPreferred: true },
          ],
        );
      }
    }
  },
};
