// The line scanner must agree with the SDK's own parser (it only adds line numbers), and must reject exactly
// the lines the SDK would silently skip.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { scanIniText, type ScannedFile } from '../../main/core/aws/config/line-scanner.js';
import { OrgConnectError } from '../../main/core/errors.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures/aws-config');
const work = mkdtempSync(path.join(tmpdir(), 'aws-config-scanner-'));

/** The SDK's raw parse (the credentials file is returned exactly as parseIni produced it). */
async function sdkParse(
  text: string,
  name: string,
): Promise<Record<string, Record<string, string | undefined>>> {
  const file = path.join(work, name);
  writeFileSync(file, text);
  const { credentialsFile } = await loadSharedConfigFiles({
    filepath: file,
    configFilepath: path.join(work, 'absent'),
    ignoreCache: true,
  });
  return credentialsFile;
}

/** Section key → setting names, as the scanner predicts parseIni will store them. */
function predicted(scan: ScannedFile): Record<string, string[]> {
  const result: Record<string, Set<string>> = {};
  for (const section of scan.sections) {
    if (section.key === undefined || section.keys.length === 0) continue;
    const names = (result[section.key] ??= new Set());
    for (const key of section.keys) names.add(key.name);
  }
  return Object.fromEntries(Object.entries(result).map(([k, v]) => [k, [...v].sort()]));
}

function actual(parsed: Record<string, Record<string, string | undefined>>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, Object.keys(v).sort()]));
}

describe('line scanner agrees with the SDK parser', () => {
  const nameChar = fc.constantFrom('a', 'b', '1', '.', '-', '_', '@', ' ', '!', '"', "'", '/');
  const header = fc
    .tuple(
      fc.constantFrom('', 'profile', 'sso-session', 'services', 'plugins', 'default'),
      fc.constantFrom('', ' ', '  ', '\t'),
      fc.array(nameChar, { maxLength: 5 }).map((cs) => cs.join('')),
      fc.constantFrom('', ' # note', ' ;note', '#x'),
    )
    .map(([prefix, sep, name, comment]) => `[${prefix}${sep}${name}]${comment}`);
  const setting = fc
    .tuple(
      fc.constantFrom('', '  ', '\t'),
      fc.constantFrom('region', 'sts', 's3', 'endpoint_url', 'a-b', 'x.y'),
      fc.constantFrom(' = ', '=', ' =', '= '),
      fc.constantFrom('', 'v1', 'v 2', 'v#3', 'https://h:1/p'),
      fc.constantFrom('', ' # c', ' ; c'),
    )
    .map(([indent, key, eq, value, comment]) => `${indent}${key}${eq}${value}${comment}`);
  const filler = fc.constantFrom('', '   ', '# comment', '; comment', '  # indented comment');
  const file = fc
    .tuple(header, fc.array(fc.oneof(header, setting, setting, filler), { maxLength: 14 }), fc.boolean())
    .map(([first, rest, crlf]) => [first, ...rest].join(crlf ? '\r\n' : '\n'));

  test('sections and setting names match parseIni; every rejected line is one parseIni ignores', async () => {
    let run = 0;
    let rejected = 0;
    await fc.assert(
      fc.asyncProperty(file, async (original) => {
        let lines = original.split(/\r?\n/);
        for (;;) {
          const text = lines.join('\n');
          let scan: ScannedFile;
          try {
            scan = scanIniText(text, 'generated');
          } catch (error) {
            assert.ok(error instanceof OrgConnectError && error.code === 'CONFIG_MALFORMED', String(error));
            const line = Number(/^generated:(\d+):/.exec(error.message)?.[1]);
            const without = lines.filter((_, i) => i !== line - 1);
            // The SDK's result is the same with or without the rejected line: it dropped it silently.
            assert.deepEqual(
              await sdkParse(without.join('\n'), `generated-${run++}`),
              await sdkParse(text, `generated-${run++}`),
              `${text}\n-- line ${line}`,
            );
            rejected++;
            lines = without;
            continue;
          }
          assert.deepEqual(predicted(scan), actual(await sdkParse(original, `generated-${run++}`)), text);
          return;
        }
      }),
      { numRuns: 300 },
    );
    assert.ok(rejected > 0, 'the generator should also produce lines the scanner rejects');
  });

  test('a sub-property block ends at the next unindented setting, as in parseIni', async () => {
    const text = '[services s]\nsts =\n  endpoint_url = http://a\nregion = x\n  endpoint_url = http://b\n';
    const scan = scanIniText(text, 'services');
    assert.deepEqual(scan.sections[0]?.keys, [
      { name: 'sts.endpoint_url', line: 3 },
      { name: 'region', line: 4 },
      { name: 'endpoint_url', line: 5 },
    ]);
    assert.deepEqual(actual(await sdkParse(text, 'services')), predicted(scan));
  });
});

describe('malformed files', () => {
  const cases: [string, number, RegExp][] = [
    ['key-before-section.ini', 2, /"region" is set before any \[section\] header/],
    ['no-equals.ini', 3, /neither a \[section\] header nor a "name = value" setting/],
    ['empty-key.ini', 3, /no setting name before "="/],
    ['unclosed-header.ini', 1, /"\[default" is neither/],
    ['proto-profile.ini', 4, /"profile __proto__" is not allowed/],
  ];
  for (const [name, line, message] of cases) {
    test(`${name}: CONFIG_MALFORMED at line ${line}, where the SDK silently loses data`, async () => {
      const file = path.join(fixtures, 'malformed', name);
      const text = readFileSync(file, 'utf8');
      assert.throws(
        () => scanIniText(text, file),
        (error: unknown) => {
          assert.ok(error instanceof OrgConnectError);
          assert.equal(error.code, 'CONFIG_MALFORMED');
          assert.ok(error.message.startsWith(`${file}:${line}: `), error.message);
          assert.match(error.message, message);
          assert.ok(error.fix);
          return true;
        },
      );
      // What the SDK does with the same text: no error, and the offending line's content is gone.
      const parsed = await sdkParse(text, `sdk-${name}`);
      const values = JSON.stringify(parsed);
      const offending = text.split('\n')[line - 1] ?? '';
      const offendingValue = offending.includes('=') ? offending.split('=')[1]?.trim() : offending.trim();
      if (name === 'proto-profile.ini') assert.deepEqual(parsed, {}, 'the SDK drops the whole file');
      else if (name === 'unclosed-header.ini') assert.deepEqual(parsed, {}, 'the SDK sees no section at all');
      else assert.ok(!values.includes(offendingValue ?? '\u0000'), `SDK kept "${offendingValue}": ${values}`);
    });
  }

  test('binary content (UTF-16 or NUL bytes) is CONFIG_MALFORMED with the line of the first NUL', () => {
    const utf16 = Buffer.from('[default]\nregion = us-east-1\n', 'utf16le').toString('utf8');
    assert.throws(
      () => scanIniText(utf16, '/x/config'),
      /^OrgConnectError: \/x\/config:1: contains binary data/,
    );
    assert.throws(
      () => scanIniText('[default]\nregion = x\n\u0000\u0001junk', '/x/config'),
      (error: unknown) => error instanceof OrgConnectError && error.message.startsWith('/x/config:3: '),
    );
  });

  test('the message never echoes a long secret-looking line', () => {
    const text = '[default]\nwJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n';
    assert.throws(
      () => scanIniText(text, 'credentials'),
      (error: unknown) =>
        error instanceof OrgConnectError &&
        error.message.startsWith('credentials:2: ') &&
        !error.message.includes('MDENG'),
    );
  });
});
