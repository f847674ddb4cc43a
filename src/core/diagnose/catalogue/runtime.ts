/**
 * The container runtime and platform families: runtime time-outs and errors, CannotStopContainer,
 * CannotInspectContainer, CannotCreateVolume and InternalError.
 */
import type { DocLink, StopCategory } from '../types';
import { c, CMD, DOCS, f, type FamilySpec, NET_WHERE, noRouteCauses, noRouteFixes, type VariantSpec } from './shared';

export const RUNTIME_TIMEOUT: FamilySpec = {
  category: 'ContainerRuntimeTimeoutError',
  // "Could not transition to inspecting" without a prefix is the older agent's CannotInspectContainerError.
  family: /ContainerRuntimeTimeoutError|DockerTimeoutError|Could not transition to (?!inspecting\b)\w+; timed out after waiting/,
  docs: [DOCS.runtimeTimeout, DOCS.stoppedErrors],
  prevention: ['Keep start-up work out of the container\'s critical path; give slow starters a health-check startPeriod rather than long blocking init.'],
  variants: [
    {
      variant: 'start-timeout',
      match: [/transition to (?:created|started|running)/i],
      title: 'The container runtime timed out starting the container',
      summary: 'The container did not reach CREATED/RUNNING within the agent\'s timeout (on Fargate, a few minutes). AWS\'s knowledge base ties it to networking: a private subnet without the endpoints the start-up needs (ECR, S3, secrets) so start-up steps hang; a very large image or a host under I/O pressure also do it.',
      confidence: 'medium',
      whereToLook: NET_WHERE,
      causes: [...noRouteCauses('the services the task needs at start-up').slice(0, 1), c('slow-host', 'A large image or a busy/slow host (EC2: disk I/O, Docker daemon).')],
      fixes: noRouteFixes('ecr.api, ecr.dkr, s3, logs, secretsmanager/ssm').slice(0, 2),
      checks: ['vpc-endpoints', 'subnet-ips', 'task-definition'],
      examples: ['DockerTimeoutError: Could not transition to started; timed out after waiting 3m0s', 'ContainerRuntimeTimeoutError: Could not transition to running; timed out after waiting 1m0s', 'ContainerRuntimeTimeoutError: Could not transition to created; timed out after waiting 4m0s'],
    },
    {
      variant: 'other',
      title: 'The container runtime timed out',
      summary: 'A container runtime operation (create, start, inspect or stop) did not finish in time. On EC2 the Docker/containerd daemon or the disk is usually overloaded; on Fargate it is usually transient.',
      confidence: 'medium',
      whereToLook: ['Whether it repeats.', 'EC2: the Docker daemon and disk I/O on the instance (/var/log/docker, /var/log/ecs).'],
      causes: [c('runtime-slow', 'The container runtime on the host was slow or hung (disk I/O, too many containers).'), c('transient', 'A transient platform issue.')],
      fixes: [f('Start the task again; on EC2 check the daemon and consider replacing the instance.')],
      checks: ['task-definition'],
      examples: ['DockerTimeoutError: Could not transition to inspecting; timed out after waiting 30s'],
    },
  ],
};

export const generic = (
  category: StopCategory,
  family: RegExp,
  docs: DocLink[],
  v: Omit<VariantSpec, 'variant'> & { variant?: string },
  prevention: string[] = [],
): FamilySpec => ({ category, family, docs, prevention, variants: [{ variant: v.variant ?? 'runtime-error', ...v }] });

export const RUNTIME_ERROR = generic('ContainerRuntimeError', /ContainerRuntimeError/, [DOCS.runtime, DOCS.stoppedErrors], {
  title: 'The container runtime reported an error',
  summary: 'The container runtime (containerd / Docker) failed an operation on the container. On Fargate this is usually transient platform trouble; on EC2, look at the Docker daemon and the instance.',
  confidence: 'medium',
  whereToLook: ['The rest of the message.', 'Whether other tasks on the same instance/platform fail the same way.', 'EC2: /var/log/docker and /var/log/ecs/ecs-agent.log on the instance.'],
  causes: [c('runtime-fault', 'A fault in the container runtime or the host.'), c('transient', 'A transient platform issue.')],
  fixes: [f('Start the task again; on EC2, drain and replace the instance if it repeats; open a support case with the task ARN if it persists on Fargate.')],
  checks: ['task-definition', 'service-events'],
  examples: ['ContainerRuntimeError: failed to create container: unexpected error from the runtime'],
});

export const CANNOT_STOP = generic('CannotStopContainerError', /CannotStopContainerError/, [DOCS.cannotStop, DOCS.stoppedErrors], {
  title: 'A container could not be stopped',
  summary: 'The agent could not stop a container through the runtime (the daemon did not answer or the process would not die). Often an overloaded or unhealthy host, or a process stuck in uninterruptible I/O.',
  confidence: 'medium',
  whereToLook: ['The host (EC2): Docker daemon health, disk I/O, memory pressure.', 'Whether the application ignores SIGTERM and blocks in I/O.'],
  causes: [c('host-unhealthy', 'The container runtime on the host is overloaded or hung.'), c('stuck-process', 'The process is stuck (uninterruptible I/O, a hung NFS/EFS mount).')],
  fixes: [f('Drain and replace the instance if it repeats; check EFS/NFS mounts.')],
  checks: ['task-definition'],
  examples: ['CannotStopContainerError: Error response from daemon: cannot stop container: 4c5d: tried to kill container, but did not receive an exit event'],
});

export const CANNOT_INSPECT = generic('CannotInspectContainerError', /CannotInspectContainerError|Could not transition to inspecting/, [DOCS.cannotInspect, DOCS.stoppedErrors], {
  title: 'A container could not be inspected',
  summary: 'The agent could not read the container\'s state from the runtime in time. Usually a busy or unhealthy host (Docker daemon, disk I/O); AWS suggests checking the daemon and the instance.',
  confidence: 'medium',
  whereToLook: ['The Docker daemon and disk I/O on the instance (EC2).', 'Whether it repeats on the same instance.'],
  causes: [c('host-unhealthy', 'The container runtime on the host is slow or hung.'), c('transient', 'A transient platform issue (Fargate).')],
  fixes: [f('Start the task again; drain and replace the instance if it repeats.')],
  checks: ['task-definition'],
  examples: ['CannotInspectContainerError: Could not transition to inspecting; timed out after waiting 30s'],
});

export const CANNOT_CREATE_VOLUME: FamilySpec = {
  category: 'CannotCreateVolumeError',
  // Docker's own wording when a volume driver fails ("Error response from daemon: create vol: VolumeDriver.Create: ...").
  family: /CannotCreateVolumeError|VolumeDriver\.(?:Create|Mount)\b/,
  docs: [DOCS.cannotCreateVolume, DOCS.stoppedErrors],
  prevention: ['Create Docker volume plugins on the AMI (user data) and test the volume configuration in a non-production cluster.'],
  variants: [
    {
      variant: 'volume-driver',
      match: [/plugin[^\n]*not found|driver[^\n]*not found|volume driver/i],
      title: 'A volume could not be created: the volume driver is missing',
      summary: 'A dockerVolumeConfiguration names a driver (plugin) that is not installed on the container instance.',
      whereToLook: ['volumes[].dockerVolumeConfiguration.driver in the task definition.', 'docker plugin ls on the instance.'],
      causes: [c('driver-missing', 'The volume driver plugin is not installed (or not enabled) on the instance.', ['task-definition'])],
      fixes: [f('Install the plugin on the instances (user data) or fix the driver name.', CMD.taskDef, 'driver-missing')],
      checks: ['task-definition'],
      examples: ['CannotCreateVolumeError: Error response from daemon: create ecs-web-1-data-a0b1: error looking up volume plugin rexray/ebs: plugin "rexray/ebs" not found'],
    },
    {
      variant: 'other',
      title: 'A volume for the task could not be created',
      summary: 'Creating one of the task\'s volumes failed: a Docker volume driver, its options, or (EFS) the mount target and its security group.',
      confidence: 'medium',
      whereToLook: ['volumes in the task definition (dockerVolumeConfiguration, efsVolumeConfiguration).', 'EFS mount targets and security groups (TCP 2049).'],
      causes: [c('volume-config', 'The volume configuration (driver, options, scope) is wrong.', ['task-definition']), c('efs-unreachable', 'The EFS mount target is unreachable (AZ, security group, DNS).')],
      fixes: [f('Check the volume configuration and, for EFS, the mount targets.', CMD.efs, 'efs-unreachable')],
      checks: ['task-definition', 'subnet-ips'],
      examples: ['CannotCreateVolumeError: Error response from daemon: create vol-data: VolumeDriver.Create: something failed'],
    },
  ],
};

export const INTERNAL: FamilySpec = {
  category: 'InternalError',
  family: /InternalError/,
  docs: [DOCS.internal, DOCS.failedToStart],
  prevention: ['Let services retry (they do); alert on repeated failures of the same kind rather than single ones.'],
  variants: [
    {
      variant: 'eni-attachment',
      match: [/network interface|ENI|attachment/i],
      title: 'ECS internal error while attaching the network interface',
      summary: 'An ENI attachment was requested and EC2 reported it after ECS\'s timeout; ECS then saw a failed task with an in-use interface. AWS-side and usually transient.',
      confidence: 'medium',
      whereToLook: ['Whether the next attempt starts.', 'The subnet\'s free addresses if it repeats.'],
      causes: [c('transient', 'Slow ENI provisioning reported after ECS gave up.'), c('subnet-full', 'The subnet is short of addresses.', ['subnet-ips'])],
      fixes: [f('Start the task again; check the subnet if it repeats.', CMD.subnet, 'subnet-full')],
      checks: ['subnet-ips', 'service-events'],
      examples: ['InternalError: failed to attach network interface: the ENI attachment timed out'],
    },
    {
      variant: 'other',
      title: 'ECS reported an internal error',
      summary: 'ECS stopped the task because of an error on its side. It is usually transient: a new task normally starts; if it keeps happening, contact AWS Support with the task ARN.',
      confidence: 'medium',
      whereToLook: ['Whether later tasks start.', 'The AWS Health Dashboard for the Region.'],
      causes: [c('transient', 'A transient platform issue.')],
      fixes: [f('Start the task again (a service does this itself); open a support case with the task ARN if it persists.')],
      checks: ['service-events'],
      examples: ['InternalError: unexpected EC2 error'],
    },
  ],
};
