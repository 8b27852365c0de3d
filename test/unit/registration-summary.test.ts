// The end-of-run words: the CLI's summary and the app's final message come from one function, and neither may say
// "All done" while a connection failed, was refused by the platform, or was never sent.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  closingMessage as finalMessage,
  registrationSentence,
  summarizeRegistration,
} from '../../main/core/onboarding/registration-summary.js';
import type { AccountState, RegistrationRecord } from '../../main/core/onboarding/run-events.js';

/** The part of the app's Deploy row the summary reads. */
interface DeployRow {
  state: AccountState;
  action: string;
  registration?: RegistrationRecord | undefined;
}

const at = '2026-12-01T10:00:00.000Z';
const registered: RegistrationRecord = {
  status: 'registered',
  at,
  endpoint: 'https://api.cloudzero.com/accounts/v1/link',
  httpStatus: 200,
  roleArn: 'arn:aws:iam::111111111111:role/r',
  attempts: 1,
};
const refused: RegistrationRecord = {
  status: 'failed',
  at,
  endpoint: 'https://api.cloudzero.com/accounts/v1/link',
  code: 'PLATFORM_REFUSED',
  reason: 'refused (HTTP 403)',
  attempts: 1,
};

function row(state: DeployRow['state'], registration?: RegistrationRecord): DeployRow {
  return { action: 'create', state, registration };
}

describe('registration summary', () => {
  test('every connection deployed and registered (or already connected): All done', () => {
    const rows = [row('connected', registered), row('connected', registered), row('skipped')];
    const summary = summarizeRegistration(rows);
    assert.deepEqual(summary, {
      deployed: 3,
      registered: 2,
      alreadyConnected: 1,
      registrationFailed: 0,
      notSent: 0,
      notDeployed: 0,
      allDone: true,
    });
    assert.equal(
      registrationSentence(summary),
      '3 deployed (1 already connected), 2 registered with the platform.',
    );
    const message = finalMessage(rows);
    assert.equal(message.type, 'success');
    assert.match(message.message, /^All done: .*Cloud Integrations page/);
  });

  test('a row left out of the run (blocked, shown skipped in the app) is not counted as connected', () => {
    const left = { ...row('skipped'), action: 'blocked' };
    const summary = summarizeRegistration([row('connected', registered), left]);
    assert.equal(summary.deployed, 1);
    assert.equal(summary.alreadyConnected, 0);
    assert.equal(summary.allDone, true);
  });

  test('a refusal, a registration turned off, or a failed deploy is never All done', () => {
    const notSent: RegistrationRecord = {
      status: 'not-sent',
      at,
      reason: 'registration turned off (--no-register)',
    };
    for (const rows of [
      [row('connected', registered), row('connected', refused)],
      [row('connected', registered), row('connected', notSent)],
      [row('connected', registered), row('failed')],
      [row('connected', registered), row('registering')],
    ]) {
      const summary = summarizeRegistration(rows);
      assert.equal(summary.allDone, false, JSON.stringify(rows.map((r) => r.state)));
      const message = finalMessage(rows);
      assert.equal(message.type, 'warning');
      assert.doesNotMatch(message.message, /All done/);
      assert.match(message.message, /^Not done: 1 deployed|^Not done: 2 deployed/);
    }
    assert.equal(
      registrationSentence(
        summarizeRegistration([row('connected', registered), row('connected', refused), row('failed')]),
      ),
      '2 deployed, 1 registered with the platform, 1 not registered (the platform did not accept them), 1 not deployed.',
    );
  });
});
