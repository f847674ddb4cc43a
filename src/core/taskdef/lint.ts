/**
 * The rule engine: parse once (document.ts), run each family once over the views, apply the
 * user's severities. Used by the editor (diagnostics), the CLI (`ecs-doctor lint`) and the benchmark.
 */
import { looksLikeTemplate, readTemplate } from './cloudformation';
import { parseJsonTree, recogniseJson, type ParseProblem, type Range, type Syntax, type TaskDoc } from './document';
import { emptyDoc } from './document';
import { singleFile, type SourceFile } from './source';
import { DOCS, type RuleFamily } from './rule';
import { containerFamily } from './rules/container';
import { fargateFamily } from './rules/fargate';
import { healthCheckFamily } from './rules/healthCheck';
import { loggingFamily } from './rules/logging';
import { memoryFamily } from './rules/memory';
import { portsFamily } from './rules/ports';
import { rolesFamily } from './rules/roles';
import { secretsFamily } from './rules/secrets';
import { serviceFamily } from './rules/service';
import type { DocumentShape, Finding, Fix, RuleMeta, RuleSetting, Severity } from './types';
export type { SourceFile } from './source';

export const FAMILIES: readonly RuleFamily[] = [
  healthCheckFamily,
  containerFamily,
  memoryFamily,
  fargateFamily,
  rolesFamily,
  loggingFamily,
  portsFamily,
  secretsFamily,
  serviceFamily,
];

/** Malformed JSON (reported by the CLI; the editor's JSON support already shows it). */
export const PARSE_RULE: RuleMeta = {
  id: 'json/parse',
  severity: 'error',
  docsUrl: DOCS.json,
  summary: 'the file is not well-formed JSON (comments and trailing commas are allowed)',
};

export const YAML_PARSE_RULE: RuleMeta = {
  id: 'yaml/parse',
  severity: 'error',
  docsUrl: DOCS.yaml,
  summary: 'a CloudFormation template that is not well-formed YAML (intrinsic-function tags such as !Ref are fine)',
};

export const HCL_PARSE_RULE: RuleMeta = {
  id: 'hcl/parse',
  severity: 'error',
  docsUrl: DOCS.hcl,
  summary: 'a Terraform file that is not well-formed HCL',
};

/** Every rule, in documentation order. */
export const RULES: readonly RuleMeta[] = [...FAMILIES.flatMap((f) => f.rules), PARSE_RULE, YAML_PARSE_RULE, HCL_PARSE_RULE];
const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function ruleMeta(id: string): RuleMeta | undefined {
  return BY_ID.get(id);
}

export interface LintOptions {
  /** Per-rule severity or `off`; rules not listed keep their default severity. */
  rules?: Readonly<Record<string, RuleSetting | undefined>>;
}


function reporter(options: LintOptions, findings: Finding[]) {
  const overrides = options.rules ?? {};
  return (ruleId: string, range: Range, message: string, fixes: Fix[] = []) => {
    const meta = BY_ID.get(ruleId);
    if (!meta) throw new Error(`unknown rule ${ruleId}`);
    const setting = overrides[ruleId];
    if (setting === 'off') return;
    const severity: Severity = setting === 'error' || setting === 'warning' || setting === 'info' ? setting : meta.severity;
    findings.push({ ruleId, severity, message, docsUrl: meta.docsUrl, offset: range.offset, length: range.length, fixes });
  };
}

function familyOff(family: RuleFamily, options: LintOptions): boolean {
  return family.rules.every((r) => options.rules?.[r.id] === 'off');
}

/** Lints an already parsed task definition. */
export function lintDocument(doc: TaskDoc, options: LintOptions = {}): Finding[] {
  const findings: Finding[] = [];
  if (!doc.shape) return findings;
  const report = reporter(options, findings);
  for (const family of FAMILIES) {
    if (!family.check || familyOff(family, options)) continue;
    family.check(doc, report);
  }
  findings.sort((a, b) => a.offset - b.offset || a.ruleId.localeCompare(b.ruleId));
  return findings;
}

/**
 * Lints every task definition of a file and the cross-resource rules. With `includeParseErrors`
 * (the CLI), a file that does not parse gets its syntax errors as findings (one per place: a
 * truncated file makes the parser report several at its end) and no rule findings: rules on a
 * document that was never read whole would judge a guess.
 */
export function lintFile(file: SourceFile, options: LintOptions & { includeParseErrors?: boolean } = {}): Finding[] {
  const failed = options.includeParseErrors === true && file.parseErrors.length > 0;
  const findings: Finding[] = [];
  if (!failed) {
    const report = reporter(options, findings);
    for (const doc of file.tasks) {
      for (const family of FAMILIES) {
        if (!family.check || familyOff(family, options)) continue;
        family.check(doc, report);
      }
    }
    for (const family of FAMILIES) {
      if (!family.checkFile || familyOff(family, options)) continue;
      family.checkFile(file, report);
    }
  } else if (options.rules?.[file.parseRule] !== 'off') {
    const meta = BY_ID.get(file.parseRule) ?? PARSE_RULE;
    const s = options.rules?.[meta.id];
    const severity: Severity = s === 'warning' || s === 'info' || s === 'error' ? s : 'error';
    const what = file.syntax === 'yaml' ? 'YAML' : file.syntax === 'hcl' ? 'HCL' : 'JSON';
    const consequence = file.syntax === 'json' && file.shape !== 'cloudformation' ? 'so the task definition cannot be registered' : 'so it cannot be deployed';
    const places = new Set<number>();
    for (const e of file.parseErrors) {
      if (places.has(e.offset)) continue;
      places.add(e.offset);
      findings.push({
        ruleId: meta.id,
        severity,
        message: `${e.message}: the file is not valid ${what}, ${consequence} (and its rules were not checked). Fix the syntax here.`,
        docsUrl: meta.docsUrl,
        offset: e.offset,
        length: e.length,
        fixes: [],
      });
    }
  }
  findings.sort((a, b) => a.offset - b.offset || a.ruleId.localeCompare(b.ruleId));
  return findings;
}

/** The syntax a file is read with: by name (.yaml, .tf, ...), else by its first character. */
export function syntaxOf(fileName: string | undefined, text: string): Syntax {
  const name = (fileName ?? '').toLowerCase();
  if (/\.(ya?ml)$/.test(name)) return 'yaml';
  if (/\.tf$/.test(name)) return 'hcl';
  if (/\.(template|cfn)$/.test(name)) return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
  return 'json';
}

/** A JSON file: a task definition in one of its three shapes, a CloudFormation/CDK template, or a Terraform JSON template. */
export function readJson(text: string, fileName?: string): SourceFile {
  const template = /\.(tftpl|tpl)$/i.test(fileName ?? '');
  const { root, doc } = parseJsonTree(text, template);
  if (text.includes('AWS::ECS::') && looksLikeTemplate(root)) return readTemplate(text, 'json', root!, doc.parseErrors);
  return singleFile(recogniseJson(doc, root));
}

export interface LintResult {
  /** undefined: not an ECS task definition nor a template holding one (no findings). */
  shape: DocumentShape | undefined;
  /** Rule findings, sorted by position. */
  findings: Finding[];
  /** Syntax errors (as `json/parse` findings when `includeParseErrors` was set). */
  parseErrors: ParseProblem[];
  /** The first task definition (an empty document when there is none). */
  doc: TaskDoc;
  file: SourceFile;
}

/** Readers of the syntaxes that need a parser loaded on first use (src/iac). */
export interface Readers {
  yaml?(text: string): SourceFile;
  hcl?(text: string): SourceFile;
}

/**
 * Reads and lints `text`. Never throws. JSON is read here; YAML and HCL need `readers` (the
 * faces load them on first use); without one the file counts as not ours.
 */
export function lintText(text: string, options: LintOptions & { includeParseErrors?: boolean; fileName?: string; readers?: Readers } = {}): LintResult {
  const file = readSource(text, options.fileName, options.readers);
  const findings = lintFile(file, options);
  return { shape: file.shape, findings, parseErrors: file.parseErrors, doc: file.tasks[0] ?? emptyDoc(text, file.syntax), file };
}

/** The file model of `text` (see lintText). */
export function readSource(text: string, fileName?: string, readers?: Readers): SourceFile {
  const syntax = syntaxOf(fileName, text);
  if (syntax === 'yaml') return readers?.yaml ? readers.yaml(text) : singleFile(emptyDoc(text, 'yaml'));
  if (syntax === 'hcl') return readers?.hcl ? readers.hcl(text) : singleFile(emptyDoc(text, 'hcl'));
  return readJson(text, fileName);
}

/** Applies non-overlapping edits to a text (what the editor does with a quick fix). */
export function applyEdits(text: string, edits: ReadonlyArray<{ offset: number; length: number; newText: string }>): string {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
  return out;
}
