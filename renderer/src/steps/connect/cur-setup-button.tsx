import { useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { ResponseOf } from '../../../../preload/contract.js';
import { orgconnectApi } from '../../bridge/index.js';
import { reportError, update } from '../../store/wizard-store.js';

/**
 * Next to "no usable report": shows what a CUR 2.0 set-up would create (the host plans it, reading only), and
 * writes it only when the user confirms. Then the report is looked for again, and its bucket pre-fills Settings.
 */
export function CurSetupButton({ profile }: { profile: string }) {
  const [setup, setSetup] = useState<ResponseOf<'cur.planSetup'> | undefined>();
  const [busy, setBusy] = useState(false);

  const preview = async () => {
    setBusy(true);
    try {
      setSetup(await orgconnectApi().cur.planSetup({ profile }));
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(false);
    }
  };

  const create = async () => {
    if (!setup) return;
    setBusy(true);
    try {
      const api = orgconnectApi();
      await api.cur.setUp({ setupId: setup.setupId });
      const cur = await api.cur.status({ profile });
      update((s) => ({
        ...s,
        costAndUsageReport: cur,
        settings: cur.bucket ? { ...s.settings, costAndUsageReportBucket: cur.bucket } : s.settings,
      }));
      setSetup(undefined);
    } catch (error) {
      reportError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button onClick={() => void preview()} loading={busy && !setup}>
        Set up a report…
      </Button>
      <Modal
        visible={setup !== undefined}
        onDismiss={() => setSetup(undefined)}
        header="Set up a Cost and Usage Report"
        closeAriaLabel="Close"
        footer={
          <Box float="right">
            <SpaceBetween direction="horizontal" size="xs">
              <Button variant="link" onClick={() => setSetup(undefined)}>
                Cancel
              </Button>
              <Button variant="primary" onClick={() => void create()} loading={busy}>
                Create
              </Button>
            </SpaceBetween>
          </Box>
        }
      >
        <SpaceBetween size="s">
          <Box>In the management account, orgconnect will:</Box>
          <ol>
            {(setup?.steps ?? []).map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
          <Box variant="small">
            AWS delivers the first data within 24 hours. The Billing role then reads this bucket.
          </Box>
        </SpaceBetween>
      </Modal>
    </>
  );
}
