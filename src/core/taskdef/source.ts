/**
 * A file as the linter sees it: its syntax, its parse errors, every task definition in it (a
 * CloudFormation template or a Terraform module may hold many) and the services and target
 * groups that refer to them (for the cross-resource `service/` rules).
 */
import { emptyDoc, type Node, type ParseProblem, type Range, type Syntax, type TaskDoc } from './document';
import type { DocumentShape } from './types';

export interface LoadBalancerView {
  node: Node;
  containerName: Node | undefined;
  containerPort: Node | undefined;
  /** The target group resource it names, when the file names one it holds. */
  targetGroupRef: string | undefined;
}

export interface ServiceView {
  ref: string;
  /** The service's properties (CloudFormation Properties, the Terraform block body). */
  props: Node;
  /** Where findings about the service as a whole go (its logical id / resource labels). */
  anchor: Range;
  /** The task definition resource it runs, when the file holds it. */
  taskRef: string | undefined;
  /** The key that lists the load balancers (findings about all of them go there). */
  loadBalancersAnchor: Range | undefined;
  loadBalancers: LoadBalancerView[];
  /** The health-check grace period's value node (undefined when it is not set). */
  gracePeriod: Node | undefined;
  /** true: the service itself says awsvpc (Fargate launch type, awsvpc network configuration). */
  awsvpc: boolean;
}

export interface TargetGroupView {
  ref: string;
  props: Node;
  anchor: Range;
  /** TargetType / target_type value (undefined: not set, which means `instance`). */
  targetType: Node | undefined;
}

export interface SourceFile {
  text: string;
  syntax: Syntax;
  /** What the file is: a task definition (JSON shapes), a template or a module; undefined: none of ours. */
  shape: DocumentShape | undefined;
  parseErrors: ParseProblem[];
  /** Every task definition in the file, in text order. */
  tasks: TaskDoc[];
  services: ServiceView[];
  targetGroups: Map<string, TargetGroupView>;
  /** The rule id syntax errors are reported under. */
  parseRule: string;
}

/** A file holding one task-definition document (or nothing we know). */
export function singleFile(doc: TaskDoc): SourceFile {
  return {
    text: doc.text,
    syntax: doc.syntax,
    shape: doc.shape,
    parseErrors: doc.parseErrors,
    tasks: doc.shape ? [doc] : [],
    services: [],
    targetGroups: new Map(),
    parseRule: doc.syntax === 'yaml' ? 'yaml/parse' : doc.syntax === 'hcl' ? 'hcl/parse' : 'json/parse',
  };
}

export function emptyFile(text: string, syntax: Syntax, parseErrors: ParseProblem[] = []): SourceFile {
  const f = singleFile(emptyDoc(text, syntax));
  f.parseErrors = parseErrors;
  return f;
}
