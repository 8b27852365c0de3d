// `orgconnect login` end to end: the real CLI signs in to the local Identity Center test server (moto has no
// sso-oidc) with the authorization-code flow, a "browser" follows the printed URL, the token lands in the AWS CLI's
// cache, and then `orgconnect whoami` uses that SSO profile — role credentials from the portal, STS from moto.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startMoto, type MotoServer } from '../support/moto.js';
import { startSsoTestServer, type SsoTestServer } from '../support/sso-test-server.js';
import { writeTestAwsConfig, type TestAwsFiles } from '../support/aws-test-config.js';
import { assertBuilt, ORGCONNECT_BIN, runOrgconnect } from '../support/run-cli.js';

const START_URL = 'https://d-1234567890.awsapps.com/start';

describe('orgconnect login (IAM Identity Center)', () => {
  let moto: MotoServer;
  let sso: SsoTestServer;
  let files: TestAwsFiles;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    moto = await startMoto();
    sso = await startSsoTestServer();
    files = writeTestAwsConfig(
      moto.url,
      [
        '[sso-session corp]',
        `sso_start_url = ${START_URL}`,
        'sso_region = us-east-1',
        'sso_registration_scopes = sso:account:access',
        '',
        '[profile corp-admin]',
        'sso_session = corp',
        'sso_account_id = 111111111111',
        'sso_role_name = AdministratorAccess',
        'region = us-east-1',
        `endpoint_url = ${moto.url}`,
        '',
        '[profile legacy-admin]',
        `sso_start_url = ${START_URL}`,
        'sso_region = us-east-1',
        'sso_account_id = 111111111111',
        'sso_role_name = AdministratorAccess',
        'region = us-east-1',
        '',
      ].join('\n'),
    );
    env = { ...files.env, AWS_ENDPOINT_URL_SSO_OIDC: sso.url, AWS_ENDPOINT_URL_SSO: sso.url };
  });
  after(async () => {
    await sso?.close();
    await moto?.stop();
  });

  test('before login, whoami says to log in (exit 2, one line)', async () => {
    const result = await runOrgconnect(['whoami', '--profile', 'corp-admin'], env);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /orgconnect login --profile corp-admin/);
  });

  test('auth-code login writes the shared cache; whoami then works through the SSO profile', async () => {
    assertBuilt();
    const child = spawn(
      process.execPath,
      [ORGCONNECT_BIN, 'login', '--profile', 'corp-admin', '--no-browser', '--json'],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const visited = new Promise<number>((resolve, reject) => {
      child.stderr.on('data', async (chunk: Buffer) => {
        stderr += chunk.toString();
        const url = /(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(stderr)?.[1];
        if (url && !stderr.includes('\u0000visited')) {
          stderr += '\u0000visited';
          try {
            const response = await fetch(url); // the person's browser: approve, then follow the redirect home
            resolve(response.status);
          } catch (error) {
            reject(error as Error);
          }
        }
      });
    });
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    assert.equal(await visited, 200);
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout) as {
      profile: string;
      flow: string;
      expiresAt: string;
      startUrl: string;
    };
    assert.equal(result.flow, 'auth-code');
    assert.equal(result.startUrl, START_URL);
    assert.ok(Date.parse(result.expiresAt) > Date.now());

    const cacheFile = path.join(
      env['HOME'] ?? '',
      '.aws/sso/cache',
      `${createHash('sha1').update('corp').digest('hex')}.json`,
    );
    assert.ok(existsSync(cacheFile), 'token cached where the AWS CLI looks for it');
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, unknown>;
    assert.equal(cached['startUrl'], START_URL);
    assert.equal(typeof cached['accessToken'], 'string');
    assert.equal(typeof cached['refreshToken'], 'string');
    assert.doesNotMatch(stdout + stderr, new RegExp(String(cached['accessToken'])), 'token never printed');

    const whoami = await runOrgconnect(['whoami', '--profile', 'corp-admin', '--json'], env);
    assert.equal(whoami.code, 0, whoami.stderr);
    assert.equal(sso.issuedCredentials.length > 0, true, 'role credentials came from the portal');
    assert.match((JSON.parse(whoami.stdout) as { arn: string }).arn, /^arn:aws:/);
  });

  test('a profile that is not SSO is refused with a clear reason', async () => {
    const result = await runOrgconnect(['login', '--profile', 'emulator', '--no-browser'], env);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /does not use IAM Identity Center/);
  });
});
