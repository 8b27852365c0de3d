import { useEffect, useMemo, useState } from 'react';
import { useCollection } from '@cloudscape-design/collection-hooks';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import { PAGE_SIZE, PAGINATION_LABELS } from '../../components/pagination-labels.js';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import Spinner from '@cloudscape-design/components/spinner';
import { CellText } from '../../components/cell-text.js';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import Toggle from '@cloudscape-design/components/toggle';
import type { HealthSummary } from '../../../../preload/contract.js';
import { orgconnectApi } from '../../bridge/index.js';
import { reportError, update, useWizard, workspaceUpdater } from '../../store/wizard-store.js';
import { saveReport } from './save-report.js';
import { HealthStepExtras } from './health-step-extras.js';
import { DisconnectModal } from './disconnect-modal.js';
import { askToNotify } from './health-notifications.js';
import { checksPhrase, rememberSkipPreference, skipPreference, SKIPPABLE } from './health-skip-preference.js';
import { connectionKey } from '../../../../main/core/onboarding/connection-key.js';

type Row = HealthSummary['connections'][number];
const NO_ROWS: Row[] = [];
const AUTO_CHECK_OPTIONS: SelectProps.Option[] = [
  { value: 'off', label: 'Check automatically: off' },
  { value: '5', label: 'Check every 5 minutes' },
  { value: '15', label: 'Check every 15 minutes' },
  { value: '60', label: 'Check every hour' },
];

function Overall({ overall }: { overall: Row['overall'] }) {
  if (overall === 'healthy')
    return (
      <StatusIndicator wrapText={false} type="success">
        Healthy
      </StatusIndicator>
    );
  if (overall === 'degraded')
    return (
      <StatusIndicator wrapText={false} type="warning">
        Degraded
      </StatusIndicator>
    );
  if (overall === 'unhealthy')
    return (
      <StatusIndicator wrapText={false} type="error">
        Unhealthy
      </StatusIndicator>
    );
  return (
    <StatusIndicator wrapText={false} type="pending">
      Unknown
    </StatusIndicator>
  );
}

/** Step 6: every connection's checks, the failing ones with their fixes, and the reports. */
export function HealthStep({ onStartOnboarding }: { onStartOnboarding?: () => void } = {}) {
  const profile = useWizard((s) => s.profile);
  const runId = useWizard((s) => s.runId);
  const health = useWizard((s) => s.health);
  const focused = useWizard((s) => s.focusedHealthRow);
  const [checking, setChecking] = useState(false);
  /** When the current check started and how many rows it is expected to answer (the table's size before it). */
  const [round, setRound] = useState<{ startedAt: string; expected: number } | undefined>();
  const [skip, setSkip] = useState(() => skipPreference(profile));
  useEffect(() => setSkip(skipPreference(profile)), [profile]);
  const [problemsOnly, setProblemsOnly] = useState(false);
  const [disconnecting, setDisconnecting] = useState(false);
  const rows = useMemo(() => {
    const all = health?.connections ?? NO_ROWS;
    return problemsOnly ? all.filter((r) => r.overall !== 'healthy') : all;
  }, [health, problemsOnly]);
  const { items, collectionProps, filterProps, paginationProps, filteredItemsCount } = useCollection(rows, {
    filtering: {
      filteringFunction: (item, text) =>
        [item.accountId, item.accountName, item.connectionName, item.overall].some((v) =>
          v.toLowerCase().includes(text.toLowerCase()),
        ),
      empty: (
        <Box textAlign="center">
          {health ? 'No connections with problems' : 'Not checked yet: choose "Check now"'}
        </Box>
      ),
    },
    sorting: {},
    pagination: { pageSize: PAGE_SIZE },
  });

  /** everyRun: every run's connections, not only the wizard's run (after a disconnect run removed some). */
  const checkNow = async ({ everyRun = false }: { everyRun?: boolean } = {}) => {
    if (!profile) return;
    const update = workspaceUpdater();
    setChecking(true);
    setRound({ startedAt: new Date().toISOString(), expected: health?.connections.length ?? 0 });
    try {
      const result = await orgconnectApi().health.check({
        profile,
        ...(runId && !everyRun ? { runId } : {}),
        ...(skip ? { skip: [...SKIPPABLE] } : {}),
      });
      update((s) => ({ ...s, health: result }));
    } catch (error) {
      reportError(error);
    } finally {
      setChecking(false);
      setRound(undefined);
    }
  };

  const checkedThisRound = round
    ? (health?.connections ?? NO_ROWS).filter((r) => r.checkedAt !== null && r.checkedAt >= round.startedAt)
        .length
    : 0;
  const beingChecked = (row: Row): boolean =>
    round !== undefined && (row.checkedAt === null || row.checkedAt < round.startedAt);

  const everyMinutes = useWizard((s) => s.healthEveryMinutes ?? null);
  const autoCheck = async (minutes: number | null) => {
    if (!profile) return;
    const update = workspaceUpdater();
    if (minutes !== null) void askToNotify();
    try {
      await orgconnectApi().health.watch({
        profile,
        ...(minutes === null ? {} : { everyMinutes: minutes }),
        ...(runId ? { runId } : {}),
        ...(skip ? { skip: [...SKIPPABLE] } : {}),
      });
      // Results arrive as health-checked events; the table updates row by row.
      update((s) => ({ ...s, healthEveryMinutes: minutes }));
    } catch (error) {
      reportError(error);
    }
  };

  const exportReport = async (format: 'csv' | 'json' | 'xlsx') => {
    try {
      await saveReport({
        format,
        ...(runId ? { runId } : {}),
        // A fresh discovery, so the report lists every account of the Organization as it is now.
        ...(profile ? { profile } : {}),
      });
    } catch (error) {
      reportError(error);
    }
  };

  const checkOnOpen = useWizard((s) => s.checkHealthOnOpen === true);
  useEffect(() => {
    if (!checkOnOpen || !profile) return;
    update((s) => ({ ...s, checkHealthOnOpen: false }));
    void checkNow();
    // checkNow reads the current state; running it once on open is the point.
  }, [checkOnOpen, profile]);

  const summary = health?.summary;
  return (
    <HealthStepExtras health={health}>
      <SpaceBetween size="m">
        {disconnecting ? (
          <DisconnectModal
            rows={health?.connections ?? NO_ROWS}
            onDismiss={() => setDisconnecting(false)}
            onFinished={() => {
              // The deploy run no longer tells what is connected: Health reads every run from now on.
              update(({ runId: _run, ...rest }) => rest);
              void checkNow({ everyRun: true });
            }}
          />
        ) : null}
        {checking ? (
          <ProgressBar
            label="Checking the connections"
            value={round && round.expected > 0 ? Math.min(100, (checkedThisRound / round.expected) * 100) : 0}
            description={
              round && round.expected > 0
                ? `${checkedThisRound} of ${round.expected} checked`
                : `${checkedThisRound} checked`
            }
          />
        ) : null}
        <Table
          {...collectionProps}
          variant="container"
          resizableColumns
          ariaLabels={{
            tableLabel: 'Connection health',
            selectionGroupLabel: 'Connections',
            itemSelectionLabel: (_s, r) => `Show the checks of ${r.accountName} (${r.accountId})`,
          }}
          trackBy={connectionKey}
          items={items}
          selectionType="single"
          selectedItems={(health?.connections ?? NO_ROWS).filter((r) => connectionKey(r) === focused)}
          onSelectionChange={({ detail }) => {
            const chosen = detail.selectedItems[0];
            update((s) => ({ ...s, focusedHealthRow: chosen ? connectionKey(chosen) : undefined }));
          }}
          onRowClick={({ detail }) => update((s) => ({ ...s, focusedHealthRow: connectionKey(detail.item) }))}
          pagination={<Pagination {...paginationProps} ariaLabels={PAGINATION_LABELS} />}
          // Rows already shown stay while a check runs: changed ones are replaced as their results arrive.
          loading={checking && (health?.connections.length ?? 0) === 0}
          loadingText="Checking every connection"
          header={
            <Header
              variant="h2"
              counter={summary ? `(${summary.healthy}/${summary.total} healthy)` : undefined}
              description={
                skip
                  ? `Skipped (shown as skipped, not passed): ${SKIPPABLE.join(', ')}. Select a row to see its checks.`
                  : 'Every check runs. Select a row to see its checks and fixes below.'
              }
              actions={
                <SpaceBetween direction="horizontal" size="xs">
                  {onStartOnboarding ? (
                    <Button onClick={onStartOnboarding}>Connect more accounts</Button>
                  ) : null}
                  <Button
                    variant="primary"
                    onClick={() => void checkNow()}
                    // Rows already shown stay while a check runs: changed ones are replaced as their results arrive.
                    loading={checking && (health?.connections.length ?? 0) === 0}
                    disabled={!profile}
                  >
                    Check now
                  </Button>
                  <Button
                    onClick={() => setDisconnecting(true)}
                    disabled={!profile || (health?.connections.length ?? 0) === 0}
                  >
                    Disconnect…
                  </Button>
                  <ButtonDropdown
                    ariaLabel="Export report"
                    items={[
                      { id: 'csv', text: 'CSV' },
                      { id: 'json', text: 'JSON' },
                      { id: 'xlsx', text: 'Excel (XLSX)' },
                    ]}
                    onItemClick={({ detail }) => void exportReport(detail.id as 'csv' | 'json' | 'xlsx')}
                  >
                    Export
                  </ButtonDropdown>
                </SpaceBetween>
              }
            >
              Connections
            </Header>
          }
          filter={
            <SpaceBetween direction="horizontal" size="l" alignItems="center">
              <TextFilter
                {...filterProps}
                filteringAriaLabel="Filter connections"
                filteringClearAriaLabel="Clear the filter"
                filteringPlaceholder="Find by account or connection"
                countText={`${filteredItemsCount ?? 0} matches`}
              />
              <Toggle checked={problemsOnly} onChange={({ detail }) => setProblemsOnly(detail.checked)}>
                Problems only
              </Toggle>
              <Toggle
                checked={skip}
                onChange={({ detail }) => {
                  setSkip(detail.checked);
                  rememberSkipPreference(profile, detail.checked);
                }}
              >
                Skip drift, Regions and CUR checks
              </Toggle>
              <Select
                ariaLabel="Automatic checks"
                disabled={!profile}
                options={AUTO_CHECK_OPTIONS}
                selectedOption={
                  AUTO_CHECK_OPTIONS.find((o) => o.value === String(everyMinutes ?? 'off')) ??
                  AUTO_CHECK_OPTIONS[0]!
                }
                onChange={({ detail }) => {
                  const value = detail.selectedOption.value;
                  void autoCheck(value === undefined || value === 'off' ? null : Number(value));
                }}
              />
            </SpaceBetween>
          }
          columnDefinitions={[
            {
              id: 'account',
              minWidth: 150,
              width: 220,
              header: 'Account',
              cell: (r) => <CellText>{`${r.accountName} (${r.accountId})`}</CellText>,
              sortingField: 'accountName',
            },
            {
              id: 'connection',
              minWidth: 110,
              width: 160,
              header: 'Connection',
              cell: (r) => <CellText>{r.connectionName}</CellText>,
            },
            {
              id: 'kind',
              minWidth: 80,
              width: 100,
              header: 'Stack',
              cell: (r) => (r.kind === 'billing' ? 'Billing' : 'Resource'),
            },
            {
              id: 'overall',
              minWidth: 110,
              width: 120,
              header: 'Health',
              cell: (r) => <Overall overall={r.overall} />,
              sortingField: 'overall',
            },
            {
              id: 'platform',
              minWidth: 110,
              width: 130,
              header: 'Platform',
              cell: (r) => <PlatformCell checks={r.checks} />,
            },
            {
              id: 'problems',
              minWidth: 130,
              width: 170,
              header: 'Checks',
              cell: (r) => <CellText>{checksPhrase(r.checks)}</CellText>,
            },
            {
              id: 'checked',
              minWidth: 110,
              header: 'Last checked',
              cell: (r) =>
                beingChecked(r) ? (
                  <span>
                    <Spinner /> Checking
                  </span>
                ) : r.checkedAt ? (
                  new Date(r.checkedAt).toLocaleTimeString()
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </SpaceBetween>
    </HealthStepExtras>
  );
}

/** The platform-registration check as a status: registered, refused, or never registered. */
function PlatformCell({ checks }: { checks: readonly { id: string; status: string; summary: string }[] }) {
  const check = checks.find((c) => c.id === 'platform-registration');
  if (check === undefined) return <>—</>;
  if (check.status === 'pass')
    return (
      <StatusIndicator wrapText={false} type="success">
        Registered
      </StatusIndicator>
    );
  if (check.status === 'fail')
    return (
      <StatusIndicator wrapText={false} type="error">
        Refused
      </StatusIndicator>
    );
  if (check.status === 'warn')
    return (
      <StatusIndicator wrapText={false} type="warning">
        Not registered
      </StatusIndicator>
    );
  return (
    <StatusIndicator wrapText={false} type="stopped">
      {check.status}
    </StatusIndicator>
  );
}
