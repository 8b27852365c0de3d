// Bad input: whatever is in ~/.aws/config and ~/.aws/credentials — random and truncated INI, unicode, invalid
// UTF-8, a 5 MB file — `loadLocalAwsConfig` either answers or throws an OrgConnectError (a code and one line for
// a person). Nothing else may come out: no TypeError, no crash, no hang.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { loadLocalAwsConfig } from '../../main/core/aws/config/index.js';
import { OrgConnectError } from '../../main/core/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'orgconnect-fuzz-config-'));
const configFile = path.join(dir, 'config');
const credentialsFile = path.join(dir, 'credentials');
const env: NodeJS.ProcessEnv = {
  HOME: dir,
  AWS_CONFIG_FILE: configFile,
  AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
};

const VALID_CONFIG = [
  '[default]',
  'region = us-east-1',
  '',
  '[profile dev]',
  'sso_session = corp',
  'sso_account_id = 111122223333',
  'sso_role_name = ReadOnly',
  'region = eu-west-1',
  '',
  '[sso-session corp]',
  'sso_start_url = https://corp.awsapps.com/start',
  'sso_region = us-east-1',
  'sso_registration_scopes = sso:account:access',
  '',
  '[profile chained]',
  'role_arn = arn:aws:iam::111122223333:role/Admin',
  'source_profile = default',
  'services = local',
  '',
  '[services local]',
  'sts =',
  '  endpoint_url = http://127.0.0.1:5000',
  '',
].join('\n');

const VALID_CREDENTIALS = '[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n';

const name = fc.oneof(
  fc.constantFrom('default', 'dev', 'corp', 'prod', 'a b', '', ' ', 'profile', 'sso-session', 'services'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);
const key = fc.oneof(
  fc.constantFrom(
    'region',
    'sso_session',
    'sso_start_url',
    'sso_region',
    'sso_account_id',
    'sso_role_name',
    'role_arn',
    'source_profile',
    'credential_source',
    'credential_process',
    'endpoint_url',
    'services',
    'aws_access_key_id',
    'aws_secret_access_key',
    'aws_session_token',
    'output',
    'sts',
    'mfa_serial',
  ),
  fc.string({ maxLength: 10 }),
);
const value = fc.oneof(
  fc.constantFrom(
    'us-east-1',
    'http://127.0.0.1:9',
    'not a url',
    'arn:aws:iam::1:role/x',
    '',
    '=',
    '[x]',
    '#',
    ';',
  ),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 10 }),
);
const line = fc.oneof(
  fc
    .tuple(fc.constantFrom('profile ', 'sso-session ', 'services ', '', 'profile  ', ' profile '), name)
    .map(([kind, n]) => `[${kind}${n}]`),
  fc.tuple(key, value).map(([k, v]) => `${k} = ${v}`),
  fc.tuple(key, value).map(([k, v]) => `  ${k} = ${v}`),
  fc.tuple(key, value).map(([k, v]) => `${k}=${v}`),
  fc.constantFrom(
    '# comment',
    '; comment',
    '',
    '   ',
    '[',
    ']',
    '[]',
    '=',
    'key',
    '\t',
    '\r',
    '\u0000',
    '\uFEFF[default]',
  ),
  fc.string({ maxLength: 30 }),
);
const iniText = fc.array(line, { maxLength: 25 }).map((lines) => lines.join('\n'));
const truncated = fc
  .tuple(fc.constantFrom(VALID_CONFIG, VALID_CREDENTIALS), fc.nat())
  .map(([text, cut]) => text.slice(0, cut % (text.length + 1)));
const eol = fc.constantFrom('\n', '\r\n', '\r');
const fileContent = fc.oneof(
  iniText,
  truncated,
  fc.tuple(iniText, eol).map(([text, end]) => text.replaceAll('\n', end)),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(null), // the file does not exist
);

function write(file: string, content: string | Buffer | null): void {
  rmSync(file, { force: true });
  if (content !== null) writeFileSync(file, content);
}

async function onlyOrgConnectErrors(): Promise<'ok' | 'error'> {
  try {
    const summary = await loadLocalAwsConfig({ env });
    // The answer is a well-formed summary whatever the input was.
    assert.ok(Array.isArray(summary.profiles) && Array.isArray(summary.warnings));
    for (const warning of summary.warnings) assert.equal(typeof warning, 'object');
    return 'ok';
  } catch (error) {
    if (error instanceof OrgConnectError) {
      assert.ok(error.code.length > 0);
      assert.doesNotMatch(error.message, /\n/, 'one line for a person');
      return 'error';
    }
    throw error;
  }
}

describe('loadLocalAwsConfig under bad input', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('random, truncated, unicode and binary config + credentials files: only OrgConnectError comes out', async () => {
    let cases = 0;
    const outcomes = { ok: 0, error: 0 };
    await fc.assert(
      fc.asyncProperty(fileContent, fileContent, async (config, credentials) => {
        cases += 1;
        write(configFile, config);
        write(credentialsFile, credentials);
        outcomes[await onlyOrgConnectErrors()] += 1;
      }),
      { numRuns: 300, seed: 6006 },
    );
    console.log(
      `aws config fuzz: ${cases} cases, 0 crashes (${outcomes.ok} read, ${outcomes.error} OrgConnectError)`,
    );
  });

  test('a 5 MB config file is read (or refused with an OrgConnectError) in reasonable time', async () => {
    const block = `${VALID_CONFIG}\n`;
    const profiles: string[] = [];
    for (let i = 0, size = 0; size < 5 * 1024 * 1024; i++) {
      const profile = `[profile p${i}]\nregion = us-east-1\nrole_arn = arn:aws:iam::111122223333:role/R${i}\nsource_profile = default\n\n`;
      profiles.push(profile);
      size += profile.length;
    }
    write(configFile, block + profiles.join(''));
    write(credentialsFile, VALID_CREDENTIALS);
    const started = performance.now();
    const outcome = await onlyOrgConnectErrors();
    const ms = performance.now() - started;
    assert.ok(ms < 20_000, `took ${Math.round(ms)} ms`);
    console.log(`5 MB config (${profiles.length} profiles): ${outcome} in ${Math.round(ms)} ms`);

    // 5 MB of one unicode line with no structure at all.
    write(configFile, '[default]\nregion = ' + 'é€𝄞'.repeat(640 * 1024));
    const again = performance.now();
    const junk = await onlyOrgConnectErrors();
    assert.ok(performance.now() - again < 20_000);
    console.log(`5 MB one-line unicode config: ${junk} in ${Math.round(performance.now() - again)} ms`);
  });
});
