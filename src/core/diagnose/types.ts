/**
 * The shapes of a stopped-task diagnosis, shared by the offline classifier (classify/), the live
 * pipeline (pipeline.ts and the judges), the CLI (`explain`, `diagnose`) and the report view.
 * Pure data: no `vscode`, no SDK.
 *
 * Flow: StopInput --classify()--> Diagnosis --applyEvidence(evidence[])--> Diagnosis (with
 * `evidence`, causes re-ranked and a `verdict`) --renderMarkdown()/JSON--> a face. The live
 * diagnosis runs the whole flow in pipeline.ts.
 */

/** The category list of issue 6, exactly. */
export const STOP_CATEGORIES = [
  'CannotPullContainerError',
  'ResourceInitializationError',
  'TaskFailedToStart',
  'OutOfMemoryError',
  'EssentialContainerExited',
  'CannotStartContainerError',
  'ContainerRuntimeTimeoutError',
  'ContainerRuntimeError',
  'CannotStopContainerError',
  'CannotInspectContainerError',
  'CannotCreateVolumeError',
  'ElbHealthCheckFailed',
  'ContainerHealthCheckFailed',
  'SpotInterruption',
  'ServiceSchedulerInitiated',
  'UserInitiated',
  'InfrastructureMaintenance',
  'InternalError',
  'Unknown',
] as const;
export type StopCategory = (typeof STOP_CATEGORIES)[number];

/** The documented stopCode values (ECS API `TaskStopCode`). Unknown codes are kept as strings. */
export const STOP_CODES = [
  'TaskFailedToStart',
  'EssentialContainerExited',
  'UserInitiated',
  'ServiceSchedulerInitiated',
  'SpotInterruption',
  'TerminationNotice',
  'InfrastructureHealth',
] as const;
export type StopCode = (typeof STOP_CODES)[number];

/**
 * The live evidence checks a diagnosis may ask for. A Diagnosis lists the relevant ones in
 * `checks`, most useful first; the collector runs those it can and reports each as an Evidence.
 */
export const EVIDENCE_CHECKS = [
  /** The five describe-tasks fields (lastStatus, stoppedReason, stopCode, containers' exitCode and reason). */
  'task-fields',
  /** The task definition: health check, memory, roles, log configuration, stopTimeout, volumes. */
  'task-definition',
  /** The last log lines of each awslogs container (CloudWatch Logs); also whether the log group exists. */
  'logs',
  /** The service's recent events and deployment state (rollout, circuit breaker). */
  'service-events',
  /** Whether the image tag/digest exists (ECR DescribeImages, ECR images only). */
  'ecr-image',
  /** Private subnets: VPC endpoints (ecr.api, ecr.dkr, s3, logs, secretsmanager, ssm, ssmmessages) or a NAT/IGW route. */
  'vpc-endpoints',
  /** The subnet's free IP count (EC2 DescribeSubnets AvailableIpAddressCount). */
  'subnet-ips',
  /** Whether each secrets[].valueFrom exists (SSM GetParameters, Secrets Manager DescribeSecret). */
  'secrets',
  /** Whether an execution role is set (and, where readable, what it may do). */
  'execution-role',
  /** Target group: target type, health-check path/port vs the container port, startPeriod, grace period. */
  'target-group',
  /**
   * Security groups: for ELB failures, the task's groups let the load balancer in on the health-check
   * port; for start-up failures, the task's groups let 443 out and the VPC endpoints' groups let it in.
   */
  'security-groups',
  /** The container health check in the task definition (command, interval, retries, startPeriod). */
  'container-health-check',
  /** Memory settings vs the container's limits (task/container memory, memoryReservation). */
  'memory',
] as const;
export type EvidenceCheckId = (typeof EVIDENCE_CHECKS)[number];

/** One container of a stopped task, as describe-tasks reports it. */
export interface ContainerFacts {
  name: string;
  /** The container's own reason, e.g. "OutOfMemoryError: Container killed due to memory usage". */
  reason?: string;
  /** null/undefined: the process never started (look at the agent side first). */
  exitCode?: number | null;
  lastStatus?: string;
  /** From the task definition when known; describe-tasks does not report it. */
  essential?: boolean;
  image?: string;
  healthStatus?: string;
}

/** What the classifier reads. Every field is optional: a pasted reason alone is enough. */
export interface StopInput {
  taskArn?: string;
  stoppedReason?: string;
  stopCode?: string;
  lastStatus?: string;
  containers?: ContainerFacts[];
  /** Optional facts that sharpen the wording (never required). */
  launchType?: string;
  capacityProviderName?: string;
  platformVersion?: string;
  /** "service:NAME" for service tasks. */
  group?: string;
  taskDefinitionArn?: string;
  /** ISO timestamps, as strings. */
  startedAt?: string;
  stoppingAt?: string;
  stoppedAt?: string;
}

/** How sure the classifier is of the category and variant. */
export type Confidence = 'high' | 'medium' | 'low';

/**
 * What the evidence says about a cause. confirmed: a failed check names it, or it is the only
 * cause that check can speak to; likely: a failed check fits it and other causes alike (the tag
 * is missing: never pushed, deleted or mistyped?); ruled-out: a passing check names it;
 * unchecked: no check decided it.
 */
export type CauseStatus = 'confirmed' | 'likely' | 'ruled-out' | 'unchecked';

/** One likely cause, in ranked order within Diagnosis.causes. */
export interface Cause {
  /** Stable id within the variant, e.g. 'no-route-to-registry', 'tag-missing'. */
  id: string;
  text: string;
  /** Evidence checks that can confirm or rule out this cause. */
  checks?: EvidenceCheckId[];
  /**
   * The log signatures that speak to this cause (ids of LOG_SIGNATURES in logSignatures.ts): a
   * log line confirms or makes likely only the causes naming a signature it matches.
   */
  logs?: string[];
  /** Set by applyEvidence(): what the evidence says about this cause. */
  status?: CauseStatus;
  /** Set by applyEvidence(): the evidence details behind `status`. */
  because?: string[];
}

/**
 * One fix step; `command` is an exact AWS CLI command (placeholders in <angle brackets>), or a
 * docker command for what the AWS CLI cannot see (an image on a registry outside AWS).
 */
export interface Fix {
  text: string;
  command?: string;
  /** The cause this step fixes (Cause.id); steps for confirmed causes are listed first. */
  cause?: string;
}

export interface DocLink {
  title: string;
  url: string;
}

/** The outcome of one live check. */
export type EvidenceStatus = 'pass' | 'fail' | 'skipped';

export interface Evidence {
  check: EvidenceCheckId;
  /**
   * pass: checked, nothing wrong found; fail: found a problem that can explain the stop;
   * skipped: could not be run (say why in detail; set missingPermission when access was denied).
   */
  status: EvidenceStatus;
  /** One or two plain sentences, secret-free (the faces redact() it again anyway). */
  detail: string;
  /** A short label for the evidence table, e.g. "Image tag in ECR". Defaults from the check id. */
  title?: string;
  /** The IAM action that was denied, e.g. "ecr:DescribeImages". */
  missingPermission?: string;
  /** The AWS CLI command the user can run to see the same thing (or to run a skipped check). */
  command?: string;
  /** Cause ids this result confirms (fail) or rules out (pass); default: every cause listing `check`. */
  causes?: string[];
  /** Short supporting lines shown under the row (e.g. last log lines), already secret-free. */
  lines?: string[];
  /**
   * For a failing row: the exact step that repairs what it found (e.g. the security-group rule to
   * add, with the real group ids and port). applyEvidence() lists it first among the fix steps.
   */
  fix?: { text: string; command: string };
}

/** The raw texts the diagnosis was made from, kept verbatim (faces redact when they show them). */
export interface RawStopTexts {
  stoppedReason?: string;
  stopCode?: string;
  containers: Array<{ name: string; reason?: string; exitCode?: number | null; lastStatus?: string }>;
}

export interface Diagnosis {
  taskArn?: string;
  category: StopCategory;
  /** A more specific, stable id within the category, e.g. 'manifest-not-found', 'exit-137-sigkill'. */
  variant: string;
  title: string;
  /** Plain words: what happened and what it most likely means. */
  summary: string;
  confidence: Confidence;
  /** Where to look first, in order. */
  whereToLook: string[];
  /** Likely causes, most likely first (re-ranked by applyEvidence()). */
  causes: Cause[];
  fixes: Fix[];
  prevention: string[];
  docs: DocLink[];
  /** The evidence checks relevant to this diagnosis, most useful first. */
  checks: EvidenceCheckId[];
  /** The container the diagnosis is about, when one container explains the stop. */
  container?: string;
  exitCode?: number | null;
  raw: RawStopTexts;
  /**
   * CannotPullContainerError: the registry the image is pulled from (from the message, else the
   * container's image), which decides the causes, fixes and checks. Absent when neither names it.
   */
  registry?: ImageRegistry;
  /** Set by applyEvidence(). */
  evidence?: Evidence[];
  /** Set by applyEvidence(): one sentence naming the cause the evidence points to, if any. */
  verdict?: string;
}

/**
 * Where an image is pulled from. 'ecr' is a private Amazon ECR registry (also its FIPS and
 * dual-stack hosts); 'ecr-public' is public.ecr.aws; 'docker-hub' is docker.io (also an unqualified
 * name such as `nginx:1.27`); 'other' is any other registry (ghcr.io, quay.io, a private host:port).
 */
export type RegistryKind = 'ecr' | 'ecr-public' | 'docker-hub' | 'other';

/** The registry (and, when known, the image) a pull error is about. */
export interface ImageRegistry {
  kind: RegistryKind;
  /** The registry host: `<account>.dkr.ecr.<region>.amazonaws.com`, public.ecr.aws, docker.io, ghcr.io, host:port. */
  host: string;
  /** For people: "Amazon ECR", "Amazon ECR Public", "Docker Hub", or the host. */
  name: string;
  /** Where it was read: the image reference or registry URL in the message, or the container's image. */
  source: 'message' | 'container-image';
  /** The image reference as named (message or task definition), when one was. */
  image?: string;
  /** The repository within the registry (Docker Hub official images: library/<name>). */
  repository?: string;
  tag?: string;
  digest?: string;
  /** Private ECR: the registry's account id and Region. */
  account?: string;
  region?: string;
  fips?: boolean;
  dualStack?: boolean;
}

/** Result of parsing pasted text: one or more inputs, or a clear error message. */
export type ParseResult =
  | { ok: true; kind: 'reason' | 'container-reason' | 'task' | 'tasks'; inputs: StopInput[]; notes: string[] }
  | { ok: false; error: string };
