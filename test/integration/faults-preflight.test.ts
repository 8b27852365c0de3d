// Preflight under throttling (moto behind the fault proxy). Before preflight retried on its own, a read that
// stayed throttled through the SDK's attempts turned a healthy account into a "blocked" one (PREFLIGHT_FAILED:
// "DescribeStacks failed …: Throttling: Rate exceeded"), which the deploy then recorded as failed. Here the SDK
// makes one attempt per call, so every throttle the proxy injects must be absorbed by preflight itself.
// Then a failure that is not retried (DescribeStacks answering 500 every time) in an account whose access role
// is gone: the reads run at once, and which failure the account reports must not depend on that.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DeleteRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { startMoto, type MotoServer } from '../support/moto.js';
import { MOTO_DEFAULT_CREDENTIALS, seedOrganization, type SeededOrganization } from '../support/seed-org.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { createAccountCredentials } from '../../main/core/onboarding/account-credentials.js';
import { runPreflight, type PreflightOptions } from '../../main/core/onboarding/preflight.js';

describe('preflight while half the reads are throttled', () => {
  let moto: MotoServer;
  let proxy: FaultProxy;
  let seeded: SeededOrganization;

  before(async () => {
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 12, depth: 1, seed: 3 });
    proxy = await startFaultProxy({
      target: moto.url,
      seed: 99,
      rules: [
        {
          services: ['cloudformation', 'iam', 'sts'],
          operations: ['DescribeStacks', 'GetRole', 'GetCallerIdentity'],
          throttle: 0.5,
          serverError: 0.1,
        },
      ],
    });
  });
  after(async () => {
    await proxy?.stop();
    await moto?.stop();
  });

  /** Each member's access role assumed through the proxy, and clients that make one attempt per call there. */
  const throughProxy = (): Pick<PreflightOptions, 'credentialsFor' | 'clientFactory'> => {
    const credentials = createAccountCredentials({
      managementCredentials: () => Promise.resolve(MOTO_DEFAULT_CREDENTIALS),
      managementAccountId: seeded.managementAccountId,
      region: 'us-east-1',
      stsEndpoint: proxy.url,
    });
    const single = { region: 'us-east-1', endpoint: proxy.url, maxAttempts: 1 };
    return {
      credentialsFor: (accountId) => Promise.resolve(credentials.providerFor(accountId)),
      clientFactory: (_accountId, provider) => ({
        sts: new STSClient({ ...single, credentials: provider }),
        cloudformation: new CloudFormationClient({ ...single, credentials: provider }),
        iam: new IAMClient({ ...single, credentials: provider }),
      }),
    };
  };

  test('every account passes; no throttle becomes a blocked account', async () => {
    const results = await runPreflight({
      targets: seeded.memberAccountIds.map((accountId) => ({
        accountId,
        stackName: 'orgconnect-resource',
        platformRoleName: 'orgconnect-platform-resource',
      })),
      ...throughProxy(),
      retry: { baseMs: 20, capMs: 200, maxAttempts: 12 },
    });
    const blocked = results.filter((r) => !r.ok);
    assert.deepEqual(blocked, []);
    assert.equal(results.length, seeded.memberAccountIds.length);
    for (const result of results) if (result.ok) assert.equal(result.platformRole, 'absent');
    const faults = proxy.totalFaults();
    assert.ok(proxy.counts['throttle-xml'] + proxy.counts['throttle-429'] > 10, JSON.stringify(proxy.counts));
    console.log(`preflight: ${results.length} accounts passed through ${faults} injected faults`);
  });

  // The reads after GetCallerIdentity run at once, so both of these fail in the same account; the missing access
  // role must still be what that account reports, as when the access role's GetRole ran first and alone.
  test('a missing access role wins over a DescribeStacks that fails in the same account', async () => {
    const [roleless, intact] = seeded.memberAccountIds;
    assert.ok(roleless && intact);
    const direct = createAccountCredentials({
      managementCredentials: () => Promise.resolve(MOTO_DEFAULT_CREDENTIALS),
      managementAccountId: seeded.managementAccountId,
      region: 'us-east-1',
      stsEndpoint: moto.url,
    });
    const memberIam = new IAMClient({
      region: 'us-east-1',
      endpoint: moto.url,
      credentials: direct.providerFor(roleless),
    });
    await memberIam.send(new DeleteRoleCommand({ RoleName: 'OrganizationAccountAccessRole' }));
    memberIam.destroy();

    proxy.configure({
      rules: [{ services: ['cloudformation'], operations: ['DescribeStacks'], serverError: 1 }],
    });
    proxy.resetLog();
    const results = await runPreflight({
      targets: [roleless, intact].map((accountId) => ({
        accountId,
        stackName: 'orgconnect-resource',
        platformRoleName: 'orgconnect-platform-resource',
      })),
      ...throughProxy(),
      retry: { baseMs: 5, capMs: 10, maxAttempts: 2 },
    });
    const describeFailures = proxy.requests.filter(
      (r) => r.operation === 'DescribeStacks' && r.status >= 500,
    );
    assert.equal(describeFailures.length, 4, 'two failed DescribeStacks attempts in each account');
    const [first, second] = results;
    assert.deepEqual(first, {
      accountId: roleless,
      ok: false,
      code: 'ACCESS_ROLE_MISSING',
      reason: `Could not assume OrganizationAccountAccessRole in ${roleless}.`,
      fix: `Create OrganizationAccountAccessRole in ${roleless} (trusting the management account), or choose another access role or Identity Center.`,
    });
    assert.ok(second !== undefined && !second.ok, JSON.stringify(second));
    assert.equal(second.code, 'PREFLIGHT_FAILED');
    assert.match(second.reason, new RegExp(`^DescribeStacks failed in ${intact}: `));
  });
});
