import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionKey, parseConnectionKey } from '../../main/core/onboarding/connection-key.js';
import { historyFile } from '../../main/core/health/history.js';

test('a connection key is the account and the kind, and parses back', () => {
  const key = connectionKey({ accountId: '111122223333', kind: 'billing' });
  assert.equal(key, '111122223333/billing');
  assert.deepEqual(parseConnectionKey(key), { accountId: '111122223333', kind: 'billing' });
  assert.deepEqual(parseConnectionKey('444455556666/resource'), {
    accountId: '444455556666',
    kind: 'resource',
  });
});

const NOT_KEYS = [
  '111122223333/other',
  '11112222333/billing',
  '111122223333/billing/x',
  '../111122223333/billing',
  '',
];

test('anything else is not a connection key', () => {
  for (const bad of NOT_KEYS) assert.equal(parseConnectionKey(bad), undefined, bad);
});

test('history files are named from the parsed key; other keys are encoded inside the folder', () => {
  assert.equal(historyFile('/d', '111122223333/resource'), '/d/health/111122223333-resource.jsonl');
  assert.equal(historyFile('/d', '../x/billing'), '/d/health/%2E%2E%2Fx%2Fbilling.jsonl');
});
