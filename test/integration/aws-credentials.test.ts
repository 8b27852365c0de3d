// Credentials resolved through the SDK's fromIni against real services: moto's STS for assume-role (with
// external_id, mfa_serial, duration_seconds, role chains) and web identity; a small local SSO portal for the SSO
// path, which moto lacks. Every STS endpoint comes from endpoint_url in a temporary config file.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import {
  credentialProviderFor,
  loadLocalAwsConfig,
  resolveClientConfig,
} from '../../main/core/aws/config/index.js';
import { OrgConnectError } from '../../main/core/errors.js';
import { startMoto, type MotoServer } from '../support/moto.js';

const ACCOUNT = '123456789012'; // moto's default account
const work = mkdtempSync(path.join(tmpdir(), 'aws-credentials-'));
const home = path.join(work, 'home');
const configFile = path.join(home, '.aws', 'config');
const credentialsFile = path.join(home, '.aws', 'credentials');
const tokenFile = path.join(work, 'web-identity-token');
const printCredentials = path.resolve(import.meta.dirname, '../fixtures/aws-config/print-credentials.mjs');
mkdirSync(path.join(home, '.aws', 'sso', 'cache'), { recursive: true });
const env: NodeJS.ProcessEnv = {
  HOME: home,
  AWS_CONFIG_FILE: configFile,
  AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
};

let moto: MotoServer;
let userKey: { id: string; secret: string };

async function whoAmI(credentials: AwsCredentialIdentity): Promise<string | undefined> {
  const sts = new STSClient({ region: 'us-east-1', endpoint: moto.url, credentials });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn;
  } finally {
    sts.destroy();
  }
}

describe('credentials against moto', () => {
  before(async () => {
    moto = await startMoto();
    // A real IAM user and access key in moto: the base profile holds them, as a person's credentials file would.
    const iam = new IAMClient({
      region: 'us-east-1',
      endpoint: moto.url,
      credentials: { accessKeyId: 'AKIAADMINEXAMPLE0001', secretAccessKey: 'admin' },
    });
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    userKey = { id: key.AccessKey?.AccessKeyId ?? '', secret: key.AccessKey?.SecretAccessKey ?? '' };
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
      ],
    });
    for (const role of ['OrgAdmin', 'HopA', 'HopB', 'HopC', 'WebRole']) {
      await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: trust }));
    }
    iam.destroy();
    writeFileSync(tokenFile, 'header.payload.signature');

    writeFileSync(
      credentialsFile,
      `[base]\naws_access_key_id = ${userKey.id}\naws_secret_access_key = ${userKey.secret}\n`,
    );
    writeFileSync(
      configFile,
      `[profile base]
region = eu-west-1
endpoint_url = ${moto.url}

[profile admin]
role_arn = arn:aws:iam::${ACCOUNT}:role/OrgAdmin
source_profile = base
external_id = ext-id-must-never-appear
mfa_serial = arn:aws:iam::${ACCOUNT}:mfa/alice
duration_seconds = 900
region = eu-west-1
endpoint_url = ${moto.url}

[profile hop-a]
role_arn = arn:aws:iam::${ACCOUNT}:role/HopA
source_profile = base
services = local

[profile hop-b]
role_arn = arn:aws:iam::${ACCOUNT}:role/HopB
source_profile = hop-a
role_session_name = second-hop
services = local

[profile hop-c]
role_arn = arn:aws:iam::${ACCOUNT}:role/HopC
source_profile = hop-b
role_session_name = third-hop
services = local

[profile proc]
credential_process = "${process.execPath}" "${printCredentials}" AKIAPROCESSCHAIN0001
services = local

[profile proc-hop-a]
role_arn = arn:aws:iam::${ACCOUNT}:role/HopA
source_profile = proc
role_session_name = proc-first
services = local

[profile proc-hop-b]
role_arn = arn:aws:iam::${ACCOUNT}:role/HopB
source_profile = proc-hop-a
external_id = ext-id-must-never-appear
mfa_serial = arn:aws:iam::${ACCOUNT}:mfa/alice
duration_seconds = 900
services = local

[profile web]
role_arn = arn:aws:iam::${ACCOUNT}:role/WebRole
web_identity_token_file = ${tokenFile}
role_session_name = web-session
endpoint_url = ${moto.url}

[services local]
sts =
  endpoint_url = ${moto.url}
`,
    );
  });
  after(async () => {
    await moto.stop();
  });

  test('static keys from the credentials file are the IAM user moto knows', async () => {
    const credentials = await credentialProviderFor('base', { env })();
    assert.equal(credentials.accessKeyId, userKey.id);
    assert.equal(await whoAmI(credentials), `arn:aws:iam::${ACCOUNT}:user/alice`);
  });

  test('assume-role with external_id, mfa_serial and duration_seconds: the prompt gets the serial', async () => {
    const asked: string[] = [];
    const credentials = await credentialProviderFor('admin', {
      env,
      roleSessionName: 'orgconnect-test',
      mfaCodeProvider: async (serial) => {
        asked.push(serial);
        return '123456';
      },
    })();
    assert.deepEqual(asked, [`arn:aws:iam::${ACCOUNT}:mfa/alice`]);
    assert.notEqual(credentials.accessKeyId, userKey.id);
    assert.ok(credentials.sessionToken);
    assert.equal(credentials.accountId, ACCOUNT);
    // duration_seconds reached STS: the session lasts 900 s, not the default hour
    const lifetime = (credentials.expiration?.getTime() ?? 0) - Date.now();
    assert.ok(lifetime > 800_000 && lifetime <= 905_000, `lifetime ${lifetime} ms`);
    // the profile sets no role_session_name, so the caller's name is used
    assert.equal(await whoAmI(credentials), `arn:aws:sts::${ACCOUNT}:assumed-role/OrgAdmin/orgconnect-test`);
  });

  test('role chain base → HopA → HopB → HopC, each hop named as its profile says', async () => {
    const credentials = await credentialProviderFor('hop-c', { env, roleSessionName: 'first-hop' })();
    assert.equal(await whoAmI(credentials), `arn:aws:sts::${ACCOUNT}:assumed-role/HopC/third-hop`);
    const middle = await credentialProviderFor('hop-b', { env, roleSessionName: 'first-hop' })();
    assert.equal(await whoAmI(middle), `arn:aws:sts::${ACCOUNT}:assumed-role/HopB/second-hop`);
    const first = await credentialProviderFor('hop-a', { env, roleSessionName: 'first-hop' })();
    assert.equal(await whoAmI(first), `arn:aws:sts::${ACCOUNT}:assumed-role/HopA/first-hop`);
  });

  test('role chain over credential_process (run without a shell): each hop as fromIni would, the MFA asked last', async () => {
    const asked: string[] = [];
    const credentials = await credentialProviderFor('proc-hop-b', {
      env,
      roleSessionName: 'fallback-name',
      mfaCodeProvider: async (serial) => {
        asked.push(serial);
        return '123456';
      },
    })();
    assert.deepEqual(asked, [`arn:aws:iam::${ACCOUNT}:mfa/alice`]);
    assert.equal(await whoAmI(credentials), `arn:aws:sts::${ACCOUNT}:assumed-role/HopB/fallback-name`);
    const lifetime = (credentials.expiration?.getTime() ?? 0) - Date.now();
    assert.ok(lifetime > 800_000 && lifetime <= 905_000, `lifetime ${lifetime} ms`);
    const first = await credentialProviderFor('proc-hop-a', { env })();
    assert.equal(await whoAmI(first), `arn:aws:sts::${ACCOUNT}:assumed-role/HopA/proc-first`);
    const base = await credentialProviderFor('proc', { env })();
    assert.equal(base.accessKeyId, 'AKIAPROCESSCHAIN0001');
  });

  test('web identity: the token file is exchanged with AssumeRoleWithWebIdentity', async () => {
    const credentials = await credentialProviderFor('web', { env })();
    assert.equal(await whoAmI(credentials), `arn:aws:sts::${ACCOUNT}:assumed-role/WebRole/web-session`);
  });

  test('AWS_ENDPOINT_URL_STS in the environment overrides the [services] endpoint for every hop', async () => {
    // Port 9 (discard) on localhost is closed: if any hop still went to moto, the chain would succeed.
    const redirected = { ...env, AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9' };
    await assert.rejects(credentialProviderFor('hop-c', { env: redirected })(), (error: unknown) => {
      assert.ok(error instanceof OrgConnectError);
      assert.equal(error.code, 'ASSUME_ROLE_FAILED');
      assert.match(error.message, /HopA/); // the first hop already went to the overridden endpoint
      return true;
    });
  });

  test('resolveClientConfig gives a working STS client config for an assumed role', async () => {
    const resolved = await resolveClientConfig('admin', 'STS', {
      env,
      mfaCodeProvider: async () => '654321',
    });
    assert.equal(resolved.endpoint, moto.url);
    assert.equal(resolved.region, 'eu-west-1');
    const sts = new STSClient({
      region: resolved.region,
      endpoint: resolved.endpoint,
      credentials: resolved.credentials,
      ignoreConfiguredEndpointUrls: true,
    });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    assert.match(identity.Arn ?? '', new RegExp(`^arn:aws:sts::${ACCOUNT}:assumed-role/OrgAdmin/`));
  });

  test('nothing secret reaches the summary', async () => {
    const json = JSON.stringify(await loadLocalAwsConfig({ env }));
    assert.ok(!json.includes(userKey.secret));
    assert.ok(!json.includes('ext-id-must-never-appear'));
  });
});

describe('SSO through fromIni and the SSO token cache (local SSO portal server)', () => {
  let server: Server;
  let portalUrl: string;
  const requests: { account: string | null; role: string | null; token: string | undefined }[] = [];
  const savedEnv = { ...process.env };

  before(async () => {
    // The SSO portal's GetRoleCredentials: GET /federation/credentials with the bearer token in a header.
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://local');
      const token = req.headers['x-amz-sso_bearer_token'];
      requests.push({
        account: url.searchParams.get('account_id'),
        role: url.searchParams.get('role_name'),
        token: typeof token === 'string' ? token : undefined,
      });
      if (url.pathname !== '/federation/credentials' || token !== 'cached-access-token') {
        res.writeHead(401, {
          'content-type': 'application/json',
          'x-amzn-errortype': 'UnauthorizedException',
        });
        res.end(JSON.stringify({ message: 'Session token not found or invalid' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          roleCredentials: {
            accessKeyId: 'ASIASSOEXAMPLE000001',
            secretAccessKey: 'sso-secret',
            sessionToken: 'sso-session-token',
            expiration: Date.now() + 3600_000,
          },
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    portalUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(
      path.join(home, 'sso-config'),
      `[profile sso]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
region = eu-west-1

[profile sso-legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 444455556666
sso_role_name = Admin

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
`,
    );
    // fromSSO reads the files and ~/.aws/sso/cache named by process.env, so this describe block sets it.
    Object.assign(process.env, {
      HOME: home,
      AWS_CONFIG_FILE: path.join(home, 'sso-config'),
      AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    });
  });
  after(() => {
    server.close();
    for (const key of Object.keys(process.env)) delete process.env[key];
    Object.assign(process.env, savedEnv);
  });

  const cache = (id: string, token: string) =>
    writeFileSync(
      path.join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(id).digest('hex')}.json`),
      JSON.stringify({ accessToken: token, expiresAt: new Date(Date.now() + 3600_000).toISOString() }),
    );

  test('sso-session profile: the cached token is sent to the portal for the profile account and role', async () => {
    cache('corp', 'cached-access-token');
    const ssoEnv = { ...process.env, AWS_ENDPOINT_URL: portalUrl };
    const credentials = await credentialProviderFor('sso', { env: ssoEnv })();
    assert.equal(credentials.accessKeyId, 'ASIASSOEXAMPLE000001');
    assert.deepEqual(requests.at(-1), {
      account: '111122223333',
      role: 'ReadOnly',
      token: 'cached-access-token',
    });
  });

  test('legacy profile: the token cached under the start URL is used', async () => {
    cache('https://legacy.awsapps.com/start', 'cached-access-token');
    const ssoEnv = { ...process.env, AWS_ENDPOINT_URL: portalUrl };
    const credentials = await credentialProviderFor('sso-legacy', { env: ssoEnv })();
    assert.equal(credentials.accessKeyId, 'ASIASSOEXAMPLE000001');
    assert.deepEqual(requests.at(-1), {
      account: '444455556666',
      role: 'Admin',
      token: 'cached-access-token',
    });
  });

  test('a token the portal rejects → SSO_LOGIN_REQUIRED', async () => {
    cache('corp', 'revoked-token');
    const ssoEnv = { ...process.env, AWS_ENDPOINT_URL: portalUrl };
    await assert.rejects(credentialProviderFor('sso', { env: ssoEnv })(), (error: unknown) => {
      assert.ok(error instanceof OrgConnectError);
      assert.equal(error.code, 'SSO_LOGIN_REQUIRED');
      assert.equal(error.fix, 'Run: orgconnect login --profile sso');
      return true;
    });
    assert.equal(requests.at(-1)?.token, 'revoked-token');
  });
});
