/** AWS console links for explorer nodes (pure). */
import { clusterNameOf, taskIdOf } from '../arn';
import type { ExplorerNode } from './nodes';

function base(region: string): string {
  const host = region.startsWith('cn-') ? `${region}.console.amazonaws.cn` : region.includes('-gov-') ? 'console.amazonaws-us-gov.com' : `${region}.console.aws.amazon.com`;
  return `https://${host}/ecs/v2`;
}

/** The console page of a node, or undefined when it has none. */
export function consoleUrl(node: ExplorerNode): string | undefined {
  const enc = encodeURIComponent;
  switch (node.kind) {
    case 'cluster':
      return `${base(node.region)}/clusters/${enc(node.clusterName)}/services?region=${node.region}`;
    case 'service':
    case 'eventsGroup':
      return `${base(node.region)}/clusters/${enc(clusterNameOf(node.clusterArn))}/services/${enc(node.serviceName)}/${node.kind === 'eventsGroup' ? 'events' : 'health'}?region=${node.region}`;
    case 'task':
    case 'container':
      return `${base(node.region)}/clusters/${enc(clusterNameOf(node.clusterArn))}/tasks/${enc(taskIdOf(node.taskArn))}/configuration?region=${node.region}`;
    case 'stoppedGroup':
    case 'standaloneGroup':
      return `${base(node.region)}/clusters/${enc(clusterNameOf(node.clusterArn))}/tasks?region=${node.region}`;
    default:
      return undefined;
  }
}

/** The ARN a node stands for. */
export function arnOf(node: ExplorerNode): string | undefined {
  switch (node.kind) {
    case 'cluster':
      return node.clusterArn;
    case 'service':
      return node.serviceArn;
    case 'task':
      return node.taskArn;
    case 'container':
      return node.container.containerArn ?? node.taskArn;
    default:
      return undefined;
  }
}
