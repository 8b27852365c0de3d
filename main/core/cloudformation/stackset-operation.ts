/**
 * Following a StackSet operation to its end while telling each account's state as it changes: every
 * DescribeStackSetOperation read is followed by a ListStackInstances read, folded into one state per account
 * (stackset-status.ts). One account can be left out of what is told (the management account: AWS never deploys
 * service-managed instances there, moto does when the root is targeted).
 */
import {
  accountViews,
  instanceView,
  type StackSetAccountState,
  type StackSetAccountView,
} from './stackset-status.js';
import type { StackSetInstanceView } from './stackset-status.js';
import type { PollPolicy } from './poll-until.js';
import type { CloudFormationContext } from './stacks.js';
import { listStackInstances, waitForStackSetOperation, type StackSetRef } from './stacksets.js';

export interface StackSetOperationSummary {
  operationId: string;
  action: 'UPDATE' | 'CREATE';
  status: string;
  statusReason?: string;
}

export type AccountStateListener = (accountId: string, state: StackSetAccountState, reason?: string) => void;

/** The StackSet's instances per account, as last read; tells `onAccountState` only what changed. */
export class StackSetInstanceWatch {
  /** The last read's accounts (without the left-out one). */
  accounts: StackSetAccountView[] = [];
  /** How many instances the last read found in the left-out account. */
  leftOutInstances = 0;
  private readonly told = new Map<string, string>();

  constructor(
    private readonly context: CloudFormationContext,
    private readonly ref: StackSetRef,
    private readonly leaveOut: string,
    private readonly onAccountState?: AccountStateListener,
  ) {}

  async read(operationEnded: boolean): Promise<void> {
    const summaries = await listStackInstances(this.context, this.ref);
    const views: StackSetInstanceView[] = [];
    let leftOut = 0;
    for (const summary of summaries) {
      if (summary.Account === this.leaveOut) {
        leftOut++;
        continue;
      }
      views.push(instanceView(summary, operationEnded));
    }
    this.leftOutInstances = leftOut;
    this.accounts = accountViews(views);
    for (const account of this.accounts) {
      const key = `${account.state}\u0000${account.reason ?? ''}`;
      if (this.told.get(account.accountId) === key) continue;
      this.told.set(account.accountId, key);
      this.onAccountState?.(
        account.accountId,
        account.state,
        ...(account.reason === undefined ? [] : [account.reason]),
      );
    }
  }
}

/** Follows the operation to its end, reading the instances after every read of it; resolves with how it ended. */
export async function followStackSetOperation(
  context: CloudFormationContext,
  input: StackSetRef & {
    operationId: string;
    action: StackSetOperationSummary['action'];
    poll: PollPolicy;
    watch: StackSetInstanceWatch;
    onWait?: (status: string) => void;
  },
): Promise<StackSetOperationSummary> {
  const { operationId, action, watch } = input;
  const operation = await waitForStackSetOperation(context, {
    stackSetName: input.stackSetName,
    callAs: input.callAs,
    operationId,
    poll: input.poll,
    onRead: (_operation, ended) => watch.read(ended),
    ...(input.onWait === undefined ? {} : { onWait: input.onWait }),
  });
  return {
    operationId,
    action,
    status: operation?.Status ?? 'UNKNOWN',
    ...(operation?.StatusReason ? { statusReason: operation.StatusReason } : {}),
  };
}
