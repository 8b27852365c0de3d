/**
 * The access portal client against the SSO test server: pagination, role credentials, error mapping, and the
 * shared ≤ 20 requests/s limiter measured on the wire (real time, a small burst).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isOrgConnectError } from '../../main/core/errors.js';
import { writeCachedToken } from '../../main/core/aws/sso/cache-file.js';
import { createSsoPortal, formatCacheTimestamp, type SsoTarget } from '../../main/core/aws/sso/index.js';
import { startSsoTestServer, type SsoTestServer } from '../support/sso-test-server.js';

const TARGET: SsoTarget = {
  sessionName: 'portal',
  startUrl: 'https://d-1111111111.awsapps.com/start',
  region: 'us-east-1',
};
const PORTAL_PATHS = new Set(['/assignment/accounts', '/assignment/roles', '/federation/credentials']);

let server: SsoTestServer;
let homeDir: string;

before(async () => {
  server = await startSsoTestServer();
  homeDir = await mkdtemp(path.join(tmpdir(), 'orgconnect-sso-portal-'));
});
after(async () => {
  await server.close();
  await rm(homeDir, { recursive: true, force: true });
});

async function signIn(): Promise<string> {
  const session = server.issueSession();
  await writeCachedToken(
    TARGET,
    {
      startUrl: TARGET.startUrl,
      region: TARGET.region,
      accessToken: session.accessToken,
      expiresAt: formatCacheTimestamp(new Date(Date.now() + 3600_000)),
      clientId: session.clientId,
      clientSecret: session.clientSecret,
      registrationExpiresAt: formatCacheTimestamp(new Date(session.clientSecretExpiresAt * 1000)),
      refreshToken: session.refreshToken,
    },
    { homeDir },
  );
  return session.accessToken;
}

function hasCode(code: string) {
  return (error: unknown): boolean => {
    assert.ok(isOrgConnectError(error), String(error));
    assert.equal(error.code, code);
    return true;
  };
}

describe('SSO portal', () => {
  test('lists every account across pages, the roles of one, and returns role credentials', async () => {
    const accessToken = await signIn();
    const portal = createSsoPortal(TARGET, { homeDir, endpoint: server.url, oidcEndpoint: server.url });
    try {
      const before = server.requestsTo('/assignment/accounts').length;
      const accounts = await portal.listAccounts();
      assert.deepEqual(
        accounts.map((a) => a.accountId),
        server.accounts.map((a) => a.accountId),
      );
      assert.equal(accounts[1]?.accountName, 'dev');
      // 5 accounts at the server's page size of 2: three pages, each with our bearer token.
      const pages = server.requestsTo('/assignment/accounts').slice(before);
      assert.equal(pages.length, 3);
      assert.ok(pages.every((request) => request.bearer === accessToken));

      assert.deepEqual(await portal.listAccountRoles('555555555555'), ['ReadOnly', 'Billing']);
      assert.deepEqual(await portal.listAccountRoles('111111111111'), ['AdministratorAccess', 'ReadOnly']);

      const credentials = await portal.getRoleCredentials('333333333333', 'ReadOnly');
      const issued = server.issuedCredentials.at(-1);
      assert.deepEqual(credentials, {
        accountId: '333333333333',
        roleName: 'ReadOnly',
        accessKeyId: issued?.accessKeyId,
        secretAccessKey: issued?.secretAccessKey,
        sessionToken: issued?.sessionToken,
        expiration: new Date(issued?.expiration ?? 0),
      });
    } finally {
      portal.close();
    }
  });

  test('a role that is not assigned, and a token the portal no longer accepts, map to errors with fixes', async () => {
    await signIn();
    const portal = createSsoPortal(TARGET, {
      homeDir,
      endpoint: server.url,
      oidcEndpoint: server.url,
      profile: 'portal-profile',
    });
    try {
      await assert.rejects(
        portal.getRoleCredentials('222222222222', 'AdministratorAccess'),
        hasCode('SSO_ROLE_NOT_ASSIGNED'),
      );
      server.expireAccessTokens();
      await assert.rejects(portal.listAccounts(), (error: unknown) => {
        hasCode('SSO_LOGIN_REQUIRED')(error);
        assert.equal((error as { fix?: string }).fix, 'Run: orgconnect login --profile portal-profile');
        return true;
      });
    } finally {
      portal.close();
    }
  });

  test('all three operations share one limiter: a burst of 12 calls is spread at ≥ 50 ms per request', async () => {
    await signIn();
    const portal = createSsoPortal(TARGET, { homeDir, endpoint: server.url, oidcEndpoint: server.url });
    try {
      const started = performance.now();
      const firstIndex = server.requests.length;
      await Promise.all([
        ...Array.from({ length: 4 }, () => portal.getRoleCredentials('111111111111', 'ReadOnly')),
        ...Array.from({ length: 4 }, () => portal.listAccountRoles('222222222222')),
        ...Array.from({ length: 1 }, () => portal.listAccounts()), // 3 pages
        portal.getRoleCredentials('444444444444', 'ReadOnly'),
      ]);
      const times = server.requests
        .slice(firstIndex)
        .filter((request) => PORTAL_PATHS.has(request.path))
        .map((request) => request.time)
        .sort((a, b) => a - b);
      assert.equal(times.length, 12);
      // 12 requests at 20/s: the first goes at once, the last no sooner than 11 × 50 ms later.
      const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
      assert.ok(span >= 11 * 50 - 15, `12 requests arrived within ${span.toFixed(0)} ms`);
      assert.ok(performance.now() - started >= 11 * 50 - 15);
      // And evenly: not a few bursts with pauses between them.
      const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
      const sortedGaps = [...gaps].sort((a, b) => a - b);
      assert.ok(
        (sortedGaps[Math.floor(gaps.length / 2)] ?? 0) >= 40,
        `median gap ${sortedGaps[Math.floor(gaps.length / 2)]} ms`,
      );
    } finally {
      portal.close();
    }
  });

  test('control: a faster limit lets the same burst through quickly (the spacing above is the limiter)', async () => {
    await signIn();
    const portal = createSsoPortal(TARGET, {
      homeDir,
      endpoint: server.url,
      oidcEndpoint: server.url,
      ratePerSecond: 1000,
    });
    try {
      const firstIndex = server.requests.length;
      await Promise.all(Array.from({ length: 12 }, () => portal.listAccountRoles('222222222222')));
      const times = server.requests.slice(firstIndex).map((request) => request.time);
      const span = Math.max(...times) - Math.min(...times);
      assert.ok(span < 11 * 50 - 15, `span ${span.toFixed(0)} ms`);
    } finally {
      portal.close();
    }
  });
});
