/**
 * The adopt verify engine (`source: manual`): each account's hand-made role is checked instead of a stack
 * deployed, through the same per-account flow (skip, block, pause, cancel, sign-in, stop) as stacks.
 */
import type { AccountCredentials } from './account-credentials.js';
import { accountEngine } from './account-engine.js';
import type { RunSecrets } from './run-secrets.js';
import type { AccountRunState } from './run-state.js';
import type { RunContext, RunEngine } from './run-engine.js';
import type { RegistrationHook } from './registration-hook.js';

/** Resolves with the verified role's ARN, or throws an OrgConnectError (code, reason, fix) the account fails with. */
export type VerifyAccount = (
  item: AccountRunState,
  secrets: RunSecrets,
  signal: AbortSignal,
) => Promise<{ roleArn: string }>;

export function verifyEngine(
  run: RunContext,
  hook: RegistrationHook,
  credentialsFor: (accountId: string) => Promise<AccountCredentials>,
  verifyAccount: VerifyAccount,
): RunEngine {
  return accountEngine(run, hook, async (planned, attempt) => {
    // Resolve once up front so a missing access role fails here, with its own code, before anything is read.
    await credentialsFor(planned.accountId);
    const verified = await verifyAccount(planned, run.secrets, run.signal);
    await hook.recordConnected(planned, { outcome: 'unchanged', roleArn: verified.roleArn, attempt });
  });
}
