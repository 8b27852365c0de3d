import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostEvent } from '../../preload/contract.js';
import { OrgConnectError } from '../../main/core/errors.js';
import { createMfaPrompts } from '../../main/host/mfa-prompts.js';

const SERIAL = 'arn:aws:iam::111122223333:mfa/alice';

const codeOf = (error: unknown) => (error instanceof OrgConnectError ? error.code : String(error));

test('without a window nobody can be asked: MFA_REQUIRED with a fix', async () => {
  const prompts = createMfaPrompts();
  await assert.rejects(prompts.ask(SERIAL), (error) => codeOf(error) === 'MFA_REQUIRED');
});

test('the window is asked once per code; the answer resolves that prompt only; a second answer is refused', async () => {
  const prompts = createMfaPrompts();
  const events: HostEvent[] = [];
  prompts.attach((event) => events.push(event));
  const first = prompts.ask(SERIAL);
  const second = prompts.ask(SERIAL);
  const ids = events.map((e) => (e.type === 'mfa-prompt' ? e.promptId : ''));
  assert.equal(ids.length, 2);
  assert.notEqual(ids[0], ids[1]);
  assert.match(ids[0] ?? '', /^[a-f0-9]{32}$/);
  assert.deepEqual(prompts.answer({ promptId: ids[1] ?? '', code: '654321' }), { accepted: true });
  assert.equal(await second, '654321');
  assert.deepEqual(prompts.answer({ promptId: ids[1] ?? '', code: '000000' }), { accepted: false });
  assert.deepEqual(prompts.answer({ promptId: ids[0] ?? '' }), { accepted: true });
  await assert.rejects(first, (error) => codeOf(error) === 'MFA_CANCELLED');
});

test('an unanswered prompt times out with MFA_TIMEOUT; a detached window is not asked', async () => {
  const prompts = createMfaPrompts({ timeoutMs: 20 });
  const detach = prompts.attach(() => undefined);
  await assert.rejects(prompts.ask(SERIAL), (error) => codeOf(error) === 'MFA_TIMEOUT');
  detach();
  await assert.rejects(prompts.ask(SERIAL), (error) => codeOf(error) === 'MFA_REQUIRED');
});
