import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadLocalAwsConfig, type ConfigWarning } from '../../main/core/aws/config/index.js';
import { OrgConnectError } from '../../main/core/errors.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/aws-config');
const work = mkdtempSync(path.join(tmpdir(), 'aws-config-load-'));

function envFor(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // HOME points at an empty directory so nothing can fall back to the real ~/.aws.
  return {
    HOME: path.join(work, 'empty-home'),
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    ...extra,
  };
}

describe('file locations', () => {
  test('defaults to ~/.aws/config and ~/.aws/credentials under the injected HOME, profile "default"', async () => {
    const home = path.join(work, 'home-defaults');
    mkdirSync(path.join(home, '.aws'), { recursive: true });
    writeFileSync(path.join(home, '.aws', 'config'), '[profile from-home]\nregion = sa-east-1\n');
    const config = await loadLocalAwsConfig({ env: { HOME: home } });
    assert.equal(config.configFile, path.join(home, '.aws', 'config'));
    assert.equal(config.credentialsFile, path.join(home, '.aws', 'credentials'));
    assert.equal(config.selectedProfile, 'default');
    assert.deepEqual(
      config.profiles.map((p) => [p.name, p.region]),
      [['from-home', 'sa-east-1']],
    );
  });

  test('AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE (with ~/) and AWS_PROFILE are honoured', async () => {
    const home = path.join(work, 'home-tilde');
    mkdirSync(path.join(home, 'elsewhere'), { recursive: true });
    writeFileSync(
      path.join(home, 'elsewhere', 'creds'),
      '[picked]\naws_access_key_id = A\naws_secret_access_key = B\n',
    );
    const config = await loadLocalAwsConfig({
      env: {
        HOME: home,
        AWS_CONFIG_FILE: path.join(work, 'no-such-dir', 'config'),
        AWS_SHARED_CREDENTIALS_FILE: '~/elsewhere/creds',
        AWS_PROFILE: 'picked',
      },
    });
    assert.equal(config.credentialsFile, path.join(home, 'elsewhere', 'creds'));
    assert.equal(config.selectedProfile, 'picked');
    assert.deepEqual(
      config.profiles.map((p) => [p.name, p.kind, p.definedIn]),
      [['picked', 'static', ['credentials']]],
    );
    assert.deepEqual(config.warnings, []);
  });

  test('no files at all is an empty configuration, not an error', async () => {
    const config = await loadLocalAwsConfig({ env: envFor(path.join(work, 'nothing-here')) });
    assert.deepEqual([config.profiles, config.ssoSessions, config.warnings], [[], [], []]);
  });
});

describe('every profile kind', async () => {
  const env = envFor(path.join(fixtures, 'all-kinds'));
  const config = await loadLocalAwsConfig({ env });
  const byName = new Map(config.profiles.map((p) => [p.name, p]));

  test('profiles are listed default first, then by name', () => {
    assert.deepEqual(
      config.profiles.map((p) => p.name),
      [
        'default',
        'admin',
        'base',
        'from-env',
        'local',
        'nothing',
        'process',
        'sso-new',
        'sso-old',
        'static-config',
        'web',
      ],
    );
    assert.deepEqual(config.warnings, []);
  });

  test('kinds follow the order fromIni resolves them in', () => {
    assert.deepEqual(Object.fromEntries(config.profiles.map((p) => [p.name, p.kind])), {
      default: 'unknown',
      admin: 'assume-role',
      base: 'static',
      'from-env': 'assume-role',
      local: 'unknown',
      nothing: 'unknown',
      process: 'credential-process',
      'sso-new': 'sso',
      'sso-old': 'sso-legacy',
      'static-config': 'static',
      web: 'web-identity',
    });
  });

  test('assume-role summary: settings without the External ID itself', () => {
    assert.deepEqual(byName.get('admin'), {
      name: 'admin',
      kind: 'assume-role',
      definedIn: ['config'],
      sourceProfile: 'base',
      roleArn: 'arn:aws:iam::222222222222:role/OrgAdmin',
      hasExternalId: true,
      mfaSerial: 'arn:aws:iam::111111111111:mfa/alice',
      durationSeconds: 1800,
      credentialProcess: false,
    });
    assert.equal(byName.get('from-env')?.credentialSource, 'Environment');
  });

  test('a profile in both files lists both; for region the credentials file wins, as in the SDK', () => {
    const p = byName.get('static-config');
    assert.deepEqual(p?.definedIn, ['config', 'credentials']);
    assert.equal(p?.region, 'ap-south-1');
  });

  test('SSO profiles: sso-session style takes start URL and region from the session', () => {
    assert.deepEqual(byName.get('sso-new'), {
      name: 'sso-new',
      kind: 'sso',
      region: 'us-west-2',
      definedIn: ['config'],
      hasExternalId: false,
      credentialProcess: false,
      ssoSession: 'corp',
      ssoStartUrl: 'https://corp.awsapps.com/start',
      ssoRegion: 'us-east-1',
      ssoAccountId: '444444444444',
      ssoRoleName: 'ReadOnly',
    });
    assert.deepEqual(byName.get('sso-old'), {
      name: 'sso-old',
      kind: 'sso-legacy',
      definedIn: ['config'],
      hasExternalId: false,
      credentialProcess: false,
      ssoStartUrl: 'https://legacy.awsapps.com/start',
      ssoRegion: 'eu-west-1',
      ssoAccountId: '555555555555',
      ssoRoleName: 'Admin',
    });
    assert.deepEqual(config.ssoSessions, [
      {
        name: 'corp',
        startUrl: 'https://corp.awsapps.com/start',
        region: 'us-east-1',
        registrationScopes: ['sso:account:access', 'codewhisperer:completions'],
      },
    ]);
  });

  test('process, web identity and endpoint settings', () => {
    assert.equal(byName.get('process')?.credentialProcess, true);
    assert.equal(byName.get('web')?.webIdentityTokenFile, '/var/run/token');
    assert.equal(byName.get('web')?.roleArn, 'arn:aws:iam::333333333333:role/Web');
    assert.equal(byName.get('local')?.endpointUrl, 'http://localhost:5000');
    assert.equal(byName.get('local')?.servicesSection, 'local-services');
  });

  test('no secret value and no External ID appears anywhere in the result', () => {
    const json = JSON.stringify(config);
    for (const secret of [
      'config-secret-not-real',
      'base-secret-not-real',
      'ext-id-must-never-appear',
      'AKIABASE',
    ]) {
      assert.ok(!json.includes(secret), `leaked ${secret}`);
    }
  });
});

describe('warnings for what the SDK silently drops', async () => {
  const dir = path.join(fixtures, 'warnings');
  const config = await loadLocalAwsConfig({ env: envFor(dir) });
  const configFile = path.join(dir, 'config');
  const credentialsFile = path.join(dir, 'credentials');
  const brief = (w: ConfigWarning) => [w.code, w.file, w.line];

  test('exact codes, files and line numbers', () => {
    assert.deepEqual(config.warnings.map(brief), [
      ['DEFAULT_PROFILE_CONFLICT', configFile, 2],
      ['INVALID_SECTION_NAME', configFile, 8],
      ['SERVICES_SECTION_MISSING', configFile, 12],
      ['SSO_SESSION_MISSING', configFile, 16],
      ['SOURCE_PROFILE_MISSING', configFile, 22],
      ['UNKNOWN_SECTION', configFile, 24],
      ['SSO_SESSION_INCOMPLETE', configFile, 27],
      ['ROLE_SOURCE_CONFLICT', configFile, 33],
      ['PROFILE_PREFIX_IN_CREDENTIALS', credentialsFile, 1],
      ['INVALID_SECTION_NAME', credentialsFile, 5],
    ]);
    for (const warning of config.warnings) assert.ok(warning.message.length > 20, warning.message);
  });

  test('each warning describes what the SDK really did', () => {
    const names = config.profiles.map((p) => p.name);
    // [profile default] replaced [default]
    assert.equal(config.profiles.find((p) => p.name === 'default')?.region, 'eu-west-1');
    // dropped sections are not profiles
    for (const dropped of ['my prof', 'my', 'ci', 'plugins', 'half'])
      assert.ok(!names.includes(dropped), dropped);
    // [profile ci] in the credentials file became a profile literally named "profile.ci", which is not listed
    assert.ok(!names.includes('profile.ci'));
    // an incomplete sso-session is not offered for login
    assert.deepEqual(config.ssoSessions, []);
    assert.match(
      config.warnings.find((w) => w.code === 'INVALID_SECTION_NAME')?.message ?? '',
      /contains a space/,
    );
  });

  test('a warning points at the file whose value the SDK uses', async () => {
    const both = path.join(work, 'warning-location');
    mkdirSync(both, { recursive: true });
    writeFileSync(path.join(both, 'config'), '[profile p]\nsource_profile = gone-from-config\n');
    writeFileSync(path.join(both, 'credentials'), '\n[p]\nsource_profile = gone-from-credentials\n');
    const result = await loadLocalAwsConfig({ env: envFor(both) });
    assert.deepEqual(result.warnings.map(brief), [
      ['SOURCE_PROFILE_MISSING', path.join(both, 'credentials'), 3],
    ]);
    assert.match(result.warnings[0]?.message ?? '', /gone-from-credentials/);
  });
});

describe('malformed and unreadable files', () => {
  test('a malformed config file is CONFIG_MALFORMED with file:line', async () => {
    const dir = path.join(work, 'malformed');
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(fixtures, 'malformed', 'no-equals.ini'), path.join(dir, 'config'));
    await assert.rejects(
      loadLocalAwsConfig({ env: envFor(dir) }),
      (error: unknown) =>
        error instanceof OrgConnectError &&
        error.code === 'CONFIG_MALFORMED' &&
        error.message.startsWith(`${path.join(dir, 'config')}:3: `) &&
        error.fix !== undefined,
    );
  });

  test('a malformed credentials file too (binary content)', async () => {
    const dir = path.join(work, 'binary');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'credentials'),
      Buffer.from('[default]\naws_access_key_id = A\n', 'utf16le'),
    );
    await assert.rejects(loadLocalAwsConfig({ env: envFor(dir) }), (error: unknown) => {
      assert.ok(error instanceof OrgConnectError);
      assert.equal(error.code, 'CONFIG_MALFORMED');
      assert.ok(error.message.startsWith(`${path.join(dir, 'credentials')}:1: contains binary data`));
      return true;
    });
  });

  test('an unreadable path (a directory where the file should be) is CONFIG_MALFORMED, not a crash', async () => {
    const dir = path.join(work, 'unreadable');
    mkdirSync(path.join(dir, 'config'), { recursive: true });
    await assert.rejects(loadLocalAwsConfig({ env: envFor(dir) }), {
      name: 'OrgConnectError',
      code: 'CONFIG_MALFORMED',
      message: `${path.join(dir, 'config')}: cannot be read (EISDIR).`,
    });
  });
});
