/**
 * The token cache is shared with the AWS CLI and SDKs, so compatibility is tested both ways with the real
 * readers and writers available here:
 *  - after our login, the real SDK `fromSSO({ profile })` (with HOME and AWS_CONFIG_FILE pointing at a temp
 *    dir and the portal at the SSO test server) finds our file and gets role credentials with our token;
 *  - files written the way the AWS CLI writes them (its json.dumps output, its names, its timestamp format)
 *    are used by getValidToken, refreshed, and their client registration reused by our login.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromSSO } from '@aws-sdk/credential-providers';
import {
  createSsoPortal,
  getValidToken,
  loginWithAuthCode,
  loginWithDeviceCode,
  readCachedToken,
  type SsoClock,
  type SsoTarget,
} from '../../main/core/aws/sso/index.js';
import { startSsoTestServer, type SsoTestServer } from '../support/sso-test-server.js';

const START_URL = 'https://d-1234567890.awsapps.com/start';

let server: SsoTestServer;
let home: string;
const savedEnv: Record<string, string | undefined> = {};
const ENV_KEYS = [
  'HOME',
  'USERPROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_PROFILE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_SSO',
  'AWS_ENDPOINT_URL_SSO_OIDC',
];

before(async () => {
  server = await startSsoTestServer();
  home = await mkdtemp(path.join(tmpdir(), 'orgconnect-sso-compat-'));
  for (const key of ENV_KEYS) {
    savedEnv[key] = process.env[key];
    delete process.env[key];
  }
  // The SDK finds the cache through HOME and the profiles through AWS_CONFIG_FILE, as for a real user.
  process.env['HOME'] = home;
  process.env['AWS_CONFIG_FILE'] = path.join(home, '.aws', 'config');
  process.env['AWS_SHARED_CREDENTIALS_FILE'] = path.join(home, '.aws', 'credentials');
  await mkdir(path.join(home, '.aws'), { recursive: true });
  await writeFile(
    path.join(home, '.aws', 'config'),
    [
      '[profile via-session]',
      'sso_session = my-sso',
      'sso_account_id = 222222222222',
      'sso_role_name = ReadOnly',
      'region = us-east-1',
      '',
      '[sso-session my-sso]',
      `sso_start_url = ${START_URL}`,
      'sso_region = us-east-1',
      'sso_registration_scopes = sso:account:access',
      '',
      '[profile legacy]',
      `sso_start_url = ${START_URL}`,
      'sso_region = us-east-1',
      'sso_account_id = 555555555555',
      'sso_role_name = Billing',
      '',
    ].join('\n'),
  );
});

after(async () => {
  await server.close();
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  await rm(home, { recursive: true, force: true });
});

const browser = async (url: string): Promise<void> => {
  await (await fetch(url)).text();
};

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** `json.dumps(dict)` with Python's default separators, for the ASCII values used here. */
function cliJson(entries: Array<[string, string | string[]]>): string {
  return `{${entries.map(([key, value]) => `"${key}": ${Array.isArray(value) ? `[${value.map((v) => JSON.stringify(v)).join(', ')}]` : JSON.stringify(value)}`).join(', ')}}`;
}

/** strftime('%Y-%m-%dT%H:%M:%SZ'), the CLI's timestamp format. */
function cliTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function writeCliFile(name: string, contents: string): Promise<string> {
  const file = path.join(home, '.aws', 'sso', 'cache', name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, contents, { mode: 0o600 });
  return file;
}

describe('our cache file, read by the AWS SDK', () => {
  test('sso-session profile: fromSSO gets role credentials with the token our auth-code login wrote', async () => {
    const target: SsoTarget = {
      sessionName: 'my-sso',
      startUrl: START_URL,
      region: 'us-east-1',
      registrationScopes: ['sso:account:access'],
    };
    // No homeDir given: our default must be the same home the SDK uses.
    const token = await loginWithAuthCode(target, {
      endpoint: server.url,
      openUrl: browser,
      timeoutMs: 10_000,
    });

    const credentials = await fromSSO({ profile: 'via-session', clientConfig: { endpoint: server.url } })();

    const issued = server.issuedCredentials.at(-1);
    assert.equal(issued?.accountId, '222222222222');
    assert.equal(issued?.roleName, 'ReadOnly');
    assert.equal(credentials.accessKeyId, issued?.accessKeyId);
    assert.equal(credentials.secretAccessKey, issued?.secretAccessKey);
    assert.equal(credentials.sessionToken, issued?.sessionToken);
    assert.equal(credentials.expiration?.getTime(), issued?.expiration);
    assert.equal(server.requestsTo('/federation/credentials').at(-1)?.bearer, token.accessToken);
  });

  test('legacy profile: fromSSO reads the file our device-code login wrote under sha1(start URL)', async () => {
    const target: SsoTarget = { startUrl: START_URL, region: 'us-east-1' };
    let userCode = '';
    const clock: SsoClock = {
      now: () => Date.now(),
      sleep: async () => server.decideDevice(userCode, 'approve'),
    };
    const token = await loginWithDeviceCode(target, {
      endpoint: server.url,
      clock,
      onPrompt: (prompt) => (userCode = prompt.userCode ?? ''),
    });
    const credentials = await fromSSO({ profile: 'legacy', clientConfig: { endpoint: server.url } })();
    assert.equal(credentials.accessKeyId, server.issuedCredentials.at(-1)?.accessKeyId);
    assert.equal(server.issuedCredentials.at(-1)?.roleName, 'Billing');
    assert.equal(server.requestsTo('/federation/credentials').at(-1)?.bearer, token.accessToken);
  });
});

describe("the AWS CLI's cache files, read by us", () => {
  const target: SsoTarget = {
    sessionName: 'cli-sso',
    startUrl: START_URL,
    region: 'us-east-1',
    registrationScopes: ['sso:account:access'],
  };

  test('a valid CLI token is used as it is, and works at the portal', async () => {
    const session = server.issueSession();
    await writeCliFile(
      `${sha1('cli-sso')}.json`,
      cliJson([
        ['startUrl', START_URL],
        ['region', 'us-east-1'],
        ['accessToken', session.accessToken],
        ['expiresAt', cliTime(Date.now() + 3600_000)],
        ['clientId', session.clientId],
        ['clientSecret', session.clientSecret],
        ['registrationExpiresAt', cliTime(session.clientSecretExpiresAt * 1000)],
        ['refreshToken', session.refreshToken],
      ]),
    );
    const token = await getValidToken(target, { endpoint: server.url });
    assert.equal(token.accessToken, session.accessToken);
    const portal = createSsoPortal(target, { endpoint: server.url, oidcEndpoint: server.url });
    try {
      assert.equal((await portal.listAccounts()).length, server.accounts.length);
    } finally {
      portal.close();
    }
  });

  test('a near-expiry CLI token is refreshed; the rewritten file still works for the SDK', async () => {
    const session = server.issueSession();
    const file = await writeCliFile(
      `${sha1('my-sso')}.json`,
      cliJson([
        ['startUrl', START_URL],
        ['region', 'us-east-1'],
        ['accessToken', session.accessToken],
        ['expiresAt', cliTime(Date.now() + 60_000)],
        ['clientId', session.clientId],
        ['clientSecret', session.clientSecret],
        ['registrationExpiresAt', cliTime(session.clientSecretExpiresAt * 1000)],
        ['refreshToken', session.refreshToken],
      ]),
    );
    const mySso: SsoTarget = { sessionName: 'my-sso', startUrl: START_URL, region: 'us-east-1' };
    const token = await getValidToken(mySso, { endpoint: server.url });
    assert.notEqual(token.accessToken, session.accessToken);
    const rewritten = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    assert.equal(rewritten['accessToken'], token.accessToken);
    assert.equal(rewritten['clientId'], session.clientId);

    await fromSSO({ profile: 'via-session', clientConfig: { endpoint: server.url } })();
    assert.equal(server.requestsTo('/federation/credentials').at(-1)?.bearer, token.accessToken);
  });

  test('an old CLI v1 file (expiresAt "…UTC", no refresh fields) is still read', async () => {
    const legacyTarget: SsoTarget = {
      startUrl: 'https://d-7777777777.awsapps.com/start',
      region: 'us-east-1',
    };
    const session = server.issueSession();
    await writeCliFile(
      `${sha1(legacyTarget.startUrl)}.json`,
      cliJson([
        ['startUrl', legacyTarget.startUrl],
        ['region', 'us-east-1'],
        ['accessToken', session.accessToken],
        ['expiresAt', cliTime(Date.now() + 3600_000).replace('Z', 'UTC')],
      ]),
    );
    assert.equal(
      (await getValidToken(legacyTarget, { endpoint: server.url })).accessToken,
      session.accessToken,
    );
    assert.equal((await readCachedToken(legacyTarget))?.refreshToken, undefined);
  });

  test('a client registration cached by the CLI is reused by our login (no RegisterClient)', async () => {
    const session = server.issueSession({ scopes: ['sso:account:access'] });
    // botocore: sha1(json.dumps({tool, startUrl, region, scopes, session_name}, sort_keys=True))
    const key = sha1(
      `{"region": "us-east-1", "scopes": ["sso:account:access"], "session_name": "cli-sso", "startUrl": "${START_URL}", "tool": "botocore"}`,
    );
    await writeCliFile(
      `${key}.json`,
      cliJson([
        ['clientId', session.clientId],
        ['clientSecret', session.clientSecret],
        ['expiresAt', cliTime(session.clientSecretExpiresAt * 1000)],
        ['scopes', ['sso:account:access']],
        ['grantTypes', ['authorization_code', 'refresh_token']],
      ]),
    );
    const registrations = server.requestsTo('/client/register').length;
    await loginWithAuthCode(target, { endpoint: server.url, openUrl: browser, timeoutMs: 10_000 });
    assert.equal(server.requestsTo('/client/register').length, registrations);
    assert.equal(server.requestsTo('/token').at(-1)?.body?.['clientId'], session.clientId);
    assert.equal((await readCachedToken(target))?.clientId, session.clientId);
  });
});
