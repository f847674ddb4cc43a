/** roles/*: what the agent does with the execution role. */
import { items, keyOf, prop, rangeOf, str, type ContainerView, type Range } from '../document';
import { DOCS, type RuleFamily } from '../rule';

const PRIVATE_ECR = /^\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\//;

function label(c: ContainerView): string {
  return c.name !== undefined ? `Container "${c.name}"` : `Container #${c.index + 1}`;
}

export const rolesFamily: RuleFamily = {
  rules: [
    { id: 'roles/execution-role', severity: 'error', docsUrl: DOCS.executionRole, summary: 'secrets, awslogs, a private ECR image or repositoryCredentials without executionRoleArn' },
  ],
  check(doc, report) {
    if (!doc.task) return;
    const roleNode = prop(doc.task, 'executionRoleArn');
    const role = str(roleNode);
    if (role !== undefined && role.trim() !== '') return;
    if (roleNode?.type === 'unknown') return; // a reference (!GetAtt Role.Arn, aws_iam_role.x.arn)
    const tail =
      'The ECS agent does this with the task execution role, so without "executionRoleArn" the task stops before it starts (ResourceInitializationError or CannotPullContainerError). ' +
      'Set "executionRoleArn" to a role with the AmazonECSTaskExecutionRolePolicy (plus secretsmanager:GetSecretValue / ssm:GetParameters / kms:Decrypt for secrets).';
    for (const c of doc.containers) {
      const hits: Array<[Range, string]> = [];
      const secretsKey = keyOf(c.node, 'secrets');
      if (secretsKey && items(prop(c.node, 'secrets')).length > 0) hits.push([rangeOf(secretsKey), 'injects secrets (Secrets Manager / SSM Parameter Store)']);
      const lc = prop(c.node, 'logConfiguration');
      const driver = prop(lc, 'logDriver');
      if (str(driver) === 'awslogs') hits.push([rangeOf(driver!), 'sends logs to CloudWatch Logs (awslogs)']);
      const so = keyOf(lc, 'secretOptions');
      if (so && items(prop(lc, 'secretOptions')).length > 0) hits.push([rangeOf(so), 'reads log-driver secretOptions']);
      const image = prop(c.node, 'image');
      if (PRIVATE_ECR.test(str(image) ?? '')) hits.push([rangeOf(image!), 'pulls a private Amazon ECR image']);
      const rc = keyOf(c.node, 'repositoryCredentials');
      if (rc) hits.push([rangeOf(rc), 'uses repositoryCredentials for a private registry']);
      const ef = keyOf(c.node, 'environmentFiles');
      if (ef && items(prop(c.node, 'environmentFiles')).length > 0) hits.push([rangeOf(ef), 'loads environmentFiles from S3']);
      for (const [range, what] of hits) {
        report('roles/execution-role', range, `${label(c)} ${what}. ${tail}`);
      }
    }
  },
};
