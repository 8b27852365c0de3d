import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { AccountState, DeployRow } from '../store/wizard-state.js';

/** A plan action as a status: what will happen to an account (`manual`: a hand-made role's verification). */
export function ActionStatus({ action, manual = false }: { action: DeployRow['action']; manual?: boolean }) {
  if (manual && action === 'create') return <StatusIndicator type="success">Verified</StatusIndicator>;
  if (manual && action === 'blocked')
    return <StatusIndicator type="error">Fails verification</StatusIndicator>;
  switch (action) {
    case 'create':
      return (
        <StatusIndicator wrapText={false} type="pending">
          Create
        </StatusIndicator>
      );
    case 'update':
      return (
        <StatusIndicator wrapText={false} type="info">
          Update
        </StatusIndicator>
      );
    case 'skip':
      return (
        <StatusIndicator wrapText={false} type="stopped">
          Skip
        </StatusIndicator>
      );
    case 'blocked':
      return (
        <StatusIndicator wrapText={false} type="error">
          Blocked
        </StatusIndicator>
      );
    case 'delete':
      return (
        <StatusIndicator wrapText={false} type="warning">
          Delete
        </StatusIndicator>
      );
    case 'deregister':
      return (
        <StatusIndicator wrapText={false} type="info">
          Deregister
        </StatusIndicator>
      );
  }
}

const STATE_TYPES = {
  pending: 'pending',
  deploying: 'in-progress',
  registering: 'in-progress',
  connected: 'success',
  skipped: 'stopped',
  failed: 'error',
  cancelled: 'stopped',
  unknown: 'warning',
  deleting: 'in-progress',
  deregistering: 'in-progress',
  disconnected: 'stopped',
} as const;

/** An account's run state as a status. */
export function StateStatus({ state }: { state: AccountState }) {
  const label = state.charAt(0).toUpperCase() + state.slice(1);
  return (
    <StatusIndicator wrapText={false} type={STATE_TYPES[state]}>
      {label}
    </StatusIndicator>
  );
}

/** What the platform said about a connection: registered, refused or failed (with why), or not sent. */
export function RegistrationStatus({ row }: { row: Pick<DeployRow, 'state' | 'registration'> }) {
  const registration = row.registration;
  if (row.state === 'registering') return <StatusIndicator type="in-progress">Registering</StatusIndicator>;
  if (registration === undefined) return <StatusIndicator type="pending">Not sent</StatusIndicator>;
  switch (registration.status) {
    case 'registered':
      return <StatusIndicator type="success">Registered</StatusIndicator>;
    case 'failed':
      return <StatusIndicator type="error">{`Not registered: ${registration.reason}`}</StatusIndicator>;
    case 'not-sent':
      return <StatusIndicator type="stopped">{`Not sent: ${registration.reason}`}</StatusIndicator>;
  }
}
