/**
 * Identity Center sign-in against the local SSO test server (moto has no sso-oidc): the auth-code + PKCE flow
 * with a "browser" that really follows the redirect to our 127.0.0.1 listener, and the device-code flow with
 * a virtual clock so its 5-second polls take no time.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isOrgConnectError } from '../../main/core/errors.js';
import {
  loginWithAuthCode,
  loginWithDeviceCode,
  readCachedToken,
  registrationCacheFilePath,
  ssoCacheFilePath,
  type SsoClock,
  type SsoPrompt,
  type SsoTarget,
} from '../../main/core/aws/sso/index.js';
import { startSsoTestServer, type SsoTestServer } from '../support/sso-test-server.js';

const START_URL = 'https://d-1234567890.awsapps.com/start';
const SESSION: SsoTarget = { sessionName: 'my-sso', startUrl: START_URL, region: 'us-east-1' };
const LEGACY: SsoTarget = { startUrl: START_URL, region: 'us-east-1' };

interface BrowserVisit {
  status: number;
  finalUrl: string;
  text: string;
}

/** What a browser does with the authorize URL: GET it and follow the redirect to wherever it points. */
function browser(visits: BrowserVisit[]): (url: string) => Promise<void> {
  return async (url) => {
    const response = await fetch(url);
    visits.push({ status: response.status, finalUrl: response.url, text: await response.text() });
  };
}

/** Virtual time: each sleep is recorded, moves the clock, and gives the test a turn (`onSleep`). */
function virtualClock(onSleep: (count: number) => void = () => undefined): SsoClock & { sleeps: number[] } {
  let now = Date.now();
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    async sleep(ms) {
      sleeps.push(ms);
      now += ms;
      onSleep(sleeps.length);
    },
  };
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isOrgConnectError(error), `expected OrgConnectError, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

let server: SsoTestServer;
let home: string;
before(async () => {
  server = await startSsoTestServer();
});
after(async () => {
  await server.close();
});

async function freshHome(): Promise<string> {
  home = await mkdtemp(path.join(tmpdir(), 'orgconnect-sso-login-'));
  return home;
}

describe('authorization code + PKCE', () => {
  test('browser round trip writes a CLI-format token and registration; a second login reuses the registration', async () => {
    const homeDir = await freshHome();
    try {
      server.authorizeBehaviour = 'approve';
      const visits: BrowserVisit[] = [];
      const prompts: SsoPrompt[] = [];
      const clientsBefore = server.registeredClients();
      const token = await loginWithAuthCode(SESSION, {
        homeDir,
        endpoint: server.url,
        openUrl: browser(visits),
        onPrompt: (prompt) => prompts.push(prompt),
        timeoutMs: 10_000,
      });

      // The authorize URL is on the OIDC endpoint in use and carries a loopback redirect with a real port.
      assert.equal(prompts.length, 1);
      const authorize = new URL(prompts[0]?.url ?? '');
      assert.equal(authorize.origin + authorize.pathname, `${server.url}/authorize`);
      assert.equal(authorize.searchParams.get('scopes'), 'sso:account:access');
      const redirect = new URL(authorize.searchParams.get('redirect_uri') ?? '');
      assert.equal(redirect.hostname, '127.0.0.1');
      assert.equal(redirect.pathname, '/oauth/callback');
      assert.notEqual(redirect.port, '');

      // The browser followed the server's redirect to our listener and was told it is done.
      assert.equal(visits.length, 1);
      assert.equal(visits[0]?.status, 200);
      assert.ok(visits[0]?.finalUrl.startsWith(`${redirect.origin}/oauth/callback?code=`));
      assert.match(visits[0]?.text ?? '', /Signed in/);

      // The registration is the auth-code kind the CLI makes.
      const register = server.requestsTo('/client/register').at(-1)?.body;
      assert.deepEqual(register?.['grantTypes'], ['authorization_code', 'refresh_token']);
      assert.deepEqual(register?.['redirectUris'], ['http://127.0.0.1/oauth/callback']);
      assert.equal(register?.['issuerUrl'], START_URL);
      assert.deepEqual(register?.['scopes'], ['sso:account:access']);
      // CreateToken carried the verifier and the exact redirect URI (the server checked both against PKCE).
      const create = server.requestsTo('/token').at(-1)?.body;
      assert.equal(create?.['grantType'], 'authorization_code');
      assert.equal(create?.['redirectUri'], redirect.toString());

      const file = ssoCacheFilePath(SESSION, { homeDir });
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      const cached = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
      assert.deepEqual(Object.keys(cached), [
        'startUrl',
        'region',
        'accessToken',
        'expiresAt',
        'clientId',
        'clientSecret',
        'registrationExpiresAt',
        'refreshToken',
      ]);
      assert.equal(cached['accessToken'], token.accessToken);
      assert.equal(cached['startUrl'], START_URL);
      assert.match(cached['expiresAt'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(Date.parse(cached['expiresAt'] ?? ''), token.expiresAt.getTime());
      assert.ok(Math.abs(token.expiresAt.getTime() - (Date.now() + 3600_000)) < 5_000);
      assert.match(cached['refreshToken'] ?? '', /^aor/);

      const registration = JSON.parse(
        await readFile(registrationCacheFilePath(SESSION, { homeDir }), 'utf8'),
      ) as Record<string, unknown>;
      assert.equal(registration['clientId'], cached['clientId']);
      assert.deepEqual(registration['grantTypes'], ['authorization_code', 'refresh_token']);
      assert.equal(server.registeredClients(), clientsBefore + 1);

      // Second login, endpoint from the environment this time: same registration, new token.
      const second = await loginWithAuthCode(SESSION, {
        homeDir,
        env: { AWS_ENDPOINT_URL_SSO_OIDC: server.url },
        openUrl: browser(visits),
        timeoutMs: 10_000,
      });
      assert.equal(server.registeredClients(), clientsBefore + 1);
      assert.notEqual(second.accessToken, token.accessToken);
      assert.equal((await readCachedToken(SESSION, { homeDir }))?.accessToken, second.accessToken);
    } finally {
      await rm(homeDir, { recursive: true, force: true });
    }
  });

  test('a redirect with a different state is ignored: error page, no token exchange, the login waits on to its time limit', async () => {
    const homeDir = await freshHome();
    try {
      server.authorizeBehaviour = 'wrong-state';
      const visits: BrowserVisit[] = [];
      const tokenCallsBefore = server.requestsTo('/token').length;
      await rejectsWithCode(
        loginWithAuthCode(SESSION, {
          homeDir,
          endpoint: server.url,
          openUrl: browser(visits),
          timeoutMs: 1_500,
        }),
        'SSO_LOGIN_TIMED_OUT',
      );
      assert.equal(visits.length, 1);
      assert.equal(visits[0]?.status, 400);
      assert.match(visits[0]?.text ?? '', /could not complete/);
      assert.equal(server.requestsTo('/token').length, tokenCallsBefore);
      assert.equal(await readCachedToken(SESSION, { homeDir }), undefined);
    } finally {
      server.authorizeBehaviour = 'approve';
      await rm(homeDir, { recursive: true, force: true });
    }
  });

  test('Deny on the AWS page ends the login as declined', async () => {
    const homeDir = await freshHome();
    try {
      server.authorizeBehaviour = 'deny';
      await rejectsWithCode(
        loginWithAuthCode(SESSION, {
          homeDir,
          endpoint: server.url,
          openUrl: browser([]),
          timeoutMs: 10_000,
        }),
        'SSO_LOGIN_DENIED',
      );
    } finally {
      server.authorizeBehaviour = 'approve';
      await rm(homeDir, { recursive: true, force: true });
    }
  });

  test('nobody comes back: the time limit ends it; an abort ends it sooner', async () => {
    const homeDir = await freshHome();
    try {
      await rejectsWithCode(
        loginWithAuthCode(SESSION, { homeDir, endpoint: server.url, timeoutMs: 150 }),
        'SSO_LOGIN_TIMED_OUT',
      );
      const controller = new AbortController();
      const started = Date.now();
      const pending = loginWithAuthCode(SESSION, {
        homeDir,
        endpoint: server.url,
        signal: controller.signal,
        onPrompt: () => setTimeout(() => controller.abort(), 20),
      });
      await rejectsWithCode(pending, 'CANCELLED_ABORTED');
      assert.ok(Date.now() - started < 5_000);
    } finally {
      await rm(homeDir, { recursive: true, force: true });
    }
  });
});

describe('device code', () => {
  test('polls at the interval, keeps going while pending, adds 5 s on slow_down, then stores the token', async () => {
    const homeDir = await freshHome();
    try {
      const prompts: SsoPrompt[] = [];
      const tokenCallsBefore = server.requestsTo('/token').length;
      server.slowDownNextPolls(1);
      // Poll 1: slow_down; polls 2–3: pending; the person approves during the 4th wait; poll 4: token.
      const clock = virtualClock((count) => {
        if (count === 4) server.decideDevice(prompts[0]?.userCode ?? '', 'approve');
      });
      const token = await loginWithDeviceCode(LEGACY, {
        homeDir,
        endpoint: server.url,
        clock,
        onPrompt: (prompt) => prompts.push(prompt),
      });
      assert.deepEqual(clock.sleeps, [5_000, 10_000, 10_000, 10_000]);
      assert.equal(server.requestsTo('/token').length - tokenCallsBefore, 4);
      assert.equal(prompts.length, 1);
      assert.match(prompts[0]?.userCode ?? '', /^[A-Z]{4}-[A-Z]{4}$/);
      assert.ok(prompts[0]?.url.includes(`user_code=${prompts[0]?.userCode}`));
      assert.equal(prompts[0]?.verificationUri, `${server.url}/start/#/device`);

      // Legacy profile: cached under sha1(start URL); registered without scopes, so no refresh token.
      const cached = await readCachedToken(LEGACY, { homeDir });
      assert.equal(cached?.accessToken, token.accessToken);
      assert.equal(cached?.refreshToken, undefined);
      assert.equal(Date.parse(cached?.expiresAt ?? ''), token.expiresAt.getTime());
      const register = server.requestsTo('/client/register').at(-1)?.body;
      assert.equal(register?.['grantTypes'], undefined);
    } finally {
      await rm(homeDir, { recursive: true, force: true });
    }
  });

  test('the person declines', async () => {
    const homeDir = await freshHome();
    try {
      let userCode = '';
      const clock = virtualClock((count) => {
        if (count === 2) server.decideDevice(userCode, 'deny');
      });
      await rejectsWithCode(
        loginWithDeviceCode(SESSION, {
          homeDir,
          endpoint: server.url,
          clock,
          onPrompt: (p) => (userCode = p.userCode ?? ''),
        }),
        'SSO_LOGIN_DENIED',
      );
    } finally {
      await rm(homeDir, { recursive: true, force: true });
    }
  });

  test('the service says the device code expired', async () => {
    const homeDir = await freshHome();
    try {
      const clock = virtualClock((count) => {
        if (count === 3) server.expireDeviceAuthorizations();
      });
      await rejectsWithCode(
        loginWithDeviceCode(SESSION, { homeDir, endpoint: server.url, clock }),
        'SSO_LOGIN_TIMED_OUT',
      );
      assert.equal(clock.sleeps.length, 3);
    } finally {
      await rm(homeDir, { recursive: true, force: true });
    }
  });

  test('our own deadline (expiresIn) stops polling even if the service never says so', async () => {
    const homeDir = await freshHome();
    try {
      server.deviceIntervalSeconds = 250; // expiresIn is 600 s: polls at 250 s and 500 s, then the deadline
      const tokenCallsBefore = server.requestsTo('/token').length;
      const clock = virtualClock();
      await rejectsWithCode(
        loginWithDeviceCode(SESSION, { homeDir, endpoint: server.url, clock }),
        'SSO_LOGIN_TIMED_OUT',
      );
      assert.deepEqual(clock.sleeps, [250_000, 250_000, 250_000]);
      assert.equal(server.requestsTo('/token').length - tokenCallsBefore, 2);
    } finally {
      server.deviceIntervalSeconds = 5;
      await rm(homeDir, { recursive: true, force: true });
    }
  });
});
