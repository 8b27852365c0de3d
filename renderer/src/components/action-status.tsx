import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { AccountState, DeployRow } from '../store/wizard-state.js';

/** A plan action as a status: what will happen to an account. */
export function ActionStatus({ action }: { action: DeployRow['action'] }) {
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
  }
}

const STATE_TYPES = {
  pending: 'pending',
  deploying: 'in-progress',
  connected: 'success',
  skipped: 'stopped',
  failed: 'error',
  cancelled: 'stopped',
  unknown: 'warning',
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
