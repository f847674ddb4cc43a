/** core/taskdef: the task-definition linter (pure; used by the editor, the CLI and the benchmark). */
export { parseTaskDefinition, type TaskDoc, type ContainerView, type ParseProblem, type Range, type Syntax, type Node } from './document';
export { lintText, lintDocument, lintFile, readSource, readJson, syntaxOf, applyEdits, RULES, PARSE_RULE, ruleMeta, type LintOptions, type LintResult, type Readers } from './lint';
export type { SourceFile, ServiceView, TargetGroupView } from './source';
export { hoverAt, type HoverInfo } from './hover';
export { HEALTH_CHECK_FIELDS, healthCheckFieldMarkdown } from './healthCheckFields';
export { LineIndex } from './positions';
export type { DocumentShape, Finding, Fix, RuleMeta, RuleSetting, Severity, TextEdit } from './types';
