/**
 * Who may discover, against moto: a consolidated-billing Organization, an account outside any Organization, a
 * member account reached through OrganizationAccountAccessRole, and an IAM user whose policy lacks one action
 * (moto evaluating the policy for real).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient,
  CreateAccessKeyCommand,
  CreateUserCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { OrgConnectError } from '../../main/core/errors.js';
import { discoverOrganization, ORG_ACCESS_FIX, type DiscoveryProgress } from '../../main/core/org/index.js';
import { startMoto, type MotoServer } from '../support/moto.js';
import {
  assumeRoleCredentials,
  MOTO_DEFAULT_CREDENTIALS,
  motoDiscoveryClients,
  seedOrganization,
} from '../support/seed-org.js';

async function rejection(promise: Promise<unknown>): Promise<OrgConnectError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof OrgConnectError, `expected an OrgConnectError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected discovery to fail');
}

/** moto checks IAM policies only from this many requests on; POST /moto-api/reset-auth sets it at run time. */
async function setMotoAuth(moto: MotoServer, freeRequests: number | 'inf'): Promise<void> {
  const response = await fetch(`${moto.url}/moto-api/reset-auth`, {
    method: 'POST',
    body: String(freeRequests),
  });
  assert.equal(response.status, 200);
}

describe('discovery by callers that may not or cannot list the Organization (moto)', () => {
  let moto: MotoServer;
  before(async () => {
    moto = await startMoto();
  });
  after(async () => {
    await moto.stop();
  });

  test('a consolidated-billing-only Organization → ORG_NOT_ALL_FEATURES', async () => {
    await moto.reset();
    const seeded = await seedOrganization({
      endpoint: moto.url,
      accounts: 3,
      depth: 1,
      featureSet: 'CONSOLIDATED_BILLING',
    });
    const error = await rejection(discoverOrganization(motoDiscoveryClients(moto.url)));
    assert.equal(error.code, 'ORG_NOT_ALL_FEATURES');
    assert.equal(
      error.message,
      `Organization ${seeded.organizationId} has only consolidated billing features enabled.`,
    );
    assert.match(error.fix ?? '', /Enable all features/);
  });

  test('an account in no Organization → NOT_IN_ORGANIZATION', async () => {
    await moto.reset();
    const loner = await assumeRoleCredentials(moto.url, 'arn:aws:iam::222233334444:role/Admin');
    const error = await rejection(discoverOrganization(motoDiscoveryClients(moto.url, loner)));
    assert.equal(error.code, 'NOT_IN_ORGANIZATION');
    assert.equal(error.message, 'Account 222233334444 is not in an AWS Organization.');
  });

  test('a member account (OrganizationAccountAccessRole) sees the Organization but may not list it', async () => {
    await moto.reset();
    const seeded = await seedOrganization({
      endpoint: moto.url,
      accounts: 6,
      depth: 2,
      branching: 2,
      seed: 7,
    });
    const member = seeded.memberAccountIds[0];
    assert.ok(member);
    const memberCredentials = await assumeRoleCredentials(
      moto.url,
      `arn:aws:iam::${member}:role/OrganizationAccountAccessRole`,
    );
    const progress: DiscoveryProgress[] = [];
    const error = await rejection(
      discoverOrganization(motoDiscoveryClients(moto.url, memberCredentials), {
        onProgress: (p) => progress.push(p),
      }),
    );
    // moto answers DescribeOrganization and ListRoots for a member with its Organization's data, then
    // ParentNotFoundException for the root, because a member's own view holds no OUs; AWS answers
    // AccessDeniedException there. Either way the member gets the same clear error.
    assert.ok(
      progress.some((p) => p.phase === 'tree'),
      'DescribeOrganization and ListRoots succeeded for the member',
    );
    assert.equal(error.code, 'ORG_ACCESS_DENIED');
    assert.match(
      error.message,
      new RegExp(
        `^arn:aws:sts::${member}:assumed-role/OrganizationAccountAccessRole/orgconnect-test may not call ` +
          `organizations:List(Accounts|OrganizationalUnits)ForParent\\. ` +
          `Account ${member} is a member of ${seeded.organizationId}, not its management account\\.$`,
      ),
    );
    assert.equal(error.fix, ORG_ACCESS_FIX);
  });

  test('an IAM user without organizations:ListAccountsForParent → ORG_ACCESS_DENIED naming that action', async () => {
    await moto.reset();
    const seeded = await seedOrganization({ endpoint: moto.url, accounts: 4, depth: 1, seed: 3 });
    const iam = new IAMClient({
      region: 'us-east-1',
      endpoint: moto.url,
      credentials: MOTO_DEFAULT_CREDENTIALS,
    });
    await iam.send(new CreateUserCommand({ UserName: 'half-reader' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'half-reader',
        PolicyName: 'org-read-without-accounts',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: [
                'organizations:DescribeOrganization',
                'organizations:ListRoots',
                'organizations:ListOrganizationalUnitsForParent',
              ],
              Resource: '*',
            },
          ],
        }),
      }),
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'half-reader' }))).AccessKey;
    assert.ok(key?.AccessKeyId && key.SecretAccessKey);
    const credentials = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };

    await setMotoAuth(moto, 0);
    try {
      const error = await rejection(discoverOrganization(motoDiscoveryClients(moto.url, credentials)));
      assert.equal(error.code, 'ORG_ACCESS_DENIED');
      // The user is in the management account, so there is no member note: only the missing action.
      assert.equal(
        error.message,
        `arn:aws:iam::${seeded.managementAccountId}:user/half-reader may not call organizations:ListAccountsForParent.`,
      );
      assert.equal(error.fix, ORG_ACCESS_FIX);
    } finally {
      await setMotoAuth(moto, 'inf');
    }
  });
});
