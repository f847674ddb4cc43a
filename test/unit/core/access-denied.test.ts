// One access-denied detector (core/awsErrors isAccessDenied) and one error-name helper (errorName)
// for the diagnosis collectors, the Exec preflight and the error classifier. The detector covers
// everything the three used to recognise on their own.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { classifyAwsError, errorName, isAccessDenied } from '../../../src/core/awsErrors';

function err(name: string, message = 'm', extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name }, extra);
}

const NOT_AUTHORIZED = 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ecs:RunTask';

/** What src/aws/diagnose/guard.ts recognised (a list of names, and ClientException with the text). */
const GUARD: Error[] = [
  err('AccessDeniedException'),
  err('AccessDenied'),
  err('UnauthorizedOperation'),
  err('UnauthorizedException'),
  err('NotAuthorized'),
  err('AuthorizationError'),
  err('ClientException:AccessDenied'),
  err('ClientException', NOT_AUTHORIZED),
  err('ClientException', 'Access Denied'),
];
/** What src/aws/exec.ts recognised (a pattern over the name). */
const EXEC: Error[] = [
  err('AccessDeniedException'),
  err('KMSAccessDeniedException'),
  err('UnauthorizedOperation'),
  err('NotAuthorizedException'),
  err('UnrecognizedClientException'),
  err('accessdenied'),
];
/** What src/core/awsErrors.ts classified as access denied (three names, and HTTP 403). */
const CLASSIFIER: Error[] = [
  err('AccessDeniedException'),
  err('AccessDenied'),
  err('UnauthorizedOperation'),
  err('Forbidden', 'Forbidden', { $metadata: { httpStatusCode: 403 } }),
  err('OptInRequired', 'You are not subscribed to this service.', { $metadata: { httpStatusCode: 403 } }),
];

describe('isAccessDenied', () => {
  it('recognises everything the diagnosis guard, the Exec preflight and the classifier recognised', () => {
    for (const e of [...GUARD, ...EXEC, ...CLASSIFIER]) assert.equal(isAccessDenied(e), true, `${e.name}: ${e.message}`);
  });

  it('reads every flavour of the name: name, Code (awsQuery), code (EC2), __type (JSON)', () => {
    assert.equal(isAccessDenied({ Code: 'AccessDenied', message: 'x' }), true);
    assert.equal(isAccessDenied({ code: 'UnauthorizedOperation' }), true);
    assert.equal(isAccessDenied({ __type: 'AccessDeniedException' }), true);
  });

  it('is not fooled by other errors, credential errors on 403, or non-errors', () => {
    const no: unknown[] = [
      err('ThrottlingException', 'Rate exceeded'),
      err('ClusterNotFoundException', 'Cluster not found.'),
      err('ResourceNotFoundException'),
      err('InvalidParameterException', 'not authorized'),
      err('ClientException', 'Unable to describe task definition.'),
      err('InvalidClientTokenId', 'The security token included in the request is invalid.', { $metadata: { httpStatusCode: 403 } }),
      err('SignatureDoesNotMatch', 'x', { $metadata: { httpStatusCode: 403 } }),
      err('ExpiredTokenException', 'x', { $metadata: { httpStatusCode: 403 } }),
      err('InternalFailure', 'x', { $metadata: { httpStatusCode: 500 } }),
      new Error('access denied'),
      new TypeError('x'),
      undefined,
      null,
      'AccessDenied',
      42,
    ];
    for (const e of no) assert.equal(isAccessDenied(e), false, String((e as { name?: string })?.name ?? e));
  });

  it('the classifier calls them access denied, after the credential and SSO errors it names first', () => {
    for (const e of [...GUARD, ...EXEC, ...CLASSIFIER].filter((x) => x.name !== 'UnrecognizedClientException')) {
      const c = classifyAwsError(e);
      assert.equal(c.kind, 'access-denied', e.name);
      assert.match(c.message, /^Access denied: /, e.name);
    }
    assert.equal(classifyAwsError(err('UnrecognizedClientException', 'The security token included in the request is invalid.')).kind, 'credentials-invalid');
    assert.equal(classifyAwsError(err('UnauthorizedException', 'Session token not found or invalid (SSO)')).kind, 'sso-expired');
  });
});

describe('errorName', () => {
  it('name, then Code, code and __type; "" when there is none', () => {
    assert.equal(errorName(err('ClusterNotFoundException')), 'ClusterNotFoundException');
    assert.equal(errorName({ Code: 'NoSuchEntity' }), 'NoSuchEntity');
    assert.equal(errorName({ code: 'InvalidSubnetID.NotFound' }), 'InvalidSubnetID.NotFound');
    assert.equal(errorName({ __type: 'ResourceNotFoundException' }), 'ResourceNotFoundException');
    assert.equal(errorName({ name: 'A', Code: 'B', code: 'C', __type: 'D' }), 'A');
    for (const v of [undefined, null, 'text', 42, {}]) assert.equal(errorName(v), '', String(v));
  });
});
