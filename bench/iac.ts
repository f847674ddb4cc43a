// The linter on infrastructure as code: a 5,000-line CloudFormation YAML template with 50 task
// definitions (against the yaml package's own parse of it, same options) and a 2,000-line
// Terraform module (against web-tree-sitter's own parse). Inputs are generated here. Linearity:
// the same inputs four times as long should take about four times as long (scale4x near 4).
import { parseDocument } from 'yaml';
import { lintText, type Readers } from '../src/core/taskdef/lint';
import { YAML_OPTIONS } from '../src/core/taskdef/yaml';
import { loadHclParser, readers as loadReaders } from '../src/iac/index';
import { median, round } from './common';

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** A CloudFormation template: `tasks` task definitions of about 100 lines each, with a service and a target group each. */
export function cloudFormationTemplate(tasks: number): string {
  const out = ["AWSTemplateFormatVersion: '2010-09-09'", 'Parameters:', '  Image:', '    Type: String', 'Resources:'];
  for (let i = 0; i < tasks; i++) {
    out.push(
      `  Task${i}:`, '    Type: AWS::ECS::TaskDefinition', '    Properties:', `      Family: !Sub '\${AWS::StackName}-web${i}'`,
      '      RequiresCompatibilities: [FARGATE]', '      NetworkMode: awsvpc', "      Cpu: '512'", "      Memory: '1024'",
      '      ExecutionRoleArn: !GetAtt ExecutionRole.Arn', '      ContainerDefinitions:',
    );
    for (const [name, port] of [['web', 8080], ['sidecar', 9090], ['proxy', 8443]] as const) {
      out.push(
        `        - Name: ${name}`, '          Image: !Ref Image', '          Essential: true', '          PortMappings:',
        `            - ContainerPort: ${port}`, '              Protocol: tcp', '          HealthCheck:', '            Command:', '              - CMD-SHELL',
        `              - curl -f http://localhost:${port}/health || exit 1`, '            Interval: 30', '            Timeout: 5', '            Retries: 3',
        `            StartPeriod: ${i % 2 ? 60 : 0}`, '          Environment:', '            - Name: STAGE', '              Value: !Ref AWS::StackName',
        '            - Name: DB_PASSWORD', '              Value: hunter2', '          LogConfiguration:', '            LogDriver: awslogs', '            Options:',
        "              awslogs-group: !Sub '/ecs/${AWS::StackName}'", '              awslogs-region: !Ref AWS::Region', '              awslogs-stream-prefix: web',
      );
    }
    out.push(
      `  Service${i}:`, '    Type: AWS::ECS::Service', '    Properties:', `      TaskDefinition: !Ref Task${i}`, '      LaunchType: FARGATE',
      '      HealthCheckGracePeriodSeconds: 30', '      LoadBalancers:', '        - ContainerName: web', '          ContainerPort: 8080',
      `          TargetGroupArn: !Ref TargetGroup${i}`, `  TargetGroup${i}:`, '    Type: AWS::ElasticLoadBalancingV2::TargetGroup', '    Properties:',
      '      Port: 8080', '      Protocol: HTTP', `      TargetType: ${i % 3 ? 'ip' : 'instance'}`,
    );
  }
  return out.join('\n') + '\n';
}

/** A Terraform module: `tasks` task definitions (with jsonencode) and their services, about 80 lines each. */
export function terraformModule(tasks: number): string {
  const out: string[] = ['variable "image" {', '  type = string', '}', ''];
  for (let i = 0; i < tasks; i++) {
    out.push(
      `resource "aws_ecs_task_definition" "app${i}" {`, `  family                   = "app${i}"`, '  requires_compatibilities = ["FARGATE"]',
      '  network_mode             = "awsvpc"', '  cpu                      = 512', '  memory                   = 1024',
      '  execution_role_arn       = aws_iam_role.execution.arn', '  container_definitions = jsonencode([',
    );
    for (const [name, port] of [['web', 8080], ['sidecar', 9090]] as const) {
      out.push(
        '    {', `      name         = "${name}"`, '      image        = var.image', '      essential    = true',
        `      portMappings = [{ containerPort = ${port}, protocol = "tcp" }]`, '      healthCheck = {',
        `        command     = ["CMD-SHELL", "curl -f http://localhost:${port}/health || exit 1"]`, '        interval    = 30', '        timeout     = 5',
        `        startPeriod = ${i % 2 ? 60 : 0}`, '      }', '      environment = [', '        { name = "STAGE", value = terraform.workspace },',
        '        { name = "DB_PASSWORD", value = "hunter2" },', '      ]', '      logConfiguration = {', '        logDriver = "awslogs"', '        options = {',
        `          "awslogs-group"         = "/ecs/app${i}"`, '          "awslogs-region"        = "eu-west-1"', '          "awslogs-stream-prefix" = "ecs"',
        '        }', '      }', '    },',
      );
    }
    out.push(
      '  ])', '}', '', `resource "aws_ecs_service" "app${i}" {`, `  task_definition                   = aws_ecs_task_definition.app${i}.arn`,
      '  launch_type                       = "FARGATE"', '  health_check_grace_period_seconds = 30', '  load_balancer {',
      `    target_group_arn = aws_lb_target_group.app${i}.arn`, '    container_name   = "web"', '    container_port   = 8080', '  }', '}', '',
      `resource "aws_lb_target_group" "app${i}" {`, '  port        = 8080', `  target_type = "${i % 3 ? 'ip' : 'instance'}"`, '}', '',
    );
  }
  return out.join('\n');
}

/** Tasks that make a text of at least `lines` lines. */
function sized(make: (n: number) => string, lines: number): string {
  let n = 1;
  while (make(n).split('\n').length < lines) n++;
  return make(n);
}

function pair(samples: number, parse: () => void, lint: () => void): { parse: number; lint: number } {
  for (let i = 0; i < 5; i++) {
    parse();
    lint();
  }
  const p: number[] = [];
  const l: number[] = [];
  for (let i = 0; i < samples; i++) {
    p.push(time(parse));
    l.push(time(lint));
  }
  return { parse: median(p), lint: median(l) };
}

export async function benchIac(samples = 15): Promise<Record<string, number>> {
  const readers: Readers = await loadReaders(['yaml', 'hcl']);
  const parser = await loadHclParser();
  const cfn = cloudFormationTemplate(50);
  const cfn4 = cloudFormationTemplate(200);
  const tf = sized(terraformModule, 2000);
  const tf4 = sized(terraformModule, 8000);
  const lintYaml = (t: string) => () => {
    const r = lintText(t, { fileName: 't.yaml', readers, includeParseErrors: true });
    if (r.file.tasks.length === 0) throw new Error('the generated template was not recognised');
  };
  const lintTf = (t: string) => () => {
    const r = lintText(t, { fileName: 'main.tf', readers, includeParseErrors: true });
    if (r.file.tasks.length === 0 || r.parseErrors.length) throw new Error('the generated module was not recognised');
  };
  const y = pair(samples, () => parseDocument(cfn, YAML_OPTIONS), lintYaml(cfn));
  const y4 = median(Array.from({ length: 5 }, () => time(lintYaml(cfn4))));
  const h = pair(samples, () => parser.parse(tf)?.delete(), lintTf(tf));
  const h4 = median(Array.from({ length: 5 }, () => time(lintTf(tf4))));
  return {
    'iac.yamlLines': cfn.split('\n').length,
    'iac.yamlLintP50Ms': round(y.lint, 2),
    'iac.yamlParseP50Ms': round(y.parse, 2),
    'iac.yamlRatioToParse': round(y.lint / y.parse, 2),
    'iac.yamlScale4x': round(y4 / y.lint, 2),
    'iac.tfLines': tf.split('\n').length,
    'iac.tfLintP50Ms': round(h.lint, 2),
    'iac.tfParseP50Ms': round(h.parse, 2),
    'iac.tfRatioToParse': round(h.lint / h.parse, 2),
    'iac.tfScale4x': round(h4 / h.lint, 2),
  };
}
