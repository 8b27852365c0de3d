import { useMemo, useState } from 'react';
import { useCollection } from '@cloudscape-design/collection-hooks';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Pagination from '@cloudscape-design/components/pagination';
import { PAGE_SIZE, PAGINATION_LABELS } from '../../components/pagination-labels.js';
import { CellText } from '../../components/cell-text.js';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import Input from '@cloudscape-design/components/input';
import TextFilter from '@cloudscape-design/components/text-filter';
import { connectionNames, nameProblem } from './connection-name-problems.js';
import { dismissFlashesWithCode, update, useWizard } from '../../store/wizard-store.js';
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
      pagination: { pageSize: PAGE_SIZE },
      sorting: {},
    },
  );
  const nameOverrides = useWizard((s) => s.nameOverrides);
  const named = useMemo(() => connectionNames(accounts, nameOverrides), [accounts, nameOverrides]);
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
        resizableColumns
        selectionType="multi"
        trackBy="id"
        items={items}
        selectedItems={selectedItems}
        isItemDisabled={(item) => item.status !== 'ACTIVE'}
        onSelectionChange={({ detail }) => {
          update((s) => ({
            ...s,
            selected: detail.selectedItems.filter((a) => a.status === 'ACTIVE').map((a) => a.id),
          }));
          dismissFlashesWithCode('NOTHING_SELECTED');
        }}
        header={
          <Header
            variant="h2"
            counter={`(${selectedItems.length}/${accounts.length})`}
            description="Suspended and closing accounts cannot be connected."
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button
                  onClick={() => {
                    update((s) => ({ ...s, selected: selectable.map((a) => a.id) }));
                    dismissFlashesWithCode('NOTHING_SELECTED');
                  }}
                >
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
              filteringClearAriaLabel="Clear the filter"
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
          const name = String(value).trim();
          // A refused name keeps the editor open with its message (Cloudscape keeps it open when this throws).
          if (nameProblem(account.id, name, accounts, nameOverrides)) throw new Error('invalid name');
          update((s) => ({ ...s, nameOverrides: { ...s.nameOverrides, [account.id]: name } }));
          dismissFlashesWithCode('CONNECTION_NAME_INVALID');
        }}
        columnDefinitions={[
          {
            id: 'id',
            header: 'Account id',
            cell: (a) => a.id,
            sortingField: 'id',
            minWidth: 130,
            width: 130,
          },
          {
            id: 'name',
            header: 'Name',
            minWidth: 110,
            width: 150,
            cell: (a) => <CellText>{a.isManagement ? `${a.name} (management)` : a.name}</CellText>,
            sortingField: 'name',
          },
          {
            id: 'ou',
            header: 'OU',
            minWidth: 90,
            width: 140,
            cell: (a) => <CellText>{a.ouPath}</CellText>,
            sortingField: 'ouPath',
          },
          {
            id: 'connection',
            header: 'Connection name',
            minWidth: 150,
            width: 190,
            cell: (a) => {
              const problem = named.problems[a.id];
              return (
                <span data-testid={`connection-name-${a.id}`}>
                  {problem ? (
                    <StatusIndicator wrapText={false} type="error">
                      <CellText>{`${named.names[a.id] ?? ''}: ${problem}`}</CellText>
                    </StatusIndicator>
                  ) : (
                    <CellText>{named.names[a.id] ?? ''}</CellText>
                  )}
                </span>
              );
            },
            editConfig: {
              ariaLabel: 'Connection name',
              editIconAriaLabel: 'editable',
              errorIconAriaLabel: 'Connection name error',
              constraintText: 'Lowercase letters, digits and single dashes; unique in the Organization.',
              validation: (a, value) =>
                value === undefined
                  ? undefined
                  : nameProblem(a.id, String(value).trim(), accounts, nameOverrides),
              editingCell: (a, { currentValue, setValue }) => (
                <Input
                  autoFocus
                  ariaLabel={`Connection name for ${a.name}`}
                  value={String(currentValue ?? named.names[a.id] ?? '')}
                  onChange={({ detail }) => setValue(detail.value)}
                />
              ),
            },
          },
          {
            id: 'email',
            header: 'Email',
            minWidth: 110,
            width: 160,
            cell: (a) => <CellText>{a.email}</CellText>,
          },
          {
            id: 'status',
            header: 'Status',
            minWidth: 110,
            cell: (a) =>
              a.status === 'ACTIVE' ? (
                <StatusIndicator wrapText={false} type="success">
                  Active
                </StatusIndicator>
              ) : (
                <StatusIndicator wrapText={false} type="stopped">
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
