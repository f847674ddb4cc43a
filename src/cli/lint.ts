/**
 * `ecs-doctor lint <files...> [--format text|json|sarif] [--rule id=severity]`: the editor's
 * task-definition diagnostics in a terminal and in CI (SARIF 2.1.0 for GitHub code scanning).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LineIndex, lintText, PARSE_RULE, RULES, syntaxOf, type Finding, type RuleSetting } from '../core/taskdef';
import { readersFor } from '../iacLoader';
import { describeError } from '../core/redact';
import { formatFlag, parseFlags, UsageError, type CliCommand, type CliIO } from './io';

const FORMATS = ['text', 'json', 'sarif'] as const;
const SETTINGS: readonly RuleSetting[] = ['off', 'error', 'warning', 'info'];

export interface LintRow {
  file: string;
  ruleId: string;
  severity: Finding['severity'];
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

interface FileResult {
  file: string;
  recognised: boolean;
  /** Found by searching a directory (left out of the report when not recognised). */
  searched: boolean;
  /** Task definitions in the file. */
  tasks: number;
  rows: LintRow[];
  findings: Finding[];
}

const usage = `Usage: ecs-doctor lint <files or directories...> [--format text|json|sarif] [--rule <id>=<off|error|warning|info>]...

Checks ECS task definitions for health-check and configuration mistakes where they are kept:
JSON task definitions (register-task-definition input, describe-task-definition output, or a
bare array of container definitions, also as Terraform templatefile() JSON with \${...}
placeholders), CloudFormation templates in YAML or JSON (and CDK's cdk.out/*.template.json),
and Terraform .tf files (aws_ecs_task_definition with jsonencode). Templates that also hold
the service and its target group get the service/ rules. Values a template computes (!Ref,
variables, placeholders) are never judged. Directories are searched recursively for .json,
.yaml, .yml, .template, .tf, .tftpl and .tpl files (node_modules, .git and .terraform are
skipped); files there that hold no task definition are left out of the report.
Use "-" to read standard input (JSON or YAML).

Options:
  --format <f>   text (default), json (array of {file, ruleId, severity, message, line,
                 column, endLine, endColumn}, 1-based) or sarif (SARIF 2.1.0)
  --rule <id=s>  change a rule's severity or turn it off (repeatable)
  --list-rules   print the rules and their default severities

Exit codes: 0 no error-severity finding, 1 at least one, 2 bad usage or an unreadable file.`;

export const command: CliCommand = {
  name: 'lint',
  summary: 'check ECS task-definition files (health checks, Fargate sizes, roles, logging, ...)',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseFlags(
      args,
      { format: { type: 'string' }, rule: { type: 'string', multiple: true }, 'list-rules': { type: 'boolean' } },
      true,
    );
    const format = formatFlag(values.format, FORMATS) as (typeof FORMATS)[number];
    if (values['list-rules']) {
      io.stdout(RULES.map((r) => `${r.id.padEnd(40)} ${r.severity.padEnd(8)} ${r.summary}`).join('\n') + '\n');
      return 0;
    }
    const rules = parseRuleFlags(values.rule ?? []);
    if (positionals.length === 0) throw new UsageError('give at least one file to lint (or "-" for standard input)');

    const results: FileResult[] = [];
    let unreadable = false;
    const inputs: Array<{ file: string; searched: boolean }> = [];
    for (const file of positionals) {
      const p = path.resolve(io.cwd, file);
      const s = file === '-' || file.trim() === '' ? undefined : await stat(p).catch(() => undefined);
      if (s?.isDirectory()) {
        for (const f of await searchDirectory(p)) inputs.push({ file: path.join(file, path.relative(p, f)), searched: true });
      } else inputs.push({ file, searched: false });
    }
    const texts = new Map<string, string>();
    for (const { file } of inputs) {
      try {
        texts.set(file, await readInput(file, io));
      } catch (err) {
        io.stderr(`ecs-doctor lint: cannot read ${file}: ${describeError(err)}\n`);
        unreadable = true;
      }
    }
    const readers = await readersFor([...texts].map(([file, text]) => syntaxOf(nameFor(file, text), text)));
    for (const { file, searched } of inputs) {
      const text = texts.get(file);
      if (text === undefined) continue;
      const r = lintText(text, { rules, includeParseErrors: true, fileName: nameFor(file, text), readers });
      const lines = new LineIndex(text);
      const display = file === '-' ? '<stdin>' : file;
      const rows = r.findings.map((f) => toRow(display, f, lines));
      const recognised = r.shape !== undefined || r.parseErrors.length > 0;
      if (searched && !recognised) continue;
      results.push({ file: display, recognised, searched, rows, findings: r.findings, tasks: r.file.tasks.length });
    }

    const rows = results.flatMap((r) => r.rows);
    if (format === 'json') io.stdout(JSON.stringify(rows, null, 2) + '\n');
    else if (format === 'sarif') io.stdout(JSON.stringify(toSarif(results, io.cwd), null, 2) + '\n');
    else io.stdout(toText(results));

    if (unreadable) return 2;
    return rows.some((r) => r.severity === 'error') ? 1 : 0;
  },
};

function parseRuleFlags(flags: string[]): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  const known = new Set(RULES.map((r) => r.id));
  for (const f of flags) {
    const eq = f.lastIndexOf('=');
    const id = eq > 0 ? f.slice(0, eq) : '';
    const setting = eq > 0 ? f.slice(eq + 1) : '';
    if (!known.has(id)) throw new UsageError(`--rule ${JSON.stringify(f)}: unknown rule "${id}" (see --list-rules)`);
    if (!SETTINGS.includes(setting as RuleSetting)) throw new UsageError(`--rule ${JSON.stringify(f)}: severity must be one of ${SETTINGS.join(', ')}`);
    out[id] = setting as RuleSetting;
  }
  return out;
}

/** Standard input is YAML when it does not start like JSON. */
function nameFor(file: string, text: string): string {
  if (file !== '-') return file;
  return /^\s*(\/\/.*\s*)*[[{]/.test(text) || text.trim() === '' ? 'stdin.json' : 'stdin.yaml';
}

const LINTED = /\.(json|ya?ml|template|tf|tftpl|tpl)$/i;
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.terraform', '.hg', '.svn']);

/** The files under a directory the linter reads, sorted, recursively. */
async function searchDirectory(dir: string): Promise<string[]> {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) stack.push(p);
      } else if (e.isFile() && LINTED.test(e.name)) out.push(p);
    }
  }
  return out.sort();
}

async function readInput(file: string, io: CliIO): Promise<string> {
  if (file === '-') return io.readStdin();
  if (file.trim() === '') throw new Error('the file name is empty');
  const p = path.resolve(io.cwd, file);
  await stat(p);
  const text = await readFile(p, 'utf8');
  return text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text; // keep offsets: a BOM becomes a space
}

function toRow(file: string, f: Finding, lines: LineIndex): LintRow {
  const s = lines.position(f.offset);
  const e = lines.position(f.offset + f.length);
  return { file, ruleId: f.ruleId, severity: f.severity, message: f.message, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

function toText(results: FileResult[]): string {
  const out: string[] = [];
  const counts = { error: 0, warning: 0, info: 0 };
  for (const r of results) {
    if (!r.recognised) {
      out.push(`${r.file}: not an ECS task definition, skipped`);
      continue;
    }
    r.rows.forEach((row, i) => {
      counts[row.severity]++;
      out.push(`${row.file}:${row.line}:${row.column}: ${row.severity} ${row.ruleId}: ${row.message}`);
      for (const fix of r.findings[i]!.fixes) out.push(`    quick fix${fix.isPreferred ? ' (preferred)' : ''}: ${fix.title}`);
    });
  }
  const files = results.filter((r) => r.recognised).reduce((n, r) => n + Math.max(1, r.tasks), 0);
  out.push(
    `${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ` +
      `${counts.info} info in ${files} task definition${files === 1 ? '' : 's'}`,
  );
  return out.join('\n') + '\n';
}

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

function sarifUri(file: string, cwd: string): string {
  if (file === '<stdin>') return 'stdin';
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).map(encodeURIComponent).join('/');
  return pathToFileURL(abs).href;
}

/** A SARIF 2.1.0 log (one run) that GitHub code scanning accepts. */
export function toSarif(results: ReadonlyArray<{ file: string; rows: LintRow[]; findings: Finding[] }>, cwd: string): object {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ecs-doctor',
            informationUri: 'https://github.com/ecs-doctor/ecs-doctor',
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.id.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase()),
              shortDescription: { text: r.summary.replace(/`/g, '') },
              helpUri: r.docsUrl,
              help: { text: `${r.summary.replace(/`/g, '')}. See ${r.docsUrl}` },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { tags: ['ecs', r.id === PARSE_RULE.id ? 'syntax' : r.id.split('/')[0]!] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: results.flatMap((r) =>
          r.rows.map((row, i) => {
            const uri = sarifUri(r.file, cwd);
            const f = r.findings[i]!;
            return {
              ruleId: row.ruleId,
              ruleIndex: ruleIndex.get(row.ruleId) ?? 0,
              level: LEVEL[row.severity],
              message: { text: row.message },
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri },
                    region: { startLine: row.line, startColumn: row.column, endLine: row.endLine, endColumn: row.endColumn, charOffset: f.offset, charLength: f.length },
                  },
                },
              ],
              ...(f.fixes.length
                ? {
                    fixes: f.fixes.map((fix) => ({
                      description: { text: fix.title },
                      artifactChanges: [
                        {
                          artifactLocation: { uri },
                          replacements: fix.edits.map((e) => ({
                            deletedRegion: { charOffset: e.offset, charLength: e.length },
                            insertedContent: { text: e.newText },
                          })),
                        },
                      ],
                    })),
                  }
                : {}),
            };
          }),
        ),
      },
    ],
  };
}
