// A non-AWS answer (an HTML page from an endpoint that does not implement the call: moto,
// LocalStack, a proxy) is told apart from AWS's own errors, and put in words naming the call.
// The shapes below are what @aws-sdk v3 throws for an HTML 500 (seen against the simulator's
// faults.notImplemented): awsQuery "XML parse error", JSON "not valid JSON", and "Unknown".
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { classifyAwsError, isNonAwsAnswer, NotAwsAnswer, userMessage } from '../../../src/core/awsErrors';

const HTML_HEADERS = { 'content-type': 'text/html; charset=utf-8' };

function sdkError(name: string, message: string, status: number, headers?: Record<string, string>): Error {
  const e = Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status, attempts: 2 } });
  if (headers) Object.defineProperty(e, '$response', { value: { statusCode: status, headers }, enumerable: false });
  return e;
}

const XML_PARSE = sdkError(
  'Error',
  '@aws-sdk XML parse error: mismatched tags <html> and </title>.\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
  500,
  HTML_HEADERS,
);
const JSON_PARSE = sdkError('SyntaxError', 'Unexpected token \'<\', "<!doctype "... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.', 500, HTML_HEADERS);
const UNKNOWN_HTML = Object.assign(sdkError('Unknown', 'Unknown', 500, HTML_HEADERS), { $fault: 'server' });

describe('awsErrors: non-AWS answers', () => {
  it('recognises the SDK deserialization errors and an HTML content type', () => {
    for (const e of [XML_PARSE, JSON_PARSE, UNKNOWN_HTML, new NotAwsAnswer('iam:SimulatePrincipalPolicy', 500)]) assert.equal(isNonAwsAnswer(e), true, e.message);
  });

  it("leaves AWS's own errors alone, 5xx included", () => {
    const awsServer = Object.assign(sdkError('ServiceUnavailable', 'Service Unavailable', 503, { 'content-type': 'text/xml' }), { $fault: 'server' });
    const awsJson = sdkError('ServerException', 'Service Unavailable. Please try again later.', 500, { 'content-type': 'application/x-amz-json-1.1' });
    const denied = sdkError('AccessDenied', 'User: x is not authorized to perform: iam:SimulatePrincipalPolicy', 403, { 'content-type': 'text/xml' });
    const network = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });
    for (const e of [awsServer, awsJson, denied, network, new TypeError('x is undefined'), 'boom', undefined]) assert.equal(isNonAwsAnswer(e), false, String(e));
    assert.equal(classifyAwsError(awsServer).kind, 'server');
    assert.equal(classifyAwsError(denied).kind, 'access-denied');
  });

  it('says the endpoint does not implement the call, not a parse error, and does not retry it', () => {
    const c = classifyAwsError(XML_PARSE, { operation: 'iam:SimulatePrincipalPolicy' });
    assert.equal(c.kind, 'not-aws');
    assert.equal(c.retryable, false);
    assert.equal(c.credentials, false);
    assert.equal(c.message, 'The endpoint does not implement iam:SimulatePrincipalPolicy (it answered HTTP 500 with a page that is not an AWS response)');
    assert.doesNotMatch(userMessage(JSON_PARSE), /aws-sdk|XML parse|Deserialization|SyntaxError|\$response/);
    assert.match(userMessage(UNKNOWN_HTML), /does not implement this call \(it answered HTTP 500/);
    assert.match(userMessage(new NotAwsAnswer('logs:GetLogEvents', 500)), /^The endpoint does not implement logs:GetLogEvents/);
  });
});
