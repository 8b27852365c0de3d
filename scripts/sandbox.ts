/**
 * The demo's sandbox: the AWS emulator (moto with the fidelity layer) holding a sample Organization — a few OUs,
 * 41 accounts, one suspended, one whose access role is missing (the two things the sandbox breaks on purpose) —
 * and an AWS profile pointing at it, and the sandbox platform (test/support/sandbox-platform-server.ts) standing in
 * for CloudZero's link endpoint, so connections are registered there and never with the real platform.
 * Used by `npm run demo` and by the test that deploys into it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { startMoto, type MotoServer } from '../test/support/moto.js';
import {
  assumeRoleCredentials,
  seedOrganization,
  type SeededOrganization,
} from '../test/support/seed-org.js';
import { writeTestAwsConfig } from '../test/support/aws-test-config.js';
import { startSandboxPlatform, type SandboxPlatform } from '../test/support/sandbox-platform-server.js';

export const SANDBOX_PROFILE = 'emulator';
export const SANDBOX_EXTERNAL_ID = 'sandbox-external-id-1234';
/** Set in the app's environment so the host can tell the UI it runs against the emulator. */
export { SANDBOX_ENV } from '../main/host/service-handlers.js';
import { SANDBOX_ENV } from '../main/host/service-handlers.js';

export interface Sandbox {
  moto: MotoServer;
  /** Where the app registers connections; its page lists them as the platform's Cloud Integrations page does. */
  platform: SandboxPlatform;
  org: SeededOrganization;
  /** The member account whose OrganizationAccountAccessRole was deleted. */
  noAccessRoleId: string | undefined;
  /** The environment the app runs with: the sandbox profile, a fresh data directory, the sandbox flag. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

async function removeAccessRole(endpoint: string, accountId: string): Promise<void> {
  const roleName = 'OrganizationAccountAccessRole';
  const credentials = await assumeRoleCredentials(endpoint, `arn:aws:iam::${accountId}:role/${roleName}`);
  const iam = new IAMClient({ region: 'us-east-1', endpoint, credentials });
  for (const policy of (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName })))
    .AttachedPolicies ?? []) {
    await iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policy.PolicyArn }));
  }
  await iam.send(new DeleteRoleCommand({ RoleName: roleName }));
}

export async function startSandbox(): Promise<Sandbox> {
  const moto = await startMoto();
  const platform = await startSandboxPlatform();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'orgconnect-sandbox-data-'));
  const stop = async () => {
    await platform.stop();
    await moto.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const org = await seedOrganization({
      endpoint: moto.url,
      accounts: 40,
      depth: 2,
      branching: 3,
      suspended: 1,
      seed: 42,
    });
    const noAccessRoleId = org.memberAccountIds.find((id) => !org.suspendedIds.includes(id));
    if (noAccessRoleId) await removeAccessRole(moto.url, noAccessRoleId);
    // The test config turns registration off; the sandbox registers, with the sandbox platform.
    const { ORGCONNECT_NO_REGISTER: _off, ...awsEnv } = writeTestAwsConfig(moto.url).env;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...awsEnv,
      HOME: process.env['HOME'],
      ORGCONNECT_HOME: dataDir,
      AWS_PROFILE: SANDBOX_PROFILE,
      ORGCONNECT_PLATFORM_URL: platform.linkUrl,
      [SANDBOX_ENV]: '1',
    };
    return { moto, platform, org, noAccessRoleId, env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
