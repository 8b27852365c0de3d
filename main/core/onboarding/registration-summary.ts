/**
 * What a run's end may truthfully say: how many connections are deployed, how many the platform accepted, and
 * how many it did not. Free of Node imports, so the CLI's summary and the app's final message are one function.
 */
import type { AccountState, RegistrationRecord } from './run-events.js';

export interface RegistrationSummary {
  /** Connections whose role exists as asked: deployed now (connected) or already (skipped). */
  deployed: number;
  /** Deployed in this run and accepted by the platform. */
  registered: number;
  /** Skipped by the plan because they were deployed and registered before. */
  alreadyConnected: number;
  /** Deployed, but the platform refused or could not be reached. */
  registrationFailed: number;
  /** Deployed, and nothing was sent (registration turned off, or a run from before registration existed). */
  notSent: number;
  /** Not deployed: failed, cancelled, unknown, still pending or in flight. */
  notDeployed: number;
  /** True only when every connection is deployed and the platform has every one of them. */
  allDone: boolean;
}

export function summarizeRegistration(
  rows: readonly {
    state: AccountState;
    action?: string;
    registration?: RegistrationRecord | undefined;
  }[],
): RegistrationSummary {
  // The app shows accounts left out of the run (suspended, closing) as blocked rows that stay "skipped"; like the
  // CLI's run, the summary leaves them out: they are neither deployed nor failures.
  const accounts = rows.filter((row) => !(row.state === 'skipped' && row.action === 'blocked'));
  const connected = accounts.filter((account) => account.state === 'connected');
  const alreadyConnected = accounts.filter((account) => account.state === 'skipped').length;
  const registered = connected.filter((account) => account.registration?.status === 'registered').length;
  const registrationFailed = connected.filter((account) => account.registration?.status === 'failed').length;
  const notSent = connected.length - registered - registrationFailed;
  const deployed = connected.length + alreadyConnected;
  const notDeployed = accounts.length - deployed;
  return {
    deployed,
    registered,
    alreadyConnected,
    registrationFailed,
    notSent,
    notDeployed,
    allDone: notDeployed === 0 && registrationFailed === 0 && notSent === 0,
  };
}

/** One sentence for people: what is deployed, registered and not, never "done" while something is not. */
export function registrationSentence(summary: RegistrationSummary): string {
  const parts = [`${summary.deployed} deployed`];
  if (summary.alreadyConnected > 0) parts[0] += ` (${summary.alreadyConnected} already connected)`;
  parts.push(`${summary.registered} registered with the platform`);
  if (summary.registrationFailed > 0)
    parts.push(`${summary.registrationFailed} not registered (the platform did not accept them)`);
  if (summary.notSent > 0) parts.push(`${summary.notSent} not sent to the platform`);
  if (summary.notDeployed > 0) parts.push(`${summary.notDeployed} not deployed`);
  return `${parts.join(', ')}.`;
}

/**
 * The app's closing message over its Deploy rows: "All done" only when `allDone`; otherwise what is not done, and
 * how to finish it.
 */
export function closingMessage(rows: Parameters<typeof summarizeRegistration>[0]): {
  type: 'success' | 'warning' | 'info';
  message: string;
  fix?: string;
} {
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
