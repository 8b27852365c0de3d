/**
 * What Start deploy is about to do, in the words of the confirmation: one function, so every field the recap shows
 * comes from the plan (its platform profile and registration) and the settings in one place.
 */
import type { Planned, Settings } from '../../store/wizard-state.js';

export interface DeployRecap {
  create: number;
  update: number;
  /** Stacks to create or update. */
  stacks: number;
  /** Accounts those stacks are in. */
  accounts: number;
  roleNames: string[];
  rolePath: string;
  trustPrincipals: string[];
  /** The External ID as the recap may show it: masked, last four characters. */
  externalIdMasked: string;
  /** Where the platform is told about the new connections; undefined when the plan registers nothing. */
  registrationEndpoint: string | undefined;
  concurrency: number;
  /** Existing connections (updates) whose External ID differs from the one they were deployed with. */
  externalIdChangesExisting: boolean;
}

const DEFAULT_ROLE_NAMES = {
  billing: 'orgconnect-platform-billing',
  resource: 'orgconnect-platform-resource',
};

export function maskExternalId(externalId: string): string {
  return `••••${externalId.slice(-4)}`;
}

export function deployRecap(
  planned: Planned,
  settings: Settings,
  previous: { externalIdSha256?: string | undefined; currentExternalIdSha256?: string | undefined } = {},
): DeployRecap {
  const deploying = planned.plan.items.filter((i) => i.action === 'create' || i.action === 'update');
  const kinds = new Set(deploying.map((i) => i.kind));
  const roleNames = settings.roleName
    ? [settings.roleName]
    : (['billing', 'resource'] as const).filter((k) => kinds.has(k)).map((k) => DEFAULT_ROLE_NAMES[k]);
  const update = deploying.filter((i) => i.action === 'update').length;
  return {
    create: deploying.length - update,
    update,
    stacks: deploying.length,
    accounts: new Set(deploying.map((i) => i.accountId)).size,
    roleNames,
    rolePath: planned.platform?.rolePath ?? '/',
    trustPrincipals: (planned.platform?.trustedAccountIds ?? [settings.platformAccountId]).map(
      (accountId) => `arn:aws:iam::${accountId}:root`,
    ),
    externalIdMasked: maskExternalId(settings.externalId),
    registrationEndpoint:
      planned.registration && 'endpoint' in planned.registration ? planned.registration.endpoint : undefined,
    concurrency: settings.concurrency,
    externalIdChangesExisting:
      update > 0 &&
      previous.externalIdSha256 !== undefined &&
      previous.currentExternalIdSha256 !== undefined &&
      previous.externalIdSha256 !== previous.currentExternalIdSha256,
  };
}

/** SHA-256 hex of the External ID, as the run journals record it (never the ID itself). */
export async function externalIdSha256(externalId: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(externalId));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
