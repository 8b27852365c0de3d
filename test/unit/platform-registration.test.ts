/**
 * The link message and its client, against the sandbox platform (a real HTTP server validating with the contract
 * schema): message shape for payer and member, what is retried and what is not, https-or-loopback, and that the
 * External ID never leaves in an error.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { linkMessageSchema } from '../../main/core/platform/link-contract.js';
import { buildLinkMessage, type LinkedConnection } from '../../main/core/platform/link-message.js';
import {
  checkRegistrationEndpoint,
  notifyPlatform,
  sendLinkMessage,
} from '../../main/core/platform/registration-client.js';
import { CLOUDZERO_REGISTRATION } from '../../main/core/platform/registration-settings.js';
import { startSandboxPlatform, type SandboxPlatform } from '../support/sandbox-platform-server.js';

const EXTERNAL_ID = 'ext-0123456789-secret';
const FAST = { baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 300 };

const billing: LinkedConnection = {
  kind: 'billing',
  accountId: '111111111111',
  connectionName: 'Acme Payer',
  region: 'us-east-1',
  roleArn: 'arn:aws:iam::111111111111:role/cloudzero/CloudZeroBillingRole',
  billingBucket: 'acme-cur',
};
const member: LinkedConnection = {
  kind: 'resource',
  accountId: '222222222222',
  connectionName: 'Acme Prod',
  region: 'us-east-1',
  roleArn: 'arn:aws:iam::222222222222:role/CloudZeroResourceRole',
};

/** A message as plain JSON, to break on purpose. */
type Mutable = {
  message_type: string;
  data: { metadata: Record<string, unknown>; discovery: Record<string, unknown> };
};

let platform: SandboxPlatform;
const settings = () => ({ ...CLOUDZERO_REGISTRATION, endpoint: platform.linkUrl });

before(async () => {
  platform = await startSandboxPlatform();
});
after(async () => {
  await platform.stop();
});
beforeEach(() => platform.clearFaults());

describe('buildLinkMessage', () => {
  test('a Billing connection links the payer: master_payer role, bucket, billing_report_format, no resource role', () => {
    const message = buildLinkMessage(settings(), billing, EXTERNAL_ID);
    assert.equal(message.version, '1');
    assert.equal(message.message_type, 'account-link-provisioned');
    assert.equal(message.data.metadata.external_id, EXTERNAL_ID);
    assert.equal(message.data.metadata.reactor_id, 'f7a07d02-d509-4e8d-9fb9-69c7985a6bd8');
    assert.equal(message.data.metadata.billing_report_format, 'aws');
    assert.equal(message.data.links.master_payer.role_arn, billing.roleArn);
    assert.equal(message.data.links.resource_owner.role_arn, null);
    assert.equal(message.data.discovery.is_master_payer_account, true);
    assert.equal(message.data.discovery.is_organization_master_account, true);
    assert.equal(message.data.discovery.master_payer_billing_bucket_name, 'acme-cur');
  });

  test('a Resource connection links a member: resource_owner and legacy roles, nulls elsewhere, no billing format', () => {
    const message = buildLinkMessage(settings(), member, EXTERNAL_ID);
    assert.equal(message.data.links.resource_owner.role_arn, member.roleArn);
    assert.equal(message.data.links.legacy.role_arn, member.roleArn);
    assert.equal(message.data.links.master_payer.role_arn, null);
    assert.equal(message.data.links.cloudtrail_owner.sqs_queue_arn, null);
    assert.equal('billing_report_format' in message.data.metadata, false);
    assert.equal(message.data.discovery.is_resource_owner_account, true);
    assert.equal(message.data.discovery.is_master_payer_account, false);
    assert.equal(message.data.discovery.master_payer_billing_bucket_name, null);
  });

  test('the builder refuses a role from another account (the contract would)', () => {
    assert.throws(() =>
      buildLinkMessage(settings(), { ...member, roleArn: 'arn:aws:iam::999999999999:role/x' }, EXTERNAL_ID),
    );
  });
});

describe('the contract schema', () => {
  const valid = () => structuredClone(buildLinkMessage(settings(), member, EXTERNAL_ID)) as Mutable;

  test('a missing field, a wrong type or an unknown message type is refused with its path', () => {
    const missing = valid();
    delete missing.data.discovery.is_organization_trail;
    const wrongType = valid();
    wrongType.data.discovery.is_resource_owner_account = 'true';
    const unknownType = valid();
    unknownType.message_type = 'account-link-maybe';
    for (const [message, path] of [
      [missing, 'data.discovery.is_organization_trail'],
      [wrongType, 'data.discovery.is_resource_owner_account'],
      [unknownType, 'message_type'],
    ] as const) {
      const parsed = linkMessageSchema.safeParse(message);
      assert.equal(parsed.success, false);
      assert.ok(
        parsed.error?.issues.some((issue) => issue.path.join('.') === path),
        path,
      );
    }
  });
});

describe('sendLinkMessage against the sandbox platform', () => {
  test('accepted: 200, one POST, JSON, no Authorization header; the platform holds the connection', async () => {
    const before = platform.received.length;
    const outcome = await notifyPlatform(settings(), member, EXTERNAL_ID, 'account-link-provisioned', {
      retry: FAST,
    });
    assert.deepEqual({ ok: outcome.ok, attempts: outcome.attempts }, { ok: true, attempts: 1 });
    const sent = platform.received.slice(before);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.hadAuthorizationHeader, false);
    assert.match(sent[0]?.contentType ?? '', /application\/json/);
    const held = platform.connections().find((c) => c.accountId === member.accountId);
    assert.equal(held?.roleArn, member.roleArn);
    assert.equal(held?.type, 'resource');
  });

  test('a 503 is retried and then accepted; a 403 is not retried', async () => {
    platform.inject({ kind: 'status', status: 503, accountId: billing.accountId });
    const retried = await notifyPlatform(settings(), billing, EXTERNAL_ID, 'account-link-provisioned', {
      retry: FAST,
    });
    assert.deepEqual({ ok: retried.ok, attempts: retried.attempts }, { ok: true, attempts: 2 });

    platform.inject({ kind: 'status', status: 403, accountId: billing.accountId, times: 5 });
    const before = platform.received.length;
    const refused = await notifyPlatform(settings(), billing, EXTERNAL_ID, 'account-link-provisioned', {
      retry: FAST,
    });
    assert.equal(refused.ok, false);
    assert.equal(platform.received.length - before, 1, 'a 4xx is sent once');
    if (!refused.ok) {
      assert.equal(refused.code, 'PLATFORM_REFUSED');
      assert.equal(refused.httpStatus, 403);
      assert.match(refused.reason, /told to refuse/);
    }
  });

  test('a timeout and a dropped connection are retried; all attempts failing is PLATFORM_TIMEOUT / PLATFORM_UNREACHABLE', async () => {
    platform.inject({ kind: 'timeout', accountId: member.accountId });
    platform.inject({ kind: 'drop', accountId: member.accountId });
    const recovered = await notifyPlatform(settings(), member, EXTERNAL_ID, 'account-link-provisioned', {
      retry: FAST,
    });
    assert.deepEqual({ ok: recovered.ok, attempts: recovered.attempts }, { ok: true, attempts: 3 });

    platform.inject({ kind: 'timeout', accountId: member.accountId, times: 2 });
    const timedOut = await notifyPlatform(settings(), member, EXTERNAL_ID, 'account-link-provisioned', {
      retry: { ...FAST, attempts: 2 },
    });
    assert.equal(timedOut.ok, false);
    if (!timedOut.ok) assert.equal(timedOut.code, 'PLATFORM_TIMEOUT');

    platform.inject({ kind: 'drop', accountId: member.accountId, times: 2 });
    const dropped = await notifyPlatform(settings(), member, EXTERNAL_ID, 'account-link-provisioned', {
      retry: { ...FAST, attempts: 2 },
    });
    assert.equal(dropped.ok, false);
    if (!dropped.ok) assert.equal(dropped.code, 'PLATFORM_UNREACHABLE');
  });

  test('deprovisioned removes the connection from the platform', async () => {
    await notifyPlatform(settings(), member, EXTERNAL_ID, 'account-link-provisioned', { retry: FAST });
    assert.ok(platform.connections().some((c) => c.accountId === member.accountId));
    const outcome = await notifyPlatform(settings(), member, EXTERNAL_ID, 'account-link-deprovisioned', {
      retry: FAST,
    });
    assert.equal(outcome.ok, true);
    assert.ok(!platform.connections().some((c) => c.accountId === member.accountId));
  });

  test('the sandbox answers 400 with the reason for a message off the contract', async () => {
    const broken = structuredClone(buildLinkMessage(settings(), member, EXTERNAL_ID)) as Mutable;
    delete broken.data.metadata.cz_account_name;
    const response = await fetch(platform.linkUrl, { method: 'POST', body: JSON.stringify(broken) });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { reason: string }).reason, /data\.metadata\.cz_account_name/);
  });
});

describe('endpoint safety', () => {
  test('https anywhere, http only on loopback; nothing is sent to an insecure endpoint', async () => {
    assert.equal(checkRegistrationEndpoint('https://api.cloudzero.com/accounts/v1/link'), undefined);
    assert.equal(checkRegistrationEndpoint('http://127.0.0.1:9/x'), undefined);
    assert.equal(checkRegistrationEndpoint('http://localhost:9/x'), undefined);
    assert.equal(checkRegistrationEndpoint('http://api.example.com/x')?.code, 'PLATFORM_URL_INSECURE');
    assert.equal(checkRegistrationEndpoint('not a url')?.code, 'PLATFORM_URL_INVALID');
    let calls = 0;
    const outcome = await sendLinkMessage(
      'http://api.example.com/link',
      buildLinkMessage(settings(), member, EXTERNAL_ID),
      { fetch: async () => (calls++, new Response('')) },
    );
    assert.equal(calls, 0);
    assert.equal(outcome.ok, false);
  });

  test('a platform that echoes the External ID back does not get it into the outcome', async () => {
    const outcome = await sendLinkMessage(
      'https://platform.example/link',
      buildLinkMessage(settings(), member, EXTERNAL_ID),
      {
        fetch: async () =>
          new Response(JSON.stringify({ message: `unknown external id ${EXTERNAL_ID}` }), { status: 404 }),
      },
    );
    assert.equal(outcome.ok, false);
    assert.ok(!JSON.stringify(outcome).includes(EXTERNAL_ID));
    if (!outcome.ok) assert.match(outcome.reason, /unknown external id \*\*\*/);
  });
});
