/**
 * One connection's kept checks, newest first: when, the overall health, and what did not pass. Read from the
 * host's history each time the connection is focused or checked again.
 */
import { useEffect, useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import type { HealthTimelineEntry } from '../../../../preload/contract.js';
import { orgconnectApi } from '../../bridge/index.js';
import { reportError } from '../../store/wizard-store.js';

const STATUS: Record<HealthTimelineEntry['overall'], StatusIndicatorProps.Type> = {
  healthy: 'success',
  degraded: 'warning',
  unhealthy: 'error',
  unknown: 'pending',
};

export function ConnectionTimeline({
  accountId,
  kind,
  title,
  checkedAt,
}: {
  accountId: string;
  kind: 'billing' | 'resource';
  title: string;
  /** The row's latest check: a new one reloads the timeline. */
  checkedAt: string | null;
}) {
  const [entries, setEntries] = useState<HealthTimelineEntry[] | undefined>();
  useEffect(() => {
    let live = true;
    orgconnectApi()
      .health.timeline({ accountId, kind })
      .then((result) => live && setEntries([...result.entries].reverse()))
      .catch(reportError);
    return () => {
      live = false;
    };
  }, [accountId, kind, checkedAt]);
  return (
    <Container
      header={
        <Header variant="h2" description="The kept results, newest first.">{`Timeline: ${title}`}</Header>
      }
    >
      <Table
        variant="embedded"
        ariaLabels={{ tableLabel: `Check timeline of ${title}` }}
        loading={entries === undefined}
        loadingText="Reading the history"
        items={entries ?? []}
        empty={<Box textAlign="center">No checks recorded yet</Box>}
        columnDefinitions={[
          {
            id: 'checkedAt',
            header: 'Checked',
            cell: (e) => new Date(e.checkedAt).toLocaleString(),
          },
          {
            id: 'overall',
            header: 'Health',
            cell: (e) => <StatusIndicator type={STATUS[e.overall]}>{e.overall}</StatusIndicator>,
          },
          { id: 'failing', header: 'Not passing', cell: (e) => e.failing.join('; ') || '—' },
        ]}
      />
    </Container>
  );
}
