// Settings' Platform section, as the host computes it: CloudZero's profile and principals, and the registration
// endpoint the host really uses (ORGCONNECT_PLATFORM_URL, CloudZero's default, or off with NO_REGISTER=1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OrgConnectService } from '../../main/core/service.js';
import { trustedPrincipalArns } from '../../main/core/platform/platform-description.js';

const serviceWith = (env: NodeJS.ProcessEnv) =>
  new OrgConnectService({ env, dataDir: mkdtempSync(path.join(tmpdir(), 'orgconnect-platform-')) });

test('CloudZero by default: its name, version, principals, role path and published endpoint', () => {
  const described = serviceWith({}).describePlatform();
  assert.equal(described.id, 'cloudzero');
  assert.equal(described.name, 'CloudZero');
  assert.equal(described.version, '2026-06-16');
  assert.equal(described.rolePath, '/cloudzero/');
  assert.deepEqual(trustedPrincipalArns(described.trustedAccountIds), [
    'arn:aws:iam::061190967865:root',
    'arn:aws:iam::559846027439:root',
  ]);
  assert.deepEqual(described.registration, { endpoint: 'https://api.cloudzero.com/accounts/v1/link' });
});

test('ORGCONNECT_PLATFORM_URL is the endpoint shown; ORGCONNECT_NO_REGISTER=1 shows registration off', () => {
  const url = 'http://127.0.0.1:4555/accounts/v1/link';
  assert.deepEqual(serviceWith({ ORGCONNECT_PLATFORM_URL: url }).describePlatform().registration, {
    endpoint: url,
  });
  const off = serviceWith({ ORGCONNECT_NO_REGISTER: '1' }).describePlatform().registration;
  assert.ok('off' in off, JSON.stringify(off));
});

test('custom: trusts no principal of its own and registers nothing', () => {
  const described = serviceWith({}).describePlatform('custom');
  assert.equal(described.id, 'custom');
  assert.deepEqual(described.trustedAccountIds, []);
  assert.ok('off' in described.registration);
});
