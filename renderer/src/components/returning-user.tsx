import { useEffect, useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { ResponseOf } from '../../../preload/contract.js';
import { orgconnectApi } from '../bridge/index.js';
import { reportError, update, workspaceUpdater } from '../store/wizard-store.js';
import type { DeployRow } from '../store/wizard-state.js';
import type { StepId } from '../wizard-steps.js';
import { connectionKey } from '../../../main/core/onboarding/connection-key.js';

type Listing = ResponseOf<'runs.list'>[number];

/**
 * What a returning user sees first. A run that a closed window or a crash left unfinished is offered for resume
 * (nothing lost); otherwise, when runs have connected accounts, the app opens on Health, its home screen.
 */
export function ReturningUser({ onOpenStep }: { onOpenStep: (step: StepId) => void }) {
  const [unfinished, setUnfinished] = useState<Listing | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    orgconnectApi()
      .runs.list()
      .then((runs) => {
        if (cancelled) return;
        const open = runs.find(
          (r) => !r.live && (r.status === 'running' || r.status === 'paused' || r.status === 'cancelling'),
        );
        if (open) {
          setUnfinished(open);
          return;
        }
        const home = runs.find((r) => r.status === 'finished' && (r.counts?.connected ?? 0) > 0 && r.profile);
        if (home?.profile) {
          const profile = home.profile;
          update((s) => ({
            ...s,
            profile,
            runId: home.runId,
            runStatus: 'finished',
            checkHealthOnOpen: true,
          }));
          onOpenStep('health');
        }
      })
      .catch(reportError);
    return () => {
      cancelled = true;
    };
  }, [onOpenStep]);

  if (!unfinished) return null;
  const counts = unfinished.counts;
  const resume = async () => {
    const update = workspaceUpdater();
    setBusy(true);
    try {
      const api = orgconnectApi();
      const state = await api.runs.get({ runId: unfinished.runId });
      const rows: Record<string, DeployRow> = {};
      for (const account of state.accounts) {
        const key = connectionKey(account);
        rows[key] = {
          key,
          accountId: account.accountId,
          accountName: account.accountName,
          ouPath: account.ouPath,
          kind: account.kind,
          action: account.action,
          state: account.state,
          attempt: account.attempt,
          code: account.code,
          reason: account.reason,
          fix: account.fix,
        };
      }
      update((s) => ({
        ...s,
        ...(state.profile ? { profile: state.profile } : {}),
        runId: state.runId,
        runStatus: 'running',
        counts: state.counts,
        deploy: rows,
      }));
      await api.deploy.resume({ runId: unfinished.runId });
      setUnfinished(undefined);
      onOpenStep('deploy');
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Alert
      type="warning"
      header={`Run ${unfinished.runId} did not finish`}
      action={
        <SpaceBetween direction="horizontal" size="xs">
          <Button onClick={() => setUnfinished(undefined)} disabled={busy}>
            Not now
          </Button>
          <Button variant="primary" onClick={() => void resume()} loading={busy}>
            Resume run
          </Button>
        </SpaceBetween>
      }
    >
      {counts
        ? `${counts.connected} of ${counts.total} connections done when it stopped. Resuming checks every unfinished account with CloudFormation first; nothing is deployed twice.`
        : 'Resuming checks every unfinished account with CloudFormation first; nothing is deployed twice.'}
    </Alert>
  );
}
