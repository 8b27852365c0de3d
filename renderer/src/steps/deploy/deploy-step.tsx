import { useMemo, useState } from 'react';
import { useCollection } from '@cloudscape-design/collection-hooks';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import { PAGE_SIZE, PAGINATION_LABELS } from '../../components/pagination-labels.js';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import Input from '@cloudscape-design/components/input';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { orgconnectApi } from '../../bridge/index.js';
import { ActionStatus, RegistrationStatus, StateStatus } from '../../components/action-status.js';
import {
  registrationSentence,
  summarizeRegistration,
} from '../../../../main/core/onboarding/registration-summary.js';
import { CellText } from '../../components/cell-text.js';
import { ProblemCell } from '../../components/problem-text.js';
import { completionSummary, rowCounts } from '../../store/run-summary.js';
import { getState, reportError, update, useWizard, workspaceUpdater } from '../../store/wizard-store.js';
import { rowsFromPlan, type DeployRow } from '../../store/wizard-state.js';
import { ConfirmDeploy } from './confirm-deploy.js';
import { planIsStale } from '../../store/plan-request.js';
import { connectionKey } from '../../../../main/core/onboarding/connection-key.js';

/** Billing first (the run deploys it first), then the members by name. */
function order(rows: DeployRow[]): DeployRow[] {
  return [...rows].sort(
    (a, b) =>
      (a.kind === 'billing' ? 0 : 1) - (b.kind === 'billing' ? 0 : 1) ||
      a.accountName.localeCompare(b.accountName),
  );
}

/** Step 5: the run, live from its events, with pause/resume/cancel and retry of failed accounts. */
export function DeployStep() {
  const planned = useWizard((s) => s.planned);
  const runId = useWizard((s) => s.runId);
  const runStatus = useWizard((s) => s.runStatus);
  const finishedStatus = useWizard((s) => s.finishedStatus);
  const manual = useWizard((s) => s.settings.access === 'manual');
  const counts = useWizard((s) => s.counts);
  const deploy = useWizard((s) => s.deploy);
  const settings = useWizard((s) => s.settings);
  const profile = useWizard((s) => s.profile);
  const health = useWizard((s) => s.health);
  const concurrency = settings.concurrency;
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const stale = useWizard(planIsStale);
  // The order is fixed by the plan (or, for a resumed run, by its accounts); sorting thousands of rows again on
  // every account update would cost a frame.
  const planRows = useMemo(() => (planned ? rowsFromPlan(planned) : undefined), [planned]);
  const accountCount = Object.keys(deploy).length;
  const rowOrder = useMemo(
    () => order(Object.values(planRows ?? getState().deploy)).map((row) => row.key),
    // A resumed run has no plan: its order is set once its rows arrive.
    [planRows, accountCount],
  );
  const rows = useMemo(
    () =>
      rowOrder
        .map((key) => deploy[key] ?? planRows?.[key])
        .filter((row): row is DeployRow => row !== undefined),
    [rowOrder, deploy, planRows],
  );
  const [eventsFor, setEventsFor] = useState('');
  const { items, paginationProps } = useCollection(rows, { pagination: { pageSize: PAGE_SIZE } });
  // The summary counts the rows themselves: the plan's skipped and blocked accounts are rows too.
  const shown = useMemo(() => rowCounts(rows), [rows]);

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(false);
    }
  };
  const api = orgconnectApi();
  const start = () =>
    act(async () => {
      setConfirming(false);
      if (!planned) return;
      const update = workspaceUpdater();
      update((s) => ({ ...s, deploy: rowsFromPlan(planned) }));
      const { runId: started } = await api.deploy.start({ planId: planned.planId, concurrency });
      update((s) => ({ ...s, runId: started, runStatus: s.runStatus ?? 'running' }));
      // Events may have arrived before the id did; the journal's state settles what was missed.
      const state = await api.runs.get({ runId: started });
      update((s) => {
        const next = { ...s.deploy };
        for (const account of state.accounts) {
          const key = connectionKey(account);
          const row = next[key];
          if (row && account.updatedAt && row.state === 'pending')
            next[key] = { ...row, state: account.state, attempt: account.attempt };
        }
        return { ...s, deploy: next, runStatus: state.status, counts: state.counts };
      });
    });

  const toDeploy = planned
    ? planned.plan.items.filter((i) => i.action === 'create' || i.action === 'update').length
    : 0;
  const total = shown.total;
  const done = shown.connected + shown.failed + shown.skipped + shown.cancelled;
  const finished = runStatus === 'finished';

  return (
    <SpaceBetween size="l">
      {confirming && planned ? (
        <ConfirmDeploy
          planned={planned}
          settings={settings}
          profile={profile}
          onConfirm={() => void start()}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
      <Container
        header={
          <Header
            variant="h2"
            description={
              runId
                ? `Run ${runId}`
                : stale
                  ? 'Planning again: the settings or the selection changed.'
                  : manual
                    ? `${toDeploy} verified roles to register; each is verified again first.`
                    : `${toDeploy} stacks to deploy; the Billing stack goes first.`
            }
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                {!runId ? (
                  <Button
                    variant="primary"
                    onClick={() => setConfirming(true)}
                    loading={busy}
                    disabled={!planned || toDeploy === 0 || stale}
                  >
                    {manual ? 'Verify and register' : 'Start deploy'}
                  </Button>
                ) : null}
                {runId && runStatus === 'running' ? (
                  <Button onClick={() => void act(() => api.deploy.pause({ runId }))} disabled={busy}>
                    Pause
                  </Button>
                ) : null}
                {runId && runStatus === 'paused' ? (
                  <Button onClick={() => void act(() => api.deploy.resume({ runId }))} disabled={busy}>
                    Resume
                  </Button>
                ) : null}
                {runId && (runStatus === 'running' || runStatus === 'paused') ? (
                  <Button onClick={() => void act(() => api.deploy.cancel({ runId }))} disabled={busy}>
                    Cancel
                  </Button>
                ) : null}
                {runId && finished && (counts?.failed ?? 0) > 0 ? (
                  <Button onClick={() => void act(() => api.deploy.retryFailed({ runId }))} disabled={busy}>
                    Retry failed
                  </Button>
                ) : null}
              </SpaceBetween>
            }
          >
            Run
          </Header>
        }
      >
        {runId ? (
          <ProgressBar
            label="Progress"
            value={total === 0 ? 0 : Math.round((done / total) * 100)}
            status={finished ? (shown.failed ? 'error' : 'success') : 'in-progress'}
            resultText={
              <>
                <span data-testid="run-result">
                  {finishedStatus === 'cancelled' ? 'Cancelled' : 'Finished'}:{' '}
                  {completionSummary(shown, health)}
                </span>{' '}
                <span data-testid="run-registration">
                  {registrationSentence(summarizeRegistration(rows))}
                </span>
              </>
            }
            additionalInfo={`${shown.connected} connected · ${shown.deploying} deploying · ${shown.pending} pending · ${shown.failed} failed · ${shown.skipped} skipped${runStatus === 'paused' ? ' · paused' : ''}`}
          />
        ) : (
          <Box>Nothing is deployed until you start.</Box>
        )}
      </Container>
      <Table
        variant="container"
        resizableColumns
        ariaLabels={{ tableLabel: 'Deploy progress' }}
        // Plain cells and one row handler: per-row controls would cost frames while thousands of rows update.
        onRowClick={({ detail }) => update((s) => ({ ...s, focusedRow: detail.item.key }))}
        trackBy="key"
        items={items}
        pagination={<Pagination {...paginationProps} ariaLabels={PAGINATION_LABELS} />}
        header={
          <Header
            variant="h2"
            counter={`(${rows.length})`}
            description="Click an account, or give its id here, to see its stack events and role ARN below."
            actions={
              <form
                onSubmit={(event) => {
                  event.preventDefault();
                  const wanted = eventsFor.trim();
                  const key = rowOrder.find((k) => k.startsWith(`${wanted}/`));
                  if (key) update((s) => ({ ...s, focusedRow: key }));
                }}
              >
                <SpaceBetween direction="horizontal" size="xs">
                  <Input
                    ariaLabel="Account id for stack events"
                    placeholder="Account id"
                    value={eventsFor}
                    onChange={({ detail }) => setEventsFor(detail.value)}
                  />
                  <Button formAction="submit">Show stack events</Button>
                </SpaceBetween>
              </form>
            }
          >
            Accounts
          </Header>
        }
        columnDefinitions={[
          {
            id: 'account',
            minWidth: 160,
            width: 260,
            header: 'Account',
            cell: (r) => <CellText>{`${r.accountName} (${r.accountId})`}</CellText>,
          },
          {
            id: 'kind',
            minWidth: 110,
            width: 110,
            header: 'Stack',
            cell: (r) => (r.kind === 'billing' ? 'Billing' : 'Resource'),
          },
          {
            id: 'action',
            minWidth: 120,
            width: 120,
            header: 'Plan',
            cell: (r) => <ActionStatus action={r.action} />,
          },
          {
            id: 'state',
            minWidth: 140,
            width: 140,
            header: 'State',
            cell: (r) => (
              <span data-testid={`state-${r.key}`}>
                <StateStatus state={r.state} />
              </span>
            ),
          },
          {
            id: 'platform',
            minWidth: 150,
            width: 150,
            header: 'Platform',
            cell: (r) =>
              r.state === 'connected' || r.state === 'registering' ? (
                <span data-testid={`platform-${r.key}`}>
                  <RegistrationStatus row={r} />
                </span>
              ) : (
                '—'
              ),
          },
          {
            id: 'detail',
            minWidth: 200,
            header: 'Detail',
            cell: (r) =>
              r.state === 'deploying' && r.progress ? (
                <CellText>{r.progress}</CellText>
              ) : (
                <ProblemCell code={r.code} reason={r.reason} />
              ),
          },
        ]}
      />
    </SpaceBetween>
  );
}
