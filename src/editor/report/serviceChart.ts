/**
 * The service timeline as an inline SVG (no chart library): deployments on top, service events as
 * ticks, then the tasks packed into rows (a task starts in the first row free at its start), each
 * bar coloured by how it ended. A restart loop reads as rows of short red bars. Pure; every text
 * (event messages, task reasons) is escaped and only appears in <title> tooltips.
 */
import type { TimelineItem } from '../../core/diagnose/service';
import { h } from './shell';

const W = 900;
const LEFT = 90;
const RIGHT = 10;
const ROW = 9;
const BAR = 6;

export interface ChartInput {
  from: number;
  to: number;
  items: readonly TimelineItem[];
  truncated: number;
}

function hhmm(t: number): string {
  return new Date(t).toISOString().slice(11, 16);
}

/** Packs spans into rows: each goes into the first row whose last span ended before it starts. */
export function packRows(spans: ReadonlyArray<{ start: number; end: number }>): number[] {
  const ends: number[] = [];
  return spans.map((s) => {
    let row = ends.findIndex((e) => e < s.start);
    if (row < 0) {
      row = ends.length;
      ends.push(s.end);
    } else ends[row] = s.end;
    return row;
  });
}

export function renderTimelineSvg(chart: ChartInput): string {
  const span = Math.max(1, chart.to - chart.from);
  const x = (t: number) => LEFT + ((Math.min(Math.max(t, chart.from), chart.to) - chart.from) / span) * (W - LEFT - RIGHT);
  const deployments = chart.items.filter((i) => i.kind === 'deployment');
  const events = chart.items.filter((i) => i.kind === 'event');
  const tasks = chart.items.filter((i) => i.kind === 'task').sort((a, b) => a.start - b.start);
  const rows = packRows(tasks.map((t) => ({ start: t.start, end: t.end ?? t.start })));
  const taskRows = rows.length ? Math.max(...rows) + 1 : 0;
  const depTop = 22;
  const evTop = depTop + deployments.length * ROW + 8;
  const taskTop = evTop + 20;
  const height = taskTop + Math.max(1, taskRows) * ROW + 8;
  const parts: string[] = [];
  parts.push(`<svg class="timeline" role="img" aria-label="Timeline of deployments, events and tasks from ${hhmm(chart.from)} to ${hhmm(chart.to)} UTC" viewBox="0 0 ${W} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">`);
  // Axis: a tick every 10 minutes (or 1/6 of the span).
  const step = span <= 2 * 3_600_000 ? 600_000 : Math.ceil(span / 6 / 600_000) * 600_000;
  for (let t = Math.ceil(chart.from / step) * step; t <= chart.to; t += step) {
    const px = x(t).toFixed(1);
    parts.push(`<line class="grid" x1="${px}" x2="${px}" y1="14" y2="${height}"/><text class="axis" x="${px}" y="11" text-anchor="middle">${hhmm(t)}</text>`);
  }
  parts.push(`<text class="lane" x="0" y="${depTop + 6}">deployments</text><text class="lane" x="0" y="${evTop + 10}">events</text><text class="lane" x="0" y="${taskTop + 6}">tasks</text>`);
  deployments.forEach((d, i) => {
    const x1 = x(d.start);
    const x2 = Math.max(x1 + 2, x(d.end ?? chart.to));
    parts.push(`<rect class="dep ${d.tone}" x="${x1.toFixed(1)}" y="${depTop + i * ROW}" width="${(x2 - x1).toFixed(1)}" height="${BAR}" rx="1"><title>${h(d.label)}</title></rect>`);
  });
  for (const e of events) {
    const px = x(e.start).toFixed(1);
    parts.push(`<line class="ev ${e.tone}" x1="${px}" x2="${px}" y1="${evTop}" y2="${evTop + 14}"><title>${h(`${hhmm(e.start)} ${e.label}`)}</title></line>`);
  }
  tasks.forEach((t, i) => {
    const x1 = x(t.start);
    const x2 = Math.max(x1 + 2, x(t.end ?? t.start));
    parts.push(`<rect class="task ${t.tone}" x="${x1.toFixed(1)}" y="${taskTop + rows[i]! * ROW}" width="${(x2 - x1).toFixed(1)}" height="${BAR}" rx="1"><title>${h(`${hhmm(t.start)}–${hhmm(t.end ?? t.start)} ${t.label}`)}</title></rect>`);
  });
  parts.push('</svg>');
  const legend = `<p class="legend"><span class="key failed"></span> stopped for a failure <span class="key stopped"></span> stopped (deployment, user, Spot) <span class="key running"></span> running <span class="key problem"></span> problem event <span class="key info"></span> other event${chart.truncated ? ` · ${chart.truncated} older task${chart.truncated === 1 ? '' : 's'} not drawn` : ''}</p>`;
  return parts.join('') + legend;
}
