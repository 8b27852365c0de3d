// The auth-code flow's loopback listener against forged requests: any local process can reach its port, so a code
// or an error without our state is answered with an error page and ignored, and the real redirect still signs in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startCallbackListener } from '../../main/core/aws/sso/callback-listener.js';
import type { SsoTarget } from '../../main/core/aws/sso/types.js';

const TARGET: SsoTarget = {
  sessionName: 'corp',
  startUrl: 'https://d-1234567890.awsapps.com/start',
  region: 'eu-west-1',
};

async function visit(redirectUri: string, query: Record<string, string>): Promise<number> {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const response = await fetch(url);
  await response.text();
  return response.status;
}

const settled = (promise: Promise<unknown>) =>
  Promise.race([
    promise.then(
      () => 'resolved',
      () => 'rejected',
    ),
    new Promise((resolve) => setTimeout(() => resolve('pending'), 100)),
  ]);

test('forged codes and errors (wrong or no state) are ignored; the right redirect still delivers its code', async () => {
  const listener = await startCallbackListener({
    target: TARGET,
    expectedState: 'the-state',
    timeoutMs: 10_000,
  });
  try {
    const forgeries: Record<string, string>[] = [
      { code: 'attacker-code', state: 'wrong' },
      { code: 'attacker-code' },
      { error: 'access_denied', state: 'wrong' },
      { error: 'access_denied' },
      { state: 'the-state' },
      {},
    ];
    for (const forged of forgeries) {
      assert.equal(await visit(listener.redirectUri, forged), 400, JSON.stringify(forged));
      assert.equal(await settled(listener.code), 'pending', JSON.stringify(forged));
    }
    assert.equal(await visit(listener.redirectUri, { code: 'real-code', state: 'the-state' }), 200);
    assert.equal(await listener.code, 'real-code');
  } finally {
    await listener.close();
  }
});

test('an OAuth error with our state ends the sign-in; with no real answer the time limit does', async () => {
  const denied = await startCallbackListener({ target: TARGET, expectedState: 's', timeoutMs: 10_000 });
  try {
    assert.equal(await visit(denied.redirectUri, { error: 'access_denied', state: 's' }), 400);
    await assert.rejects(denied.code, { code: 'SSO_LOGIN_DENIED' });
  } finally {
    await denied.close();
  }
  const waiting = await startCallbackListener({ target: TARGET, expectedState: 's', timeoutMs: 300 });
  try {
    await visit(waiting.redirectUri, { code: 'x', state: 'forged' });
    await assert.rejects(waiting.code, { code: 'SSO_LOGIN_TIMED_OUT' });
  } finally {
    await waiting.close();
  }
});
