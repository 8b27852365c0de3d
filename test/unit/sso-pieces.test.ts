import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAuthorizeUrl } from '../../main/core/aws/sso/login-auth-code.js';
import { createPkcePair, pkceChallenge } from '../../main/core/aws/sso/pkce.js';
import { createRateLimiter } from '../../main/core/aws/sso/rate-limiter.js';
import {
  oidcBaseUrl,
  resolveOidcEndpoint,
  resolvePortalEndpoint,
} from '../../main/core/aws/sso/endpoints.js';
import type { SsoClock } from '../../main/core/aws/sso/types.js';

/** A virtual clock: sleeping advances time in order of wake-up, as real timers would. */
function virtualClock(): SsoClock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    async sleep(ms) {
      sleeps.push(ms);
      const wake = now + ms;
      // Let every other caller that is ready reserve its slot first, then advance.
      await new Promise((resolve) => setImmediate(resolve));
      now = Math.max(now, wake);
    },
  };
}

describe('PKCE', () => {
  test('S256 challenge matches RFC 7636 appendix B', () => {
    assert.equal(
      pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  test('verifiers are 64 unreserved characters and differ each time', () => {
    const a = createPkcePair();
    const b = createPkcePair();
    assert.match(a.verifier, /^[A-Za-z0-9\-._~]{64}$/);
    assert.notEqual(a.verifier, b.verifier);
    assert.equal(a.challenge, pkceChallenge(a.verifier));
  });
});

describe('authorize URL', () => {
  test('carries every OAuth parameter, RFC 3986 encoded, on the configured base', () => {
    const url = buildAuthorizeUrl({
      baseUrl: 'http://127.0.0.1:9999/',
      clientId: 'client/id+1',
      redirectUri: 'http://127.0.0.1:5555/oauth/callback',
      state: 'st-1',
      codeChallenge: 'abc_-',
      scopes: ['sso:account:access', 'codewhisperer:completions'],
    });
    assert.ok(url.startsWith('http://127.0.0.1:9999/authorize?'));
    assert.ok(
      url.includes('scopes=sso%3Aaccount%3Aaccess%20codewhisperer%3Acompletions'),
      'space as %20, not +',
    );
    const params = new URL(url).searchParams;
    assert.equal(params.get('response_type'), 'code');
    assert.equal(params.get('client_id'), 'client/id+1');
    assert.equal(params.get('redirect_uri'), 'http://127.0.0.1:5555/oauth/callback');
    assert.equal(params.get('state'), 'st-1');
    assert.equal(params.get('code_challenge'), 'abc_-');
    assert.equal(params.get('code_challenge_method'), 'S256');
  });

  test('defaults the scope to sso:account:access', () => {
    const url = buildAuthorizeUrl({
      baseUrl: 'https://x',
      clientId: 'c',
      redirectUri: 'r',
      state: 's',
      codeChallenge: 'c',
    });
    assert.equal(new URL(url).searchParams.get('scopes'), 'sso:account:access');
  });
});

describe('endpoints', () => {
  test('explicit endpoint, then the service variable, then AWS_ENDPOINT_URL, then AWS', () => {
    const env = {
      AWS_ENDPOINT_URL: 'http://all:1',
      AWS_ENDPOINT_URL_SSO_OIDC: 'http://oidc:2',
      AWS_ENDPOINT_URL_SSO: 'http://sso:3',
    };
    assert.equal(resolveOidcEndpoint({ endpoint: 'http://explicit:4', env }), 'http://explicit:4');
    assert.equal(resolveOidcEndpoint({ env }), 'http://oidc:2');
    assert.equal(resolvePortalEndpoint({ env }), 'http://sso:3');
    assert.equal(resolveOidcEndpoint({ env: { AWS_ENDPOINT_URL: 'http://all:1' } }), 'http://all:1');
    assert.equal(resolveOidcEndpoint({ env: {} }), undefined);
    assert.equal(oidcBaseUrl('eu-west-1', { env: {} }), 'https://oidc.eu-west-1.amazonaws.com');
    assert.equal(oidcBaseUrl('cn-north-1', { env: {} }), 'https://oidc.cn-north-1.amazonaws.com.cn');
    assert.equal(
      oidcBaseUrl('us-east-1', { env: { AWS_ENDPOINT_URL_SSO_OIDC: 'http://127.0.0.1:7/' } }),
      'http://127.0.0.1:7',
    );
  });
});

describe('rate limiter', () => {
  test('spaces concurrent callers 50 ms apart at 20/s: never more than 20 in any second', async () => {
    const clock = virtualClock();
    const limiter = createRateLimiter({ ratePerSecond: 20, clock });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 45 }, async () => {
        await limiter.acquire();
        starts.push(clock.now());
      }),
    );
    starts.sort((a, b) => a - b);
    assert.deepEqual(
      starts,
      Array.from({ length: 45 }, (_, i) => i * 50),
    );
    for (const start of starts) {
      assert.ok(starts.filter((t) => t >= start && t < start + 1000).length <= 20);
    }
  });

  test('an idle limiter lets a burst through, then throttles to the rate', async () => {
    const clock = virtualClock();
    const limiter = createRateLimiter({ ratePerSecond: 10, burst: 3, clock });
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        await limiter.acquire();
        starts.push(clock.now());
      }),
    );
    assert.deepEqual(
      starts.sort((a, b) => a - b),
      [0, 0, 0, 100, 200],
    );
  });

  test('no wait at all when requests are already slower than the rate', async () => {
    const clock = virtualClock();
    const limiter = createRateLimiter({ ratePerSecond: 20, clock });
    await limiter.acquire();
    await clock.sleep(60);
    clock.sleeps.length = 0;
    await limiter.acquire();
    assert.deepEqual(clock.sleeps, []);
  });
});
