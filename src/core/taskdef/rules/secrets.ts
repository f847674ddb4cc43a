/** secrets/*: secrets that should not be in the task definition. */
import { items, prop, rangeOf, str } from '../document';
import { DOCS, type RuleFamily } from '../rule';

/** Words that make an environment variable name a secret. */
const SECRET_WORDS = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|AUTH_?KEY|CLIENT_?SECRET|DB_?PASS|SIGNING_?KEY|ENCRYPTION_?KEY)/;
/** Names that only point at a secret, or describe it (a secret's ARN, file, URL, id, length...). */
const NOT_SECRET_SUFFIX = /_(ARN|FILE|PATH|NAME|URL|URI|ENDPOINT|ID|REGION|TTL|EXPIRY|EXPIRES|EXPIRATION|LENGTH|TYPE|HEADER|ENABLED|DIR|VERSION|COUNT|PARAM|PARAMETER|KEY_ID|LIFETIME|TIMEOUT|REFRESH_INTERVAL)$/;

/** Is this environment variable name one that holds a secret? */
export function isSecretName(name: string): boolean {
  const n = name.toUpperCase().replace(/-/g, '_');
  if (n === 'AWS_ACCESS_KEY_ID') return true;
  if (!SECRET_WORDS.test(n)) return false;
  return !NOT_SECRET_SUFFIX.test(n);
}

function isReference(value: string): boolean {
  const v = value.trim();
  return (
    v === '' ||
    /^(true|false|yes|no|on|off|none|null|changeme)$/i.test(v) ||
    /^arn:aws[\w-]*:(secretsmanager|ssm|kms):/.test(v) ||
    /^(\/aws\/reference\/|\{\{resolve:)/.test(v)
  );
}

export const secretsFamily: RuleFamily = {
  rules: [
    { id: 'secrets/plaintext-environment', severity: 'warning', docsUrl: DOCS.secrets, summary: 'an environment variable named like a secret (PASSWORD, SECRET, TOKEN, API_KEY, ...) with a literal value' },
  ],
  check(doc, report) {
    for (const c of doc.containers) {
      for (const env of items(prop(c.node, 'environment'))) {
        const name = str(prop(env, 'name'));
        const valueNode = prop(env, 'value');
        const value = str(valueNode);
        if (name === undefined || value === undefined || !isSecretName(name) || isReference(value)) continue;
        report(
          'secrets/plaintext-environment',
          rangeOf(valueNode!),
          `Container "${c.name ?? c.index + 1}": ${name} looks like a secret but its value is written in the task definition, ` +
            'where anyone allowed ecs:DescribeTaskDefinition (and the console, and CI logs) can read it, in every revision forever. ' +
            `Store it in Secrets Manager or SSM Parameter Store and reference it from "secrets": [{"name": "${name}", "valueFrom": "<arn>"}], then rotate the exposed value.`,
        );
      }
    }
  },
};
