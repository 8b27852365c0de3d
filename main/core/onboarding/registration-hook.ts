/**
 * The registration hook deploy engines finish an account with. An account whose stack (or StackSet instance, or
 * adopted role) is complete is journaled `registering`, the platform is told, and it is journaled `connected`
 * with the answer; a stop during the POST leaves it `registering`, so resume sends it again.
 */
import type { AccountStateEvent, DeployItem } from './run-events.js';
import type { AccountRunState } from './run-state.js';
import type { RegistrationStep } from './registration-step.js';
import type { RunContext } from './run-engine.js';

export type ConnectedResult = Pick<AccountStateEvent, 'outcome' | 'stackId' | 'roleArn' | 'attempt'>;

export interface RegistrationHook {
  recordConnected(
    account: Pick<DeployItem, 'accountId' | 'kind' | 'connectionName'>,
    result: ConnectedResult,
  ): Promise<void>;
  /** The plan's "already connected" holds only if the platform has heard of it too; else it is deployed (a no-op) and registered. */
  skipsAsPlanned(account: AccountRunState, force: boolean): Promise<boolean>;
}

export function registrationHook(run: RunContext, registration: RegistrationStep): RegistrationHook {
  return {
    async recordConnected(account, result) {
      if (registration.enabled) {
        await run.recordAccount(account, { state: 'registering', ...result });
        const record = await registration.register(account, result.roleArn);
        if (record === undefined) return;
        await run.recordAccount(account, { state: 'connected', ...result, registration: record });
        return;
      }
      const notSent = registration.notSent();
      await run.recordAccount(account, {
        state: 'connected',
        ...result,
        ...(notSent === undefined ? {} : { registration: notSent }),
      });
    },
    async skipsAsPlanned(account, force) {
      if (force || account.attempt !== 0 || account.action !== 'skip') return false;
      return !(await registration.needsRegistration(account));
    },
  };
}
