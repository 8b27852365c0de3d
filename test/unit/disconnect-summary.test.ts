// The Disconnect… modal's final message counts only what the run's events say happened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunEvent } from '../../main/core/onboarding/run-events.js';
import { disconnectMessage, tallyDisconnect } from '../../main/core/onboarding/disconnect-summary.js';

const at = '2026-12-01T22:00:00.000Z';
const state = (
  accountId: string,
  value: 'deleting' | 'disconnected' | 'failed' | 'skipped',
  deregistration?: 'deregistered' | 'not-registered',
): RunEvent => ({
  type: 'account-state',
  at,
  accountId,
  kind: 'resource',
  state: value,
  ...(deregistration ? { deregistration: { status: deregistration } } : {}),
});

test('two deleted and deregistered: the message says so and nothing more', () => {
  const tally = tallyDisconnect(
    [
      state('111111111111', 'deleting'),
      state('222222222222', 'deleting'),
      state('111111111111', 'disconnected', 'deregistered'),
      state('222222222222', 'disconnected', 'deregistered'),
    ],
    2,
  );
  assert.equal(tally.finished, false);
  assert.equal(disconnectMessage(tally), '2 disconnected and deregistered, 0 failed');
});

test('a connection the platform was not told about is not called deregistered; a failure counts once', () => {
  const tally = tallyDisconnect(
    [
      state('111111111111', 'disconnected', 'deregistered'),
      state('222222222222', 'disconnected', 'not-registered'),
      state('333333333333', 'deleting'),
      state('333333333333', 'failed'),
      state('444444444444', 'skipped'),
      {
        type: 'run-finished',
        at,
        status: 'completed',
        counts: {
          total: 4,
          pending: 0,
          deploying: 0,
          connected: 0,
          skipped: 1,
          failed: 1,
          cancelled: 0,
          unknown: 0,
        },
      },
    ],
    4,
  );
  assert.equal(tally.finished, true);
  assert.deepEqual(
    [tally.disconnected, tally.deregistered, tally.notRegistered, tally.failed, tally.skipped],
    [2, 1, 1, 1, 1],
  );
  assert.equal(
    disconnectMessage(tally),
    '2 disconnected (1 deregistered, 1 not registered with the platform), 1 failed, 1 skipped',
  );
});

test('registration off: disconnected, and the platform not told', () => {
  const tally = tallyDisconnect([state('111111111111', 'disconnected', 'not-registered')], 1);
  assert.match(disconnectMessage(tally), /^1 disconnected \(the platform was not told/);
});
