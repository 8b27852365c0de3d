// Fault matrix: the IAM Identity Center session ends in the middle of a run. The management profile is an SSO
// profile and members are reached through the portal (identity-center access mode); the portal hands out role
// credentials that are stale 1 s after issue (lifetime 5 min + 1 s, inside the 5-minute refresh window), so every
// account keeps going back to the portal with the cached token. Once the first member has connected, the test
// server ends every session (as Identity Center does when the session times out or an admin revokes it): the
// next portal call answers 401. The run must pause, not fail accounts; the CLI stops cleanly with exit 4 and says
// how to sign in and resume; after a new sign-in, `resume` connects the rest, and moto holds one stack per account.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
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
import { streamOrgconnect } from '../support/cli-stream.js';
import { loginWithAuthCode } from '../../main/core/aws/sso/index.js';

const START_URL = 'https://d-9999999999.awsapps.com/start';
const PERMISSION_SET = 'OrgConnectDeployer';
const EXTERNAL_ID = 'sso-expiry-external-id-7731';
/** Fresh for one second: the engine refreshes credentials 5 minutes before they expire. */
const ROLE_CREDENTIALS_LIFETIME_MS = 5 * 60_000 + 1000;

interface Line {
  event: string;
  runId?: string;
  kind?: string;
  state?: string;
  outcome?: string;
  reason?: string;
  code?: string;
  status?: string;
  counts?: Record<string, number>;
}

describe('an IAM Identity Center session that ends mid-run', () => {
  let moto: MotoServer;
  let sso: SsoTestServer;
  let seeded: SeededOrganization;
  let env: NodeJS.ProcessEnv;

  const signIn = () =>
    loginWithAuthCode(
      {
        sessionName: 'corp',
        startUrl: START_URL,
        region: 'us-east-1',
        registrationScopes: ['sso:account:access'],
      },
      { homeDir: env['HOME'] ?? '', endpoint: sso.url, env, openUrl: async (url) => void (await fetch(url)) },
    );

  before(async () => {
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 6, depth: 1, seed: 23 });
    sso = await startSsoTestServer({
      accounts: seeded.accounts.map((account) => ({
        accountId: account.id,
        accountName: account.name,
        emailAddress: account.email,
        roles: [PERMISSION_SET],
      })),
      issueRoleCredentials: async (accountId) => {
        // Slow enough that the run is still going when the session ends.
        await new Promise((resolve) => setTimeout(resolve, 150));
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
            lifetimeMs: ROLE_CREDENTIALS_LIFETIME_MS,
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
          lifetimeMs: ROLE_CREDENTIALS_LIFETIME_MS,
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
    await signIn();
  });
  after(async () => {
    await sso?.close();
    await moto?.stop();
  });

  test('the run pauses for a sign-in (exit 4, no account failed); after signing in, resume connects every account once', async () => {
    let ended = false;
    const run = streamOrgconnect(
      [
        'deploy',
        '--profile',
        'corp-mgmt',
        '--external-id',
        EXTERNAL_ID,
        '--access',
        'identity-center',
        '--sso-role',
        PERMISSION_SET,
        '--concurrency',
        '1',
        '--yes',
        '--json',
      ],
      env,
      (text) => {
        const line = JSON.parse(text) as Line;
        if (!ended && line.event === 'account' && line.kind === 'resource' && line.state === 'connected') {
          ended = true;
          sso.expireAccessTokens();
        }
      },
    );
    const first = await run.done;
    assert.equal(first.code, 4, first.stderr);
    const lines = first.stdout
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as Line);
    const runId = lines[0]?.runId ?? '';
    const paused = lines.find((line) => line.event === 'run-paused');
    assert.equal(paused?.reason, 'sign-in-required', first.stdout);
    assert.equal(paused?.code, 'SSO_LOGIN_REQUIRED');
    assert.equal(lines.at(-1)?.event, 'run-finished');
    assert.equal(lines.at(-1)?.status, 'stopped');
    assert.ok(!lines.some((line) => line.state === 'failed'), 'no account failed because of the session');
    const connectedBefore = lines.filter((line) => line.state === 'connected').length;
    assert.ok(
      connectedBefore >= 2 && connectedBefore < seeded.accounts.length,
      `${connectedBefore} connected`,
    );
    assert.match(first.stderr, /orgconnect login --profile corp-mgmt/);
    assert.match(first.stderr, new RegExp(`orgconnect resume ${runId}`));

    // Resuming without signing in again pauses the same way, touching nothing.
    const early = await runOrgconnect(['resume', runId, '--json'], env);
    assert.equal(early.code, 4, early.stderr);

    await signIn();
    const resumed = await runOrgconnect(['resume', runId, '--json'], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    const finished = JSON.parse(resumed.stdout.trim().split('\n').at(-1) ?? '{}') as Line;
    assert.equal(finished.status, 'completed');
    assert.equal(finished.counts?.['connected'], seeded.accounts.length);

    // What AWS holds: exactly one orgconnect stack per account, never a second one.
    for (const account of seeded.accounts) {
      const credentials =
        account.id === seeded.managementAccountId
          ? MOTO_DEFAULT_CREDENTIALS
          : await assumeRoleCredentials(
              moto.url,
              `arn:aws:iam::${account.id}:role/OrganizationAccountAccessRole`,
            );
      const cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: moto.url, credentials });
      const stacks = (await cfn.send(new ListStacksCommand({}))).StackSummaries ?? [];
      const ours = stacks.filter(
        (s) => s.StackName?.startsWith('orgconnect') && s.StackStatus !== 'DELETE_COMPLETE',
      );
      assert.equal(ours.length, 1, `${account.id}: ${ours.map((s) => s.StackName).join(', ')}`);
    }
    // And the journal never created a stack twice for one account.
    const journal = readFileSync(path.join(env['ORGCONNECT_HOME'] ?? '', 'runs', `${runId}.jsonl`), 'utf8');
    const created = new Map<string, number>();
    for (const text of journal.trim().split('\n')) {
      const event = JSON.parse(text) as { type: string; accountId?: string; outcome?: string };
      if (event.type === 'account-state' && event.outcome === 'created')
        created.set(event.accountId ?? '', (created.get(event.accountId ?? '') ?? 0) + 1);
    }
    assert.ok(
      [...created.values()].every((n) => n === 1),
      JSON.stringify([...created]),
    );
    assert.doesNotMatch(journal, new RegExp(EXTERNAL_ID));
    console.log(
      `session ended after ${connectedBefore} of ${seeded.accounts.length} connections; ` +
        `resumed after sign-in: ${finished.counts?.['connected']} connected, 0 failed, 0 duplicates`,
    );
  });
});
