/**
 * The wizard's closing message: what is true of this session's run, from the same summary the CLI prints — never
 * "All done" while a connection failed, is not registered, or was not sent to the platform.
 */
import { closingMessage } from '../../../main/core/onboarding/registration-summary.js';
import type { DeployRow, Flash } from './wizard-state.js';

export function finalMessage(rows: readonly DeployRow[]): Omit<Flash, 'id'> {
  return closingMessage(rows);
}
