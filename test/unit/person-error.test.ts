// The one mapping from a thrown value to what a person reads (title — reason. Fix: … [CODE]): network failures
// become ENDPOINT_UNREACHABLE naming the profile and the endpoint, classified errors keep their code, real bugs are
// INTERNAL_ERROR with details to copy. Real Node socket errors are produced where it is cheap (a closed port).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { OrgConnectError } from '../../main/core/errors.js';
import { titleForCode } from '../../main/core/error-titles.js';
import { networkFailure, oneLine, tagEndpointContext, toPersonError } from '../../main/core/person-error.js';

async function closedPortError(): Promise<unknown> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return fetch(`http://127.0.0.1:${port}/`).then(
    () => assert.fail('the port should be closed'),
    (error: unknown) => error,
  );
}

const nodeError = (code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${code} something`), { code, ...extra });

test('a refused connection (a real one, wrapped as fetch wraps it) is ENDPOINT_UNREACHABLE with profile and endpoint', async () => {
  const error = await closedPortError();
  tagEndpointContext(error, { profile: 'lab', endpoint: 'http://127.0.0.1:9', service: 'STS' });
  const person = toPersonError(error);
  assert.equal(person.code, 'ENDPOINT_UNREACHABLE');
  assert.equal(person.title, 'Cannot reach AWS');
  assert.match(
    person.message,
    /^Profile "lab" could not reach http:\/\/127\.0\.0\.1:9 \(STS\): .*refused.*ECONNREFUSED/,
  );
  assert.match(person.fix ?? '', /endpoint_url in profile "lab".*network, VPN and proxy/);
});

test('DNS, timeout, reset and TLS failures are each recognised, also under a generic AWS_ERROR wrapper', () => {
  assert.equal(networkFailure(nodeError('ENOTFOUND', { hostname: 'sts.example.invalid' }))?.kind, 'dns');
  assert.equal(
    networkFailure(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))?.kind,
    'timeout',
  );
  assert.equal(networkFailure(nodeError('ECONNRESET'))?.kind, 'reset');
  assert.equal(networkFailure(nodeError('CERT_HAS_EXPIRED'))?.kind, 'tls');
  assert.equal(networkFailure(nodeError('ERR_SSL_WRONG_VERSION_NUMBER'))?.kind, 'tls');
  const wrapped = new OrgConnectError('AWS_ERROR', 'sts:GetCallerIdentity failed: getaddrinfo ENOTFOUND', {
    cause: nodeError('ENOTFOUND', { hostname: 'sts.example.invalid' }),
  });
  const person = toPersonError(wrapped, { profile: 'prod' });
  assert.equal(person.code, 'ENDPOINT_UNREACHABLE');
  assert.match(
    person.message,
    /Profile "prod" could not reach sts\.example\.invalid: the host name could not be found/,
  );
  const tls = toPersonError(nodeError('SELF_SIGNED_CERT_IN_CHAIN'), { profile: 'corp' });
  assert.match(tls.fix ?? '', /ca_bundle .*AWS_CA_BUNDLE/);
});

test('an error the core classified keeps its code and gains its title; an AWS name stays the code', () => {
  const classified = new OrgConnectError('PROFILE_NOT_FOUND', 'Profile "x" is not in ~/.aws/config.', {
    fix: 'Add it.',
    cause: nodeError('ECONNREFUSED'),
  });
  assert.equal(toPersonError(classified), classified);
  assert.equal(classified.title, 'Profile not found');
  const aws = Object.assign(new Error('User is not authorized'), {
    name: 'AccessDeniedException',
    $metadata: { httpStatusCode: 400 },
  });
  const person = toPersonError(aws);
  assert.equal(person.code, 'AccessDeniedException');
  assert.equal(person.title, 'AWS denied access');
});

test('a real bug is INTERNAL_ERROR, with a fix and the details a report needs', () => {
  const person = toPersonError(new TypeError("Cannot read properties of undefined (reading 'x')"));
  assert.equal(person.code, 'INTERNAL_ERROR');
  assert.match(person.fix ?? '', /bug.*Copy the details/);
  assert.match(person.details ?? '', /^TypeError: Cannot read properties/);
  assert.match(person.details ?? '', /\n\s+at /);
});

test('the CLI line: title — reason. Fix: … [CODE]; every code has words, never a bare code as title', () => {
  const error = new OrgConnectError('RUN_NOT_FOUND', 'No run 2024-x in the data folder', {
    fix: 'List runs with: orgconnect runs',
  });
  assert.equal(
    oneLine(error),
    'Run not found — No run 2024-x in the data folder. Fix: List runs with: orgconnect runs [RUN_NOT_FOUND]',
  );
  for (const code of ['USAGE_SOMETHING_NEW', 'SSO_NEW', 'X_Y_Z', 'ValidationError']) {
    assert.notEqual(titleForCode(code), code);
    assert.ok(titleForCode(code).length > 0);
  }
});

test("a deploy's CloudFormation call that never reached the endpoint fails its account as ENDPOINT_UNREACHABLE", async () => {
  const { cloudFormationFailure } = await import('../../main/core/onboarding/retry.js');
  const refused = nodeError('ECONNREFUSED', { address: '10.0.0.5', port: 443 });
  tagEndpointContext(refused, {
    profile: 'mgmt',
    endpoint: 'https://cloudformation.vpce.example',
    service: 'CloudFormation',
  });
  const failure = cloudFormationFailure(refused, '444455556666');
  assert.equal(failure.code, 'ENDPOINT_UNREACHABLE');
  assert.match(
    failure.message,
    /Profile "mgmt" could not reach https:\/\/cloudformation\.vpce\.example \(CloudFormation\)/,
  );
  const throttled = Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
  assert.equal(cloudFormationFailure(throttled).code, 'AWS_THROTTLED');
});
