/**
 * Coverage at a glance above the Health table: how much of the Organization is connected, and banners for what
 * needs doing — new accounts not connected ("Connect them" opens Choose accounts with those selected) and
 * connections whose account closed or left, and connections on an older template ("Update" opens Choose accounts
 * with those selected; Review then plans them as updates).
 */
import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { Coverage } from '../../../../preload/contract.js';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function CoverageBanner({
  coverage,
  onConnect,
  olderTemplate = [],
  onUpdate,
}: {
  coverage: Coverage;
  onConnect?: (accountIds: string[]) => void;
  /** Connections deployed with an older version of the platform's permissions. */
  olderTemplate?: readonly { accountId: string; accountName: string }[];
  onUpdate?: (accountIds: string[]) => void;
}) {
  const { summary } = coverage;
  const fresh = coverage.accounts.filter((a) => a.status === 'not-connected' && a.isNew);
  const older = summary.counts['not-connected'] - fresh.length;
  const gone = coverage.accounts.filter(
    (a) => a.status === 'connected-account-closed' || a.status === 'connected-account-left',
  );
  const share = summary.share === null ? 'not known' : `${(summary.share * 100).toFixed(1)}%`;
  return (
    <SpaceBetween size="s">
      <Alert
        type={summary.share === 1 ? 'success' : 'info'}
        header={`Coverage: ${share} of active accounts connected`}
      >
        {`${summary.connectedActive} of ${summary.activeAccounts} active accounts in ${coverage.organizationId} are connected`}
        {older > 0 ? `; ${plural(older, 'other account is', 'other accounts are')} not connected` : ''}
        {summary.counts['not-connectable'] > 0
          ? `; ${plural(summary.counts['not-connectable'], 'account is', 'accounts are')} suspended or closed`
          : ''}
        .
      </Alert>
      {fresh.length > 0 ? (
        <Alert
          type="warning"
          header={`${plural(fresh.length, 'new account is', 'new accounts are')} not connected`}
          action={
            onConnect ? (
              <Button onClick={() => onConnect(fresh.map((a) => a.accountId))}>Connect them</Button>
            ) : undefined
          }
        >
          {`Joined since the last deploy: ${fresh.map((a) => `${a.accountName} (${a.accountId})`).join(', ')}.`}
        </Alert>
      ) : null}
      {gone.length > 0 ? (
        <Alert
          type="warning"
          header={`${plural(gone.length, 'connection is', 'connections are')} for an account that closed or left`}
        >
          {`${gone.map((a) => `${a.accountName} (${a.accountId})`).join(', ')}. ${gone[0]?.fix ?? ''}`}
        </Alert>
      ) : null}
      {olderTemplate.length > 0 ? (
        <Alert
          type="info"
          header={`${plural(olderTemplate.length, 'connection uses', 'connections use')} an older template`}
          action={
            onUpdate ? (
              <Button onClick={() => onUpdate([...new Set(olderTemplate.map((c) => c.accountId))])}>
                Update
              </Button>
            ) : undefined
          }
        >
          {`The platform's permissions changed since ${olderTemplate.map((c) => `${c.accountName} (${c.accountId})`).join(', ')} ${olderTemplate.length === 1 ? 'was' : 'were'} deployed.`}
        </Alert>
      ) : null}
    </SpaceBetween>
  );
}
