/**
 * How a run begins, for deploy and disconnect runs alike: a new journal with run-started and every planned
 * account (the External ID goes to the run's secrets file, never the journal), and, on resume, the check that
 * the External ID given is the one the run was started with.
 */
import type { Clock } from '../clock.js';
import { OrgConnectError } from '../errors.js';
import { createJournal, type JournalOptions, type RunJournal } from './journal.js';
import type { DeployItem, RunEvent, RunSettingsRecord } from './run-events.js';
import { externalIdFingerprint, writeRunSecrets, type RunSecrets } from './run-secrets.js';
import { applyRunEvent, type RunState } from './run-state.js';
import type { RunEventListener } from './run-engine.js';

export interface NewRunJournal {
  dataDir: string;
  runId: string;
  journal?: JournalOptions | undefined;
  externalId: string;
  settings: RunSettingsRecord;
  managementAccountId: string;
  profile: string | null;
  items: readonly DeployItem[];
  clock: Clock;
  onEvent?: RunEventListener | undefined;
}

/**
 * Journals run-started and every planned account, then hands the open journal and the folded state to `open`;
 * the journal is closed again if anything on the way fails.
 */
export async function beginRun<Run>(
  input: NewRunJournal,
  open: (journal: RunJournal, state: RunState) => Run,
): Promise<Run> {
  const { dataDir, runId, externalId } = input;
  const journal = await createJournal(dataDir, runId, input.journal);
  try {
    await writeRunSecrets(dataDir, runId, { externalId });
    const at = new Date(input.clock.now()).toISOString();
    const started: RunEvent = {
      type: 'run-started',
      at,
      journalVersion: 1,
      runId,
      createdAt: at,
      managementAccountId: input.managementAccountId,
      profile: input.profile,
      settings: input.settings,
    };
    await journal.append(started);
    let state = applyRunEvent(undefined, started);
    input.onEvent?.(started, state);
    for (const item of input.items) {
      const planned: RunEvent = { ...item, type: 'account-planned', at };
      await journal.append(planned);
      state = applyRunEvent(state, planned);
      input.onEvent?.(planned, state);
    }
    return open(journal, state);
  } catch (error) {
    await journal.close().catch(() => undefined);
    throw error;
  }
}

/** Throws RUN_SECRET_MISMATCH unless `secrets` hold the External ID the run's journal has the fingerprint of. */
export function assertRunExternalId(runId: string, state: RunState, secrets: RunSecrets): void {
  if (externalIdFingerprint(secrets.externalId).externalIdSha256 !== state.settings.externalIdSha256) {
    throw new OrgConnectError(
      'RUN_SECRET_MISMATCH',
      `That is not the External ID run ${runId} was started with.`,
      {
        fix: `Enter the External ID ending in "${state.settings.externalIdLast4}".`,
      },
    );
  }
}
