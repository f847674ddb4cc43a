// The rules in CloudFormation (YAML and JSON), CDK output, Terraform .tf and templatefile() JSON:
// same ids on the right text, unknown values never judged, quick fixes in the file's syntax.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { applyEdits, hoverAt, lintText, type Finding, type Readers } from '../../../../src/core/taskdef';
import { readers as loadReaders } from '../../../../src/iac/index';

const IAC = path.resolve('test/fixtures/taskdefs/iac');
const read = (p: string) => readFileSync(path.join(IAC, p), 'utf8');

let readers: Readers;
before(async () => {
  readers = await loadReaders(['yaml', 'hcl']);
});

function lint(text: string, fileName: string, includeParseErrors = false) {
  return lintText(text, { fileName, readers, includeParseErrors });
}

/** "ruleId text-under-range" per finding. */
function seen(text: string, findings: Finding[]): string[] {
  return findings.map((f) => `${f.ruleId} ${text.slice(f.offset, f.offset + f.length)}`);
}

function fix(text: string, f: Finding): string {
  const x = f.fixes.find((y) => y.isPreferred) ?? f.fixes[0];
  assert.ok(x, `no fix for ${f.ruleId}`);
  return applyEdits(text, x.edits);
}

const yamlOk = (t: string) => assert.deepEqual(parseDocument(t).errors, [], t);

function template(props: string, extra = ''): string {
  return `Resources:\n  TD:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n${props.replace(/^/gm, '      ')}\n${extra}`;
}

const GOOD_CONTAINER = `ContainerDefinitions:
  - Name: web
    Image: nginx:1.27
    PortMappings:
      - ContainerPort: 8080
    HealthCheck:
      Command: [CMD-SHELL, curl -f http://localhost:8080/ || exit 1]
      StartPeriod: 60`;

describe('CloudFormation YAML templates', () => {
  it('finds the fixture template\'s mistakes on the right text', () => {
    const text = read('cloudformation/web.yaml');
    const r = lint(text, 'web.yaml');
    assert.equal(r.shape, 'cloudformation');
    assert.deepEqual(seen(text, r.findings), [
      'health-check/no-start-period HealthCheck',
      'health-check/exec-form-string curl -f http://localhost:8080/health',
      'service/grace-period LoadBalancers',
      'service/container-port 80',
      'service/target-type instance',
    ]);
  });

  it('judges no value an intrinsic function computes (short-form tags and Fn:: maps)', () => {
    const text = template(`RequiresCompatibilities: !Ref Compat
NetworkMode: !If [C, awsvpc, bridge]
Cpu: !Ref Cpu
Memory: {"Fn::FindInMap": [M, a, b]}
ContainerDefinitions:
  - Name: !Sub '\${AWS::StackName}-web'
    Image: !Ref Image
    Essential: !Ref E
    PortMappings:
      - ContainerPort: !Ref Port
    HealthCheck:
      Command: !Split [',', !Ref Cmd]
      Interval: !Ref I
      Timeout: !Ref T
      Retries: !GetAtt X.Y
      StartPeriod: !Ref S
    DependsOn:
      - ContainerName: !ImportValue other
        Condition: HEALTHY
    LogConfiguration:
      LogDriver: awslogs
      Options: !Ref Opts
  - Name: side
    Image: !Join [':', [busybox, !Ref Tag]]
    Essential: !Ref E2
    HealthCheck:
      Command: [CMD, !Ref Prog, localhost]
      StartPeriod: 10
ExecutionRoleArn: !GetAtt Role.Arn`);
    const r = lint(text, 't.yaml', true);
    assert.deepEqual(r.parseErrors, []);
    assert.deepEqual(seen(text, r.findings), []);
  });

  it('writes quick fixes as YAML in PascalCase, and the fixed template parses and is clean of that rule', () => {
    const text = template(`RequiresCompatibilities: [FARGATE]
Cpu: 256
Memory: 512
ExecutionRoleArn: arn:aws:iam::123456789012:role/x
ContainerDefinitions:
  - Name: web
    Image: nginx:1.27
    PortMappings:
      - ContainerPort: 8080
    HealthCheck:
      Command:
        - curl -f http://localhost:8080/
      Interval: 30`);
    const r = lint(text, 't.yml');
    const byId = (id: string) => r.findings.find((f) => f.ruleId === id)!;
    const sp = fix(text, byId('health-check/no-start-period'));
    assert.match(sp, /\n {12}Interval: 30\n {12}StartPeriod: 60/);
    yamlOk(sp);
    assert.ok(!lint(sp, 't.yml').findings.some((f) => f.ruleId === 'health-check/no-start-period'));
    const nm = fix(text, byId('fargate/network-mode'));
    assert.match(nm, /\n {6}NetworkMode: "awsvpc"/);
    yamlOk(nm);
    const cmd = fix(text, byId('health-check/command'));
    assert.match(cmd, /- "CMD-SHELL"\n {14}- curl -f/);
    yamlOk(cmd);
    assert.ok(!lint(cmd, 't.yml').findings.some((f) => f.ruleId === 'health-check/command'));
  });

  it('reads CloudFormation\'s string numbers as numbers ("60" is a valid StartPeriod)', () => {
    const text = template(`Memory: '1024'\n${GOOD_CONTAINER.replace('StartPeriod: 60', "StartPeriod: '60'\n      Interval: '30'")}`);
    assert.deepEqual(seen(text, lint(text, 't.yaml').findings), []);
  });

  it('hovers healthCheck fields in YAML', () => {
    const text = template(GOOD_CONTAINER);
    const r = lint(text, 't.yaml');
    const at = text.indexOf('StartPeriod') + 3;
    const h = hoverAt(r.file, at);
    assert.ok(h && /healthCheck\.startPeriod/.test(h.markdown));
    assert.equal(text.slice(h.offset, h.offset + h.length), 'StartPeriod');
    const o = hoverAt(r.file, text.indexOf('HealthCheck') + 1);
    assert.ok(o && /\*\*healthCheck\*\*/.test(o.markdown));
  });

  it('reports broken YAML as yaml/parse (CLI) and never other YAML', () => {
    const broken = template(GOOD_CONTAINER) + '  X: [unclosed\n';
    const r = lint(broken, 't.yaml', true);
    assert.ok(r.findings.length > 0 && r.findings.every((f) => f.ruleId === 'yaml/parse'), JSON.stringify(r.findings));
    for (const other of ['apiVersion: v1\nkind: Pod\n', 'a: [b\n', 'on: push\njobs: {}\n']) {
      const o = lint(other, 'x.yaml', true);
      assert.equal(o.shape, undefined);
      assert.deepEqual(o.findings, []);
    }
  });

  it('lints 50 task definitions of one template independently', () => {
    let text = 'Resources:\n';
    for (let i = 0; i < 50; i++) text += `  T${i}:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n${GOOD_CONTAINER.replace('StartPeriod: 60', 'StartPeriod: 0').replace(/^/gm, '      ')}\n`;
    const r = lint(text, 'big.yaml');
    assert.equal(r.file.tasks.length, 50);
    assert.equal(r.findings.filter((f) => f.ruleId === 'health-check/no-start-period').length, 50);
  });
});

describe('CloudFormation JSON and CDK output', () => {
  it('finds the CDK template\'s mistakes (long-form intrinsics are unknown)', () => {
    const text = read('cdk.out/WebStack.template.json');
    const r = lint(text, 'cdk.out/WebStack.template.json');
    assert.equal(r.shape, 'cloudformation');
    assert.deepEqual(seen(text, r.findings), [
      'health-check/curl-without-fail curl',
      'health-check/timeout-exceeds-interval 10',
      'service/grace-period 10',
    ]);
  });

  it('writes JSON quick fixes with PascalCase keys', () => {
    const text = read('cdk.out/WebStack.template.json').replace('"StartPeriod": 30,', '');
    const r = lint(text, 'x.template.json');
    const f = r.findings.find((x) => x.ruleId === 'health-check/no-start-period')!;
    const fixed = fix(text, f);
    assert.match(fixed, /"StartPeriod": 60/);
    JSON.parse(fixed);
  });
});

describe('Terraform', () => {
  it('finds the module\'s mistakes in jsonencode() and across resources', () => {
    const text = read('terraform/main.tf');
    const r = lint(text, 'main.tf');
    assert.equal(r.shape, 'terraform');
    assert.deepEqual(r.parseErrors, []);
    assert.deepEqual(seen(text, r.findings), [
      'fargate/cpu-memory 4096',
      'health-check/no-start-period healthCheck',
      'health-check/curl-without-fail curl',
      'health-check/timeout-exceeds-interval 30',
      'secrets/plaintext-environment "hunter2"',
      'logging/awslogs-stream-prefix options',
      'service/grace-period 0',
      'service/target-type "app"',
    ]);
  });

  it('writes quick fixes in HCL (snake_case in blocks, = in objects, $${ escaped)', async () => {
    const text = read('terraform/main.tf');
    const r = lint(text, 'main.tf');
    const byId = (id: string) => r.findings.find((f) => f.ruleId === id)!;
    const sp = fix(text, byId('health-check/no-start-period'));
    assert.match(sp, /timeout {2}= 30\n {8}startPeriod = 60/);
    const tg = fix(text, byId('service/target-type'));
    assert.match(tg, /vpc_id {3}= var\.vpc_id\n {2}target_type = "ip"/);
    const log = fix(text, byId('logging/awslogs-stream-prefix'));
    assert.match(log, /"awslogs-stream-prefix" = "ecs"/);
    for (const t of [sp, tg, log, fix(text, byId('health-check/curl-without-fail')), fix(text, byId('service/grace-period'))]) {
      const again = lint(t, 'main.tf', true);
      assert.deepEqual(again.parseErrors, [], t);
    }
    assert.ok(!lint(sp, 'main.tf').findings.some((f) => f.ruleId === 'health-check/no-start-period'));
    assert.ok(!lint(tg, 'main.tf').findings.some((f) => f.ruleId === 'service/target-type'));
    // A value holding ${ is written as a literal.
    const shell = text.replace('curl http://localhost:8080/health || exit 1', () => 'curl http://localhost:8080/$${X} || exit 1');
    const c = lint(shell, 'main.tf').findings.find((f) => f.ruleId === 'health-check/curl-without-fail')!;
    assert.match(fix(shell, c), /"curl -f http:\/\/localhost:8080\/\$\$\{X\} \|\| exit 1"/);
  });

  it('judges no variable, local, reference, function call or interpolation', () => {
    const text = `resource "aws_ecs_task_definition" "t" {
  requires_compatibilities = var.compat
  network_mode = local.mode
  cpu = var.cpu
  memory = var.memory
  execution_role_arn = aws_iam_role.x.arn
  container_definitions = jsonencode([{
    name = "\${var.name}"
    image = "nginx:\${var.tag}"
    essential = var.essential
    portMappings = [for p in var.ports : { containerPort = p }]
    healthCheck = { command = var.cmd, interval = var.i, timeout = local.t, startPeriod = lookup(var.m, "sp") }
    dependsOn = [{ containerName = var.dep, condition = "HEALTHY" }]
  }])
}
resource "aws_ecs_task_definition" "u" {
  requires_compatibilities = ["FARGATE"]
  network_mode = "awsvpc"
  cpu = 256
  memory = 512
  execution_role_arn = "arn:aws:iam::123456789012:role/x"
  container_definitions = file("containers.json")
}`;
    const r = lint(text, 'x.tf', true);
    assert.deepEqual(r.parseErrors, []);
    assert.equal(r.file.tasks.length, 2);
    assert.deepEqual(seen(text, r.findings), []);
  });

  it('reads container_definitions written as a heredoc of JSON, in place', () => {
    const text = `resource "aws_ecs_task_definition" "h" {
  family                   = "h"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = "arn:aws:iam::123456789012:role/x"
  container_definitions    = <<-EOF
    [
      {
        "name": "web",
        "image": "\${var.image}",
        "essential": true,
        "portMappings": [{ "containerPort": 8080 }],
        "healthCheck": { "command": ["CMD-SHELL", "curl http://localhost:8080/health || exit 1"], "interval": 30, "timeout": 5, "retries": 3 }
      }
    ]
  EOF
}
`;
    const r = lint(text, 'h.tf', true);
    assert.deepEqual(r.parseErrors, []);
    // The findings land on the heredoc's own JSON; the placeholder image is not judged.
    assert.deepEqual(seen(text, r.findings), ['health-check/no-start-period "healthCheck"', 'health-check/curl-without-fail "curl http://localhost:8080/health || exit 1"']);
    // The quick fix writes JSON inside the heredoc, and the result still reads.
    const sp = fix(text, r.findings.find((f) => f.ruleId === 'health-check/no-start-period')!);
    assert.match(sp, /"retries": 3,\s*"startPeriod": 60/);
    const again = lint(sp, 'h.tf', true);
    assert.deepEqual(again.parseErrors, []);
    assert.ok(!again.findings.some((f) => f.ruleId === 'health-check/no-start-period'));
    // A heredoc built with %{ for } directives, or not JSON at all, is unknown: no finding, no error.
    const built = text.replace('"name": "web",', '%{ for n in var.names }"name": "${n}",%{ endfor }');
    assert.deepEqual(seen(built, lint(built, 'h.tf', true).findings), []);
    const broken = text.replace('"essential": true,', '"essential": true,,,');
    assert.deepEqual(seen(broken, lint(broken, 'h.tf', true).findings), []);
    // What follows a heredoc is read as before: an attribute after it, and another resource.
    const after = text.replace('  EOF\n}\n', '  EOF\n  cpu_architecture = "X86_64"\n}\nresource "aws_ecs_task_definition" "next" {\n  requires_compatibilities = ["FARGATE"]\n  network_mode = "awsvpc"\n  cpu = 4096\n  memory = 512\n  container_definitions = jsonencode([{ name = "n", image = "nginx:1.27" }])\n}\n');
    assert.notEqual(after, text);
    const ra = lint(after, 'h.tf', true);
    assert.deepEqual(ra.parseErrors, []);
    assert.equal(ra.file.tasks.length, 2);
    // The resource after the heredoc is linted: 4096 CPU units with 512 MiB is no Fargate size.
    assert.ok(seen(after, ra.findings).includes('fargate/cpu-memory 512'), JSON.stringify(seen(after, ra.findings)));
  });

  it('hovers healthCheck fields in HCL', () => {
    const text = read('terraform/main.tf');
    const r = lint(text, 'main.tf');
    const h = hoverAt(r.file, text.indexOf('interval = 30') + 2);
    assert.ok(h && /healthCheck\.interval/.test(h.markdown));
  });

  it('reports broken HCL as hcl/parse (CLI)', () => {
    const r = lint('resource "aws_ecs_task_definition" "x" {\n  cpu = \n', 'x.tf', true);
    assert.ok(r.findings.length > 0 && r.findings.every((f) => f.ruleId === 'hcl/parse'), JSON.stringify(r.findings));
  });

  it('reads blocks and jsonencode() values nested thousands deep without overflowing the stack', () => {
    const n = 6000;
    const blocks = `resource "aws_ecs_service" "s" {\n  launch_type = "FARGATE"\n${'b {\n'.repeat(n)}x = 1\n${'}\n'.repeat(n)}}\n`;
    const r = lint(blocks, 'deep.tf', true);
    assert.deepEqual(r.parseErrors, []);
    assert.equal(r.file.services.length, 1);
    let depth = 0;
    for (let o = r.file.services[0]!.props; ; depth++) {
      const b = o.children?.find((p) => p.children?.[0]?.value === 'b')?.children?.[1];
      if (!b) break;
      o = b;
    }
    assert.equal(depth, n);
    const values = `resource "aws_ecs_task_definition" "t" {\n  container_definitions = jsonencode(${'[{ a = '.repeat(n)}1${' }]'.repeat(n)})\n}\n`;
    const v = lint(values, 'deep.tf', true);
    assert.deepEqual(v.parseErrors, []);
    assert.equal(v.file.tasks.length, 1);
  });

  it('reads templatefile() JSON: ${...} placeholders are values, never parse errors', () => {
    const text = read('terraform/containers.json.tftpl');
    const r = lint(text, 'containers.json.tftpl', true);
    assert.equal(r.shape, 'containers');
    assert.deepEqual(seen(text, r.findings), ['health-check/no-start-period "healthCheck"']);
    // Without the template extension a placeholder outside a string still parses.
    assert.deepEqual(lint(text, 'containers.json', true).parseErrors, []);
  });
});

describe('service/ rules', () => {
  const svc = (lb: string, extra = '') => `  S:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref TD
      LaunchType: FARGATE
${extra}      LoadBalancers:
${lb}
  TG:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      TargetType: ip
`;
  const base = (lb: string, extra = '') => template(`RequiresCompatibilities: [FARGATE]\nNetworkMode: awsvpc\nCpu: 256\nMemory: 512\n${GOOD_CONTAINER}`, svc(lb, extra));
  const LB = '        - ContainerName: web\n          ContainerPort: 8080\n          TargetGroupArn: !Ref TG';

  it('grace-period: missing, 0 or below startPeriod; fine at or above it; not judged when computed', () => {
    const ids = (t: string) => lint(t, 't.yaml').findings.filter((f) => f.ruleId.startsWith('service/')).map((f) => f.ruleId);
    assert.deepEqual(ids(base(LB)), ['service/grace-period']);
    assert.deepEqual(ids(base(LB, '      HealthCheckGracePeriodSeconds: 0\n')), ['service/grace-period']);
    assert.deepEqual(ids(base(LB, '      HealthCheckGracePeriodSeconds: 30\n')), ['service/grace-period']);
    assert.deepEqual(ids(base(LB, '      HealthCheckGracePeriodSeconds: 60\n')), []);
    assert.deepEqual(ids(base(LB, '      HealthCheckGracePeriodSeconds: !Ref G\n')), []);
    const t = base(LB, '      HealthCheckGracePeriodSeconds: 30\n');
    const f = lint(t, 't.yaml').findings.find((x) => x.ruleId === 'service/grace-period')!;
    assert.match(fix(t, f), /HealthCheckGracePeriodSeconds: 60/);
  });

  it('container-port and target-type', () => {
    const g = '      HealthCheckGracePeriodSeconds: 60\n';
    const ids = (t: string) => lint(t, 't.yaml').findings.map((f) => `${f.ruleId} ${t.slice(f.offset, f.offset + f.length)}`);
    assert.deepEqual(ids(base(LB.replace('ContainerName: web', 'ContainerName: Web'), g)), ['service/container-port Web']);
    assert.deepEqual(ids(base(LB.replace('ContainerPort: 8080', 'ContainerPort: 80'), g)), ['service/container-port 80']);
    assert.deepEqual(ids(base(LB.replace('ContainerPort: 8080', 'ContainerPort: !Ref P'), g)), []);
    assert.deepEqual(ids(base(LB, g).replace('TargetType: ip', 'TargetType: instance')), ['service/target-type instance']);
    assert.deepEqual(ids(base(LB, g).replace('TargetType: ip', 'TargetType: !Ref TT')), []);
    const noType = base(LB, g).replace('      TargetType: ip\n', '      Port: 80\n');
    const f = lint(noType, 't.yaml').findings.find((x) => x.ruleId === 'service/target-type')!;
    const fixed = fix(noType, f);
    assert.match(fixed, /Port: 80\n {6}TargetType: "ip"/);
    yamlOk(fixed);
  });
});
