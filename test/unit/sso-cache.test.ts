import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getSSOTokenFilepath } from '@smithy/shared-ini-file-loader';
import {
  formatCacheTimestamp,
  parseCacheTimestamp,
  readCachedToken,
  registrationCacheFilePath,
  ssoCacheFilePath,
  writeCachedToken,
} from '../../main/core/aws/sso/cache-file.js';
import { pythonJsonDumps } from '../../main/core/aws/sso/python-json.js';

const START_URL = 'https://d-1234567890.awsapps.com/start';

async function tempHome(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'orgconnect-sso-cache-'));
}

describe('python json.dumps compatibility', () => {
  // Expected strings were produced by CPython 3's json.dumps(..., sort_keys=True), the CLI's own serializer.
  test('separators, ensure_ascii escapes and code-point key order match Python', () => {
    assert.equal(
      pythonJsonDumps({ z: 1, '\u{1F600}': 2, '\uffff': 3, 'a\x7f': [true, null, 1.5] }, { sortKeys: true }),
      '{"a\\u007f": [true, null, 1.5], "z": 1, "\\uffff": 3, "\\ud83d\\ude00": 2}',
    );
  });

  test('registration cache file name is the sha1 the AWS CLI computes', () => {
    const home = '/home/someone';
    assert.equal(
      path.basename(
        registrationCacheFilePath(
          { sessionName: 'my-sso', startUrl: START_URL, region: 'us-east-1' },
          { homeDir: home },
        ),
      ),
      '8b2cedd020fb181ad4cf906d1d27b232fd31557e.json',
    );
    assert.equal(
      path.basename(
        registrationCacheFilePath(
          {
            sessionName: 'équipe-\u{1F600}',
            startUrl: START_URL,
            region: 'eu-west-1',
            registrationScopes: ['sso:account:access', 'codewhisperer:completions'],
          },
          { homeDir: home },
        ),
      ),
      'b12bdf03bef3e8409e0894cbea94d586eab5af77.json',
    );
  });
});

describe('token cache file path', () => {
  test('sha1 of the session name for sso-session profiles, of the start URL for legacy ones', () => {
    const home = '/home/someone';
    assert.equal(
      ssoCacheFilePath(
        { sessionName: 'my-sso', startUrl: START_URL, region: 'us-east-1' },
        { homeDir: home },
      ),
      '/home/someone/.aws/sso/cache/0ad374308c5a4e22f723adf10145eafad7c4031c.json',
    );
    assert.equal(
      ssoCacheFilePath({ startUrl: START_URL, region: 'us-east-1' }, { homeDir: home }),
      '/home/someone/.aws/sso/cache/7487b5b67d5fa1132cf33fa93ae51ef38cc37752.json',
    );
  });

  test('without homeDir it is exactly the file the SDK reads (HOME honoured)', () => {
    const saved = process.env['HOME'];
    process.env['HOME'] = '/tmp/some-other-home';
    try {
      assert.equal(
        ssoCacheFilePath({ sessionName: 'x', startUrl: START_URL, region: 'us-east-1' }),
        getSSOTokenFilepath('x'),
      );
      assert.equal(
        ssoCacheFilePath({ startUrl: START_URL, region: 'us-east-1' }),
        getSSOTokenFilepath(START_URL),
      );
      assert.ok(getSSOTokenFilepath('x').startsWith('/tmp/some-other-home/'));
    } finally {
      if (saved === undefined) delete process.env['HOME'];
      else process.env['HOME'] = saved;
    }
  });
});

describe('timestamps', () => {
  test('written like the CLI, parsed in the CLI, SDK and old-CLI forms', () => {
    assert.equal(formatCacheTimestamp(new Date('2026-11-22T10:00:00.789Z')), '2026-11-22T10:00:00Z');
    const expected = Date.UTC(2026, 10, 22, 10, 0, 0);
    assert.equal(parseCacheTimestamp('2026-11-22T10:00:00Z'), expected);
    assert.equal(parseCacheTimestamp('2026-11-22T10:00:00.000Z'), expected);
    assert.equal(parseCacheTimestamp('2026-11-22T10:00:00UTC'), expected);
    assert.equal(parseCacheTimestamp('2026-11-22T10:00:00+00:00'), expected);
    assert.ok(Number.isNaN(parseCacheTimestamp('soon')));
  });
});

describe('reading and writing the token cache', () => {
  const target = { sessionName: 'my-sso', startUrl: START_URL, region: 'us-east-1' };

  test('round trip, mode 0600, no temp files left, CLI field order', async () => {
    const home = await tempHome();
    try {
      const token = {
        startUrl: START_URL,
        region: 'us-east-1',
        accessToken: 'aoa-access',
        expiresAt: '2026-11-22T10:00:00Z',
        clientId: 'cid',
        clientSecret: 'secret',
        registrationExpiresAt: '2027-01-01T00:00:00Z',
        refreshToken: 'aor-refresh',
      };
      await writeCachedToken(target, token, { homeDir: home });
      const file = ssoCacheFilePath(target, { homeDir: home });
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      assert.deepEqual(await readdir(path.dirname(file)), [path.basename(file)]);
      const text = await readFile(file, 'utf8');
      assert.deepEqual(Object.keys(JSON.parse(text) as object), Object.keys(token));
      assert.ok(text.startsWith('{"startUrl": "https://'), 'Python-style separators');
      assert.deepEqual(await readCachedToken(target, { homeDir: home }), token);

      // Overwriting replaces the file whole.
      await writeCachedToken(target, { ...token, accessToken: 'second' }, { homeDir: home });
      assert.equal((await readCachedToken(target, { homeDir: home }))?.accessToken, 'second');
      assert.equal((await readdir(path.dirname(file))).length, 1);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  test('missing, unparseable or incomplete files read as "no token"', async () => {
    const home = await tempHome();
    try {
      assert.equal(await readCachedToken(target, { homeDir: home }), undefined);
      const file = ssoCacheFilePath(target, { homeDir: home });
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, '{not json');
      assert.equal(await readCachedToken(target, { homeDir: home }), undefined);
      await writeFile(file, JSON.stringify({ accessToken: 'x' }));
      assert.equal(await readCachedToken(target, { homeDir: home }), undefined);
      await writeFile(file, JSON.stringify({ accessToken: 'x', expiresAt: 'never' }));
      assert.equal(await readCachedToken(target, { homeDir: home }), undefined);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
