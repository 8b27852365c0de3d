// Region and endpoint precedence. Each endpoint case is also checked against the SDK itself: a client built
// from resolveClientConfig's explicit answer must send its request to the same URL as an SDK client that reads
// the same files and environment on its own (captured before anything goes on the network).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { RegisterClientCommand, SSOOIDCClient } from '@aws-sdk/client-sso-oidc';
import { resolveClientConfig, serviceConfigKey, serviceEnvName } from '../../main/core/aws/config/index.js';
import { OrgConnectError } from '../../main/core/errors.js';

const work = mkdtempSync(path.join(tmpdir(), 'aws-config-endpoints-'));
const configFile = path.join(work, 'config');
const emptyHome = path.join(work, 'home');
mkdirSync(emptyHome);
writeFileSync(
  configFile,
  `[profile plain]
region = eu-west-1

[profile global]
region = eu-west-1
endpoint_url = http://profile-global:1001

[profile svc]
region = eu-west-1
endpoint_url = http://profile-global:1002
services = svc-section

[profile svc-missing]
region = eu-west-1
endpoint_url = http://profile-global:1003
services = nowhere

[profile ignoring]
region = eu-west-1
endpoint_url = http://profile-global:1004
ignore_configured_endpoint_urls = true

[profile file-scheme]
region = eu-west-1
endpoint_url = file:///etc/passwd

[profile ftp-scheme]
region = eu-west-1
endpoint_url = ftp://user:hunter2@mirror.example/

[profile no-region]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = ReadOnly

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = ap-southeast-2

[services svc-section]
sts =
  endpoint_url = http://section-sts:2001
sso_oidc =
  endpoint_url = http://section-oidc:2002
`,
);

const baseEnv = {
  HOME: emptyHome,
  AWS_CONFIG_FILE: configFile,
  AWS_SHARED_CREDENTIALS_FILE: path.join(work, 'no-credentials'),
};
const fakeCredentials = { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'not-a-secret' };

type Service = 'STS' | 'IAM' | 'SSO OIDC';
interface EndpointCase {
  profile: string;
  service: Service;
  env?: NodeJS.ProcessEnv;
  endpoint: string | undefined;
  source: string;
}

const cases: EndpointCase[] = [
  { profile: 'plain', service: 'STS', endpoint: undefined, source: 'none' },
  { profile: 'global', service: 'STS', endpoint: 'http://profile-global:1001', source: 'profile' },
  { profile: 'svc', service: 'STS', endpoint: 'http://section-sts:2001', source: 'services-section' },
  { profile: 'svc', service: 'SSO OIDC', endpoint: 'http://section-oidc:2002', source: 'services-section' },
  // no entry for IAM in the services section: the profile's own endpoint_url applies
  { profile: 'svc', service: 'IAM', endpoint: 'http://profile-global:1002', source: 'profile' },
  {
    profile: 'svc',
    service: 'STS',
    env: { AWS_ENDPOINT_URL: 'http://env-global:3001' },
    endpoint: 'http://env-global:3001',
    source: 'env-global',
  },
  {
    profile: 'svc',
    service: 'STS',
    env: { AWS_ENDPOINT_URL: 'http://env-global:3001', AWS_ENDPOINT_URL_STS: 'http://env-sts:3002' },
    endpoint: 'http://env-sts:3002',
    source: 'env-service',
  },
  {
    profile: 'plain',
    service: 'SSO OIDC',
    env: { AWS_ENDPOINT_URL_SSO_OIDC: 'http://env-oidc:3003', AWS_ENDPOINT_URL_STS: 'http://env-sts:3002' },
    endpoint: 'http://env-oidc:3003',
    source: 'env-service',
  },
  {
    profile: 'svc',
    service: 'STS',
    env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL_STS: 'http://env-sts:3002' },
    endpoint: undefined,
    source: 'ignored',
  },
  { profile: 'ignoring', service: 'STS', endpoint: undefined, source: 'ignored' },
  {
    profile: 'ignoring',
    service: 'STS',
    env: { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' },
    endpoint: 'http://profile-global:1004',
    source: 'profile',
  },
  // services names a missing section: the SDK discards the config file as an endpoint source altogether
  { profile: 'svc-missing', service: 'STS', endpoint: undefined, source: 'none' },
  {
    profile: 'svc-missing',
    service: 'STS',
    env: { AWS_ENDPOINT_URL: 'http://env-global:3001' },
    endpoint: 'http://env-global:3001',
    source: 'env-global',
  },
];

interface CapturedRequest {
  protocol: string;
  hostname: string;
  port?: number;
}

/** Records where a request would go and stops it before the network. */
function capture(sink: { url?: string }) {
  return (_next: unknown) => async (args: { request: unknown }) => {
    const request = args.request as CapturedRequest;
    sink.url = `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}`;
    throw new Error('captured');
  };
}

interface ClientSettings {
  region?: string;
  endpoint?: string;
  ignoreConfiguredEndpointUrls?: boolean;
}

async function urlOf(service: Service, settings: ClientSettings): Promise<string | undefined> {
  const sink: { url?: string } = {};
  const config = { ...settings, credentials: fakeCredentials };
  if (service === 'STS') {
    const client = new STSClient(config);
    client.middlewareStack.add(capture(sink), { step: 'finalizeRequest' });
    await client.send(new GetCallerIdentityCommand({})).catch(() => undefined);
  } else if (service === 'IAM') {
    const client = new IAMClient(config);
    client.middlewareStack.add(capture(sink), { step: 'finalizeRequest' });
    await client.send(new ListUsersCommand({})).catch(() => undefined);
  } else {
    const client = new SSOOIDCClient(config);
    client.middlewareStack.add(capture(sink), { step: 'finalizeRequest' });
    await client
      .send(new RegisterClientCommand({ clientName: 'x', clientType: 'public' }))
      .catch(() => undefined);
  }
  return sink.url;
}

/** Runs fn with process.env replaced, as the SDK reads only process.env. */
async function withProcessEnv<T>(env: NodeJS.ProcessEnv, fn: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env))
    if (key.startsWith('AWS_') || key === 'HOME') delete process.env[key];
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

describe('endpoint precedence', () => {
  // Nothing in this file may fall back to the real ~/.aws or to the runner's AWS_* variables.
  const saved = { ...process.env };
  before(() => {
    for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
    Object.assign(process.env, { HOME: emptyHome, AWS_CONFIG_FILE: path.join(work, 'absent-config') });
  });
  after(() => {
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  cases.forEach((c, index) => {
    const label = `${c.profile} / ${c.service} ${JSON.stringify(c.env ?? {})} → ${c.endpoint ?? '(SDK default)'}`;
    test(label, async () => {
      const env = { ...baseEnv, ...c.env };
      const resolved = await resolveClientConfig(c.profile, c.service, { env });
      assert.equal(resolved.endpoint, c.endpoint);
      assert.equal(resolved.endpointSource, c.source);
      assert.equal(resolved.region, 'eu-west-1');

      const ours = await urlOf(c.service, {
        region: resolved.region,
        ...(resolved.endpoint === undefined ? {} : { endpoint: resolved.endpoint }),
        ignoreConfiguredEndpointUrls: true,
      });
      // The SDK caches file contents per path for the life of the process: give each case its own copy.
      const copy = path.join(work, `config-case-${index}`);
      copyFileSync(configFile, copy);
      const sdks = await withProcessEnv({ ...env, AWS_CONFIG_FILE: copy, AWS_PROFILE: c.profile }, () =>
        urlOf(c.service, {}),
      );
      assert.ok(ours !== undefined && sdks !== undefined);
      assert.equal(ours, sdks);
      if (c.endpoint !== undefined) assert.equal(ours, c.endpoint);
    });
  });

  test('service ids map to the env and [services] key forms', () => {
    assert.equal(serviceEnvName('SSO OIDC'), 'AWS_ENDPOINT_URL_SSO_OIDC');
    assert.equal(serviceEnvName('CloudFormation'), 'AWS_ENDPOINT_URL_CLOUDFORMATION');
    assert.equal(serviceConfigKey('SSO OIDC'), 'sso_oidc');
    assert.equal(serviceConfigKey('Organizations'), 'organizations');
  });
});

describe('region precedence', () => {
  const region = async (profile: string, env: NodeJS.ProcessEnv = {}) => {
    const r = await resolveClientConfig(profile, 'STS', { env: { ...baseEnv, ...env } });
    return [r.region, r.regionSource];
  };

  test('AWS_REGION > AWS_DEFAULT_REGION > profile region', async () => {
    assert.deepEqual(await region('plain', { AWS_REGION: 'ca-central-1', AWS_DEFAULT_REGION: 'sa-east-1' }), [
      'ca-central-1',
      'AWS_REGION',
    ]);
    assert.deepEqual(await region('plain', { AWS_DEFAULT_REGION: 'sa-east-1' }), [
      'sa-east-1',
      'AWS_DEFAULT_REGION',
    ]);
    assert.deepEqual(await region('plain'), ['eu-west-1', 'profile']);
  });

  test("an SSO profile's sso_region is not the client region; the fallback is us-east-1", async () => {
    assert.deepEqual(await region('no-region'), ['us-east-1', 'fallback']);
  });

  test('an unknown profile is PROFILE_NOT_FOUND', async () => {
    await assert.rejects(resolveClientConfig('nope', 'STS', { env: baseEnv }), (error: unknown) => {
      assert.ok(error instanceof OrgConnectError);
      assert.equal(error.code, 'PROFILE_NOT_FOUND');
      return true;
    });
  });

  test('an endpoint_url that is not http(s) is ENDPOINT_URL_INVALID naming the profile or variable, never the URL', async () => {
    const refused = (where: RegExp, secret?: string) => (error: unknown) => {
      assert.ok(error instanceof OrgConnectError, String(error));
      assert.equal(error.code, 'ENDPOINT_URL_INVALID');
      assert.match(error.message, where);
      if (secret !== undefined) assert.ok(!`${error.message} ${error.fix ?? ''}`.includes(secret));
      return true;
    };
    await assert.rejects(
      resolveClientConfig('file-scheme', 'IAM', { env: baseEnv }),
      refused(/profile file-scheme.*file:/),
    );
    await assert.rejects(
      resolveClientConfig('ftp-scheme', 'STS', { env: baseEnv }),
      refused(/profile ftp-scheme.*ftp:/, 'hunter2'),
    );
    await assert.rejects(
      resolveClientConfig('plain', 'IAM', { env: { ...baseEnv, AWS_ENDPOINT_URL_IAM: 'gopher://x' } }),
      refused(/AWS_ENDPOINT_URL_IAM/),
    );
    await assert.rejects(
      resolveClientConfig('plain', 'IAM', { env: { ...baseEnv, AWS_ENDPOINT_URL: 'not a url' } }),
      refused(/AWS_ENDPOINT_URL .*not a URL/),
    );
  });
});
