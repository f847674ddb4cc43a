/** fargate/*: what Fargate accepts (task size table, awsvpc, stop timeout). */
import { keyOf, num, prop, rangeOf, str, type Node, type TaskDoc } from '../document';
import { insertProperties, insertProperty, jsonValue, replaceNode } from '../edits';
import { DOCS, type Report, type RuleFamily } from '../rule';
import type { Fix } from '../types';

function steps(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** Task cpu units -> the memory values (MiB) Fargate accepts with it (AWS documentation). */
export const FARGATE_SIZES: ReadonlyArray<readonly [number, readonly number[]]> = [
  [256, [512, 1024, 2048]],
  [512, steps(1024, 4096, 1024)],
  [1024, steps(2048, 8192, 1024)],
  [2048, steps(4096, 16384, 1024)],
  [4096, steps(8192, 30720, 1024)],
  [8192, steps(16384, 61440, 4096)],
  [16384, steps(32768, 122880, 8192)],
];

/** Task-level cpu: 256, "256", "1 vCPU", ".5 vcpu". */
export function taskCpuUnits(node: Node | undefined): number | undefined {
  const n = num(node);
  if (n !== undefined) return n;
  const s = str(node)?.trim();
  if (!s) return undefined;
  if (/^\d+$/.test(s)) return Number(s);
  const m = /^(\d*\.?\d+)\s*vcpu$/i.exec(s);
  return m ? Math.round(Number(m[1]) * 1024) : undefined;
}

/** Task-level memory: 512, "512", "1GB", "1 GB". */
export function taskMemoryMiB(node: Node | undefined): number | undefined {
  const n = num(node);
  if (n !== undefined) return n;
  const s = str(node)?.trim();
  if (!s) return undefined;
  if (/^\d+$/.test(s)) return Number(s);
  const m = /^(\d*\.?\d+)\s*gb$/i.exec(s);
  return m ? Math.round(Number(m[1]) * 1024) : undefined;
}

function memoriesFor(cpu: number): readonly number[] | undefined {
  return FARGATE_SIZES.find(([c]) => c === cpu)?.[1];
}

function smallestCpuFor(memory: number): number | undefined {
  return FARGATE_SIZES.find(([, ms]) => ms.includes(memory))?.[0];
}

/** Writes a number the way the original value was written (string in, string out). */
function sameType(node: Node | undefined, v: number): string {
  return node?.type === 'number' ? String(v) : jsonValue(String(v));
}

export const fargateFamily: RuleFamily = {
  rules: [
    { id: 'fargate/container-memory-sum', severity: 'error', docsUrl: DOCS.fargateSize, summary: "the containers' memory exceeds the task's memory" },
    { id: 'fargate/container-cpu-sum', severity: 'error', docsUrl: DOCS.fargateSize, summary: "the containers' cpu exceeds the task's cpu" },
    { id: 'fargate/cpu-memory', severity: 'error', docsUrl: DOCS.fargateSize, summary: 'task cpu/memory missing or not a Fargate combination' },
    { id: 'fargate/network-mode', severity: 'error', docsUrl: DOCS.networkMode, summary: 'Fargate without `awsvpc`' },
    { id: 'fargate/stop-timeout', severity: 'error', docsUrl: DOCS.stopTimeout, summary: 'stopTimeout over 120 on Fargate' },
  ],
  check(doc, report) {
    if (!doc.task || !doc.isFargate) return;
    const task = doc.task;
    const compatKey = keyOf(task, 'requiresCompatibilities')!;
    checkSize(doc, task, compatKey, report);

    // fargate/network-mode
    const nm = prop(task, 'networkMode');
    if (str(nm) !== 'awsvpc' && nm?.type !== 'unknown') {
      const fix: Fix = nm
        ? { title: 'Set networkMode to "awsvpc"', edits: [replaceNode(doc, nm, '"awsvpc"')], isPreferred: true }
        : { title: 'Add "networkMode": "awsvpc"', edits: [insertProperty(doc, task, 'networkMode', '"awsvpc"')], isPreferred: true };
      report(
        'fargate/network-mode',
        nm ? rangeOf(nm) : rangeOf(compatKey),
        `Fargate tasks only run with networkMode "awsvpc"${nm ? `, not ${JSON.stringify(nm.value ?? null)}` : ' (it defaults to "bridge" when left out)'}: ECS rejects the task definition. Set "networkMode": "awsvpc".`,
        [fix],
      );
    }

    // fargate/stop-timeout
    for (const c of doc.containers) {
      const st = prop(c.node, 'stopTimeout');
      const v = num(st);
      if (v !== undefined && v > 120) {
        report(
          'fargate/stop-timeout',
          rangeOf(st!),
          `Container "${c.name ?? c.index + 1}": stopTimeout ${v} s is over Fargate's maximum of 120 s: ECS rejects the task definition. ` +
            'Use at most 120 s; after it the container gets SIGKILL (exit code 137), so finish graceful shutdown within it.',
          [{ title: 'Set stopTimeout to 120', edits: [replaceNode(doc, st!, '120')], isPreferred: true }],
        );
      }
    }
  },
};

function checkSize(doc: TaskDoc, task: Node, compatKey: Node, report: Report): void {
  const cpuNode = prop(task, 'cpu');
  const memNode = prop(task, 'memory');
  const cpu = taskCpuUnits(cpuNode);
  const mem = taskMemoryMiB(memNode);
  if (cpuNode?.type === 'unknown' || memNode?.type === 'unknown') {
    sums(doc, cpuNode, memNode, cpu, mem, report);
    return;
  }
  const combos = 'for example cpu "256" with memory "512", "1024" or "2048"; cpu "1024" with 2048-8192 in steps of 1024';

  if (!cpuNode || !memNode) {
    const fixes: Fix[] = [];
    if (cpuNode && cpu !== undefined && memoriesFor(cpu)) {
      const m = memoriesFor(cpu)![0]!;
      fixes.push({ title: `Add "memory": "${m}"`, edits: [insertProperty(doc, task, 'memory', jsonValue(String(m)))], isPreferred: true });
    } else if (memNode && mem !== undefined && smallestCpuFor(mem)) {
      const c = smallestCpuFor(mem)!;
      fixes.push({ title: `Add "cpu": "${c}"`, edits: [insertProperty(doc, task, 'cpu', jsonValue(String(c)))], isPreferred: true });
    } else if (!cpuNode && !memNode) {
      fixes.push({ title: 'Add the smallest size: "cpu": "256", "memory": "512"', edits: [insertProperties(doc, task, [['cpu', '"256"'], ['memory', '"512"']])] });
    }
    const missing = [!cpuNode && 'cpu', !memNode && 'memory'].filter(Boolean).join(' and ');
    report(
      'fargate/cpu-memory',
      rangeOf(compatKey),
      `A Fargate task definition needs task-level ${missing}: ECS rejects it without. Set a supported combination (${combos}).`,
      fixes,
    );
  } else if (cpu === undefined || !memoriesFor(cpu)) {
    const fixes: Fix[] = [];
    const c = mem !== undefined ? smallestCpuFor(mem) : undefined;
    if (c !== undefined) fixes.push({ title: `Set cpu to ${c}`, edits: [replaceNode(doc, cpuNode, sameType(cpuNode, c))], isPreferred: true });
    report(
      'fargate/cpu-memory',
      rangeOf(cpuNode),
      `Task cpu ${JSON.stringify(cpuNode.value ?? null)} is not a Fargate size (256, 512, 1024, 2048, 4096, 8192 or 16384 units): ECS rejects the task definition ("No Fargate configuration exists for given values"). ` +
        'Pick a supported cpu/memory combination.',
      fixes,
    );
  } else if (mem === undefined || !memoriesFor(cpu)!.includes(mem)) {
    const allowed = memoriesFor(cpu)!;
    const fixes: Fix[] = [];
    if (mem !== undefined) {
      const up = allowed.find((m) => m >= mem) ?? allowed[allowed.length - 1]!;
      fixes.push({ title: `Set memory to ${up}`, edits: [replaceNode(doc, memNode, sameType(memNode, up))], isPreferred: true });
      const c = smallestCpuFor(mem);
      if (c !== undefined) fixes.push({ title: `Set cpu to ${c}`, edits: [replaceNode(doc, cpuNode, sameType(cpuNode, c))] });
    }
    const list = allowed.length <= 8 ? allowed.join(', ') : `${allowed[0]}-${allowed[allowed.length - 1]} in steps of ${allowed[1]! - allowed[0]!}`;
    report(
      'fargate/cpu-memory',
      rangeOf(memNode),
      `Task memory ${JSON.stringify(memNode.value ?? null)} does not go with cpu ${cpu} on Fargate: ECS rejects the task definition ("No Fargate configuration exists for given values"). ` +
        `With cpu ${cpu}, memory must be ${list} MiB.`,
      fixes,
    );
  }

  sums(doc, cpuNode, memNode, cpu, mem, report);
}

/** Sums of container reservations against the task size. */
function sums(doc: TaskDoc, cpuNode: Node | undefined, memNode: Node | undefined, cpu: number | undefined, mem: number | undefined, report: Report): void {
  if (mem !== undefined && memNode) {
    let sum = 0;
    for (const c of doc.containers) sum += num(prop(c.node, 'memory')) ?? num(prop(c.node, 'memoryReservation')) ?? 0;
    if (sum > mem) {
      report(
        'fargate/container-memory-sum',
        rangeOf(memNode),
        `The containers ask for ${sum} MiB of memory in total (memory, else memoryReservation), more than the task's ${mem} MiB: ECS rejects the task definition. ` +
          'Raise the task memory (to a valid Fargate size) or lower the containers\' memory.',
      );
    }
  }
  if (cpu !== undefined && cpuNode) {
    let sum = 0;
    for (const c of doc.containers) sum += num(prop(c.node, 'cpu')) ?? 0;
    if (sum > cpu) {
      report(
        'fargate/container-cpu-sum',
        rangeOf(cpuNode),
        `The containers reserve ${sum} cpu units in total, more than the task's ${cpu}: ECS rejects the task definition. Raise the task cpu or lower the containers' cpu.`,
      );
    }
  }
}
