/**
 * The StackSet engine (stacksets mode): the Resource accounts go through one service-managed StackSet in the
 * management account instead of a stack per account — one CreateStackInstances over their OUs, per-account states
 * from ListStackInstances. Idempotent, so resume simply runs it again. (The Billing stack stays a direct stack.)
 */
import { OrgConnectError } from '../errors.js';
import { settleAsPlanned } from './account-engine.js';
import { cloudFormationFailure } from './retry.js';
import type { AccountRunState } from './run-state.js';
import type { RunContext, RunEngine } from './run-engine.js';
import type { RegistrationHook } from './registration-hook.js';
import type { TemplateFor } from './stacks-engine.js';
import { deployResourceStackSet, type DeployStackSetInput } from './stackset-deployer.js';
import { DEFAULT_ROLE_NAMES } from './templates.js';

/** Where the StackSet goes; built by the host from discovery and the plan. */
export type StackSetEngineOptions = Pick<
  DeployStackSetInput,
  'cloudformation' | 'organizations' | 'targets' | 'regions' | 'preferences' | 'callAs' | 'knownUnits'
>;

export function stackSetEngine(
  run: RunContext,
  hook: RegistrationHook,
  templateFor: TemplateFor,
  stackSet: StackSetEngineOptions | undefined,
): RunEngine {
  return {
    async run(resources, force) {
      const targets: AccountRunState[] = [];
      for (const account of resources) {
        // Skipped and blocked accounts are recorded exactly as in stacks mode.
        if (!(await settleAsPlanned(run, hook, account, force))) targets.push(account);
      }
      if (targets.length === 0) return;
      await run.waitWhilePaused();
      if (run.stopped) return;
      if (stackSet === undefined) {
        for (const account of targets) {
          await run.recordAccount(account, {
            state: 'failed',
            code: 'STACKSETS_NOT_CONFIGURED',
            reason: 'this run deploys through a StackSet, but no StackSet target was given',
            fix: 'Resume the run with the management profile so the Organization can be read again.',
          });
        }
        return;
      }
      await deployThroughStackSet(run, hook, templateFor, stackSet, targets);
    },
  };
}

async function deployThroughStackSet(
  run: RunContext,
  hook: RegistrationHook,
  templateFor: TemplateFor,
  stackSet: StackSetEngineOptions,
  targets: AccountRunState[],
): Promise<void> {
  const planned = new Map(targets.map((account) => [account.accountId, account]));
  const finished = new Set<string>();
  for (const account of targets)
    await run.recordAccount(account, { state: 'deploying', attempt: account.attempt + 1 });
  const settings = run.state.settings;
  const roleArnOf = (accountId: string): string =>
    `arn:aws:iam::${accountId}:role${settings.rolePath ?? '/'}${settings.roleName ?? DEFAULT_ROLE_NAMES.resource}`;
  const settle = (
    account: AccountRunState,
    state: 'connected' | 'failed',
    reason: string | undefined,
  ): Promise<void> =>
    state === 'connected'
      ? hook.recordConnected(account, { attempt: account.attempt + 1, roleArn: roleArnOf(account.accountId) })
      : run.recordAccount(account, {
          state,
          attempt: account.attempt + 1,
          code: 'STACKSET_INSTANCE_FAILED',
          reason: reason ?? 'the StackSet instance failed',
        });
  // Journal writes are serialised through this chain so states land in the order the StackSet reported them.
  let writes: Promise<void> = Promise.resolve();
  const first = targets[0] as AccountRunState;
  try {
    const source = await templateFor(first, run.secrets);
    const result = await deployResourceStackSet({
      ...stackSet,
      templateBody: source.templateBody,
      parameters: source.parameters,
      // One StackSet serves every account, so it carries no per-account connection-name tag.
      tags: { 'orgconnect:kind': 'resource' },
      managementAccountId: run.state.managementAccountId,
      clock: run.clock,
      signal: run.signal,
      onAccountState: (accountId, state, reason) => {
        const account = planned.get(accountId);
        if (account === undefined || state === 'deploying') return;
        finished.add(accountId);
        // Registered as soon as its instance is CURRENT, not when the whole StackSet operation ends.
        writes = writes.then(() => settle(account, state, reason));
      },
    });
    await writes;
    for (const view of result.accounts) {
      const account = planned.get(view.accountId);
      if (account === undefined || finished.has(view.accountId) || view.state === 'deploying') continue;
      finished.add(view.accountId);
      await settle(account, view.state, view.reason);
    }
    for (const account of targets) {
      if (finished.has(account.accountId)) continue;
      await run.recordAccount(account, {
        state: 'failed',
        code: 'STACKSET_NO_INSTANCE',
        reason: `the StackSet created no instance in ${account.accountId}`,
        fix: 'Check that the account is in one of the targeted OUs and that StackSets trusted access is enabled.',
        attempt: account.attempt + 1,
      });
    }
  } catch (error) {
    await writes.catch(() => undefined);
    if (run.fatal !== undefined) throw run.fatal;
    const aborted = run.signal.aborted;
    const failure =
      error instanceof OrgConnectError ? error : cloudFormationFailure(error, run.state.managementAccountId);
    for (const account of targets) {
      if (finished.has(account.accountId)) continue;
      await run.recordAccount(
        account,
        aborted
          ? {
              state: 'unknown',
              code: 'RUN_STOPPED',
              reason: 'stopped while the StackSet deployed; checked on resume',
            }
          : {
              state: 'failed',
              code: failure.code,
              reason: failure.message,
              ...(failure.fix === undefined ? {} : { fix: failure.fix }),
            },
      );
    }
  }
}
