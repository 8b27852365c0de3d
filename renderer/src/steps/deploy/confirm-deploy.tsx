import { useEffect, useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { orgconnectApi } from '../../bridge/index.js';
import type { Planned, Settings } from '../../store/wizard-state.js';
import { deployRecap, externalIdSha256, type DeployRecap } from './deploy-recap.js';

/** The External ID fingerprint the profile's latest run deployed with (undefined: no earlier run). */
async function previousExternalIdSha256(profile: string | undefined): Promise<string | undefined> {
  if (!profile) return undefined;
  const runs = await orgconnectApi().runs.list();
  const latest = runs
    .filter((r) => r.profile === profile && (r.counts?.connected ?? 0) > 0)
    .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''))[0];
  if (!latest) return undefined;
  return (await orgconnectApi().runs.get({ runId: latest.runId })).settings.externalIdSha256;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The recap a person confirms before anything is written to AWS. */
export function ConfirmDeploy({
  planned,
  settings,
  profile,
  onConfirm,
  onCancel,
}: {
  planned: Planned;
  settings: Settings;
  profile: string | undefined;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const [recap, setRecap] = useState<DeployRecap>(() => deployRecap(planned, settings));
  useEffect(() => {
    let cancelled = false;
    // An earlier run's fingerprint tells whether this deploy changes the External ID of existing connections.
    void Promise.all([previousExternalIdSha256(profile), externalIdSha256(settings.externalId)])
      .then(([previous, current]) => {
        if (!cancelled) {
          setRecap(
            deployRecap(planned, settings, {
              externalIdSha256: previous,
              currentExternalIdSha256: current,
            }),
          );
        }
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [planned, settings, profile]);

  return (
    <Modal
      visible
      size="large"
      header="Deploy to AWS?"
      closeAriaLabel="Close: do not deploy"
      onDismiss={onCancel}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onCancel}>
              Cancel
            </Button>
            <Button variant="primary" onClick={onConfirm}>
              Deploy {plural(recap.stacks, 'stack')}
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box data-testid="deploy-recap-summary">
          {recap.create} {recap.create === 1 ? 'stack' : 'stacks'} to create and {recap.update} to update in{' '}
          {plural(recap.accounts, 'account')}. Each creates or updates a read-only IAM role that the platform
          assumes.
        </Box>
        {recap.externalIdChangesExisting ? (
          <Alert type="warning" header="The platform's current access breaks">
            The External ID differs from the one your existing connections were deployed with. Once the{' '}
            {plural(recap.update, 'update')} run, the platform cannot assume those roles until it has the new
            External ID. Fix: enter the new External ID in the platform first, or go back to Settings and keep
            the old one.
          </Alert>
        ) : null}
        <KeyValuePairs
          columns={2}
          items={[
            { label: 'Role name', value: recap.roleNames.join(', ') || '—' },
            { label: 'Role path', value: recap.rolePath },
            { label: 'Trust principals', value: recap.trustPrincipals.join(', ') },
            { label: 'External ID', value: recap.externalIdMasked },
            {
              label: 'Registration endpoint',
              value: recap.registrationEndpoint ?? 'None: nothing will be registered',
            },
            { label: 'Concurrency', value: plural(recap.concurrency, 'account') + ' at a time' },
          ]}
        />
      </SpaceBetween>
    </Modal>
  );
}
