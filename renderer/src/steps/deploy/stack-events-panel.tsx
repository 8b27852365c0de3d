import Box from '@cloudscape-design/components/box';
import SpaceBetween from '@cloudscape-design/components/space-between';
import SplitPanel from '@cloudscape-design/components/split-panel';
import { ProblemText } from '../../components/problem-text.js';
import { StateStatus } from '../../components/action-status.js';
import { useStackEvents } from '../../store/stack-events.js';
import { useWizard } from '../../store/wizard-store.js';

/** The side panel of the Deploy step: one account's stack, step by step, newest first. */
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
        <SpaceBetween size="s">
          <Box>
            {row.kind === 'billing' ? 'Billing' : 'Resource'} stack · <StateStatus state={row.state} />
          </Box>
          <ProblemText code={row.code} reason={row.reason} fix={row.fix} />
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
