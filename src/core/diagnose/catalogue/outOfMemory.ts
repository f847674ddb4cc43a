/**
 * OutOfMemoryError: a container killed for going over its memory limit. Amazon ECS Developer
 * Guide: "Troubleshooting Amazon ECS OutOfMemoryError errors".
 */
import type { Cause, Fix } from '../types';
import { c, CMD, DOCS, f, type FamilySpec } from './shared';

const OOM_CAUSES: Cause[] = [
  c('limit-too-low', 'The memory limit (the container\'s hard limit memory, or the task\'s memory) is below what the application needs at peak.', ['memory']),
  c('memory-leak', 'The application leaks memory: it starts fine and grows until it is killed (look for a steady climb before each stop).', ['memory', 'logs'], ['out-of-memory']),
  c('runtime-heap', 'The runtime\'s own heap setting (JVM -Xmx, Node --max-old-space-size) plus overhead exceeds the container limit.', ['memory', 'task-definition']),
];

const OOM_FIXES: Fix[] = [
  f('Raise the memory: the container\'s memory (hard limit) and/or the task\'s memory (Fargate: the next valid CPU/memory pair).', CMD.taskDef, 'limit-too-low'),
  f('Look at the memory just before the kill (Container Insights MemoryUtilized, Maximum).', CMD.metrics, 'memory-leak'),
  f('Cap the runtime heap below the container limit (e.g. -XX:MaxRAMPercentage=75, --max-old-space-size).', undefined, 'runtime-heap'),
];

export const OOM: FamilySpec = {
  category: 'OutOfMemoryError',
  family: /OutOfMemoryError|Container killed due to memory usage|\bOOM ?Killed\b/i,
  docs: [DOCS.oom, DOCS.containerDef],
  prevention: [
    'Set memoryReservation (soft) to normal use and memory (hard) with headroom (1.5-2x) for peaks; on Fargate the sum must fit the task size.',
    'Alarm on Container Insights MemoryUtilized per task family, well below the limit.',
  ],
  variants: [
    {
      variant: 'container-killed',
      title: 'A container was killed for using too much memory',
      summary:
        'The kernel\'s OOM killer stopped the container because it went over its memory limit (the container\'s hard limit memory, or the task\'s memory on Fargate). The process got SIGKILL (exit code 137) with no chance to clean up.',
      whereToLook: ['The container\'s memory/memoryReservation and the task\'s memory in the task definition.', 'Container Insights MemoryUtilized (Maximum) just before the stop.', 'The application log just before the stop.'],
      causes: OOM_CAUSES,
      fixes: OOM_FIXES,
      checks: ['memory', 'task-definition', 'logs', 'service-events'],
      examples: ['OutOfMemoryError: Container killed due to memory usage'],
    },
  ],
};
