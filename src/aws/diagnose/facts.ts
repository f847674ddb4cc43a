import type { ContainerDefinition, Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { ContainerDefFacts, ServiceFacts, TaskDefFacts, TaskFacts } from '../../core/diagnose/facts';
import type { StopInput } from '../../core/diagnose/types';
import { exitCodeIfStopped } from '../../core/diagnose/classify/input';

/** SDK shapes -> the plain facts core judges. */

function iso(d: Date | string | number | undefined): string | undefined {
  if (d === undefined || d === null) return undefined;
  const t = d instanceof Date ? d : new Date(d);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

export function toTaskFacts(t: Task): TaskFacts {
  const eni = t.attachments?.find((a) => a.type === 'ElasticNetworkInterface');
  const detail = (name: string) => eni?.details?.find((d) => d.name === name)?.value;
  const facts: TaskFacts = {
    taskArn: t.taskArn ?? '',
    containers: (t.containers ?? []).map((c) => ({
      name: c.name ?? '?',
      image: c.image,
      lastStatus: c.lastStatus,
      exitCode: exitCodeIfStopped(c.exitCode, c.lastStatus, t.lastStatus),
      reason: c.reason,
      healthStatus: c.healthStatus,
      runtimeId: c.runtimeId,
    })),
  };
  const opt = {
    clusterArn: t.clusterArn,
    lastStatus: t.lastStatus,
    desiredStatus: t.desiredStatus,
    stoppedReason: t.stoppedReason,
    stopCode: t.stopCode,
    healthStatus: t.healthStatus,
    launchType: t.launchType,
    platformVersion: t.platformVersion,
    group: t.group,
    taskDefinitionArn: t.taskDefinitionArn,
    enableExecuteCommand: t.enableExecuteCommand,
    createdAt: iso(t.createdAt),
    startedAt: iso(t.startedAt),
    stoppingAt: iso(t.stoppingAt),
    stoppedAt: iso(t.stoppedAt),
    subnetId: detail('subnetId'),
    privateIp: detail('privateIPv4Address'),
  };
  for (const [k, v] of Object.entries(opt)) if (v !== undefined && v !== null) (facts as unknown as Record<string, unknown>)[k] = v;
  return facts;
}

function toContainerDef(c: ContainerDefinition): ContainerDefFacts {
  const out: ContainerDefFacts = {
    name: c.name ?? '?',
    portMappings: (c.portMappings ?? []).map((p) => ({ containerPort: p.containerPort, hostPort: p.hostPort, protocol: p.protocol })),
    // References only: valueFrom is an ARN or a parameter name, never the secret itself.
    secrets: (c.secrets ?? []).map((s) => ({ name: s.name ?? '?', valueFrom: s.valueFrom ?? '' })),
  };
  if (c.image) out.image = c.image;
  if (c.essential !== undefined) out.essential = c.essential;
  if (c.memory !== undefined) out.memory = c.memory;
  if (c.memoryReservation !== undefined) out.memoryReservation = c.memoryReservation;
  if (c.healthCheck) {
    out.healthCheck = { command: c.healthCheck.command ?? [] };
    for (const k of ['interval', 'timeout', 'retries', 'startPeriod'] as const) {
      const v = c.healthCheck[k];
      if (v !== undefined && v !== null) out.healthCheck[k] = v;
    }
  }
  if (c.logConfiguration?.logDriver) out.logDriver = c.logConfiguration.logDriver;
  if (c.logConfiguration?.options) out.logOptions = { ...c.logConfiguration.options };
  if (c.logConfiguration?.secretOptions?.length) {
    out.logSecrets = c.logConfiguration.secretOptions.map((s) => ({ name: s.name ?? '?', valueFrom: s.valueFrom ?? '' }));
  }
  if (c.repositoryCredentials?.credentialsParameter) out.repositoryCredentials = c.repositoryCredentials.credentialsParameter;
  if (c.stopTimeout !== undefined) out.stopTimeout = c.stopTimeout;
  if (c.dependsOn?.length) out.dependsOn = c.dependsOn.map((d) => ({ containerName: d.containerName ?? '?', condition: d.condition ?? '?' }));
  return out;
}

export function toTaskDefFacts(td: TaskDefinition): TaskDefFacts {
  const out: TaskDefFacts = { containers: (td.containerDefinitions ?? []).map(toContainerDef) };
  const opt = {
    arn: td.taskDefinitionArn,
    family: td.family,
    revision: td.revision,
    networkMode: td.networkMode,
    requiresCompatibilities: td.requiresCompatibilities,
    cpu: td.cpu,
    memory: td.memory,
    executionRoleArn: td.executionRoleArn,
    taskRoleArn: td.taskRoleArn,
  };
  for (const [k, v] of Object.entries(opt)) if (v !== undefined && v !== null && v !== '') (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}

export function toServiceFacts(s: Service): ServiceFacts {
  const cb = s.deploymentConfiguration?.deploymentCircuitBreaker;
  const out: ServiceFacts = {
    name: s.serviceName ?? '?',
    deployments: (s.deployments ?? []).map((d) => ({
      id: d.id,
      status: d.status,
      rolloutState: d.rolloutState,
      rolloutStateReason: d.rolloutStateReason,
      taskDefinition: d.taskDefinition,
      failedTasks: d.failedTasks,
      desiredCount: d.desiredCount,
      runningCount: d.runningCount,
    })),
    events: (s.events ?? []).map((e) => ({ createdAt: iso(e.createdAt), message: e.message ?? '' })),
    loadBalancers: (s.loadBalancers ?? []).map((l) => ({
      targetGroupArn: l.targetGroupArn,
      loadBalancerName: l.loadBalancerName,
      containerName: l.containerName,
      containerPort: l.containerPort,
    })),
  };
  if (s.serviceArn) out.arn = s.serviceArn;
  if (s.status) out.status = s.status;
  if (s.desiredCount !== undefined) out.desiredCount = s.desiredCount;
  if (s.runningCount !== undefined) out.runningCount = s.runningCount;
  if (s.healthCheckGracePeriodSeconds !== undefined) out.healthCheckGracePeriodSeconds = s.healthCheckGracePeriodSeconds;
  const vpc = s.networkConfiguration?.awsvpcConfiguration;
  if (vpc?.assignPublicIp) out.assignPublicIp = vpc.assignPublicIp;
  if (vpc?.subnets) out.subnets = vpc.subnets;
  if (vpc?.securityGroups?.length) out.securityGroups = vpc.securityGroups;
  if (cb) out.circuitBreaker = { enable: cb.enable ?? false, rollback: cb.rollback ?? false };
  return out;
}

/** The classifier's input from describe-tasks, sharpened by the task definition when it was read. */
export function toStopInput(t: Task, td?: TaskDefFacts): StopInput {
  const input: StopInput = {
    containers: (t.containers ?? []).map((c) => {
      const def = td?.containers.find((d) => d.name === c.name);
      const out: NonNullable<StopInput['containers']>[number] = { name: c.name ?? '?', exitCode: exitCodeIfStopped(c.exitCode, c.lastStatus, t.lastStatus) };
      if (c.reason) out.reason = c.reason;
      if (c.lastStatus) out.lastStatus = c.lastStatus;
      if (c.healthStatus) out.healthStatus = c.healthStatus;
      const image = c.image ?? def?.image;
      if (image) out.image = image;
      if (def) out.essential = def.essential !== false;
      return out;
    }),
  };
  const opt = {
    taskArn: t.taskArn,
    stoppedReason: t.stoppedReason,
    stopCode: t.stopCode,
    lastStatus: t.lastStatus,
    launchType: t.launchType,
    capacityProviderName: t.capacityProviderName,
    platformVersion: t.platformVersion,
    group: t.group,
    taskDefinitionArn: t.taskDefinitionArn,
    startedAt: iso(t.startedAt),
    stoppingAt: iso(t.stoppingAt),
    stoppedAt: iso(t.stoppedAt),
  };
  for (const [k, v] of Object.entries(opt)) if (v !== undefined && v !== null && v !== '') (input as Record<string, unknown>)[k] = v;
  return input;
}
