import { useEffect, useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import { orgconnectApi } from '../bridge/index.js';

/**
 * A label that stays on every step while the host runs against the local AWS emulator (`npm run demo`): the host
 * says so in its profiles answer. Asked once on its own, so it shows whichever step the app opens on.
 */
export function SandboxLabel() {
  const [sandbox, setSandbox] = useState(false);
  useEffect(() => {
    let live = true;
    orgconnectApi()
      .profiles.list()
      .then((answer) => live && setSandbox(answer.sandbox === true))
      // The Connect step reports a failing profiles call; the label just stays away.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  if (!sandbox) return null;
  return (
    <div style={{ marginBottom: 16 }} data-testid="sandbox-label">
      <Alert type="info" header="Sandbox — local AWS emulator, nothing reaches AWS">
        This app is connected to a local emulator with a sample Organization. Deploys, health checks and
        reports here change nothing in any AWS account.
      </Alert>
    </div>
  );
}
