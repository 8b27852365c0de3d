// Fault matrix: assumed credentials expiring mid-run. STS's shortest session is 900 s, too long for a test, so the
// proxy compresses time: AssumeRole answers say the keys expire 5 minutes + 1 s after issue, and the proxy refuses
// those keys (ExpiredToken, as STS-signed requests are refused) 1 s + 1 s grace after issue. Anything that keeps
// signing with keys inside their last 5 minutes fails; the engine's cache and the SDK both refresh 5 minutes ahead,
// so a deploy whose accounts each take several seconds (latency on every CloudFormation call) must re-assume
// mid-account and still connect everything.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMoto, type MotoServer } from '../support/moto.js';
import { seedOrganization, type SeededOrganization } from '../support/seed-org.js';
import { writeTestAwsConfig } from '../support/aws-test-config.js';
import { runOrgconnect } from '../support/run-cli.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';

describe('credentials that expire in the middle of each account’s deploy', () => {
  let moto: MotoServer;
  let proxy: FaultProxy;
  let seeded: SeededOrganization;

  before(async () => {
    moto = await startMoto();
    seeded = await seedOrganization({ endpoint: moto.url, accounts: 16, depth: 1, seed: 21 });
    proxy = await startFaultProxy({
      target: moto.url,
      latencyMs: { DescribeStacks: 700, CreateStack: 500 },
      shortLivedCredentials: { usableMs: 1000, refreshWindowMs: 300_000, graceMs: 1000 },
    });
  });
  after(async () => {
    await proxy?.stop();
    await moto?.stop();
  });

  test('the run re-assumes the access role as keys near expiry and connects every account', async () => {
    const env = {
      ...writeTestAwsConfig(proxy.url).env,
      ORGCONNECT_HOME: mkdtempSync(path.join(tmpdir(), 'orgconnect-data-')),
    };
    const result = await runOrgconnect(
      [
        'deploy',
        '--profile',
        'emulator',
        '--external-id',
        'cz-expiry-1',
        '--yes',
        '--json',
        '--concurrency',
        '8',
      ],
      env,
      { timeoutMs: 120_000 },
    );
    assert.equal(result.code, 0, `${result.stderr.slice(-1500)}\n${result.stdout.slice(-1500)}`);
    const finished = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as {
      counts?: Record<string, number>;
    };
    assert.equal(finished.counts?.['connected'], seeded.accounts.length);
    assert.equal(proxy.counts['expired-token'], 0, 'no request was signed with expired keys');

    // Each member needed fresh keys during its deploy: more than one AssumeRole per member in the run.
    const members = seeded.memberAccountIds.length;
    const assumes = proxy.requests.filter((r) => r.operation === 'AssumeRole' && r.status === 200);
    const perAccount = new Map<string, number>();
    for (const r of assumes)
      if (r.accountId) perAccount.set(r.accountId, (perAccount.get(r.accountId) ?? 0) + 1);
    // Preflight assumes once per member, the run at least once more; refreshes come on top.
    const refreshed = [...perAccount.values()].filter((n) => n >= 3).length;
    assert.ok(refreshed >= members / 2, `${refreshed} of ${members} members re-assumed mid-run`);
    console.log(`AssumeRole answers: ${assumes.length} for ${members} members; expired-token refusals: 0`);
  });

  test('the proxy really refuses stale keys (so the test above can fail)', async () => {
    const { STSClient, AssumeRoleCommand, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: proxy.url,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const out = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${seeded.memberAccountIds[0] ?? ''}:role/OrganizationAccountAccessRole`,
        RoleSessionName: 'stale',
      }),
    );
    const c = out.Credentials;
    assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken);
    // Static keys, as a client that never refreshes would hold them.
    const member = new STSClient({
      region: 'us-east-1',
      endpoint: proxy.url,
      maxAttempts: 1,
      credentials: {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
      },
    });
    await member.send(new GetCallerIdentityCommand({}));
    await new Promise((resolve) => setTimeout(resolve, 2300));
    await assert.rejects(member.send(new GetCallerIdentityCommand({})), { name: 'ExpiredToken' });
  });
});
