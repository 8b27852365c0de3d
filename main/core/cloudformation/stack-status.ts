/**
 * What a CloudFormation stack status means for the deployer: can it be updated, must it be replaced, must we
 * wait, or does it need a person? Kept apart from the deployer so the plan and health checks read statuses the
 * same way.
 */

export type StackPhase =
  /** No stack by that name (or it was deleted). */
  | 'absent'
  /** An operation is running; wait for it. */
  | 'in-progress'
  /** Stable and updatable. */
  | 'stable'
  /** A create that never succeeded (ROLLBACK_COMPLETE, CREATE_FAILED, ...): CloudFormation only allows delete. */
  | 'replaceable'
  /** Stuck in a failed state that a blind retry could make worse (UPDATE_ROLLBACK_FAILED, DELETE_FAILED). */
  | 'needs-attention';

const STABLE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
  // UPDATE_FAILED only happens with rollback disabled; the stack is still updatable.
  'UPDATE_FAILED',
]);

// REVIEW_IN_PROGRESS is a stack created for a change set that was never executed: no resources, delete it.
const REPLACEABLE = new Set(['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED', 'CREATE_FAILED', 'REVIEW_IN_PROGRESS']);

const NEEDS_ATTENTION = new Set(['UPDATE_ROLLBACK_FAILED', 'DELETE_FAILED', 'IMPORT_ROLLBACK_FAILED']);

export function stackPhase(status: string | undefined): StackPhase {
  if (status === undefined || status === 'DELETE_COMPLETE') return 'absent';
  if (STABLE.has(status)) return 'stable';
  if (REPLACEABLE.has(status)) return 'replaceable';
  if (NEEDS_ATTENTION.has(status)) return 'needs-attention';
  if (status.endsWith('_IN_PROGRESS')) return 'in-progress';
  // An unknown future status: safest is to treat it as needing a person rather than to act on it.
  return 'needs-attention';
}

export type StackOperation = 'create' | 'update' | 'delete';

/** The statuses that end an operation, split into success and failure. */
export function operationResult(
  operation: StackOperation,
  status: string,
): 'succeeded' | 'failed' | 'running' {
  if (stackPhase(status) === 'in-progress') return 'running';
  switch (operation) {
    case 'create':
      return status === 'CREATE_COMPLETE' ? 'succeeded' : 'failed';
    case 'update':
      return status === 'UPDATE_COMPLETE' ? 'succeeded' : 'failed';
    case 'delete':
      return status === 'DELETE_COMPLETE' ? 'succeeded' : 'failed';
  }
}
