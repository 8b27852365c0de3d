import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { ActionStatus } from '../../components/action-status.js';
import { DetailsSplitPanel } from '../../components/details-split-panel.js';
import { ProblemText } from '../../components/problem-text.js';
import { useWizard } from '../../store/wizard-store.js';
import { connectionKey } from '../../../../main/core/onboarding/connection-key.js';

/** Review's split panel: one plan item, its reason and fix in full. */
export function PlanItemPanel() {
  const item = useWizard((s) =>
    s.planned?.plan.items.find((candidate) => connectionKey(candidate) === s.focusedPlanItem),
  );
  if (!item) return null;
  return (
    <DetailsSplitPanel header={`${item.accountName} (${item.accountId})`}>
      <SpaceBetween size="m">
        <KeyValuePairs
          columns={4}
          items={[
            { label: 'Action', value: <ActionStatus action={item.action} /> },
            {
              label: 'Stack',
              value: `${item.kind === 'billing' ? 'Billing' : 'Resource'}: ${item.stackName}`,
            },
            { label: 'Connection name', value: item.connectionName },
            { label: 'OU', value: item.ouPath },
          ]}
        />
        <ProblemText code={item.code} reason={item.reason} fix={item.fix} />
      </SpaceBetween>
    </DetailsSplitPanel>
  );
}
