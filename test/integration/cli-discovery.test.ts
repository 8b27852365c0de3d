// The CLI end to end against the emulator: a user's profile points at moto through `endpoint_url`, and the real
// `orgconnect` executable lists a seeded 200-account Organization.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startMoto, type MotoServer } from '../support/moto.js';
import { seedOrganization, type SeededOrganization } from '../support/seed-org.js';
import { writeTestAwsConfig, type TestAwsFiles } from '../support/aws-test-config.js';
import { runOrgconnect } from '../support/run-cli.js';

describe('orgconnect CLI against a 200-account emulated Organization', () => {
  let moto: MotoServer;
  let seeded: SeededOrganization;
  let files: TestAwsFiles;

  before(async () => {
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 205, depth: 3, suspended: 1 });
    files = writeTestAwsConfig(moto.url);
  });
  after(async () => moto?.stop());

  test('accounts --json lists every account with its OU path and the management account marked, in < 10 s', async () => {
    const result = await runOrgconnect(['accounts', '--profile', 'emulator', '--json'], files.env);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(result.ms < 10_000, `took ${Math.round(result.ms)} ms`);
    const body = JSON.parse(result.stdout) as {
      organization: { id: string; managementAccountId: string; featureSet: string };
      ous: { id: string; name: string; parentId: string; path: string }[];
      accounts: {
        id: string;
        name: string;
        email: string;
        status: string;
        ouId: string;
        ouPath: string;
        isManagement: boolean;
      }[];
    };
    assert.equal(body.organization.id, seeded.organizationId);
    assert.equal(body.organization.managementAccountId, seeded.managementAccountId);
    assert.equal(body.organization.featureSet, 'ALL');
    assert.equal(body.accounts.length, seeded.accounts.length);
    assert.ok(body.accounts.length >= 206);
    const byId = new Map(body.accounts.map((a) => [a.id, a]));
    for (const expected of seeded.accounts) {
      const actual = byId.get(expected.id);
      assert.ok(actual, `account ${expected.id} missing`);
      assert.equal(actual.ouPath, expected.ouPath, `OU path of ${expected.id}`);
      assert.equal(actual.ouId, expected.ouId);
      assert.equal(actual.status, expected.status);
      assert.equal(actual.isManagement, expected.id === seeded.managementAccountId);
    }
    assert.equal(body.accounts.filter((a) => a.isManagement).length, 1);
    assert.ok(
      body.ous.some((ou) => ou.path.split('/').length === 4),
      'three nested OU levels below the root',
    );
    assert.deepEqual(body.ous.map((ou) => ou.id).sort(), seeded.ous.map((ou) => ou.id).sort());
    assert.deepEqual(Object.keys(body.accounts[0] ?? {}).sort(), [
      'email',
      'id',
      'isManagement',
      'name',
      'ouId',
      'ouPath',
      'status',
    ]);
  });

  test('accounts prints a readable table for people', async () => {
    const result = await runOrgconnect(['accounts', '--profile', 'emulator'], files.env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^ACCOUNT\s+NAME\s+STATUS\s+OU PATH/m);
    assert.match(result.stdout, new RegExp(`${seeded.managementAccountId}\\s+.*\\(management\\)`));
    assert.match(result.stdout, /SUSPENDED/);
  });

  test('whoami --json describes the management account', async () => {
    const result = await runOrgconnect(['whoami', '--profile', 'emulator', '--json'], files.env);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), {
      accountId: seeded.managementAccountId,
      arn: JSON.parse(result.stdout).arn,
      organizationId: seeded.organizationId,
      managementAccountId: seeded.managementAccountId,
      featureSet: 'ALL',
      isManagementAccount: true,
    });
    assert.match(JSON.parse(result.stdout).arn, /^arn:aws:(iam|sts)::\d{12}:/);
  });

  test('profiles --json lists the test profiles with their kind and no secrets', async () => {
    const result = await runOrgconnect(['profiles', '--json'], files.env);
    assert.equal(result.code, 0, result.stderr);
    const body = JSON.parse(result.stdout) as {
      profiles: { name: string; kind: string; endpointUrl?: string }[];
    };
    const emulator = body.profiles.find((p) => p.name === 'emulator');
    assert.equal(emulator?.kind, 'static');
    assert.equal(emulator?.endpointUrl, moto.url);
    assert.doesNotMatch(result.stdout, /testing/);
  });

  test('errors: unknown profile → exit 2 with a one-line reason; bad usage → exit 1; unreachable → exit 2', async () => {
    const missing = await runOrgconnect(['accounts', '--profile', 'nope', '--json'], files.env);
    assert.equal(missing.code, 2);
    assert.equal(missing.stdout, '');
    // Title first, then the reason and the fix; the code last, copyable.
    assert.match(missing.stderr, /^orgconnect: Profile not found — Profile "nope".*\[PROFILE_NOT_FOUND\]$/m);
    assert.equal(missing.stderr.trim().split('\n').length, 1);

    const usage = await runOrgconnect(['accounts', '--no-such-flag'], files.env);
    assert.equal(usage.code, 1);

    const unreachable = await runOrgconnect(['whoami', '--profile', 'no-such-endpoint'], {
      ...files.env,
      // keep the SDK from retrying a closed port for long
      AWS_MAX_ATTEMPTS: '1',
    });
    assert.equal(unreachable.code, 2);
    assert.doesNotMatch(unreachable.stderr, /\n\s+at /, 'no stack trace');
    // endpoint_url points at a closed port: the network failure in words, naming the profile and the endpoint.
    assert.equal(unreachable.stderr.trim().split('\n').length, 1);
    assert.match(unreachable.stderr, /^orgconnect: Cannot reach AWS — /);
    assert.match(unreachable.stderr, /Profile "no-such-endpoint" could not reach http:\/\/127\.0\.0\.1:9/);
    assert.match(unreachable.stderr, /refused.*ECONNREFUSED/);
    assert.match(unreachable.stderr, /Fix: Check endpoint_url in profile "no-such-endpoint".*VPN.*proxy/);
    assert.match(unreachable.stderr, /\[ENDPOINT_UNREACHABLE\]$/m);
    assert.doesNotMatch(unreachable.stderr, /INTERNAL_ERROR/);
  });
});
