// The contract: every channel's request schema accepts a well-formed request and rejects malformed ones, and
// dispatch never lets a malformed request reach a handler (property-tested with fast-check).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  CHANNELS,
  channels,
  hostEventSchema,
  resultSchema,
  type Channel,
  type RequestOf,
} from '../../preload/contract.js';
import { createDispatcher, type Handlers } from '../../main/host/dispatch.js';
import { OrgConnectError } from '../../main/core/errors.js';

const SECRET_EXTERNAL_ID = 'ext-Secret-7f3a9c1e';
const PLAN_ID = 'AbCdEfGhIjKlMnOpQrStUvWx';

const GOOD: { [C in Channel]: RequestOf<C> } = {
  'profiles.list': {},
  'identity.whoami': { profile: 'emulator' },
  'org.discover': { profile: 'prod-mgmt' },
  'sso.login': { profile: 'sso-admin', deviceCode: true },
  'plan.create': {
    profile: 'emulator',
    request: {
      externalId: SECRET_EXTERNAL_ID,
      select: 'all',
      mode: 'stacks',
      platformAccountId: '061190967865',
    },
  },
  'runs.list': {},
  'runs.get': { runId: '20261122T084500Z-abc123' },
  'deploy.start': { planId: PLAN_ID, concurrency: 8 },
  'deploy.pause': { runId: 'run-1' },
  'deploy.resume': { runId: 'run-1', externalId: SECRET_EXTERNAL_ID },
  'deploy.cancel': { runId: 'run-1' },
  'deploy.retryFailed': { runId: 'run-1' },
  'health.check': { profile: 'emulator', runId: 'run-1', skip: ['stack-drift', 'cur'] },
  'health.watch': { profile: 'emulator', everyMinutes: 15, skip: ['cur'] },
  'health.series': { organizationId: 'o-abcdefghij' },
  'health.timeline': { accountId: '111122223333', kind: 'resource' },
  'report.export': { format: 'csv', profile: 'emulator' },
  'report.save': { format: 'xlsx', runId: '20261122T084500Z-abc123' },
  'templates.get': {},
  'templates.export': {
    kind: 'resource',
    format: 'terraform',
    rolePath: '/cloudzero/',
    externalId: SECRET_EXTERNAL_ID,
  },
  'cur.status': { profile: 'prod-mgmt' },
  'cur.planSetup': { profile: 'prod-mgmt', bucket: 'acme-cur-111122223333' },
  'cur.setUp': { setupId: PLAN_ID },
  'mfa.answer': { promptId: 'a'.repeat(32), code: '123456' },
  'platform.describe': { platform: 'cloudzero' },
  'disconnect.plan': {
    profile: 'emulator',
    externalId: SECRET_EXTERNAL_ID,
    select: ['111122223333', '444455556666'],
    keepStacks: false,
  },
  'disconnect.start': { planId: PLAN_ID },
};

/** Hand-picked malformed requests per channel: wrong types, missing fields, unknown keys, hostile strings. */
const BAD: { [C in Channel]: unknown[] } = {
  'profiles.list': [null, 'x', [], { extra: 1 }],
  'identity.whoami': [{}, { profile: '' }, { profile: 7 }, { profile: 'a b' }, { profile: 'x'.repeat(200) }],
  'org.discover': [{ profile: 'ok', extra: true }, { profile: '../../etc' + '\n' }],
  'sso.login': [{ profile: 'p', deviceCode: 'yes' }, { deviceCode: true }],
  'plan.create': [
    { profile: 'p' },
    { profile: 'p', request: {} },
    { profile: 'p', request: { externalId: 'x' } },
    { profile: 'p', request: { externalId: 'has space' } },
    { profile: 'p', request: { externalId: SECRET_EXTERNAL_ID, mode: 'nested' } },
    { profile: 'p', request: { externalId: SECRET_EXTERNAL_ID, platformAccountId: '123' } },
    { profile: 'p', request: { externalId: SECRET_EXTERNAL_ID, __proto__x: 1 } },
    { profile: 'p', request: { externalId: SECRET_EXTERNAL_ID, nameOverrides: { notAnId: 'n' } } },
  ],
  'runs.list': [{ runId: 'x' }],
  'runs.get': [{}, { runId: '../secrets' }, { runId: '' }],
  'deploy.start': [
    {},
    { planId: 'short' },
    { planId: PLAN_ID, concurrency: 0 },
    { planId: PLAN_ID, concurrency: 1.5 },
  ],
  'deploy.pause': [{ runId: 3 }],
  'deploy.resume': [
    { runId: 'r', externalId: '' },
    { runId: 'r', externalId: 'a b c' },
  ],
  'deploy.cancel': [{ run: 'r' }],
  'deploy.retryFailed': [{ runId: 'r', force: true }],
  'health.check': [{}, { profile: 'p', skip: ['not-a-check'] }, { profile: 'p', skip: 'cur' }],
  'health.watch': [
    { profile: 'p', everyMinutes: null },
    { profile: 'p', everyMinutes: 0 },
    { profile: 'p', everyMinutes: 0.5 },
    { profile: 'p', everyMinutes: 1441 },
    { profile: 'p', everyMinutes: '15' },
  ],
  'health.series': [{}, { organizationId: '../../etc/passwd' }, { organizationId: 'o-abc', extra: 1 }],
  'health.timeline': [
    { accountId: '1', kind: 'resource' },
    { accountId: '111122223333', kind: 'x' },
  ],
  'report.export': [
    {},
    { format: 'pdf' },
    { format: 'csv', path: '/etc/passwd' },
    { format: 'csv', profile: 'a b' },
  ],
  // The page never chooses where the file goes: the host's dialog does.
  'report.save': [
    {},
    { format: 'pdf' },
    { format: 'csv', path: '/etc/passwd' },
    { format: 'json', defaultPath: '/tmp' },
  ],
  'templates.get': [{ kind: 'billing' }],
  'templates.export': [
    {},
    { kind: 'billing', format: 'pulumi' },
    { kind: 'resource', format: 'terraform', rolePath: 'no-slashes' },
    { kind: 'resource', format: 'iam-json', roleName: 'a b' },
    { kind: 'resource', format: 'iam-json', out: '/etc' },
  ],
  'cur.status': [{}, { profile: 'p', bucket: 'b' }, { profile: 42 }],
  'cur.planSetup': [
    {},
    { profile: 'p', bucket: 'Upper_Case' },
    { profile: 'p', bucket: 'ab' },
    { profile: 'p', region: 'x' },
  ],
  'cur.setUp': [{}, { setupId: 'short' }, { setupId: PLAN_ID, bucket: 'other' }],
  'mfa.answer': [
    {},
    { promptId: 'a'.repeat(32), code: '12345' },
    { promptId: 'a'.repeat(32), code: '1234567' },
    { promptId: 'a'.repeat(32), code: 123456 },
    { promptId: '../../etc', code: '123456' },
    { promptId: 'a'.repeat(32), code: '123456', remember: true },
  ],
  'platform.describe': [{ platform: 'other' }, { platform: 'cloudzero', url: 'http://x' }],
  'disconnect.plan': [
    {},
    { profile: 'p', externalId: SECRET_EXTERNAL_ID, select: [] },
    { profile: 'p', externalId: SECRET_EXTERNAL_ID, select: 'all' },
    { profile: 'p', externalId: SECRET_EXTERNAL_ID, select: ['1'] },
    { profile: 'p', select: ['111122223333'] },
    { profile: 'p', externalId: SECRET_EXTERNAL_ID, select: ['111122223333'], yes: true },
  ],
  'disconnect.start': [{}, { planId: 'short' }, { planId: PLAN_ID, select: ['111122223333'] }],
};

function countingHandlers(): { handlers: Handlers; calls: Map<Channel, number> } {
  const calls = new Map<Channel, number>();
  const handlers = Object.fromEntries(
    CHANNELS.map((channel) => [
      channel,
      async (request: unknown) => {
        calls.set(channel, (calls.get(channel) ?? 0) + 1);
        return { echoed: request };
      },
    ]),
  ) as unknown as Handlers;
  return { handlers, calls };
}

const totalCalls = (calls: Map<Channel, number>) => [...calls.values()].reduce((a, b) => a + b, 0);

describe('contract schemas', () => {
  test('every channel has a good example and bad examples', () => {
    assert.deepEqual(Object.keys(GOOD).sort(), [...CHANNELS].sort());
    assert.deepEqual(Object.keys(BAD).sort(), [...CHANNELS].sort());
    assert.equal(CHANNELS.length, 27);
  });

  for (const channel of Object.keys(channels) as Channel[]) {
    test(`${channel}: accepts a well-formed request and rejects malformed ones`, () => {
      const schema = channels[channel].request;
      assert.ok(schema.safeParse(GOOD[channel]).success, `good ${channel} request rejected`);
      for (const bad of BAD[channel]) {
        assert.equal(schema.safeParse(bad).success, false, `${channel} accepted ${JSON.stringify(bad)}`);
      }
    });
  }

  test('events: a run event carries the core run event schema; unknown event types are rejected', () => {
    const good = {
      type: 'run-event',
      runId: 'r1',
      status: 'running',
      counts: {
        total: 1,
        pending: 1,
        deploying: 0,
        connected: 0,
        skipped: 0,
        failed: 0,
        cancelled: 0,
        unknown: 0,
      },
      event: { type: 'run-paused', at: '2026-11-22T08:00:00.000Z' },
    };
    assert.ok(hostEventSchema.safeParse(good).success);
    assert.equal(
      hostEventSchema.safeParse({ ...good, event: { type: 'run-paused', at: 'yesterday' } }).success,
      false,
    );
    assert.equal(hostEventSchema.safeParse({ type: 'shell-exec', command: 'rm' }).success, false);
    assert.ok(
      hostEventSchema.safeParse({
        type: 'login-prompt',
        profile: 'p',
        url: 'https://x/device',
        userCode: 'ABCD-EFGH',
      }).success,
    );
  });

  test('plan.create: the access mode and Identity Center permission set travel in the request', () => {
    const schema = channels['plan.create'].request;
    const base = GOOD['plan.create'];
    const withIc = {
      ...base,
      request: { ...base.request, accessMode: 'identity-center', ssoRoleName: 'OrgConnectReadOnly' },
    };
    const parsed = schema.safeParse(withIc);
    assert.ok(parsed.success);
    assert.equal(parsed.data.request.accessMode, 'identity-center');
    assert.equal(parsed.data.request.ssoRoleName, 'OrgConnectReadOnly');
    assert.ok(schema.safeParse({ ...base, request: { ...base.request, accessMode: 'access-role' } }).success);
    for (const bad of [
      { accessMode: 'root' },
      { accessMode: 'identity-center', ssoRoleName: '' },
      { accessMode: 'identity-center', ssoRoleName: 'has space' },
      { accessMode: 'identity-center', ssoRoleName: 'x'.repeat(33) },
    ]) {
      assert.equal(
        schema.safeParse({ ...base, request: { ...base.request, ...bad } }).success,
        false,
        JSON.stringify(bad),
      );
    }
  });

  test('results: ok with a value, or an error with code, message and optional fix', () => {
    const schema = resultSchema(channels['deploy.start'].response);
    assert.ok(schema.safeParse({ ok: true, value: { runId: 'r' } }).success);
    assert.ok(schema.safeParse({ ok: false, error: { code: 'X', message: 'm', fix: 'f' } }).success);
    assert.equal(schema.safeParse({ ok: false, error: { message: 'm' } }).success, false);
    assert.equal(schema.safeParse({ ok: true, value: { run: 'r' } }).success, false);
  });
});

describe('dispatch', () => {
  test('a good request reaches exactly its handler, parsed', async () => {
    const { handlers, calls } = countingHandlers();
    const dispatch = createDispatcher(handlers);
    for (const channel of CHANNELS) {
      const result = await dispatch(channel, GOOD[channel]);
      assert.equal(result.ok, true, `${channel}: ${JSON.stringify(result)}`);
      assert.equal(calls.get(channel), 1);
    }
    // A call without arguments (ipcRenderer.invoke(channel)) is an empty request.
    assert.equal((await dispatch('runs.list', undefined)).ok, true);
  });

  test('the hand-picked malformed requests and unknown channels answer INVALID_REQUEST without a handler call', async () => {
    const { handlers, calls } = countingHandlers();
    const dispatch = createDispatcher(handlers);
    for (const channel of CHANNELS) {
      for (const bad of BAD[channel]) {
        const result = await dispatch(channel, bad);
        assert.equal(result.ok, false);
        if (!result.ok) assert.equal(result.error.code, 'INVALID_REQUEST');
      }
    }
    for (const channel of ['shell.open', '__proto__', 'constructor', 'toString', '', 42, null]) {
      const result = await dispatch(channel, {});
      assert.ok(!result.ok && result.error.code === 'INVALID_REQUEST', String(channel));
    }
    assert.equal(totalCalls(calls), 0);
  });

  test('random malformed payloads never reach a handler (fast-check)', async () => {
    const { handlers, calls } = countingHandlers();
    const dispatch = createDispatcher(handlers);
    let cases = 0;
    const channel = fc.constantFrom(...CHANNELS);
    // Not an object at all.
    const notObject = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.anything()),
    );
    // A good request with one unknown key added (requests are strict).
    const withExtraKey = fc.tuple(channel, fc.string({ minLength: 1, maxLength: 12 }), fc.anything());
    // A good request with one of its fields replaced by a value of another type.
    const withWrongField = fc.tuple(
      channel.filter((c) => Object.keys(GOOD[c]).length > 0),
      fc.nat(),
      fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string()), fc.object()),
    );

    await fc.assert(
      fc.asyncProperty(channel, notObject, async (c, payload) => {
        cases += 1;
        const result = await dispatch(c, payload);
        return !result.ok && result.error.code === 'INVALID_REQUEST';
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(withExtraKey, async ([c, key, value]) => {
        fc.pre(!Object.prototype.hasOwnProperty.call(channels[c].request.shape, key));
        cases += 1;
        const payload = { ...GOOD[c], [key]: value };
        const result = await dispatch(c, payload);
        return !result.ok && result.error.code === 'INVALID_REQUEST';
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(withWrongField, async ([c, index, value]) => {
        const keys = Object.keys(GOOD[c]);
        const key = keys[index % keys.length] as string;
        const original = (GOOD[c] as Record<string, unknown>)[key];
        fc.pre(typeof value !== typeof original || Array.isArray(value) !== Array.isArray(original));
        cases += 1;
        const result = await dispatch(c, { ...GOOD[c], [key]: value });
        return !result.ok && result.error.code === 'INVALID_REQUEST';
      }),
      { numRuns: 300 },
    );
    assert.ok(cases >= 600, `only ${cases} cases ran`);
    assert.equal(totalCalls(calls), 0, 'a malformed payload reached a handler');
  });

  test('the External ID never appears in an error, whether the request is malformed or the handler fails', async () => {
    const { handlers } = countingHandlers();
    handlers['plan.create'] = async () => {
      throw new OrgConnectError('NOT_MANAGEMENT_ACCOUNT', 'Profile "p" is not the management account.', {
        fix: 'Use the management profile.',
      });
    };
    const dispatch = createDispatcher(handlers);
    const malformed = await dispatch('plan.create', {
      profile: 'p',
      request: { externalId: SECRET_EXTERNAL_ID, mode: 'x' },
    });
    const badId = await dispatch('deploy.resume', { runId: 'r', externalId: 'secret with spaces' });
    const failed = await dispatch('plan.create', GOOD['plan.create']);
    for (const result of [malformed, badId, failed]) {
      assert.equal(result.ok, false);
      assert.ok(!JSON.stringify(result).includes(SECRET_EXTERNAL_ID));
      assert.ok(!JSON.stringify(result).includes('secret with spaces'));
    }
    assert.deepEqual(failed, {
      ok: false,
      error: {
        code: 'NOT_MANAGEMENT_ACCOUNT',
        title: 'Not the management account',
        message: 'Profile "p" is not the management account.',
        fix: 'Use the management profile.',
      },
    });
  });

  test('an unexpected error crosses as INTERNAL_ERROR: title, one line, a fix, and details to copy for a bug report', async () => {
    const { handlers } = countingHandlers();
    handlers['runs.list'] = async () => {
      throw new Error('disk on fire\n    at somewhere (file.ts:1:1)');
    };
    const awsLike = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    handlers['templates.get'] = async () => {
      throw awsLike;
    };
    const dispatch = createDispatcher(handlers);
    const bug = await dispatch('runs.list', {});
    assert.equal(bug.ok, false);
    const { details, ...shown } = bug.ok ? { details: undefined } : bug.error;
    assert.deepEqual(shown, {
      code: 'INTERNAL_ERROR',
      title: 'Something went wrong inside orgconnect',
      message: 'disk on fire',
      fix: 'This is a bug in orgconnect. Copy the details and report it; then try again.',
    });
    assert.match(details ?? '', /^Error: disk on fire/);
    assert.deepEqual(await dispatch('templates.get', {}), {
      ok: false,
      error: {
        code: 'ThrottlingException',
        title: 'AWS is throttling requests',
        message: 'ThrottlingException: Rate exceeded',
      },
    });
  });
});
