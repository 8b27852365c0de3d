/**
 * What the Health step shows around its table: the coverage banners and the history chart (the focused
 * connection's timeline is in its split panel). One wrapper, so the step itself changes by a few lines.
 */
import type { ReactNode } from 'react';
import { useEffect, useState } from 'react';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { CoveragePoint, HealthSummary } from '../../../../preload/contract.js';
import { orgconnectApi } from '../../bridge/index.js';
import { reportError, setStep, useWizard, workspaceUpdater } from '../../store/wizard-store.js';
import { CoverageBanner } from './coverage-banner.js';
import { HealthHistoryChart } from './health-history-chart.js';

/** Choose accounts with these accounts selected (discovering first when the app opened on Health). */
async function connectAccounts(profile: string | undefined, accountIds: string[]): Promise<void> {
  const updateWorkspace = workspaceUpdater();
  try {
    const snapshot = profile ? await orgconnectApi().org.discover({ profile }) : undefined;
    updateWorkspace((s) => ({ ...s, ...(snapshot ? { snapshot } : {}), selected: accountIds }));
    setStep('accounts');
  } catch (error) {
    reportError(error);
  }
}

export function HealthStepExtras({
  health,
  children,
}: {
  health: HealthSummary | undefined;
  children: ReactNode;
}) {
  const profile = useWizard((s) => s.profile);
  const discoveredId = useWizard((s) => s.snapshot?.organization.id);
  const organizationId = health?.organizationId ?? discoveredId;
  const [stored, setStored] = useState<CoveragePoint[] | undefined>();
  // Before the first check of this session, the chart draws what earlier rounds recorded.
  useEffect(() => {
    if (!organizationId || health?.series) return;
    let live = true;
    orgconnectApi()
      .health.series({ organizationId })
      .then((result) => live && setStored(result.series))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [organizationId, health?.series]);
  const series = health?.series ?? stored;
  return (
    <SpaceBetween size="l">
      {health?.coverage ? (
        <CoverageBanner
          coverage={health.coverage}
          onConnect={(ids) => void connectAccounts(profile, ids)}
          olderTemplate={health.connections.filter((c) => c.olderTemplate === true)}
          onUpdate={(ids) => void connectAccounts(profile, ids)}
        />
      ) : null}
      {series ? <HealthHistoryChart series={series} /> : null}
      {children}
    </SpaceBetween>
  );
}
