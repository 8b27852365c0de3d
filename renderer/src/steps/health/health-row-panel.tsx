import Box from '@cloudscape-design/components/box';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { DetailsSplitPanel } from '../../components/details-split-panel.js';
import { useWizard } from '../../store/wizard-store.js';
import { ConnectionTimeline } from './connection-timeline.js';
import { connectionKey } from '../../../../main/core/onboarding/connection-key.js';

const CHECK_STATUS: Record<string, { type: StatusIndicatorProps.Type; label: string }> = {
  pass: { type: 'success', label: 'Pass' },
  warn: { type: 'warning', label: 'Warning' },
  fail: { type: 'error', label: 'Fail' },
  unknown: { type: 'pending', label: 'Unknown' },
  skipped: { type: 'stopped', label: 'Skipped' },
};

/** Health's split panel: every check of one connection, with what it found and the fix, the role ARN, and its timeline. */
export function HealthRowPanel() {
  const row = useWizard((s) => s.health?.connections.find((r) => connectionKey(r) === s.focusedHealthRow));
  if (!row) return null;
  return (
    <DetailsSplitPanel header={`${row.accountName} (${row.accountId}): ${row.connectionName}`}>
      <SpaceBetween size="m">
        <KeyValuePairs
          columns={3}
          items={[
            {
              label: 'Role ARN',
              value: row.roleArn ? (
                <CopyToClipboard
                  variant="inline"
                  textToCopy={row.roleArn}
                  copyButtonAriaLabel="Copy the role ARN"
                  copySuccessText="Role ARN copied"
                  copyErrorText="Could not copy the role ARN"
                />
              ) : (
                '—'
              ),
            },
            { label: 'Stack', value: row.kind === 'billing' ? 'Billing' : 'Resource' },
            { label: 'Last checked', value: row.checkedAt ? new Date(row.checkedAt).toLocaleString() : '—' },
          ]}
        />
        <Table
          variant="embedded"
          wrapLines
          ariaLabels={{ tableLabel: 'Checks' }}
          trackBy="id"
          items={row.checks}
          columnDefinitions={[
            { id: 'id', header: 'Check', cell: (c) => c.id, width: 160 },
            {
              id: 'status',
              header: 'Result',
              width: 130,
              cell: (c) => {
                const status = CHECK_STATUS[c.status] ?? CHECK_STATUS['unknown']!;
                return (
                  <StatusIndicator wrapText={false} type={status.type}>
                    {status.label}
                  </StatusIndicator>
                );
              },
            },
            { id: 'summary', header: 'What it found', cell: (c) => c.summary },
            { id: 'fix', header: 'Fix', cell: (c) => (c.fix ? <Box>{c.fix}</Box> : '—') },
          ]}
        />
        <ConnectionTimeline
          accountId={row.accountId}
          kind={row.kind}
          title={`${row.accountName} (${row.accountId})`}
          checkedAt={row.checkedAt}
        />
      </SpaceBetween>
    </DetailsSplitPanel>
  );
}
