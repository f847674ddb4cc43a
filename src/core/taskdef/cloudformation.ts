/**
 * CloudFormation templates (YAML or JSON, and the CDK's cdk.out/*.template.json): finds each
 * `AWS::ECS::TaskDefinition`, `AWS::ECS::Service` and `AWS::ElasticLoadBalancingV2::TargetGroup`
 * and presents their Properties to the rules in the ECS API's terms. Properties are PascalCase
 * in templates (ContainerDefinitions, HealthCheck, StartPeriod); the key nodes get the API's
 * camelCase names while keeping their place in the text, and objects remember to write new keys
 * in PascalCase. Intrinsic functions (Ref, Fn::Sub, Fn::If, ...) in their long JSON form become
 * unknown values, as the YAML reader does with the short-form tags.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-taskdefinition.html
 */
import { buildViews, emptyDoc, isUnknown, items, keyOf, prop, rangeOf, str, type Node, type ParseProblem, type Syntax } from './document';
import type { LoadBalancerView, ServiceView, SourceFile, TargetGroupView } from './source';

/** Maps whose keys are data, not property names (log driver options, Docker labels). */
const DATA_MAPS = new Set(['options', 'dockerLabels', 'systemControls', 'freeformTags']);
/** Properties CloudFormation converts from strings ("30") to the integers the API takes. */
const INTEGER_KEYS = new Set([
  'interval', 'timeout', 'retries', 'startPeriod', 'containerPort', 'hostPort', 'memory', 'memoryReservation', 'cpu', 'stopTimeout',
  'startTimeout', 'healthCheckGracePeriodSeconds',
]);

/** A template is a JSON/YAML object with Resources, at least one of them an ECS resource. */
export function looksLikeTemplate(root: Node | undefined): boolean {
  if (root?.type !== 'object') return false;
  const resources = prop(root, 'Resources');
  if (resources?.type !== 'object') return false;
  return (resources.children ?? []).some((p) => /^AWS::ECS::(TaskDefinition|Service)$/.test(str(prop(p.children?.[1], 'Type')) ?? ''));
}

/** The resource an intrinsic names: {"Ref": "X"}, {"Fn::GetAtt": ["X", "Arn"]}, "X.Arn". */
function intrinsicRef(obj: Node): string | undefined {
  const p = obj.children?.[0];
  const k = p?.children?.[0]?.value;
  const v = p?.children?.[1];
  if (k === 'Ref') return str(v);
  if (k === 'Fn::GetAtt') return str(items(v)[0]) ?? str(v)?.split('.')[0];
  return undefined;
}

function isIntrinsic(obj: Node): boolean {
  if (obj.type !== 'object' || obj.children?.length !== 1) return false;
  const k = obj.children[0]?.children?.[0]?.value;
  return typeof k === 'string' && (k === 'Ref' || k.startsWith('Fn::'));
}

/**
 * Rewrites a Properties subtree in place: intrinsics -> unknown, PascalCase keys -> camelCase,
 * numeric strings of integer properties -> numbers. Iterative (a deep template cannot overflow).
 */
export function normaliseProperties(root: Node): void {
  const stack: Array<{ node: Node; data: boolean }> = [{ node: root, data: false }];
  while (stack.length) {
    const { node, data } = stack.pop()!;
    if (node.type === 'object') {
      if (isIntrinsic(node)) {
        node.ref = intrinsicRef(node);
        node.type = 'unknown';
        node.children = undefined;
        continue;
      }
      if (!data) node.keyCase = 'pascal';
      for (const p of node.children ?? []) {
        const k = p.children?.[0];
        const v = p.children?.[1];
        if (k && typeof k.value === 'string' && !data) k.value = k.value.charAt(0).toLowerCase() + k.value.slice(1);
        const key = typeof k?.value === 'string' ? (k.value as string) : '';
        if (v && !data && INTEGER_KEYS.has(key) && v.type === 'string' && /^\s*\d+\s*$/.test(v.value as string)) {
          v.type = 'number';
          v.value = Number(v.value);
        }
        if (v) stack.push({ node: v, data: !data && DATA_MAPS.has(key) });
      }
    } else if (node.type === 'array') {
      for (const c of node.children ?? []) stack.push({ node: c, data: false });
    }
  }
}

/** Reads the ECS resources of a template whose tree is `root`. */
export function readTemplate(text: string, syntax: Syntax, root: Node, parseErrors: ParseProblem[]): SourceFile {
  const file: SourceFile = { text, syntax, shape: 'cloudformation', parseErrors, tasks: [], services: [], targetGroups: new Map(), parseRule: syntax === 'yaml' ? 'yaml/parse' : 'json/parse' };
  const resources = prop(root, 'Resources');
  for (const r of resources?.children ?? []) {
    const idNode = r.children?.[0];
    const body = r.children?.[1];
    const ref = str(idNode);
    const type = str(prop(body, 'Type'));
    const props = prop(body, 'Properties');
    if (!idNode || ref === undefined || !body || props?.type !== 'object') continue;
    if (type === 'AWS::ECS::TaskDefinition') {
      normaliseProperties(props);
      const doc = emptyDoc(text, syntax);
      doc.root = root;
      doc.shape = 'cloudformation';
      doc.ref = ref;
      doc.extent = { offset: r.offset, length: r.length };
      doc.task = props;
      doc.containersNode = prop(props, 'containerDefinitions');
      const k = keyOf(props, 'containerDefinitions');
      doc.containersAnchor = k ? rangeOf(k) : rangeOf(idNode);
      if (!doc.containersNode) doc.containersComplete = false;
      buildViews(doc);
      file.tasks.push(doc);
    } else if (type === 'AWS::ECS::Service') {
      normaliseProperties(props);
      file.services.push(serviceOf(ref, idNode, props));
    } else if (type === 'AWS::ElasticLoadBalancingV2::TargetGroup') {
      normaliseProperties(props);
      const tg: TargetGroupView = { ref, props, anchor: rangeOf(idNode), targetType: prop(props, 'targetType') };
      file.targetGroups.set(ref, tg);
    }
  }
  return file;
}

function serviceOf(ref: string, idNode: Node, props: Node): ServiceView {
  const lbs = prop(props, 'loadBalancers');
  const loadBalancers: LoadBalancerView[] = items(lbs)
    .filter((lb) => lb.type === 'object')
    .map((lb) => {
      const tg = prop(lb, 'targetGroupArn');
      return { node: lb, containerName: prop(lb, 'containerName'), containerPort: prop(lb, 'containerPort'), targetGroupRef: isUnknown(tg) ? tg?.ref : undefined };
    });
  const td = prop(props, 'taskDefinition');
  const net = prop(props, 'networkConfiguration');
  const lbKey = keyOf(props, 'loadBalancers');
  return {
    ref,
    props,
    anchor: rangeOf(idNode),
    taskRef: isUnknown(td) ? td?.ref : undefined,
    loadBalancersAnchor: lbKey ? rangeOf(lbKey) : undefined,
    loadBalancers,
    gracePeriod: prop(props, 'healthCheckGracePeriodSeconds'),
    awsvpc: str(prop(props, 'launchType'))?.toUpperCase() === 'FARGATE' || prop(net, 'awsvpcConfiguration') !== undefined,
  };
}
