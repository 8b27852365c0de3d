/**
 * Health → Disconnect…: pick connections, review the host's plan (per account: delete, deregister, skip or
 * blocked, with the reason), type "disconnect" to confirm, then watch the run's progress and read its result.
 * The plan is the host's (`disconnect.plan`); `disconnect.start` runs only that plan, once.
 */
import { useEffect, useRef, useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import Multiselect, { type MultiselectProps } from '@cloudscape-design/components/multiselect';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import type { HealthSummary, ResponseOf } from '../../../../preload/contract.js';
import type { RunEvent } from '../../../../main/core/onboarding/run-events.js';
import { orgconnectApi } from '../../bridge/index.js';
import { useWizard } from '../../store/wizard-store.js';
import { disconnectMessage, tallyDisconnect } from '../../../../main/core/onboarding/disconnect-summary.js';
import { connectionKey } from '../../../../main/core/onboarding/connection-key.js';

type Row = HealthSummary['connections'][number];
type Planned = ResponseOf<'disconnect.plan'>;
type PlanItem = Planned['plan']['items'][number];

/** What the user types to confirm: deleting roles the platform reads through is not undone by a click. */
export const CONFIRMATION_WORD = 'disconnect';

const ACTION_LABELS: Record<
  PlanItem['action'],
  { type: 'error' | 'warning' | 'info' | 'stopped'; text: string }
> = {
  delete: { type: 'warning', text: 'Delete stack and deregister' },
  deregister: { type: 'info', text: 'Deregister only' },
  skip: { type: 'stopped', text: 'Skip' },
  blocked: { type: 'error', text: 'Blocked' },
};

function accountOptions(rows: readonly Row[]): MultiselectProps.Option[] {
  const seen = new Map<string, Row>();
  for (const row of rows) if (!seen.has(row.accountId)) seen.set(row.accountId, row);
  return [...seen.values()].map((row) => ({
    value: row.accountId,
    label: row.accountName,
    description: `${row.accountId} · ${row.kind === 'billing' ? 'Billing' : 'Resource'}`,
  }));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function DisconnectModal({
  rows,
  onDismiss,
  onFinished,
}: {
  rows: readonly Row[];
  onDismiss: () => void;
  /** The run ended: Health reads the connections again. */
  onFinished: () => void;
}) {
  const profile = useWizard((s) => s.profile);
  const wizardExternalId = useWizard((s) => s.settings.externalId);
  const [externalId, setExternalId] = useState(wizardExternalId);
  const [chosen, setChosen] = useState<readonly MultiselectProps.Option[]>([]);
  const [planned, setPlanned] = useState<Planned | undefined>();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const [runId, setRunId] = useState<string | undefined>();
  const [events, setEvents] = useState<RunEvent[]>([]);
  /** Run events arrive before disconnect.start answers; they are kept by run id until the id is known. */
  const buffered = useRef(new Map<string, RunEvent[]>());
  const finishedReported = useRef(false);

  useEffect(
    () =>
      orgconnectApi().onEvent((event) => {
        if (event.type === 'run-event') {
          const list = buffered.current.get(event.runId) ?? [];
          list.push(event.event);
          buffered.current.set(event.runId, list);
          setEvents((current) => (runIdRef.current === event.runId ? [...list] : current));
        } else if (event.type === 'run-error' && runIdRef.current === event.runId) {
          setFailure(event.error.message);
        }
      }),
    [],
  );
  const runIdRef = useRef<string | undefined>(undefined);

  const acting = planned ? planned.plan.counts.delete + planned.plan.counts.deregister : 0;
  const tally = tallyDisconnect(events, acting);
  useEffect(() => {
    if (tally.finished && !finishedReported.current) {
      finishedReported.current = true;
      onFinished();
    }
  }, [tally.finished, onFinished]);

  const review = async () => {
    if (!profile) return;
    setBusy(true);
    setFailure(undefined);
    try {
      setPlanned(
        await orgconnectApi().disconnect.plan({
          profile,
          externalId,
          select: chosen.map((option) => option.value ?? ''),
        }),
      );
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async () => {
    if (!planned) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const started = await orgconnectApi().disconnect.start({ planId: planned.planId });
      runIdRef.current = started.runId;
      setRunId(started.runId);
      setEvents([...(buffered.current.get(started.runId) ?? [])]);
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  const stage = runId ? 'run' : planned ? 'review' : 'choose';
  const footer = (
    <Box float="right">
      <SpaceBetween direction="horizontal" size="xs">
        <Button variant="link" onClick={onDismiss}>
          {stage === 'run' ? 'Close' : 'Cancel'}
        </Button>
        {stage === 'choose' ? (
          <Button
            variant="primary"
            loading={busy}
            disabled={chosen.length === 0 || externalId === '' || !profile}
            onClick={() => void review()}
          >
            Review
          </Button>
        ) : null}
        {stage === 'review' ? (
          <Button
            variant="primary"
            loading={busy}
            disabled={typed !== CONFIRMATION_WORD || acting === 0}
            onClick={() => void confirm()}
          >
            Disconnect
          </Button>
        ) : null}
      </SpaceBetween>
    </Box>
  );

  return (
    <Modal
      visible
      size="large"
      header="Disconnect connections"
      closeAriaLabel="Close the dialog"
      onDismiss={onDismiss}
      footer={footer}
    >
      <SpaceBetween size="m">
        {failure !== undefined ? <Alert type="error">{failure}</Alert> : null}
        {stage === 'choose' ? (
          <>
            <FormField
              label="Connections to disconnect"
              description="Their orgconnect stacks (and roles) are deleted and the platform is told they are gone."
            >
              <Multiselect
                ariaLabel="Connections to disconnect"
                selectedOptions={chosen}
                options={accountOptions(rows)}
                filteringType="auto"
                placeholder="Choose accounts"
                onChange={({ detail }) => setChosen(detail.selectedOptions)}
              />
            </FormField>
            {wizardExternalId === '' ? (
              <FormField
                label="External ID"
                description="The External ID these accounts were connected with."
              >
                <Input
                  ariaLabel="External ID"
                  type="password"
                  value={externalId}
                  onChange={({ detail }) => setExternalId(detail.value.trim())}
                />
              </FormField>
            ) : null}
          </>
        ) : null}
        {stage === 'review' && planned ? (
          <>
            <Table
              variant="embedded"
              ariaLabels={{ tableLabel: 'Disconnect plan' }}
              items={planned.plan.items}
              trackBy={connectionKey}
              columnDefinitions={[
                {
                  id: 'account',
                  header: 'Account',
                  cell: (item) => `${item.accountName} (${item.accountId})`,
                },
                { id: 'stack', header: 'Stack', cell: (item) => item.stackName },
                {
                  id: 'action',
                  header: 'Action',
                  cell: (item) => (
                    <StatusIndicator type={ACTION_LABELS[item.action].type}>
                      {ACTION_LABELS[item.action].text}
                    </StatusIndicator>
                  ),
                },
                { id: 'reason', header: 'Why', cell: (item) => item.reason ?? '' },
              ]}
            />
            <Box>
              {`${planned.plan.counts.delete} to delete, ${planned.plan.counts.deregister} to deregister only, ` +
                `${planned.plan.counts.skip} skipped, ${planned.plan.counts.blocked} blocked`}
            </Box>
            {acting > 0 ? (
              <FormField label={`Type "${CONFIRMATION_WORD}" to confirm`}>
                <Input
                  ariaLabel="Confirmation"
                  value={typed}
                  placeholder={CONFIRMATION_WORD}
                  onChange={({ detail }) => setTyped(detail.value)}
                />
              </FormField>
            ) : (
              <Alert type="info">
                Nothing to disconnect: no chosen account has an orgconnect connection.
              </Alert>
            )}
          </>
        ) : null}
        {stage === 'run' ? (
          tally.finished ? (
            <Alert type={tally.failed > 0 ? 'warning' : 'success'} header="Disconnect finished">
              {disconnectMessage(tally)}
            </Alert>
          ) : (
            <ProgressBar
              label="Disconnecting"
              value={acting > 0 ? ((tally.disconnected + tally.failed) / acting) * 100 : 0}
              description={`${tally.disconnected} disconnected, ${tally.failed} failed of ${acting}`}
            />
          )
        ) : null}
      </SpaceBetween>
    </Modal>
  );
}
