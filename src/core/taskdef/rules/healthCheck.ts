/** health-check/*: the container health checks, where most production restarts start. */
import { has, isUnknown, items, keyOf, num, prop, rangeOf, str, type ContainerView, type Node, type TaskDoc } from '../document';
import { insertElement, insertProperty, jsonValue, replaceNode, stringOffset } from '../edits';
import { HEALTH_CHECK_FIELDS } from '../healthCheckFields';
import { DOCS, type Report, type RuleFamily } from '../rule';
import { basename, curlFlags as curlFlagsOf, findCurls, findLocalUrls } from '../shell';
import type { Fix } from '../types';

/** startPeriod the quick fix proposes: covers most JVM / Rails / Django boots, well under the 300 s cap. */
export const SUGGESTED_START_PERIOD = 60;

const RANGED = ['interval', 'timeout', 'retries', 'startPeriod'] as const;

export const healthCheckFamily: RuleFamily = {
  rules: [
    { id: 'health-check/command', severity: 'error', docsUrl: DOCS.healthCheck, summary: '`command` missing or empty, or its first element is not `CMD` or `CMD-SHELL`' },
    { id: 'health-check/exec-form-string', severity: 'error', docsUrl: DOCS.healthCheck, summary: '`CMD` followed by one string with spaces: the whole string is taken as the program name' },
    { id: 'health-check/range', severity: 'error', docsUrl: DOCS.healthCheck, summary: 'interval, timeout, retries or startPeriod not a whole number in its documented range' },
    { id: 'health-check/timeout-exceeds-interval', severity: 'warning', docsUrl: DOCS.healthCheck, summary: 'timeout >= interval (defaults count)' },
    { id: 'health-check/no-start-period', severity: 'warning', docsUrl: DOCS.healthCheck, summary: 'startPeriod missing or 0: slow starters are killed during boot' },
    { id: 'health-check/curl-without-fail', severity: 'warning', docsUrl: DOCS.healthCheck, summary: 'curl without `-f`/`--fail`/`--fail-with-body`: HTTP 500 still counts as healthy' },
    { id: 'health-check/port-mismatch', severity: 'warning', docsUrl: DOCS.portMapping, summary: "a localhost/127.0.0.1 URL whose port is none of the container's containerPorts" },
    { id: 'health-check/depends-on-healthy', severity: 'error', docsUrl: DOCS.dependsOn, summary: '`dependsOn` condition HEALTHY on a container without a health check' },
    { id: 'health-check/missing', severity: 'info', docsUrl: DOCS.healthCheck, summary: 'an essential container that listens on a port has no health check (task health stays UNKNOWN)' },
  ],
  check(doc, report) {
    for (const c of doc.containers) {
      checkContainer(doc, c, report);
      checkDependsOnHealthy(doc, c, report);
    }
  },
};

function label(c: ContainerView): string {
  return c.name !== undefined ? `Container "${c.name}"` : `Container #${c.index + 1}`;
}

function checkContainer(doc: TaskDoc, c: ContainerView, report: Report): void {
  const hc = c.healthCheck;
  if (!hc) {
    if (!has(c.node, 'healthCheck') && c.essential && !c.essentialUnknown && (c.containerPorts.length > 0 || c.portRanges.length > 0)) {
      report(
        'health-check/missing',
        c.anchor,
        `${label(c)} is essential and listens on a port but has no healthCheck: ECS reports its health as UNKNOWN, so the task's ` +
          'health stays UNKNOWN and a hung process is never replaced (only a load balancer, if any, notices). ' +
          'Add a healthCheck, for example ["CMD-SHELL", "curl -f http://localhost:PORT/health || exit 1"].',
      );
    }
    return;
  }
  const hcKey = keyOf(c.node, 'healthCheck')!;
  const commandNode = prop(hc, 'command');
  const elems = items(commandNode);
  const first = str(elems[0]);
  // A command the template computes (or one whose program it computes) is not judged.
  const commandUnknown = isUnknown(commandNode) || isUnknown(elems[0]);

  // health-check/command
  if (commandUnknown) {
    // nothing to say
  } else if (!commandNode) {
    report('health-check/command', rangeOf(hcKey), `${label(c)}: healthCheck has no command. ECS rejects the task definition (command is required). Add "command": ["CMD-SHELL", "<check> || exit 1"].`);
  } else if (commandNode.type !== 'array') {
    report('health-check/command', rangeOf(commandNode), `${label(c)}: healthCheck.command must be an array of strings such as ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]; ECS rejects anything else.`);
  } else if (elems.length === 0) {
    report('health-check/command', rangeOf(commandNode), `${label(c)}: healthCheck.command is empty, so there is nothing to run and the container can never become HEALTHY. Use ["CMD-SHELL", "<check> || exit 1"].`);
  } else if (first !== 'CMD' && first !== 'CMD-SHELL') {
    const f0 = elems[0]!;
    const fixes: Fix[] = [];
    const upper = first?.toUpperCase();
    if (upper === 'CMD' || upper === 'CMD-SHELL') {
      fixes.push({ title: `Change to "${upper}"`, edits: [replaceNode(doc, f0, jsonValue(upper))], isPreferred: true });
    } else if (first !== undefined) {
      if (elems.length === 1) fixes.push({ title: 'Run it with the shell ("CMD-SHELL")', edits: [insertElement(doc, commandNode, 0, '"CMD-SHELL"')], isPreferred: true });
      else fixes.push({ title: 'Run it as a program ("CMD")', edits: [insertElement(doc, commandNode, 0, '"CMD"')], isPreferred: true });
    }
    report(
      'health-check/command',
      rangeOf(f0),
      `${label(c)}: healthCheck.command starts with ${first === undefined ? 'a non-string' : JSON.stringify(first)}, not "CMD" or "CMD-SHELL". ` +
        'The container runtime cannot run such a check, so the container never becomes HEALTHY and an essential container gets its task replaced. ' +
        'Start the array with "CMD" (each argument its own element) or "CMD-SHELL" (one shell string).',
      fixes,
    );
  }

  // health-check/exec-form-string
  const program = str(elems[1]);
  if (first === 'CMD' && program !== undefined && /\s/.test(program.trim())) {
    const fixes: Fix[] = [];
    if (elems.length === 2) fixes.push({ title: 'Use "CMD-SHELL" (run the string with the shell)', edits: [replaceNode(doc, elems[0]!, '"CMD-SHELL"')], isPreferred: true });
    report(
      'health-check/exec-form-string',
      rangeOf(elems[1]!),
      `${label(c)}: with "CMD" each argument must be its own element, so the runtime looks for a program literally named ${JSON.stringify(program)}. ` +
        'It does not exist, every check fails, and the container is marked UNHEALTHY and replaced in a loop. ' +
        `Use "CMD-SHELL" with the whole string, or split it${/["'`$|&;<>()\\]/.test(program) ? ' into one element per argument' : `: [${['CMD', ...program.trim().split(/\s+/)].map((w) => JSON.stringify(w)).join(', ')}]`}.`,
      fixes,
    );
  }

  // health-check/range (and the effective values for the next rules)
  const eff: Record<(typeof RANGED)[number], number | undefined> = { interval: 30, timeout: 5, retries: 3, startPeriod: undefined };
  for (const key of RANGED) {
    const v = prop(hc, key);
    if (!v) continue;
    if (isUnknown(v)) {
      eff[key] = undefined;
      continue;
    }
    const f = HEALTH_CHECK_FIELDS[key];
    const min = f.min!;
    const max = f.max!;
    const n = num(v);
    const asNumber = n ?? (v.type === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v.value as string) ? Number(v.value) : undefined);
    if (n !== undefined && Number.isInteger(n) && n >= min && n <= max) {
      eff[key] = n;
      continue;
    }
    const fixes: Fix[] = [];
    // The rules below quote what the file says (interval 3 stays 3, never the default 30); a
    // value that is not a number leaves that setting unknown, so they stay quiet about it.
    eff[key] = asNumber;
    if (asNumber !== undefined) {
      const clamped = Math.min(max, Math.max(min, Math.round(asNumber)));
      fixes.push({ title: `Set ${key} to ${clamped}`, edits: [replaceNode(doc, v, String(clamped))], isPreferred: true });
    }
    const what = n === undefined ? (v.type === 'string' ? `the string ${JSON.stringify(v.value)}` : `a ${v.type}`) : String(n);
    report(
      'health-check/range',
      rangeOf(v),
      `${label(c)}: healthCheck.${key} is ${what}; it must be a whole number from ${min} to ${max}${f.unit ? ` ${f.unit}` : ''}. ` +
        'ECS rejects the task definition when it is registered. ' +
        `Use a value in range (default ${f.defaultText}).`,
      fixes,
    );
  }

  // health-check/timeout-exceeds-interval
  const timeoutNode = prop(hc, 'timeout');
  const intervalNode = prop(hc, 'interval');
  if ((timeoutNode || intervalNode) && eff.timeout !== undefined && eff.interval !== undefined && eff.timeout >= eff.interval) {
    const target = timeoutNode ?? intervalNode!;
    report(
      'health-check/timeout-exceeds-interval',
      rangeOf(target),
      `${label(c)}: healthCheck.timeout (${eff.timeout} s${timeoutNode ? '' : ', the default'}) is not shorter than interval (${eff.interval} s${intervalNode ? '' : ', the default'}). ` +
        'A hanging check then holds the next one back, so failures are detected later than interval × retries suggests and checks stop running on schedule. ' +
        'Keep timeout well below interval (for example timeout 5, interval 30).',
    );
  }

  // health-check/no-start-period
  const sp = prop(hc, 'startPeriod');
  if (!sp || num(sp) === 0 || (sp.type === 'string' && /^\s*0\s*$/.test(String(sp.value)) && doc.syntax !== 'json')) {
    const window = prop(hc, 'interval') && eff.interval === undefined ? undefined : (eff.interval ?? 30) * (prop(hc, 'retries') && eff.retries === undefined ? NaN : (eff.retries ?? 3));
    const fix: Fix = sp
      ? { title: `Set startPeriod to ${SUGGESTED_START_PERIOD}`, edits: [replaceNode(doc, sp, String(SUGGESTED_START_PERIOD))], isPreferred: true }
      : { title: `Add "startPeriod": ${SUGGESTED_START_PERIOD}`, edits: [insertProperty(doc, hc, 'startPeriod', String(SUGGESTED_START_PERIOD))], isPreferred: true };
    report(
      'health-check/no-start-period',
      sp ? rangeOf(sp) : rangeOf(hcKey),
      `${label(c)}: healthCheck has ${sp ? 'startPeriod 0' : 'no startPeriod'}, so failures count from the first second. ` +
        `A container that needs more than ${window !== undefined && Number.isFinite(window) ? `about ${window} s` : 'interval × retries'}${window !== undefined && Number.isFinite(window) ? ' (interval × retries)' : ''} to start is marked UNHEALTHY and replaced before it ever serves, over and over. ` +
        'Set startPeriod to the longest boot time you expect (0-300 s).',
      [fix],
    );
  }

  if (!commandNode || elems.length < 2 || commandUnknown) return;
  checkCommandContents(doc, c, commandNode, elems, report);
}

/** curl-without-fail and port-mismatch over the command's strings. */
function checkCommandContents(doc: TaskDoc, c: ContainerView, commandNode: Node, elems: Node[], report: Report): void {
  const first = str(elems[0]);
  const shellNodes: Node[] = [];
  if (first === 'CMD-SHELL') {
    for (const e of elems.slice(1)) if (e.type === 'string') shellNodes.push(e);
  } else if (first === 'CMD') {
    const prog = basename(str(elems[1]) ?? '');
    if ((prog === 'sh' || prog === 'bash' || prog === 'ash' || prog === 'dash') && str(elems[2]) === '-c' && elems[3]?.type === 'string') {
      shellNodes.push(elems[3]);
    } else if (prog === 'curl') {
      const args = elems.slice(2).map((e) => str(e) ?? '');
      const flags = curlFlagsOf(args);
      if (!flags.fail && !flags.writeOut && !elems.some(isUnknown)) {
        const curlNode = elems[1]!;
        report(
          'health-check/curl-without-fail',
          rangeOf(curlNode),
          curlMessage(c),
          [{ title: 'Add "-f" to curl', edits: [insertElement(doc, commandNode, 2, '"-f"')], isPreferred: true }],
        );
      }
    }
    for (const e of elems.slice(2)) if (e.type === 'string' && prog !== 'sh' && prog !== 'bash') checkUrls(doc, c, e, report);
  }
  for (const node of shellNodes) {
    const s = node.value as string;
    for (const use of findCurls(s)) {
      if (use.flags.fail || use.flags.writeOut || use.consumed) continue;
      const fixed = s.slice(0, use.word.end) + ' -f' + s.slice(use.word.end);
      const at = stringOffset(doc, node, use.word.start);
      const atEnd = stringOffset(doc, node, use.word.end);
      report(
        'health-check/curl-without-fail',
        at !== undefined && atEnd !== undefined ? { offset: at, length: atEnd - at } : rangeOf(node),
        curlMessage(c),
        [{ title: 'Add -f to curl', edits: [replaceNode(doc, node, jsonValue(fixed))], isPreferred: true }],
      );
    }
    checkUrls(doc, c, node, report);
  }
}

function curlMessage(c: ContainerView): string {
  return (
    `${label(c)}: curl without -f (--fail) exits 0 for any HTTP answer, so a 500 or 503 from the application still counts as healthy ` +
    'and a broken task is never replaced. Add -f (or --fail-with-body) so HTTP errors fail the check.'
  );
}

function checkUrls(doc: TaskDoc, c: ContainerView, node: Node, report: Report): void {
  if (c.containerPorts.length === 0 && c.portRanges.length === 0) return;
  if (c.portsUnknown) return;
  const s = node.value as string;
  if (!/localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]/.test(s)) return;
  const ports = [...new Set(c.containerPorts)];
  for (const url of findLocalUrls(s)) {
    if (ports.includes(url.port) || c.portRanges.some(([a, b]) => url.port >= a && url.port <= b)) continue;
    const fixes: Fix[] = ports.map((p) => {
      const fixed =
        url.portStart !== undefined
          ? s.slice(0, url.portStart) + String(p) + s.slice(url.portStart + url.portText!.length)
          : s.slice(0, url.hostEnd) + `:${p}` + s.slice(url.hostEnd);
      return { title: `Use the container's port ${p}`, edits: [replaceNode(doc, node, jsonValue(fixed))], isPreferred: ports.length === 1 };
    });
    const from = url.portStart ?? url.start;
    const to = url.portStart !== undefined ? url.portStart + url.portText!.length : url.hostEnd;
    const a = stringOffset(doc, node, from);
    const b = stringOffset(doc, node, to);
    const listed = [...ports.map(String), ...c.portRanges.map(([x, y]) => `${x}-${y}`)].join(', ');
    report(
      'health-check/port-mismatch',
      a !== undefined && b !== undefined ? { offset: a, length: b - a } : rangeOf(node),
      `${label(c)}: the health check calls port ${url.port}${url.portText ? '' : ' (the default for the scheme)'}, but the container's portMappings list ${listed}. ` +
        'Unless the application also listens there, every check fails and the task is replaced as UNHEALTHY. Point the check at the port the application listens on.',
      fixes,
    );
  }
}

function checkDependsOnHealthy(doc: TaskDoc, c: ContainerView, report: Report): void {
  for (const dep of items(prop(c.node, 'dependsOn'))) {
    const cond = prop(dep, 'condition');
    if (str(cond)?.toUpperCase() !== 'HEALTHY') continue;
    const targetName = str(prop(dep, 'containerName'));
    const target = targetName !== undefined ? doc.byName.get(targetName) : undefined;
    if (!target || has(target.node, 'healthCheck')) continue;
    report(
      'health-check/depends-on-healthy',
      rangeOf(cond!),
      `${label(c)} waits for "${targetName}" to be HEALTHY, but "${targetName}" has no healthCheck, so it never becomes HEALTHY: ` +
        `"${c.name ?? 'this container'}" never starts and the task fails to start. Add a healthCheck to "${targetName}", or wait for condition START.`,
      [{ title: 'Wait for START instead', edits: [replaceNode(doc, cond!, '"START"')] }],
    );
  }
}
