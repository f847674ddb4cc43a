/** The HealthCheck fields: meaning, default and documented range (ECS API model). */

export interface HealthCheckField {
  key: 'command' | 'interval' | 'timeout' | 'retries' | 'startPeriod';
  meaning: string;
  /** undefined: no default (required, or off). */
  default: number | undefined;
  defaultText: string;
  min?: number;
  max?: number;
  unit?: string;
}

export const HEALTH_CHECK_FIELDS: Record<HealthCheckField['key'], HealthCheckField> = {
  command: {
    key: 'command',
    meaning:
      'The command the container runs to decide whether it is healthy; exit code 0 means healthy. ' +
      'Start with `CMD` to run a program with each argument as its own element (`["CMD", "curl", "-f", "http://localhost/"]`), ' +
      'or `CMD-SHELL` to run one string with the container\'s default shell (`["CMD-SHELL", "curl -f http://localhost/ || exit 1"]`).',
    default: undefined,
    defaultText: 'required',
  },
  interval: {
    key: 'interval',
    meaning: 'Seconds between the end of one check and the start of the next.',
    default: 30,
    defaultText: '30 seconds',
    min: 5,
    max: 300,
    unit: 'seconds',
  },
  timeout: {
    key: 'timeout',
    meaning: 'Seconds a check may run before it counts as a failure.',
    default: 5,
    defaultText: '5 seconds',
    min: 2,
    max: 60,
    unit: 'seconds',
  },
  retries: {
    key: 'retries',
    meaning: 'Consecutive failures after which the container is UNHEALTHY (and a service replaces the task when the container is essential).',
    default: 3,
    defaultText: '3',
    min: 1,
    max: 10,
  },
  startPeriod: {
    key: 'startPeriod',
    meaning:
      'Grace period for booting: failures during it do not count towards `retries`; a success during it makes the container HEALTHY at once.',
    default: undefined,
    defaultText: 'off (0)',
    min: 0,
    max: 300,
    unit: 'seconds',
  },
};

export function isHealthCheckKey(key: string): key is HealthCheckField['key'] {
  return Object.prototype.hasOwnProperty.call(HEALTH_CHECK_FIELDS, key);
}

/** Markdown for a hover over a healthCheck field. */
export function healthCheckFieldMarkdown(key: HealthCheckField['key']): string {
  const f = HEALTH_CHECK_FIELDS[key];
  const lines = [`**healthCheck.${f.key}**`, '', f.meaning, '', `- Default: ${f.defaultText}`];
  if (f.min !== undefined && f.max !== undefined) lines.push(`- Range: ${f.min}-${f.max}${f.unit ? ` ${f.unit}` : ''}, whole numbers`);
  return lines.join('\n');
}

export const HEALTH_CHECK_OVERVIEW =
  '**healthCheck**\n\nThe container health check ECS runs (a HEALTHCHECK in the image is ignored). ' +
  'The task is HEALTHY only when every essential container is; an essential container with no health check keeps the task UNKNOWN.\n\n' +
  '| field | default | range |\n|---|---|---|\n' +
  '| interval | 30 s | 5-300 |\n| timeout | 5 s | 2-60 |\n| retries | 3 | 1-10 |\n| startPeriod | off | 0-300 |';
