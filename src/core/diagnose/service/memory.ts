/**
 * Reading memory over time for repeated out-of-memory kills, into the three patterns: too small
 * from the start (high from the first minutes), growing until killed (a leak: low after start,
 * climbing to the limit), and spikes (mostly low, briefly at the limit). The series is Container
 * Insights' MemoryUtilized (MiB) or AWS/ECS MemoryUtilization (% of the task's memory)
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html).
 */
import type { MemoryReading, MemorySeries } from './types';

function pct(series: MemorySeries, v: number, limit: number | undefined): number | undefined {
  if (series.unit === 'Percent') return v;
  return limit ? (v / limit) * 100 : undefined;
}

export function readMemory(series: MemorySeries | undefined, limitMiB?: number, reservationMiB?: number): MemoryReading {
  const base: Pick<MemoryReading, 'limitMiB' | 'reservationMiB'> = {};
  if (limitMiB) base.limitMiB = limitMiB;
  if (reservationMiB) base.reservationMiB = reservationMiB;
  const limits = `${limitMiB ? `limit ${limitMiB} MiB` : 'limit unknown'}${reservationMiB ? `, reservation ${reservationMiB} MiB` : ''}`;
  if (!series || series.points.length < 4) return { ...base, pattern: 'unclear', text: `Too few memory data points to read a pattern (${limits}).`, ...(series ? { series } : {}) };
  const pts = [...series.points].sort((a, b) => a.t - b.t);
  const p = pts.map((x) => pct(series, x.v, limitMiB));
  if (p.some((x) => x === undefined)) return { ...base, pattern: 'unclear', series, text: `Memory is in MiB but the limit is unknown, so it cannot be read against it.` };
  const vals = p as number[];
  const n = vals.length;
  const sorted = [...vals].sort((a, b) => a - b);
  const med = sorted[n >> 1]!;
  const max = sorted[n - 1]!;
  // The series of a service restarts with each task: cut it where it drops sharply (a kill and a
  // fresh task) and read each task's stretch on its own.
  const segments: number[][] = [[vals[0]!]];
  for (let i = 1; i < n; i++) {
    if (vals[i]! < vals[i - 1]! - 25) segments.push([]);
    segments[segments.length - 1]!.push(vals[i]!);
  }
  const starts = segments.map((s) => s[0]!);
  const startAvg = starts.reduce((a, b) => a + b, 0) / starts.length;
  // Growing: a stretch that climbs step by step (no one jump makes most of the rise) to near the limit.
  const maxStep = (s: number[]) => s.slice(1).reduce((m, x, i) => Math.max(m, x - s[i]!), 0);
  const rising = segments.filter((s) => s.length >= 3 && s[s.length - 1]! - s[0]! >= 25 && Math.max(...s) >= 85 && maxStep(s) < (s[s.length - 1]! - s[0]!) / 2);
  const r = (x: number) => Math.round(x);
  if (startAvg >= 85 || sorted[0]! >= 80) return { ...base, series, pattern: 'too-small', text: `Memory sits near the limit from the start (${r(startAvg)}% right after each start, ${limits}): the task is too small for this app. Give it more memory (the next Fargate size up) or lower what it loads at start.` };
  if (rising.length && rising.length >= segments.filter((s) => s.length >= 3).length / 2) {
    const from = rising.reduce((a, s) => a + s[0]!, 0) / rising.length;
    return { ...base, series, pattern: 'growing', text: `Memory grows from about ${r(from)}% after start to ${r(max)}% until the task is killed (${limits}): a leak, or a cache without a bound. More memory only delays it; profile the heap.` };
  }
  if (max >= 90 && med < 60) return { ...base, series, pattern: 'spikes', text: `Memory is mostly low (median ${r(med)}%) with short spikes to ${r(max)}% (${limits}): bursts under load. Set memoryReservation near the usual use and the hard limit with room for the spikes, or bound the work per request.` };
  return { ...base, series, pattern: 'unclear', text: `Memory peaks at ${r(max)}% (median ${r(med)}%, ${limits}); it does not show one clear pattern.` };
}
