// The identity-center access mode end to end: the management profile is an IAM Identity Center (SSO) profile, and
// every member account is reached with GetRoleCredentials for a permission set through the portal — not by assuming
// an access role. The local SSO server stands in for Identity Center (moto has none); the credentials it hands out
// are real moto STS credentials in the requested account, so CloudFormation and IAM act there.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { startMoto, type MotoServer } from '../support/moto.js';
import { startSsoTestServer, type SsoTestServer } from '../support/sso-test-server.js';
import {
  assumeRoleCredentials,
  MOTO_DEFAULT_CREDENTIALS,
  seedOrganization,
  type SeededOrganization,
} from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { runOrgconnect } from '../support/run-cli.js';
import { loginWithAuthCode } from '../../main/core/aws/sso/index.js';

const START_URL = 'https://d-9999999999.awsapps.com/start';
const PERMISSION_SET = 'OrgConnectDeployer';

describe('deploy with --access identity-center', () => {
  let moto: MotoServer;
  let sso: SsoTestServer;
  let seeded: SeededOrganization;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 6, depth: 1, seed: 11 });
    sso = await startSsoTestServer({
      accounts: seeded.accounts.map((account) => ({
        accountId: account.id,
        accountName: account.name,
        emailAddress: account.email,
        roles: [PERMISSION_SET],
      })),
      issueRoleCredentials: async (accountId) => {
        if (accountId === seeded.managementAccountId) {
          const sts = new STSClient({
            region: 'us-east-1',
            endpoint: moto.url,
            credentials: MOTO_DEFAULT_CREDENTIALS,
          });
          const c = (await sts.send(new GetSessionTokenCommand({}))).Credentials;
          return {
            accessKeyId: c?.AccessKeyId ?? '',
            secretAccessKey: c?.SecretAccessKey ?? '',
            sessionToken: c?.SessionToken ?? '',
          };
        }
        const c = await assumeRoleCredentials(
          moto.url,
          `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`,
        );
        return {
          accessKeyId: c.accessKeyId,
          secretAccessKey: c.secretAccessKey,
          sessionToken: c.sessionToken ?? '',
        };
      },
    });
    const files = writeTestAwsConfig(
      moto.url,
      [
        '[sso-session corp]',
        `sso_start_url = ${START_URL}`,
        'sso_region = us-east-1',
        'sso_registration_scopes = sso:account:access',
        '',
        '[profile corp-mgmt]',
        'sso_session = corp',
        `sso_account_id = ${seeded.managementAccountId}`,
        `sso_role_name = ${PERMISSION_SET}`,
        'region = us-east-1',
        `endpoint_url = ${moto.url}`,
        '',
      ].join('\n'),
    );
    env = {
      ...files.env,
      AWS_ENDPOINT_URL_SSO: sso.url,
      AWS_ENDPOINT_URL_SSO_OIDC: sso.url,
      ORGCONNECT_HOME: mkdtempSync(path.join(tmpdir(), 'orgconnect-data-')),
    };
    // Sign in as the person would (the "browser" approves and follows the redirect); the token lands in HOME's cache.
    await loginWithAuthCode(
      {
        sessionName: 'corp',
        startUrl: START_URL,
        region: 'us-east-1',
        registrationScopes: ['sso:account:access'],
      },
      { homeDir: env['HOME'] ?? '', endpoint: sso.url, env, openUrl: async (url) => void (await fetch(url)) },
    );
  });
  after(async () => {
    await sso?.close();
    await moto?.stop();
  });

  test('every member is reached through the portal, connected, and the journal records the access mode', async () => {
    const before = sso.issuedCredentials.length;
    const result = await runOrgconnect(
      [
        'deploy',
        '--profile',
        'corp-mgmt',
        '--external-id',
        'ic-external-id-0042',
        '--access',
        'identity-center',
        '--sso-role',
        PERMISSION_SET,
        '--yes',
        '--json',
      ],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    const finished = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as {
      counts: Record<string, number>;
    };
    assert.equal(finished.counts['connected'], seeded.accounts.length);
    const viaPortal = new Set(sso.issuedCredentials.slice(before).map((c) => c.accountId));
    for (const member of seeded.memberAccountIds)
      assert.ok(viaPortal.has(member), `${member} reached via Identity Center`);
    assert.ok(sso.issuedCredentials.slice(before).every((c) => c.roleName === PERMISSION_SET));

    const runs = JSON.parse((await runOrgconnect(['runs', '--json'], env)).stdout) as {
      runs: { runId: string }[];
    };
    assert.equal(runs.runs.length, 1);
    const journal = readFileSync(
      path.join(env['ORGCONNECT_HOME'] ?? '', 'runs', `${runs.runs[0]?.runId}.jsonl`),
      'utf8',
    );
    const started = JSON.parse(journal.split('\n')[0] ?? '{}') as { settings: Record<string, unknown> };
    assert.equal(started.settings['accessMode'], 'identity-center');
    assert.equal(started.settings['ssoRoleName'], PERMISSION_SET);
    assert.doesNotMatch(journal, /ic-external-id-0042/);
  });

  test('a permission set the user is not assigned blocks each member with a clear reason', async () => {
    const result = await runOrgconnect(
      [
        'plan',
        '--profile',
        'corp-mgmt',
        '--external-id',
        'ic-external-id-0042',
        '--access',
        'identity-center',
        '--sso-role',
        'NotAssigned',
        '--json',
      ],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    const plan = JSON.parse(result.stdout) as {
      items: { accountId: string; action: string; code?: string; reason?: string }[];
    };
    const members = plan.items.filter((i) => i.accountId !== seeded.managementAccountId);
    assert.ok(members.length > 0);
    for (const item of members) {
      assert.equal(item.action, 'blocked', JSON.stringify(item));
      assert.match(`${item.code} ${item.reason}`, /NotAssigned|not assigned|SSO_ROLE_NOT_ASSIGNED/i);
    }
  });
});
