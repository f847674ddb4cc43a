/** Times as the API gives them (Date, ISO text, epoch ms) -> epoch ms or ISO; undefined when unreadable. */
import type { When } from './types';

export function ms(t: When): number | undefined {
  if (t === undefined || t === null || t === '') return undefined;
  const d = t instanceof Date ? t : new Date(typeof t === 'number' ? t : String(t));
  const n = d.getTime();
  return Number.isNaN(n) ? undefined : n;
}

export function iso(t: When): string | undefined {
  const n = ms(t);
  return n === undefined ? undefined : new Date(n).toISOString();
}

/** "45 s", "3 min", "2 h 5 min": a duration in seconds, in words. */
export function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return rest ? `${h} h ${rest} min` : `${h} h`;
}

export const HOUR_MS = 3_600_000;
