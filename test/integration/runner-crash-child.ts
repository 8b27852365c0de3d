// The process the crash test kills with SIGKILL: starts a deploy run against moto and deploys until it dies.
// Not a test file itself (no .test.ts); run by test/integration/runner-crash-resume.test.ts.
import { createAccountCredentials } from '../../main/core/onboarding/account-credentials.js';
import type { DeployItem } from '../../main/core/onboarding/run-events.js';
import { startRun } from '../../main/core/onboarding/runner.js';
import { MANAGEMENT_KEYS, REGION, motoCloudFormation, templateFor } from './runner-moto-org.js';

const input = JSON.parse(process.env['CRASH_CHILD_INPUT'] ?? '{}') as {
  motoUrl: string;
  dataDir: string;
  runId: string;
  managementAccountId: string;
  items: DeployItem[];
  externalId: string;
};

const credentials = createAccountCredentials({
  managementCredentials: async () => MANAGEMENT_KEYS,
  managementAccountId: input.managementAccountId,
  region: REGION,
  stsEndpoint: input.motoUrl,
});
const run = await startRun({
  runId: input.runId,
  dataDir: input.dataDir,
  items: input.items,
  settings: {
    platformAccountId: '061190967865',
    externalId: input.externalId,
    accessRoleName: 'OrganizationAccountAccessRole',
    region: REGION,
  },
  managementAccountId: input.managementAccountId,
  profile: 'moto',
  credentialsFor: credentials.credentialsFor,
  cloudFormationFor: (_accountId, provider) =>
    motoCloudFormation(input.motoUrl, provider, { afterCreateMs: 400 }),
  templateFor,
  concurrency: 3,
  deploy: { poll: { baseMs: 50, capMs: 200 } },
});
await run.start();
process.stdout.write('finished\n');
