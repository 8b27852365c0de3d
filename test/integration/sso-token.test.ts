/**
 * getValidToken against the SSO test server: cached tokens are used as they are, near-expiry ones are
 * refreshed with the refresh token (rewriting the cache), and every dead end is SSO_LOGIN_REQUIRED.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isOrgConnectError } from '../../main/core/errors.js';
import { writeCachedToken } from '../../main/core/aws/sso/cache-file.js';
import {
  formatCacheTimestamp,
  getValidToken,
  readCachedToken,
  type SsoCachedToken,
  type SsoClock,
  type SsoTarget,
} from '../../main/core/aws/sso/index.js';
import { startSsoTestServer, type SsoTestServer } from '../support/sso-test-server.js';

const TARGET: SsoTarget = {
  sessionName: 'corp',
  startUrl: 'https://d-9999999999.awsapps.com/start',
  region: 'eu-west-1',
};
const MINUTE = 60_000;

let server: SsoTestServer;
before(async () => {
  server = await startSsoTestServer();
});
after(async () => {
  await server.close();
});

function fixedClock(now: number): SsoClock {
  return { now: () => now, sleep: async () => undefined };
}

/** A cache file as a real login against the test server would leave it, expiring `expiresInMs` from `now`. */
async function cachedSession(
  homeDir: string,
  now: number,
  expiresInMs: number,
  overrides: Partial<SsoCachedToken> = {},
) {
  const issued = server.issueSession();
  const record: SsoCachedToken = {
    startUrl: TARGET.startUrl,
    region: TARGET.region,
    accessToken: issued.accessToken,
    expiresAt: formatCacheTimestamp(new Date(now + expiresInMs)),
    clientId: issued.clientId,
    clientSecret: issued.clientSecret,
    registrationExpiresAt: formatCacheTimestamp(new Date(issued.clientSecretExpiresAt * 1000)),
    refreshToken: issued.refreshToken,
    ...overrides,
  };
  await writeCachedToken(TARGET, record, { homeDir });
  return record;
}

async function withHome(run: (homeDir: string) => Promise<void>): Promise<void> {
  const homeDir = await mkdtemp(path.join(tmpdir(), 'orgconnect-sso-token-'));
  try {
    await run(homeDir);
  } finally {
    await rm(homeDir, { recursive: true, force: true });
  }
}

function isLoginRequired(profile: string) {
  return (error: unknown): boolean => {
    assert.ok(isOrgConnectError(error), String(error));
    assert.equal(error.code, 'SSO_LOGIN_REQUIRED');
    assert.equal(error.message, 'Your IAM Identity Center session for corp has expired.');
    assert.equal(error.fix, `Run: orgconnect login --profile ${profile}`);
    return true;
  };
}

describe('getValidToken', () => {
  test('a token with more than 5 minutes left is returned from the cache without a call', async () => {
    await withHome(async (homeDir) => {
      const now = Date.now();
      const record = await cachedSession(homeDir, now, 6 * MINUTE);
      const calls = server.requests.length;
      const token = await getValidToken(TARGET, { homeDir, endpoint: server.url, clock: fixedClock(now) });
      assert.equal(token.accessToken, record.accessToken);
      assert.equal(token.expiresAt.toISOString(), new Date(Date.parse(record.expiresAt)).toISOString());
      assert.equal(server.requests.length, calls);
    });
  });

  test('within 5 minutes of expiry it refreshes, rotates the refresh token and rewrites the cache', async () => {
    await withHome(async (homeDir) => {
      const now = Date.now();
      const record = await cachedSession(homeDir, now, 4 * MINUTE);
      const token = await getValidToken(TARGET, { homeDir, endpoint: server.url, clock: fixedClock(now) });
      assert.notEqual(token.accessToken, record.accessToken);
      const refresh = server.requestsTo('/token').at(-1)?.body;
      assert.equal(refresh?.['grantType'], 'refresh_token');
      assert.equal(refresh?.['clientId'], record.clientId);

      const rewritten = await readCachedToken(TARGET, { homeDir });
      assert.equal(rewritten?.accessToken, token.accessToken);
      assert.equal(Date.parse(rewritten?.expiresAt ?? ''), Math.floor((now + 3600_000) / 1000) * 1000);
      assert.notEqual(rewritten?.refreshToken, record.refreshToken);
      assert.equal(rewritten?.clientId, record.clientId);
      assert.equal(rewritten?.registrationExpiresAt, record.registrationExpiresAt);

      // The new token works at the portal and the cache now serves it without another refresh.
      const calls = server.requestsTo('/token').length;
      assert.equal(
        (await getValidToken(TARGET, { homeDir, endpoint: server.url, clock: fixedClock(now) })).accessToken,
        token.accessToken,
      );
      assert.equal(server.requestsTo('/token').length, calls);
    });
  });

  test('concurrent callers share one refresh (refresh tokens are single-use)', async () => {
    await withHome(async (homeDir) => {
      const now = Date.now();
      await cachedSession(homeDir, now, 1 * MINUTE);
      const before = server.requestsTo('/token').length;
      const options = { homeDir, endpoint: server.url, clock: fixedClock(now) };
      const [a, b, c] = await Promise.all([
        getValidToken(TARGET, options),
        getValidToken(TARGET, options),
        getValidToken(TARGET, options),
      ]);
      assert.equal(server.requestsTo('/token').length - before, 1);
      assert.equal(a.accessToken, b.accessToken);
      assert.equal(b.accessToken, c.accessToken);
    });
  });

  test('InvalidGrantException on refresh means sign in again', async () => {
    await withHome(async (homeDir) => {
      const now = Date.now();
      await cachedSession(homeDir, now - 10 * MINUTE, 5 * MINUTE); // already expired
      server.rejectRefresh = true;
      try {
        await assert.rejects(
          getValidToken(TARGET, {
            homeDir,
            endpoint: server.url,
            clock: fixedClock(now),
            profile: 'corp-admin',
          }),
          isLoginRequired('corp-admin'),
        );
        assert.equal(server.requestsTo('/token').at(-1)?.body?.['grantType'], 'refresh_token');
      } finally {
        server.rejectRefresh = false;
      }
    });
  });

  test('no refresh token, an expired registration, or no cache at all: login required without calling AWS', async () => {
    await withHome(async (homeDir) => {
      const now = Date.now();
      const options = { homeDir, endpoint: server.url, clock: fixedClock(now), profile: 'p1' };
      await assert.rejects(getValidToken(TARGET, options), isLoginRequired('p1'));

      await cachedSession(homeDir, now, 2 * MINUTE, { refreshToken: undefined });
      const calls = server.requests.length;
      await assert.rejects(getValidToken(TARGET, options), isLoginRequired('p1'));

      await cachedSession(homeDir, now, 2 * MINUTE, {
        registrationExpiresAt: formatCacheTimestamp(new Date(now - MINUTE)),
      });
      await assert.rejects(getValidToken(TARGET, options), isLoginRequired('p1'));
      assert.equal(server.requests.length, calls, 'no request for the dead ends');
    });
  });

  test('a token cached for a different start URL is not used', async () => {
    await withHome(async (homeDir) => {
      const now = Date.now();
      await cachedSession(homeDir, now, 60 * MINUTE, { startUrl: 'https://d-0000000000.awsapps.com/start' });
      await assert.rejects(
        getValidToken(TARGET, { homeDir, endpoint: server.url, clock: fixedClock(now), profile: 'x' }),
        isLoginRequired('x'),
      );
    });
  });

  test('an unreachable OIDC endpoint: the old token while it lasts, then SSO_REFRESH_FAILED', async () => {
    await withHome(async (homeDir) => {
      const now = Date.now();
      const record = await cachedSession(homeDir, now, 2 * MINUTE);
      const unreachable = { homeDir, endpoint: 'http://127.0.0.1:9', clock: fixedClock(now) };
      assert.equal((await getValidToken(TARGET, unreachable)).accessToken, record.accessToken);
      await cachedSession(homeDir, now, -1 * MINUTE);
      await assert.rejects(getValidToken(TARGET, unreachable), (error: unknown) => {
        assert.ok(isOrgConnectError(error));
        assert.equal(error.code, 'SSO_REFRESH_FAILED');
        return true;
      });
    });
  });
});
