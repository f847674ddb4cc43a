/**
 * The rule engine: parse once (document.ts), run each family once over the views, apply the
 * user's severities. Used by the editor (diagnostics), the CLI (`ecs-doctor lint`) and the benchmark.
 */
import { parseTaskDefinition, type ParseProblem, type Range, type TaskDoc } from './document';
import { DOCS, type RuleFamily } from './rule';
import { containerFamily } from './rules/container';
import { fargateFamily } from './rules/fargate';
import { healthCheckFamily } from './rules/healthCheck';
import { loggingFamily } from './rules/logging';
import { memoryFamily } from './rules/memory';
import { portsFamily } from './rules/ports';
import { rolesFamily } from './rules/roles';
import { secretsFamily } from './rules/secrets';
import type { DocumentShape, Finding, Fix, RuleMeta, RuleSetting, Severity } from './types';

export const FAMILIES: readonly RuleFamily[] = [
  healthCheckFamily,
  containerFamily,
  memoryFamily,
  fargateFamily,
  rolesFamily,
  loggingFamily,
  portsFamily,
  secretsFamily,
];

/** Malformed JSON (reported by the CLI; the editor's JSON support already shows it). */
export const PARSE_RULE: RuleMeta = {
  id: 'json/parse',
  severity: 'error',
  docsUrl: DOCS.json,
  summary: 'the file is not well-formed JSON (comments and trailing commas are allowed)',
};

/** Every rule, in documentation order. */
export const RULES: readonly RuleMeta[] = [...FAMILIES.flatMap((f) => f.rules), PARSE_RULE];
const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function ruleMeta(id: string): RuleMeta | undefined {
  return BY_ID.get(id);
}

export interface LintOptions {
  /** Per-rule severity or `off`; rules not listed keep their default severity. */
  rules?: Readonly<Record<string, RuleSetting | undefined>>;
}

export interface LintResult {
  /** undefined: not an ECS task definition (no findings). */
  shape: DocumentShape | undefined;
  /** Rule findings, sorted by position. */
  findings: Finding[];
  /** Syntax errors (as `json/parse` findings when `includeParseErrors` was set). */
  parseErrors: ParseProblem[];
  doc: TaskDoc;
}

/** Lints an already parsed document. */
export function lintDocument(doc: TaskDoc, options: LintOptions = {}): Finding[] {
  const findings: Finding[] = [];
  if (!doc.shape) return findings;
  const overrides = options.rules ?? {};
  const report = (ruleId: string, range: Range, message: string, fixes: Fix[] = []) => {
    const meta = BY_ID.get(ruleId);
    if (!meta) throw new Error(`unknown rule ${ruleId}`);
    const setting = overrides[ruleId];
    if (setting === 'off') return;
    const severity: Severity = setting === 'error' || setting === 'warning' || setting === 'info' ? setting : meta.severity;
    findings.push({ ruleId, severity, message, docsUrl: meta.docsUrl, offset: range.offset, length: range.length, fixes });
  };
  for (const family of FAMILIES) {
    if (family.rules.every((r) => overrides[r.id] === 'off')) continue;
    family.check(doc, report);
  }
  findings.sort((a, b) => a.offset - b.offset || a.ruleId.localeCompare(b.ruleId));
  return findings;
}

/**
 * Parses and lints `text`. Never throws. With `includeParseErrors` (the CLI), a document that
 * does not parse gets its syntax errors as `json/parse` findings (one per place: a truncated
 * file makes the parser report several at its end) and no rule findings: rules on a document
 * that was never read whole would judge a guess.
 */
export function lintText(text: string, options: LintOptions & { includeParseErrors?: boolean } = {}): LintResult {
  const doc = parseTaskDefinition(text);
  const failed = options.includeParseErrors === true && doc.parseErrors.length > 0;
  const findings = failed ? [] : lintDocument(doc, options);
  if (failed && options.rules?.['json/parse'] !== 'off') {
    const s = options.rules?.['json/parse'];
    const severity: Severity = s === 'warning' || s === 'info' || s === 'error' ? s : 'error';
    const places = new Set<number>();
    for (const e of doc.parseErrors) {
      if (places.has(e.offset)) continue;
      places.add(e.offset);
      findings.push({
        ruleId: PARSE_RULE.id,
        severity,
        message: `${e.message}: the file is not valid JSON, so the task definition cannot be registered (and its rules were not checked). Fix the syntax here.`,
        docsUrl: PARSE_RULE.docsUrl,
        offset: e.offset,
        length: e.length,
        fixes: [],
      });
    }
    findings.sort((a, b) => a.offset - b.offset || a.ruleId.localeCompare(b.ruleId));
  }
  return { shape: doc.shape, findings, parseErrors: doc.parseErrors, doc };
}

/** Applies non-overlapping edits to a text (what the editor does with a quick fix). */
export function applyEdits(text: string, edits: ReadonlyArray<{ offset: number; length: number; newText: string }>): string {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
  return out;
}
