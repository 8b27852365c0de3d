import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedIdentity } from '../../main/core/aws/shared-identity.js';

test('one resolution for concurrent and later callers; a new one near expiry; a failure is not remembered', async () => {
  let now = 0;
  let calls = 0;
  let fail = false;
  const provider = sharedIdentity(
    async () => {
      calls += 1;
      if (fail) throw new Error('no session');
      return { accessKeyId: `AKIA${calls}`, secretAccessKey: 's', expiration: new Date(now + 3600_000) };
    },
    () => now,
  );
  const [a, b] = await Promise.all([provider(), provider()]);
  assert.equal(calls, 1);
  assert.equal(a, b);
  now += 54 * 60_000; // 6 minutes left: still fresh
  assert.equal((await provider()).accessKeyId, 'AKIA1');
  now += 2 * 60_000; // 4 minutes left: refreshed
  assert.equal((await provider()).accessKeyId, 'AKIA2');
  now += 60 * 60_000;
  fail = true;
  await assert.rejects(provider(), /no session/);
  fail = false;
  assert.equal((await provider()).accessKeyId, 'AKIA4');
});
