/**
 * What a StackSet instance's status means for the account it is in. Pure, so the mapping can be tested on
 * every status CloudFormation documents (moto only ever says CURRENT / SUCCEEDED).
 *
 * An instance has two statuses: `Status` (CURRENT, OUTDATED, INOPERABLE — is the stack in step with the
 * StackSet?) and `StackInstanceStatus.DetailedStatus` (PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED,
 * INOPERABLE, SKIPPED_SUSPENDED_ACCOUNT, FAILED_IMPORT — what the last operation did there). The detailed one is
 * preferred; `Status` is the fallback for responses without it.
 */
import type { StackInstanceSummary } from '@aws-sdk/client-cloudformation';

export type StackSetAccountState = 'deploying' | 'connected' | 'failed';

export interface StackSetInstanceView {
  accountId: string;
  region: string;
  state: StackSetAccountState;
  status: string | undefined;
  detailedStatus: string | undefined;
  reason: string | undefined;
  stackId: string | undefined;
  organizationalUnitId: string | undefined;
}

const DETAILED: Readonly<Record<string, StackSetAccountState>> = {
  PENDING: 'deploying',
  RUNNING: 'deploying',
  SUCCEEDED: 'connected',
  FAILED: 'failed',
  CANCELLED: 'failed',
  INOPERABLE: 'failed',
  SKIPPED_SUSPENDED_ACCOUNT: 'failed',
  FAILED_IMPORT: 'failed',
};

// Reasons for statuses that often come without a StatusReason.
const DEFAULT_REASONS: Readonly<Record<string, string>> = {
  CANCELLED:
    'cancelled: the operation was stopped, or the failure tolerance was exceeded in other accounts first',
  INOPERABLE: 'the stack instance is inoperable (a delete failed); it needs a person',
  SKIPPED_SUSPENDED_ACCOUNT: 'skipped: the account is suspended',
  FAILED_IMPORT: 'a stack import into the StackSet failed',
};

/**
 * One instance's state. `operationEnded` matters for the in-between statuses: an instance still PENDING or
 * OUTDATED after the operation ended was not (successfully) deployed by it.
 */
export function instanceView(summary: StackInstanceSummary, operationEnded: boolean): StackSetInstanceView {
  const detailedStatus = summary.StackInstanceStatus?.DetailedStatus;
  const status = summary.Status;
  let state: StackSetAccountState;
  if (detailedStatus !== undefined && DETAILED[detailedStatus] !== undefined) {
    state = DETAILED[detailedStatus];
  } else if (status === 'CURRENT') {
    state = 'connected';
  } else if (status === 'INOPERABLE') {
    state = 'failed';
  } else {
    state = 'deploying';
  }
  let reason = summary.StatusReason || (detailedStatus ? DEFAULT_REASONS[detailedStatus] : undefined);
  if (state === 'deploying' && operationEnded) {
    state = 'failed';
    reason ??= `not deployed: the operation ended with the instance ${detailedStatus ?? status ?? 'in an unknown state'}`;
  }
  if (status === 'INOPERABLE' && reason === undefined) reason = DEFAULT_REASONS['INOPERABLE'];
  return {
    accountId: summary.Account ?? '',
    region: summary.Region ?? '',
    state,
    status,
    detailedStatus,
    reason,
    stackId: summary.StackId,
    organizationalUnitId: summary.OrganizationalUnitId,
  };
}

export interface StackSetAccountView {
  accountId: string;
  state: StackSetAccountState;
  /** The first failing region's reason (prefixed with the region when there are several). */
  reason: string | undefined;
  instances: StackSetInstanceView[];
}

/**
 * One state per account over its regions: failed if any region failed, deploying while any region still
 * deploys, connected only when every region is. A role in one region is the role (IAM is global), but a failed
 * region means the StackSet is not in step there and the next update will touch it again.
 */
export function accountViews(instances: readonly StackSetInstanceView[]): StackSetAccountView[] {
  const byAccount = new Map<string, StackSetInstanceView[]>();
  for (const instance of instances) {
    byAccount.set(instance.accountId, [...(byAccount.get(instance.accountId) ?? []), instance]);
  }
  return [...byAccount.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([accountId, list]) => {
      const failed = list.find((instance) => instance.state === 'failed');
      const state: StackSetAccountState = failed
        ? 'failed'
        : list.some((instance) => instance.state === 'deploying')
          ? 'deploying'
          : 'connected';
      const source = failed ?? list.find((instance) => instance.reason !== undefined);
      const reason =
        source?.reason === undefined
          ? undefined
          : list.length > 1
            ? `${source.region}: ${source.reason}`
            : source.reason;
      return { accountId, state, reason, instances: list };
    });
}
