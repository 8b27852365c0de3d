import Box from '@cloudscape-design/components/box';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import SplitPanel from '@cloudscape-design/components/split-panel';
import { ProblemText } from '../../components/problem-text.js';
import { ActionStatus, StateStatus } from '../../components/action-status.js';
import { useStackEvents } from '../../store/stack-events.js';
import { useWizard } from '../../store/wizard-store.js';

/** The split panel of the Deploy step: one account's stack, its problem and role ARN, its events newest first. */
export function StackEventsPanel() {
  const key = useWizard((s) => s.focusedRow);
  const row = useWizard((s) => (s.focusedRow ? s.deploy[s.focusedRow] : undefined));
  const lines = useStackEvents(key);
  return (
    <SplitPanel
      header={row ? `Stack events: ${row.accountName} (${row.accountId})` : 'Stack events'}
      hidePreferencesButton
      closeBehavior="hide"
      i18nStrings={{
        closeButtonAriaLabel: 'Close stack events',
        openButtonAriaLabel: 'Open stack events',
        resizeHandleAriaLabel: 'Resize stack events',
      }}
    >
      {row && key ? (
        <SpaceBetween size="m">
          <KeyValuePairs
            columns={4}
            items={[
              { label: 'Stack', value: row.kind === 'billing' ? 'Billing' : 'Resource' },
              { label: 'Plan', value: <ActionStatus action={row.action} /> },
              { label: 'State', value: <StateStatus state={row.state} /> },
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
            ]}
          />
          {row.code || row.reason || row.fix ? (
            <ProblemText code={row.code} reason={row.reason} fix={row.fix} />
          ) : null}
          <ol aria-label="Stack events, newest first" className="stack-events">
            {[...(lines ?? [])].reverse().map((line, i) => (
              <li key={`${line.at}-${i}`}>
                <Box variant="small" color="text-body-secondary">
                  {new Date(line.at).toLocaleTimeString()}
                </Box>{' '}
                <span>{line.text}</span>
              </li>
            ))}
          </ol>
          {(lines ?? []).length === 0 ? <Box color="text-body-secondary">No events yet.</Box> : null}
        </SpaceBetween>
      ) : (
        <Box color="text-body-secondary">Select an account in the table to see its stack events.</Box>
      )}
    </SplitPanel>
  );
}
