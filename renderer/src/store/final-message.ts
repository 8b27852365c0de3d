/**
 * The wizard's closing message: what is true of this session's run, from the same summary the CLI prints — never
 * "All done" while a connection failed, is not registered, or was not sent to the platform.
 */
import {
  registrationSentence,
  summarizeRegistration,
} from '../../../main/core/onboarding/registration-summary.js';
import type { DeployRow, Flash } from './wizard-state.js';

export function finalMessage(rows: readonly DeployRow[]): Omit<Flash, 'id'> {
  if (rows.length === 0) {
    return {
      type: 'info',
      message: 'No deploy ran in this session; the Health table shows what the platform has.',
    };
  }
  const summary = summarizeRegistration(rows);
  if (summary.allDone) {
    return {
      type: 'success',
      message: `All done: ${registrationSentence(summary)} An AWS Connection for each appears on the platform's Cloud Integrations page.`,
    };
  }
  return {
    type: 'warning',
    message: `Not done: ${registrationSentence(summary)}`,
    fix:
      summary.registrationFailed + summary.notSent > 0
        ? 'Register the rest with "orgconnect register", or retry the failed accounts from the Deploy step.'
        : 'Retry the failed accounts from the Deploy step.',
  };
}
