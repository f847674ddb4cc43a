/**
 * What each explorer node looks like: label, description, icon (a codicon id and a theme color
 * id), Markdown tooltip, contextValue and collapsibility. Pure data: the VS Code adapter turns it
 * into a TreeItem, the tests assert on it, and the model compares it to fire only changed nodes.
 */
import { taskDefinitionLabel, timeOf, type EcsContainer, type EcsTask } from '../ecsTypes';
import { taskCondition, worstCondition, type Condition } from '../health';
import { plural } from '../plural';
import { knownTaskHealth } from './details';
import { formatAge } from './glance';
import type { ExplorerNode, ServiceNode } from './nodes';

export interface IconSpec {
  /** Codicon id, e.g. "pass", "error", "loading~spin". */
  id: string;
  /** Theme color id, e.g. "testing.iconPassed". */
  color?: string;
}

export interface Presentation {
  label: string;
  description?: string;
  icon: IconSpec;
  /** Markdown, with every name escaped. */
  tooltip?: string;
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** A command to run on click (id only; the adapter passes the node). */
  command?: { id: string; title: string };
}

export const COLORS = {
  passed: 'testing.iconPassed',
  failed: 'testing.iconFailed',
  warning: 'problemsWarningIcon.foreground',
  muted: 'disabledForeground',
  info: 'problemsInfoIcon.foreground',
} as const;

const CONDITION_ICON: Record<Condition, IconSpec> = {
  failed: { id: 'error', color: COLORS.failed },
  degraded: { id: 'warning', color: COLORS.warning },
  deploying: { id: 'sync~spin', color: COLORS.info },
  // A readable "?" (not a tiny outline circle that reads as empty): ECS does not know the health.
  unknown: { id: 'question', color: COLORS.info },
  healthy: { id: 'pass', color: COLORS.passed },
  idle: { id: 'circle-slash', color: COLORS.muted },
};

/** A service whose tasks have not been read yet: neutral, never a pass. */
export const NOT_READ: IconSpec = { id: 'clock', color: COLORS.muted };
/** A service whose tasks keep being replaced (glance.ts). */
export const RESTARTING: IconSpec = { id: 'debug-restart', color: COLORS.failed };

/** Words for a condition, as the tooltips say it. */
const CONDITION_WORD: Record<Condition, string> = {
  failed: 'failing',
  degraded: 'degraded',
  deploying: 'deploying',
  unknown: 'health unknown',
  healthy: 'healthy',
  idle: 'idle',
};

/** Whether the service's health is still unread (its tasks not read, or their health still coming). */
export function healthNotRead(node: ServiceNode): boolean {
  const h = node.health;
  return !!h && h.health === undefined && h.condition === 'unknown' && knownTaskHealth(node) === undefined;
}

/** A service's condition with its recent trouble: a restart loop is failing even at full capacity. */
export function serviceCondition(node: ServiceNode): Condition | undefined {
  const c = node.health?.condition;
  if (node.glance?.restarting && c !== undefined) return 'failed';
  return c;
}

export const SPINNER: IconSpec = { id: 'loading~spin' };

/** Escapes text for a Markdown tooltip, so names show as text (no links, emphasis, HTML or icons). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`));
}

/** `name` in a tooltip, as code when it has no backtick, otherwise escaped text. */
function code(text: string): string {
  return text.includes('`') || text.includes('\n') ? escapeMarkdown(text) : `\`${text}\``;
}

function shorten(text: string, max: number): string {
  // Free text from ECS (events, reasons) may carry control characters (ANSI escapes): never in a label.
  // eslint-disable-next-line no-control-regex
  const one = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** A timestamp as "YYYY-MM-DD HH:MM:SS UTC" (absolute, so an unchanged node does not change on refresh). */
export function formatTime(t: Date | string | number | undefined | null): string | undefined {
  const ms = timeOf(t);
  if (ms === undefined) return undefined;
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

function lines(...parts: (string | undefined | false)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join('\n\n');
}

const STARTING = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);

export function present(node: ExplorerNode): Presentation {
  switch (node.kind) {
    case 'root':
      return { label: 'ECS', icon: { id: 'folder' }, contextValue: 'ecsDoctor.root', collapsible: 'expanded' };

    case 'header': {
      const profile = node.profile ?? 'default';
      const regions = node.regions.length ? node.regions.join(', ') : 'no Region';
      return {
        // "Profile: default", never a bare "default" right above a cluster that may have that name.
        label: `Profile: ${profile}`,
        description: `${regions}${node.endpoint ? ` · ${node.endpoint}` : ''}`,
        icon: { id: 'account' },
        tooltip: lines(
          `**Profile** ${code(profile)}`,
          `**Region${node.regions.length > 1 ? 's' : ''}** ${node.regions.map(code).join(', ') || 'none'}`,
          node.endpoint && `**Endpoint** ${code(node.endpoint)}`,
          'Click to change the profile; use the Region button in the view title to change Regions.',
        ),
        contextValue: 'ecsDoctor.header',
        collapsible: 'none',
        command: { id: 'ecsDoctor.selectProfile', title: 'Select AWS Profile' },
      };
    }

    case 'region':
      return {
        label: node.region,
        description: node.state === 'loaded' ? count(node.children?.filter((c) => c.kind === 'cluster').length ?? 0, 'cluster') : undefined,
        icon: { id: 'globe' },
        tooltip: `**Region** ${code(node.region)}`,
        contextValue: 'ecsDoctor.region',
        collapsible: 'expanded',
      };

    case 'cluster': {
      const c = node.cluster;
      const h = node.health;
      const parts: string[] = [];
      const services = (node.children ?? []).filter((x): x is ServiceNode => x.kind === 'service');
      const cond = h?.condition !== undefined ? worstCondition([h.condition, ...services.map(serviceCondition).filter((x): x is Condition => x !== undefined)]) : undefined;
      // The services that make the cluster's icon what it is (worst first, as the icon).
      const culprits = cond && cond !== 'healthy' && cond !== 'idle' ? services.filter((x) => serviceCondition(x) === cond) : [];
      const failing = services.filter((x) => serviceCondition(x) === 'failed');
      // "Unknown" only because services are still unread: say that (and show the clock), not "?".
      const unread = cond === 'unknown' && culprits.length > 0 && culprits.every(healthNotRead);
      if (h && node.state !== 'idle' && node.state !== 'loading') {
        parts.push(count(h.services, 'service'));
        if (failing.length) parts.push(`${failing.length} failing${failing.length <= 2 ? ` (${failing.map((x) => x.serviceName).join(', ')})` : ''}`);
        if (h.belowDesired) parts.push(`${h.belowDesired} below desired`);
      } else if (c) {
        parts.push(count(c.activeServicesCount ?? 0, 'service'));
      }
      if (c) {
        parts.push(`${c.runningTasksCount ?? 0} running`);
        if (c.pendingTasksCount) parts.push(`${c.pendingTasksCount} pending`);
      }
      const icon: IconSpec = node.error
        ? { id: 'error', color: COLORS.failed }
        : cond
          ? unread
            ? NOT_READ
            : CONDITION_ICON[cond]
          : c?.status && c.status !== 'ACTIVE'
            ? { id: 'circle-slash', color: COLORS.muted }
            : { id: 'server-environment' };
      return {
        label: node.clusterName,
        description: node.error ? shorten(node.error.message, 80) : parts.join(' · ') || undefined,
        icon,
        tooltip: lines(
          `**Cluster** ${code(node.clusterName)}${c?.status ? ` · ${escapeMarkdown(c.status)}` : ''}`,
          c && `${plural(c.activeServicesCount ?? 0, 'service')} · ${plural(c.runningTasksCount ?? 0, 'running task')} · ${c.pendingTasksCount ?? 0} pending · ${plural(c.registeredContainerInstancesCount ?? 0, 'container instance')}`,
          cond &&
            (unread
              ? `**Health not read yet** for ${listNames(culprits.map((x) => x.serviceName))}`
              : `**${CONDITION_WORD[cond]}**${culprits.length ? ` because of ${listNames(culprits.map((x) => x.serviceName))}` : ''}`),
          h?.health && `Task health (the running tasks read so far): **${h.health}**`,
          h && h.belowDesired > 0 && `${plural(h.belowDesired, 'service runs', 'services run')} fewer tasks than desired`,
          node.error && `**Error:** ${escapeMarkdown(node.error.message)}`,
          code(node.clusterArn),
        ),
        contextValue: 'ecsDoctor.cluster',
        collapsible: 'collapsed',
      };
    }

    case 'service': {
      const s = node.service;
      const h = node.health;
      const g = node.glance;
      const notRead = healthNotRead(node);
      let description: string | undefined;
      let icon: IconSpec;
      if (node.error) {
        description = shorten(node.error.message, 80);
        icon = { id: 'error', color: COLORS.failed };
      } else if (!s || !h) {
        description = undefined;
        icon = SPINNER;
      } else {
        const parts = [`${h.running}/${h.desired} running`];
        if (notRead) parts.push(node.state === 'idle' ? 'health not read' : 'reading health');
        if (h.pending) parts.push(`${h.pending} pending`);
        if (h.unhealthyTasks) parts.push(`${h.unhealthyTasks} unhealthy`);
        if (h.stuck) parts.push(h.stuck.text);
        else if (h.rolloutState === 'IN_PROGRESS') parts.push('deploying');
        if (h.rolloutState === 'FAILED') parts.push('rollout failed');
        if (h.rolledBack) parts.push('rolled back');
        if (s.status && s.status !== 'ACTIVE') parts.push(s.status.toLowerCase());
        if (g?.text) parts.push(g.text);
        description = parts.join(' · ');
        icon = g?.restarting ? RESTARTING : notRead && h.condition === 'unknown' ? NOT_READ : CONDITION_ICON[h.condition];
      }
      const condition = serviceCondition(node);
      // `.attention`: the service looks wrong, so the row offers Diagnose Service inline.
      const attention = !node.error && (g?.restarting || !!h?.stuck || condition === 'failed' || condition === 'degraded');
      const state = node.error ? 'error' : `${condition ?? 'loading'}${g?.restarting ? '.restarting' : ''}${h?.stuck ? '.stuck' : ''}${attention ? '.attention' : ''}`;
      return {
        label: node.serviceName,
        description,
        icon,
        tooltip: lines(
          `**Service** ${code(node.serviceName)}${s?.status ? ` · ${escapeMarkdown(s.status)}` : ''}`,
          h && `**${h.running}** running · **${h.desired}** desired · **${h.pending}** pending${h.belowDesired ? ' · _below desired_' : ''}`,
          h?.health
            ? `Health (running tasks): **${h.health}**`
            : h && (notRead ? `Health: **not read yet**${node.state === 'idle' ? ' (expand it to read its tasks)' : ' (reading its tasks)'}` : `Health: **${h.condition === 'unknown' ? 'UNKNOWN' : CONDITION_WORD[h.condition]}**`),
          g?.stopped
            ? `**${g.stopped}${g.more ? '+' : ''}** stopped in the last hour${g.trouble ? ` (${g.trouble} not asked for)` : ''}${g.restarting ? ': **tasks keep being replaced**' : ''}` +
              (g.newest ? `; newest${Number.isNaN(g.newest.ageMs) ? '' : ` ${formatAge(g.newest.ageMs)} ago`}: ${escapeMarkdown(g.newest.title)}` : '')
            : g && 'No task stopped in the last hour',
          h?.rolloutState && `Rollout: **${h.rolloutState}**${h.rolloutStateReason ? ` · ${escapeMarkdown(shorten(h.rolloutStateReason, 200))}` : ''}`,
          h?.stuck && `**${escapeMarkdown(h.stuck.text)}**: run Diagnose Service for why`,
          s?.taskDefinition && `Task definition ${code(taskDefinitionLabel(s.taskDefinition) ?? '')}`,
          s?.launchType && `Launch type ${escapeMarkdown(s.launchType)}`,
          node.error && `**Error:** ${escapeMarkdown(node.error.message)}`,
          code(node.serviceArn),
        ),
        contextValue: `ecsDoctor.service.${state}`,
        collapsible: 'collapsed',
      };
    }

    case 'standaloneGroup':
      return {
        label: 'Standalone tasks',
        description: node.state === 'loaded' ? count(node.children?.filter((c) => c.kind === 'task').length ?? 0, 'running task') : 'not in a service',
        icon: { id: 'symbol-event' },
        tooltip: 'Tasks of this cluster that no service started (RunTask, scheduled tasks, batch jobs).',
        contextValue: 'ecsDoctor.standaloneGroup',
        collapsible: 'collapsed',
      };

    case 'stoppedGroup': {
      const n = node.children?.filter((c) => c.kind === 'task').length ?? 0;
      const g = node.parent?.kind === 'service' ? node.parent.glance : undefined;
      const known = node.state === 'loaded' ? `${n}` : g ? `${g.stopped}${g.more ? '+' : ''}` : undefined;
      return {
        label: 'Stopped',
        description: known !== undefined ? `${known === '0' ? 'none' : known} in the last hour` : 'last hour',
        icon: g?.trouble ? { id: 'history', color: g.restarting ? COLORS.failed : COLORS.warning } : { id: 'history' },
        tooltip: 'Tasks stopped in about the last hour (ECS keeps them that long), newest first.',
        contextValue: 'ecsDoctor.stoppedGroup',
        collapsible: 'collapsed',
      };
    }

    case 'eventsGroup': {
      const n = node.children?.filter((c) => c.kind === 'event').length ?? 0;
      return {
        label: 'Events',
        description: n ? `${n} recent` : undefined,
        icon: { id: 'list-unordered' },
        tooltip: "The service scheduler's recent events, newest first.",
        contextValue: 'ecsDoctor.eventsGroup',
        collapsible: 'collapsed',
      };
    }

    case 'event': {
      const msg = node.event.message ?? '';
      const bad = /unhealthy|failed|unable|error|insufficient|cannot|did not|stopped because/i.test(msg);
      return {
        label: shorten(msg.replace(/^\(service [^)]*\)\s*/, ''), 160),
        description: formatTime(node.event.createdAt),
        icon: bad ? { id: 'warning', color: COLORS.warning } : { id: 'info' },
        tooltip: lines(escapeMarkdown(msg), formatTime(node.event.createdAt)),
        contextValue: 'ecsDoctor.event',
        collapsible: 'none',
      };
    }

    case 'task':
      return presentTask(node);

    case 'container':
      return presentContainer(node.container, node.containerName, node.taskStatus, node.essential);

    case 'placeholder':
      return { label: node.label, icon: { id: 'info', color: COLORS.muted }, contextValue: 'ecsDoctor.placeholder', collapsible: 'none' };

    case 'error':
      return {
        label: `Failed to load ${node.what}`,
        description: shorten(node.message, 100),
        icon: { id: 'error', color: COLORS.failed },
        tooltip: lines(`**Failed to load ${escapeMarkdown(node.what)}**`, escapeMarkdown(node.message), 'Click to open the ECS Doctor log.'),
        contextValue: `ecsDoctor.error.${node.errorKind}`,
        collapsible: 'none',
        command: { id: 'ecsDoctor.showLog', title: 'Show Log' },
      };
  }
}

function count(n: number, what: string): string {
  return plural(n, what);
}

/** `a`, `a` and `b`, `a`, `b` and 2 more (names as code). */
function listNames(names: string[]): string {
  const shown = names.slice(0, 3).map(code);
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : (shown[0] ?? '');
}

function taskState(t: EcsTask | undefined): string {
  const s = t?.lastStatus ?? '';
  if (s === 'STOPPED') return 'stopped';
  if (STARTING.has(s)) return 'pending';
  if (s === 'DEACTIVATING' || s === 'STOPPING' || s === 'DEPROVISIONING') return 'stopping';
  if (s === 'RUNNING') return 'running';
  return 'unknown';
}

function presentTask(node: Extract<ExplorerNode, { kind: 'task' }>): Presentation {
  const t = node.task;
  const state = taskState(t);
  const td = taskDefinitionLabel(t?.taskDefinitionArn);
  let icon: IconSpec;
  let description: string | undefined;
  if (node.error) {
    icon = { id: 'error', color: COLORS.failed };
    description = shorten(node.error.message, 80);
  } else if (!t) {
    icon = SPINNER;
  } else {
    const cond = taskCondition(t, node.health ?? 'UNKNOWN');
    if (cond === 'starting' || cond === 'stopping') icon = SPINNER;
    else if (cond === 'stopped') icon = stoppedIcon(t);
    else if (node.health === undefined) icon = SPINNER;
    else icon = CONDITION_ICON[cond];
    if (state === 'stopped') {
      const parts = [t.stopCode, t.stoppedReason && shorten(t.stoppedReason, 60)].filter(Boolean) as string[];
      description = parts.join(' · ') || 'STOPPED';
    } else {
      description = [t.lastStatus, node.health, td].filter(Boolean).join(' · ');
    }
  }
  const stoppedAt = formatTime(t?.stoppedAt);
  return {
    label: node.taskId,
    description,
    icon,
    tooltip: lines(
      `**Task** ${code(node.taskId)}${node.serviceName ? ` of service ${code(node.serviceName)}` : ''}`,
      t && `**${escapeMarkdown(t.lastStatus ?? '?')}** (desired ${escapeMarkdown(t.desiredStatus ?? '?')})${node.health ? ` · health **${node.health}**${node.healthSource === 'computed' ? ' (from its essential containers)' : ''}` : ''}`,
      td && `Task definition ${code(td)}`,
      t && [t.launchType, t.platformVersion && `platform ${t.platformVersion}`].filter(Boolean).map((x) => escapeMarkdown(String(x))).join(' · '),
      formatTime(t?.startedAt) && `Started ${formatTime(t?.startedAt)}`,
      stoppedAt && `Stopped ${stoppedAt}`,
      t?.stopCode && `Stop code **${escapeMarkdown(t.stopCode)}**`,
      t?.stoppedReason && escapeMarkdown(t.stoppedReason),
      node.error && `**Error:** ${escapeMarkdown(node.error.message)}`,
      code(node.taskArn),
    ),
    contextValue: `ecsDoctor.task.${state}${t?.enableExecuteCommand ? '.exec' : ''}`,
    collapsible: t && (t.containers?.length ?? 0) === 0 ? 'none' : 'collapsed',
  };
}

function stoppedIcon(t: EcsTask): IconSpec {
  const failed =
    t.stopCode === 'TaskFailedToStart' ||
    t.stopCode === 'EssentialContainerExited' ||
    /error|failed|unhealthy|OutOfMemory/i.test(t.stoppedReason ?? '') ||
    (t.containers ?? []).some((c) => c.exitCode !== undefined && c.exitCode !== null && c.exitCode !== 0 && c.exitCode !== 143);
  return failed ? { id: 'error', color: COLORS.failed } : { id: 'circle-slash', color: COLORS.muted };
}

export function presentContainer(c: EcsContainer, name: string, taskStatus: string | undefined, essential: boolean | undefined): Presentation {
  const status = c.lastStatus ?? '';
  const health = c.healthStatus ?? 'UNKNOWN';
  let icon: IconSpec;
  const parts: string[] = [];
  if (status === 'STOPPED') {
    const ok = c.exitCode === 0;
    icon = ok ? { id: 'circle-slash', color: COLORS.muted } : { id: 'error', color: COLORS.failed };
    parts.push('STOPPED');
    parts.push(c.exitCode === undefined || c.exitCode === null ? 'never started' : `exit ${c.exitCode}`);
    if (c.reason) parts.push(shorten(c.reason, 60));
  } else {
    if (STARTING.has(status)) icon = SPINNER;
    else if (health === 'HEALTHY') icon = { id: 'pass', color: COLORS.passed };
    else if (health === 'UNHEALTHY') icon = { id: 'error', color: COLORS.failed };
    else icon = CONDITION_ICON.unknown;
    parts.push(status || 'UNKNOWN');
    parts.push(health);
  }
  if (essential === false) parts.push('non-essential');
  const state = status === 'STOPPED' ? 'stopped' : status === 'RUNNING' && taskStatus === 'RUNNING' ? 'running' : 'other';
  return {
    label: name,
    description: parts.join(' · '),
    icon,
    tooltip: lines(
      `**Container** ${code(name)}${essential === false ? ' (non-essential: it never makes the task unhealthy)' : ''}`,
      `**${escapeMarkdown(status || '?')}** · health **${escapeMarkdown(health)}**`,
      c.image && `Image ${code(c.image)}`,
      status === 'STOPPED' && `Exit code ${c.exitCode ?? 'none (the container never started)'}`,
      c.reason && escapeMarkdown(c.reason),
      c.runtimeId && `Runtime id ${code(c.runtimeId)}`,
    ),
    contextValue: `ecsDoctor.container.${state}`,
    collapsible: 'none',
  };
}
