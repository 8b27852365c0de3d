import { useEffect, useState } from 'react';
import { useCollection } from '@cloudscape-design/collection-hooks';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Pagination from '@cloudscape-design/components/pagination';
import Spinner from '@cloudscape-design/components/spinner';
import Table from '@cloudscape-design/components/table';
import Tabs from '@cloudscape-design/components/tabs';
import TextFilter from '@cloudscape-design/components/text-filter';
import { orgconnectApi } from '../../bridge/index.js';
import type { ResponseOf } from '../../../../preload/contract.js';
import { ActionStatus } from '../../components/action-status.js';
import { CellText } from '../../components/cell-text.js';
import { PAGE_SIZE, PAGINATION_LABELS } from '../../components/pagination-labels.js';
import { ProblemCell } from '../../components/problem-text.js';
import { reportError, update, useWizard } from '../../store/wizard-store.js';
import type { Planned } from '../../store/wizard-state.js';
import { planIsStale, planRequestKey } from '../../store/plan-request.js';
import { createPlan } from '../../store/create-plan.js';
import { connectionKey } from '../../../../main/core/onboarding/connection-key.js';

type PlanItem = Planned['plan']['items'][number];
const NO_ITEMS: PlanItem[] = [];

/** Step 4: the plan per account (create/update/skip/blocked with reasons) and the templates that will deploy. */
export function ReviewStep() {
  const stale = useWizard(planIsStale);
  const current = useWizard((s) => s.planned);
  // A plan of earlier choices is never shown: the app is planning again.
  const planned = stale ? undefined : current;
  const activity = useWizard((s) => s.activity);
  const planFailed = useWizard((s) => s.planFailedKey !== undefined && s.planFailedKey === planRequestKey(s));
  const curBucket = useWizard((s) => s.settings.costAndUsageReportBucket);
  const focused = useWizard((s) => s.focusedPlanItem);
  const manual = useWizard((s) => s.settings.access === 'manual');
  const { items, collectionProps, filterProps, filteredItemsCount, paginationProps } = useCollection(
    planned?.plan.items ?? NO_ITEMS,
    {
      filtering: {
        filteringFunction: (item, text) =>
          [item.accountId, item.accountName, item.action, item.code ?? '', item.ouPath].some((v) =>
            v.toLowerCase().includes(text.toLowerCase()),
          ),
      },
      sorting: {},
      pagination: { pageSize: PAGE_SIZE },
    },
  );
  if (!planned) {
    return (
      <Container>
        <Box textAlign="center" padding="l">
          {planFailed ? (
            <SpaceBetween size="s" alignItems="center">
              <Box>The plan could not be made: the message above says why and what to do.</Box>
              <Button onClick={() => void createPlan()}>Plan again</Button>
            </SpaceBetween>
          ) : (
            <>
              <Spinner /> {activity ?? 'Planning…'}
            </>
          )}
        </Box>
      </Container>
    );
  }
  const { counts } = planned.plan;
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Summary</Header>}>
        <KeyValuePairs
          columns={4}
          items={[
            { label: 'Accounts in plan', value: <span data-testid="count-total">{counts.total}</span> },
            { label: 'Create', value: <span data-testid="count-create">{counts.create}</span> },
            { label: 'Update', value: <span data-testid="count-update">{counts.update}</span> },
            { label: 'Skip', value: <span data-testid="count-skip">{counts.skip}</span> },
            { label: 'Blocked', value: <span data-testid="count-blocked">{counts.blocked}</span> },
            { label: 'Billing stacks', value: counts.billing },
            { label: 'Resource stacks', value: counts.resource },
            { label: 'Organization', value: planned.organizationId },
            {
              label: 'Billing role reads CUR bucket',
              value: <span data-testid="cur-bucket">{curBucket || 'none'}</span>,
            },
          ]}
        />
        {planned.registration ? (
          <Box margin={{ top: 's' }} data-testid="registration-preview">
            {'off' in planned.registration
              ? `No connection will be registered with the platform: ${planned.registration.off}.`
              : `${planned.registration.connections} connection${planned.registration.connections === 1 ? '' : 's'} will be registered with ${planned.registration.endpoint}.`}
          </Box>
        ) : null}
      </Container>
      <Table
        {...collectionProps}
        variant="container"
        resizableColumns
        ariaLabels={{
          tableLabel: 'Plan',
          selectionGroupLabel: 'Plan items',
          itemSelectionLabel: (_s, item) => `Show the details of ${item.accountName} (${item.accountId})`,
        }}
        trackBy={connectionKey}
        items={items}
        selectionType="single"
        selectedItems={planned.plan.items.filter((item) => connectionKey(item) === focused)}
        onSelectionChange={({ detail }) => {
          const chosen = detail.selectedItems[0];
          update((s) => ({ ...s, focusedPlanItem: chosen ? connectionKey(chosen) : undefined }));
        }}
        onRowClick={({ detail }) => update((s) => ({ ...s, focusedPlanItem: connectionKey(detail.item) }))}
        pagination={<Pagination {...paginationProps} ariaLabels={PAGINATION_LABELS} />}
        header={
          <Header
            variant="h2"
            counter={`(${planned.plan.items.length})`}
            description={
              manual
                ? 'Each hand-made role, verified now: those that fail are not registered. Select a row to see why in full below.'
                : 'Blocked accounts are not deployed. Select a row to see its reason and fix in full below.'
            }
          >
            {manual ? 'Verification' : 'Plan'}
          </Header>
        }
        filter={
          <TextFilter
            {...filterProps}
            filteringAriaLabel="Filter plan"
            filteringClearAriaLabel="Clear the filter"
            filteringPlaceholder="Find by account, action or code"
            countText={`${filteredItemsCount ?? 0} matches`}
          />
        }
        columnDefinitions={[
          {
            id: 'account',
            minWidth: 150,
            width: 220,
            header: 'Account',
            cell: (i) => <CellText>{`${i.accountName} (${i.accountId})`}</CellText>,
            sortingField: 'accountName',
          },
          {
            id: 'ou',
            minWidth: 90,
            width: 120,
            header: 'OU',
            cell: (i) => <CellText>{i.ouPath}</CellText>,
          },
          {
            id: 'connection',
            minWidth: 110,
            width: 150,
            header: 'Connection name',
            cell: (i) => <CellText>{i.connectionName}</CellText>,
          },
          {
            id: 'kind',
            minWidth: 80,
            width: 100,
            header: 'Stack',
            cell: (i) => (i.kind === 'billing' ? 'Billing' : 'Resource'),
          },
          {
            id: 'action',
            minWidth: 100,
            width: 110,
            header: 'Action',
            cell: (i) => <ActionStatus action={i.action} manual={manual} />,
            sortingField: 'action',
          },
          {
            id: 'reason',
            minWidth: 180,
            header: 'Reason',
            cell: (i) => <ProblemCell code={i.code} reason={i.reason} />,
          },
        ]}
      />
      <TemplateDownloads />
      <Templates />
    </SpaceBetween>
  );
}

const FORMATS = [
  { format: 'cloudformation', label: 'CloudFormation' },
  { format: 'terraform', label: 'Terraform' },
  { format: 'iam-json', label: 'IAM JSON' },
] as const;

/** Saves one text file (browser and Electron both download through an anchor). */
function downloadText(name: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'text/plain' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The roles as code, for teams that provision IAM themselves: the same files as `orgconnect templates export`,
 * with this wizard's role name, path, bucket and External ID filled in.
 */
function TemplateDownloads() {
  const settings = useWizard((s) => s.settings);
  const [busy, setBusy] = useState(false);
  const download = async (kind: 'billing' | 'resource', format: (typeof FORMATS)[number]['format']) => {
    setBusy(true);
    try {
      const { files } = await orgconnectApi().templates.export({
        kind,
        format,
        ...(settings.roleName ? { roleName: settings.roleName } : {}),
        ...(settings.rolePath ? { rolePath: settings.rolePath } : {}),
        ...(settings.externalId ? { externalId: settings.externalId } : {}),
        ...(kind === 'billing' && settings.costAndUsageReportBucket
          ? { costAndUsageReportBucket: settings.costAndUsageReportBucket }
          : {}),
      });
      for (const file of files) downloadText(file.name, file.content);
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <ExpandableSection variant="container" headerText="Download the roles as code (custom provisioning)">
      <SpaceBetween size="s">
        {(['billing', 'resource'] as const).map((kind) => (
          <SpaceBetween key={kind} direction="horizontal" size="xs">
            <Box variant="strong">{kind === 'billing' ? 'Billing role' : 'Resource role'}</Box>
            {FORMATS.map(({ format, label }) => (
              <Button
                key={format}
                disabled={busy}
                ariaLabel={`Download ${kind} ${label}`}
                onClick={() => void download(kind, format)}
              >
                {label}
              </Button>
            ))}
          </SpaceBetween>
        ))}
      </SpaceBetween>
    </ExpandableSection>
  );
}

function Templates() {
  const [templates, setTemplates] = useState<ResponseOf<'templates.get'>>();
  useEffect(() => {
    orgconnectApi().templates.get().then(setTemplates).catch(reportError);
  }, []);
  return (
    <ExpandableSection variant="container" headerText="CloudFormation templates">
      {templates ? (
        <Tabs
          ariaLabel="Templates"
          tabs={(['billing', 'resource'] as const).map((kind) => ({
            id: kind,
            label: kind === 'billing' ? 'Billing (management account)' : 'Resource (member accounts)',
            content: (
              <SpaceBetween size="xs">
                <Box variant="small">SHA-256 {templates[kind].sha256}</Box>
                <pre className="template-body" aria-label={`${kind} template`} tabIndex={0}>
                  {templates[kind].body}
                </pre>
              </SpaceBetween>
            ),
          }))}
        />
      ) : (
        <Spinner />
      )}
    </ExpandableSection>
  );
}
