import { useEffect, useMemo, useState } from 'react';
import { useCollection } from '@cloudscape-design/collection-hooks';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ButtonDropdown from '@cloudscape-design/components/button-dropdown';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import { PAGINATION_LABELS } from '../../components/pagination-labels.js';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import Toggle from '@cloudscape-design/components/toggle';
import type { HealthSummary } from '../../../../preload/contract.js';
import { orgconnectApi } from '../../bridge/index.js';
import { reportError, update, useWizard, workspaceUpdater } from '../../store/wizard-store.js';
import { downloadBase64 } from './download.js';
import { HealthStepExtras, useHealthFocus } from './health-step-extras.js';
import { askToNotify } from './health-notifications.js';

type Row = HealthSummary['connections'][number];
const NO_ROWS: Row[] = [];
/** Checks an emulator or some partitions cannot answer; skipping them is shown, never counted as a pass. */
const SKIPPABLE = ['stack-drift', 'regions-sts', 'cur'] as const;
const AUTO_CHECK_OPTIONS: SelectProps.Option[] = [
  { value: 'off', label: 'Check automatically: off' },
  { value: '5', label: 'Check every 5 minutes' },
  { value: '15', label: 'Check every 15 minutes' },
  { value: '60', label: 'Check every hour' },
];

function Overall({ overall }: { overall: Row['overall'] }) {
  if (overall === 'healthy') return <StatusIndicator type="success">Healthy</StatusIndicator>;
  if (overall === 'degraded') return <StatusIndicator type="warning">Degraded</StatusIndicator>;
  if (overall === 'unhealthy') return <StatusIndicator type="error">Unhealthy</StatusIndicator>;
  return <StatusIndicator type="pending">Unknown</StatusIndicator>;
}

/** Step 6: every connection's checks, the failing ones with their fixes, and the reports. */
export function HealthStep({ onStartOnboarding }: { onStartOnboarding?: () => void } = {}) {
  const profile = useWizard((s) => s.profile);
  const runId = useWizard((s) => s.runId);
  const health = useWizard((s) => s.health);
  const [checking, setChecking] = useState(false);
  const [skip, setSkip] = useState(true);
  const [problemsOnly, setProblemsOnly] = useState(false);
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
    pagination: { pageSize: 50 },
  });

  const checkNow = async () => {
    if (!profile) return;
    const update = workspaceUpdater();
    setChecking(true);
    try {
      const result = await orgconnectApi().health.check({
        profile,
        ...(runId ? { runId } : {}),
        ...(skip ? { skip: [...SKIPPABLE] } : {}),
      });
      update((s) => ({ ...s, health: result }));
    } catch (error) {
      reportError(error);
    } finally {
      setChecking(false);
    }
  };

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
      const file = await orgconnectApi().report.export({
        format,
        ...(runId ? { runId } : {}),
        // A fresh discovery, so the report lists every account of the Organization as it is now.
        ...(profile ? { profile } : {}),
      });
      downloadBase64(file.filename, file.mimeType, file.base64);
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
  const focus = useHealthFocus(rows);
  return (
    <HealthStepExtras health={health} focused={focus.row}>
      <Table
        {...collectionProps}
        selectionType="single"
        selectedItems={focus.row ? [focus.row] : []}
        onSelectionChange={({ detail }) => focus.select(detail.selectedItems[0])}
        variant="container"
        wrapLines
        ariaLabels={{
          tableLabel: 'Connection health',
          selectionGroupLabel: 'Connection whose timeline shows',
          itemSelectionLabel: (_selection, r) => `Show the timeline of ${r.accountName} ${r.kind}`,
        }}
        trackBy={(r) => `${r.accountId}/${r.kind}`}
        items={items}
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
                ? `Skipped (shown as skipped, not passed): ${SKIPPABLE.join(', ')}.`
                : 'Every check runs, including drift, Regions and CUR.'
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
              filteringPlaceholder="Find by account or connection"
              countText={`${filteredItemsCount ?? 0} matches`}
            />
            <Toggle checked={problemsOnly} onChange={({ detail }) => setProblemsOnly(detail.checked)}>
              Problems only
            </Toggle>
            <Toggle checked={skip} onChange={({ detail }) => setSkip(detail.checked)}>
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
            minWidth: 240,
            width: 240,
            header: 'Account',
            cell: (r) => `${r.accountName} (${r.accountId})`,
            sortingField: 'accountName',
          },
          {
            id: 'connection',
            minWidth: 160,
            width: 160,
            header: 'Connection',
            cell: (r) => r.connectionName,
          },
          {
            id: 'kind',
            minWidth: 110,
            width: 110,
            header: 'Stack',
            cell: (r) => (r.kind === 'billing' ? 'Billing' : 'Resource'),
          },
          {
            id: 'overall',
            minWidth: 130,
            width: 130,
            header: 'Health',
            cell: (r) => <Overall overall={r.overall} />,
            sortingField: 'overall',
          },
          {
            id: 'platform',
            minWidth: 130,
            width: 130,
            header: 'Platform',
            cell: (r) => <PlatformCell checks={r.checks} />,
          },
          {
            id: 'problems',
            header: 'Failing checks',
            cell: (r) => {
              const failing = r.checks.filter(
                (c) => c.status === 'fail' || c.status === 'warn' || c.status === 'unknown',
              );
              if (failing.length === 0) {
                const skipped = r.checks.filter((c) => c.status === 'skipped').length;
                return `${r.checks.length - skipped} passed${skipped ? `, ${skipped} skipped` : ''}`;
              }
              return (
                <SpaceBetween size="xxs">
                  {failing.map((c) => (
                    <Box key={c.id} variant="small">
                      <StatusIndicator type={c.status === 'fail' ? 'error' : 'warning'}>
                        {c.id}
                      </StatusIndicator>{' '}
                      {c.summary}
                      {c.fix ? ` Fix: ${c.fix}` : ''}
                    </Box>
                  ))}
                </SpaceBetween>
              );
            },
          },
          {
            id: 'checked',
            minWidth: 120,
            width: 120,
            header: 'Checked',
            cell: (r) => (r.checkedAt ? new Date(r.checkedAt).toLocaleTimeString() : '—'),
          },
        ]}
      />
    </HealthStepExtras>
  );
}

/** The platform-registration check as a status: registered, refused, or never registered. */
function PlatformCell({ checks }: { checks: readonly { id: string; status: string; summary: string }[] }) {
  const check = checks.find((c) => c.id === 'platform-registration');
  if (check === undefined) return <>—</>;
  if (check.status === 'pass') return <StatusIndicator type="success">Registered</StatusIndicator>;
  if (check.status === 'fail') return <StatusIndicator type="error">Refused</StatusIndicator>;
  if (check.status === 'warn') return <StatusIndicator type="warning">Not registered</StatusIndicator>;
  return <StatusIndicator type="stopped">{check.status}</StatusIndicator>;
}
