/**
 * A journal of `rows` accounts written by the real deploy engine (startRun: every state change journaled and
 * fsynced before it is shown), over the in-process FakeCloudFormation and FakeSts of the unit tests, so the scale
 * bench can replay a 10,000-row journal without 10,000 moto deploys (moto serves one call at a time: ~20 min).
 * The journal is the engine's own output; only the AWS answers are in process. Returns how long the run took.
 * The fakes settle a stack at once, so the engine polls every millisecond: with the real first poll (~0.75 s) the
 * run would wait ⌈rows / c⌉ × 0.75 s for nothing (~2 min at 10,000 rows) and the figure would be that wait.
 */
import type { AwsCredentialIdentity } from '@smithy/types';
import { systemClock } from '../../main/core/clock.js';
import { createAccountCredentials, type StsSender } from '../../main/core/onboarding/account-credentials.js';
import type { DeployItem } from '../../main/core/onboarding/run-events.js';
import { startRun } from '../../main/core/onboarding/runner.js';
import { FakeCloudFormation, FakeSts } from '../../test/support/fake-cloudformation.js';

const MANAGEMENT = '100000000000';
const TEMPLATE = '{"AWSTemplateFormatVersion":"2010-09-09","Resources":{}}';

export async function writeEngineJournal(
  dataDir: string,
  rows: number,
  concurrency: number,
): Promise<{ runId: string; ms: number; connected: number }> {
  const sts = new FakeSts(MANAGEMENT, systemClock);
  const management: AwsCredentialIdentity = { accessKeyId: 'AKIABENCHMANAGEMENT', secretAccessKey: 'bench' };
  const credentials = createAccountCredentials({
    managementCredentials: async () => management,
    managementAccountId: MANAGEMENT,
    region: 'us-east-1',
    sts: sts.client() as StsSender,
  });
  const members = Array.from({ length: rows - 1 }, (_, i) => String(200000000001 + i));
  const fakes = new Map<string, FakeCloudFormation>();
  const items: DeployItem[] = [MANAGEMENT, ...members].map((accountId, i) => ({
    accountId,
    accountName: i === 0 ? 'management' : `acct-${String(i).padStart(5, '0')}`,
    ouPath: `Root/Workloads/Team-${i % 400}`,
    kind: i === 0 ? 'billing' : 'resource',
    connectionName: i === 0 ? 'management' : `acct-${i}`,
    stackName: i === 0 ? 'orgconnect-billing' : 'orgconnect-resource',
    action: 'create',
  }));
  const run = await startRun({
    dataDir,
    items,
    settings: {
      platformAccountId: '061190967865',
      externalId: 'bench-journal-external-id-1',
      accessRoleName: 'OrganizationAccountAccessRole',
      region: 'us-east-1',
    },
    managementAccountId: MANAGEMENT,
    profile: 'bench',
    credentialsFor: credentials.credentialsFor,
    cloudFormationFor: (accountId, provider) => {
      const fake = fakes.get(accountId) ?? new FakeCloudFormation(accountId, systemClock);
      fakes.set(accountId, fake);
      return fake.client(provider);
    },
    templateFor: (item, secrets) => ({
      templateBody: TEMPLATE,
      parameters: { ExternalId: secrets.externalId, RoleName: `platform-${item.kind}` },
    }),
    concurrency,
    deploy: { poll: { baseMs: 1, capMs: 1 } },
  });
  const started = performance.now();
  const final = await run.start();
  const ms = performance.now() - started;
  await run.close();
  return { runId: final.runId, ms, connected: final.counts.connected ?? 0 };
}
