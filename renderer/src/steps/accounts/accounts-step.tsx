import { useMemo, useState } from 'react';
import { useCollection } from '@cloudscape-design/collection-hooks';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import { PAGINATION_LABELS } from '../../components/pagination-labels.js';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import Input from '@cloudscape-design/components/input';
import TextFilter from '@cloudscape-design/components/text-filter';
import {
  defaultConnectionName,
  validateConnectionName,
} from '../../../../main/core/onboarding/connection-names.js';
import { update, useWizard } from '../../store/wizard-store.js';
import type { Snapshot } from '../../store/wizard-state.js';
import { OuTree } from './ou-tree.js';

type Account = Snapshot['accounts'][number];

const ALL_STATUSES: SelectProps.Option = { value: 'any', label: 'Any status' };
const STATUS_OPTIONS: SelectProps.Option[] = [
  ALL_STATUSES,
  { value: 'ACTIVE', label: 'Active' },
  { value: 'SUSPENDED', label: 'Suspended' },
  { value: 'PENDING_CLOSURE', label: 'Pending closure' },
];
const EMPTY: Account[] = [];

/** Step 3: which accounts to connect. Suspended accounts are shown but cannot be chosen. */
export function AccountsStep() {
  const snapshot = useWizard((s) => s.snapshot);
  const selectedIds = useWizard((s) => s.selected);
  const [status, setStatus] = useState<SelectProps.Option>(ALL_STATUSES);
  const accounts = snapshot?.accounts ?? EMPTY;
  const filteredByStatus = useMemo(
    () => (status.value === 'any' ? accounts : accounts.filter((a) => a.status === status.value)),
    [accounts, status],
  );
  const { items, collectionProps, filterProps, paginationProps, filteredItemsCount } = useCollection(
    filteredByStatus,
    {
      filtering: {
        filteringFunction: (item, text) => {
          const needle = text.toLowerCase();
          return [item.id, item.name, item.email, item.ouPath].some((v) => v.toLowerCase().includes(needle));
        },
        empty: <Box textAlign="center">No accounts</Box>,
        noMatch: <Box textAlign="center">No account matches the filter</Box>,
      },
      pagination: { pageSize: 50 },
      sorting: {},
    },
  );
  const nameOverrides = useWizard((s) => s.nameOverrides);
  const chosen = useMemo(() => new Set(selectedIds), [selectedIds]);
  const selectedItems = accounts.filter((a) => chosen.has(a.id));
  const selectable = accounts.filter((a) => a.status === 'ACTIVE');

  return (
    <SpaceBetween size="l">
      {snapshot ? <OuTree snapshot={snapshot} chosen={chosen} /> : null}
      <Table
        {...collectionProps}
        ariaLabels={{
          selectionGroupLabel: 'Accounts to connect',
          allItemsSelectionLabel: () => 'Select all accounts',
          itemSelectionLabel: (_s, item) => `Select ${item.name} (${item.id})`,
          tableLabel: 'Accounts',
          activateEditLabel: (_column, item) => `Edit the connection name of ${item.name}`,
          cancelEditLabel: () => 'Cancel editing',
          submitEditLabel: () => 'Save the connection name',
          submittingEditText: () => 'Saving',
        }}
        variant="container"
        wrapLines
        selectionType="multi"
        trackBy="id"
        items={items}
        selectedItems={selectedItems}
        isItemDisabled={(item) => item.status !== 'ACTIVE'}
        onSelectionChange={({ detail }) =>
          update((s) => ({
            ...s,
            selected: detail.selectedItems.filter((a) => a.status === 'ACTIVE').map((a) => a.id),
          }))
        }
        header={
          <Header
            variant="h2"
            counter={`(${selectedItems.length}/${accounts.length})`}
            description="Suspended and closing accounts cannot be connected."
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button onClick={() => update((s) => ({ ...s, selected: selectable.map((a) => a.id) }))}>
                  Select all active
                </Button>
                <Button onClick={() => update((s) => ({ ...s, selected: [] }))}>Clear selection</Button>
              </SpaceBetween>
            }
          >
            Accounts
          </Header>
        }
        filter={
          <SpaceBetween direction="horizontal" size="s">
            <TextFilter
              {...filterProps}
              filteringAriaLabel="Filter accounts"
              filteringPlaceholder="Find by id, name, email or OU"
              countText={`${filteredItemsCount ?? 0} matches`}
            />
            <Select
              ariaLabel="Filter by status"
              selectedOption={status}
              options={STATUS_OPTIONS}
              onChange={({ detail }) => setStatus(detail.selectedOption)}
            />
          </SpaceBetween>
        }
        pagination={<Pagination {...paginationProps} ariaLabels={PAGINATION_LABELS} />}
        submitEdit={(account, _column, value) => {
          const name = String(value);
          update((s) => ({ ...s, nameOverrides: { ...s.nameOverrides, [account.id]: name } }));
        }}
        columnDefinitions={[
          { id: 'id', header: 'Account id', cell: (a) => a.id, sortingField: 'id', minWidth: 150 },
          {
            id: 'name',
            header: 'Name',
            cell: (a) => (a.isManagement ? `${a.name} (management)` : a.name),
            sortingField: 'name',
          },
          { id: 'ou', header: 'OU', cell: (a) => a.ouPath, sortingField: 'ouPath' },
          {
            id: 'connection',
            header: 'Connection name',
            cell: (a) => nameOverrides[a.id] ?? defaultConnectionName(a.name, a.id),
            editConfig: {
              ariaLabel: 'Connection name',
              editIconAriaLabel: 'editable',
              errorIconAriaLabel: 'Connection name error',
              validation: (_a, value) => {
                if (value === undefined) return undefined;
                const checked = validateConnectionName(String(value));
                return checked.ok ? undefined : checked.message;
              },
              editingCell: (a, { currentValue, setValue }) => (
                <Input
                  autoFocus
                  ariaLabel={`Connection name for ${a.name}`}
                  value={String(currentValue ?? nameOverrides[a.id] ?? defaultConnectionName(a.name, a.id))}
                  onChange={({ detail }) => setValue(detail.value)}
                />
              ),
            },
          },
          { id: 'email', header: 'Email', cell: (a) => a.email },
          {
            id: 'status',
            header: 'Status',
            minWidth: 130,
            cell: (a) =>
              a.status === 'ACTIVE' ? (
                <StatusIndicator type="success">Active</StatusIndicator>
              ) : (
                <StatusIndicator type="stopped">
                  {a.status === 'SUSPENDED' ? 'Suspended' : 'Pending closure'}
                </StatusIndicator>
              ),
            sortingField: 'status',
          },
        ]}
      />
    </SpaceBetween>
  );
}
