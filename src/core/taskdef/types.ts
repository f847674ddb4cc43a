/** Shared types of the task-definition linter. Pure data: no editor, no file system. */

export type Severity = 'error' | 'warning' | 'info';
/** What a user may set per rule: a severity, or `off`. */
export type RuleSetting = Severity | 'off';

/** One text replacement on the original document (offsets in UTF-16 code units, like the editor). */
export interface TextEdit {
  offset: number;
  length: number;
  newText: string;
}

/** A mechanical fix: the editor applies its edits as a quick fix, the CLI can print them. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one fix to apply when the user does not choose. */
  isPreferred?: boolean;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** What goes wrong in production, and how to fix it. */
  message: string;
  /** Documentation for the rule (AWS documentation). */
  docsUrl: string;
  /** Range of the offending value, or of the key of the object that lacks a property. */
  offset: number;
  length: number;
  fixes: Fix[];
}

/** The three shapes task definitions are kept in. */
export type DocumentShape =
  /** `aws ecs register-task-definition --cli-input-json` input: root has `containerDefinitions`. */
  | 'register'
  /** `aws ecs describe-task-definition` output: root has `taskDefinition`. */
  | 'describe'
  /** A bare array of container definitions (Terraform's `container_definitions`). */
  | 'containers'
  /** An `AWS::ECS::TaskDefinition` resource of a CloudFormation (or CDK) template. */
  | 'cloudformation'
  /** An `aws_ecs_task_definition` resource of a Terraform module. */
  | 'terraform';

export interface RuleMeta {
  id: string;
  severity: Severity;
  /** One line for the README table and `--help`. */
  summary: string;
  docsUrl: string;
}
