// Credential resolution that needs no network: static keys, credential_process, re-reading edited files, and
// the errors a person sees. Assume-role, role chains, web identity and SSO against servers are in
// test/integration/aws-credentials.test.ts.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { credentialProviderFor } from '../../main/core/aws/config/index.js';
import { OrgConnectError } from '../../main/core/errors.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/aws-config');
const work = mkdtempSync(path.join(tmpdir(), 'aws-config-credentials-'));
const home = path.join(work, 'home');
const configFile = path.join(home, '.aws', 'config');
const credentialsFile = path.join(home, '.aws', 'credentials');
mkdirSync(path.join(home, '.aws', 'sso', 'cache'), { recursive: true });
const env: NodeJS.ProcessEnv = {
  HOME: home,
  AWS_CONFIG_FILE: configFile,
  AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
};

const script = path.join(fixtures, 'print-credentials.mjs');
const processCommand = (...args: string[]) =>
  [process.execPath, script, ...args].map((a) => `"${a}"`).join(' ');

function writeConfig(text: string): void {
  writeFileSync(configFile, text);
}
function writeCredentials(text: string): void {
  writeFileSync(credentialsFile, text);
}

function rejectsWith(code: string, check: (error: OrgConnectError) => void = () => {}) {
  return (error: unknown) => {
    assert.ok(error instanceof OrgConnectError, String(error));
    assert.equal(error.code, code, error.message);
    check(error);
    return true;
  };
}

// fromIni hands SSO to fromSSO, which reads process.env (AWS_CONFIG_FILE, HOME); keep it on the temp home.
const savedEnv = { ...process.env };
before(() => Object.assign(process.env, env));
after(() => {
  for (const key of Object.keys(process.env)) delete process.env[key];
  Object.assign(process.env, savedEnv);
});

describe('static and process credentials', () => {
  test('static keys from the credentials file', async () => {
    writeConfig('[profile keys]\nregion = eu-west-1\n');
    writeCredentials(
      '[keys]\naws_access_key_id = AKIASTATICEXAMPLE001\naws_secret_access_key = static-secret\n',
    );
    const credentials = await credentialProviderFor('keys', { env })();
    assert.equal(credentials.accessKeyId, 'AKIASTATICEXAMPLE001');
    assert.equal(credentials.secretAccessKey, 'static-secret');
  });

  test('an edited file is re-read by the same provider', async () => {
    writeCredentials('[rotating]\naws_access_key_id = AKIAFIRSTEXAMPLE0001\naws_secret_access_key = first\n');
    const provider = credentialProviderFor('rotating', { env });
    assert.equal((await provider()).accessKeyId, 'AKIAFIRSTEXAMPLE0001');
    writeCredentials(
      '[rotating]\naws_access_key_id = AKIASECONDEXAMPLE001\naws_secret_access_key = second\n',
    );
    const second = await provider();
    assert.equal(second.accessKeyId, 'AKIASECONDEXAMPLE001');
    assert.equal(second.secretAccessKey, 'second');
  });

  test('credential_process: the command runs and its JSON becomes the credentials', async () => {
    writeCredentials('');
    writeConfig(`[profile proc]\ncredential_process = ${processCommand('AKIAPROCESSEXAMPLE01')}\n`);
    const credentials = await credentialProviderFor('proc', { env })();
    assert.equal(credentials.accessKeyId, 'AKIAPROCESSEXAMPLE01');
    assert.equal(credentials.sessionToken, 'process-session-token');
    assert.ok(credentials.expiration && credentials.expiration.getTime() > Date.now());
  });

  test('a source that fails is reported before anyone is asked for an MFA code', async () => {
    // fromIni itself asks for the code before awaiting the source; a failing source then became an
    // unhandledRejection (which ends a Node process). The prompt is deferred to the role assumer instead.
    writeConfig(
      `[profile proc]\ncredential_process = ${processCommand('X', 'fail')}\n` +
        '[profile role]\nrole_arn = arn:aws:iam::123456789012:role/R\nsource_profile = proc\n' +
        'mfa_serial = arn:aws:iam::123456789012:mfa/bob\n',
    );
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const asked: string[] = [];
      const mfaCodeProvider = async (serial: string) => {
        asked.push(serial);
        return '123456';
      };
      await assert.rejects(
        credentialProviderFor('role', { env, mfaCodeProvider })(),
        rejectsWith('CREDENTIALS_UNAVAILABLE'),
      );
      assert.deepEqual(asked, []);
      await assert.rejects(credentialProviderFor('role', { env })(), rejectsWith('MFA_REQUIRED'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test('a failing credential_process is CREDENTIALS_UNAVAILABLE with one line of detail', async () => {
    writeConfig(`[profile broken]\ncredential_process = ${processCommand('X', 'fail')}\n`);
    await assert.rejects(
      credentialProviderFor('broken', { env })(),
      rejectsWith('CREDENTIALS_UNAVAILABLE', (e) => {
        assert.match(e.message, /^Could not get credentials for profile broken: /);
        assert.ok(!e.message.includes('\n'));
      }),
    );
  });
});

describe('errors a person can act on', () => {
  test('unknown profile → PROFILE_NOT_FOUND listing the profiles there are', async () => {
    writeConfig('[profile one]\nregion = eu-west-1\n[profile two]\nregion = eu-west-1\n');
    writeCredentials('');
    await assert.rejects(
      credentialProviderFor('three', { env })(),
      rejectsWith('PROFILE_NOT_FOUND', (e) => assert.equal(e.fix, 'Choose one of: one, two.')),
    );
  });

  test('a profile without any credential settings → CREDENTIALS_UNAVAILABLE with what to add', async () => {
    writeConfig('[profile bare]\nregion = eu-west-1\n');
    await assert.rejects(
      credentialProviderFor('bare', { env })(),
      rejectsWith('CREDENTIALS_UNAVAILABLE', (e) => assert.match(e.fix ?? '', /aws_access_key_id/)),
    );
  });

  test('a malformed file → CONFIG_MALFORMED, not a generic credentials error', async () => {
    writeConfig('[profile ok]\nregion = eu-west-1\noops\n');
    await assert.rejects(
      credentialProviderFor('ok', { env })(),
      rejectsWith('CONFIG_MALFORMED', (e) => assert.ok(e.message.startsWith(`${configFile}:3: `))),
    );
  });

  test('mfa_serial without a code prompt → MFA_REQUIRED; a prompt that fails or is empty → MFA_REQUIRED', async () => {
    writeCredentials('[base]\naws_access_key_id = AKIABASEEXAMPLE00001\naws_secret_access_key = s\n');
    writeConfig(
      '[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/R\nsource_profile = base\n' +
        'mfa_serial = arn:aws:iam::123456789012:mfa/alice\n',
    );
    await assert.rejects(credentialProviderFor('mfa', { env })(), rejectsWith('MFA_REQUIRED'));
    const asked: string[] = [];
    const cancelled = async (serial: string) => {
      asked.push(serial);
      throw new Error('user closed the prompt');
    };
    await assert.rejects(
      credentialProviderFor('mfa', { env, mfaCodeProvider: cancelled })(),
      rejectsWith('MFA_REQUIRED', (e) => assert.match(e.message, /arn:aws:iam::123456789012:mfa\/alice/)),
    );
    assert.deepEqual(asked, ['arn:aws:iam::123456789012:mfa/alice']);
    await assert.rejects(
      credentialProviderFor('mfa', { env, mfaCodeProvider: async () => '  ' })(),
      rejectsWith('MFA_REQUIRED'),
    );
  });
});

describe('SSO profiles without a valid login', () => {
  const cacheFile = (id: string) =>
    path.join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(id).digest('hex')}.json`);

  before(() => {
    writeCredentials('');
    writeConfig(
      '[profile new-style]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = ReadOnly\n' +
        '[profile legacy]\nsso_start_url = https://legacy.awsapps.com/start\nsso_region = eu-west-1\n' +
        'sso_account_id = 111111111111\nsso_role_name = ReadOnly\n' +
        '[profile via-sso]\nrole_arn = arn:aws:iam::222222222222:role/Admin\nsource_profile = new-style\n' +
        '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
    );
  });

  test('sso-session profile with no cached token → SSO_LOGIN_REQUIRED naming the login command', async () => {
    await assert.rejects(
      credentialProviderFor('new-style', { env })(),
      rejectsWith('SSO_LOGIN_REQUIRED', (e) =>
        assert.equal(e.fix, 'Run: orgconnect login --profile new-style'),
      ),
    );
  });

  test('a role chained from an SSO profile points the login at the SSO profile', async () => {
    await assert.rejects(
      credentialProviderFor('via-sso', { env })(),
      rejectsWith('SSO_LOGIN_REQUIRED', (e) =>
        assert.equal(e.fix, 'Run: orgconnect login --profile new-style'),
      ),
    );
  });

  test('expired sso-session token without refresh data → SSO_LOGIN_REQUIRED', async () => {
    writeFileSync(
      cacheFile('corp'),
      JSON.stringify({
        accessToken: 'expired-token',
        expiresAt: new Date(Date.now() - 60_000).toISOString(),
      }),
    );
    await assert.rejects(credentialProviderFor('new-style', { env })(), rejectsWith('SSO_LOGIN_REQUIRED'));
  });

  test('legacy profile with an expired token → SSO_LOGIN_REQUIRED', async () => {
    writeFileSync(
      cacheFile('https://legacy.awsapps.com/start'),
      JSON.stringify({
        accessToken: 'expired-token',
        expiresAt: new Date(Date.now() - 60_000).toISOString(),
      }),
    );
    await assert.rejects(
      credentialProviderFor('legacy', { env })(),
      rejectsWith('SSO_LOGIN_REQUIRED', (e) => assert.match(e.message, /expired or was never started/)),
    );
  });

  test('an injected env that disagrees with process.env is refused for SSO instead of reading other files', async () => {
    const other = { ...env, AWS_CONFIG_FILE: path.join(work, 'other-config') };
    writeFileSync(other.AWS_CONFIG_FILE, '[profile new-style]\nsso_session = corp\nsso_account_id = 1\n');
    await assert.rejects(
      credentialProviderFor('new-style', { env: other })(),
      rejectsWith('CREDENTIALS_UNAVAILABLE', (e) => assert.match(e.message, /uses SSO/)),
    );
  });
});
