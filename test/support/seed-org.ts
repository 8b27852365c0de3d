/**
 * Seeds a real AWS Organization into a moto server through the real SDK, and returns what discovery should find.
 *
 * moto 5.2.5 facts this relies on (moto/organizations/models.py):
 * - The caller of CreateOrganization becomes the management account; with moto's default credentials that is
 *   123456789012. moto adds it as an account named "master" (master@example.com) in the root.
 * - CreateAccount completes at once (State SUCCEEDED with the AccountId) and creates OrganizationAccountAccessRole
 *   in the new account, trusting the management account. New accounts start in the root.
 * - CloseAccount sets Status and State straight to SUSPENDED; moto never shows PENDING_CLOSURE.
 * - STS AssumeRole does not check that the role exists, so any role ARN yields credentials acting in its account
 *   (used here to make a second, independent management account).
 */
import {
  CloseAccountCommand,
  CreateAccountCommand,
  CreateOrganizationalUnitCommand,
  CreateOrganizationCommand,
  ListRootsCommand,
  MoveAccountCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { CloudFormationClient, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import pLimit from 'p-limit';
import { ORGANIZATIONS_CLIENT_RETRY } from '../../main/core/org/index.js';
import type { OrgDiscoveryClients } from '../../main/core/org/index.js';

/** moto maps any access key it has not issued to its default account, 123456789012. */
export const MOTO_DEFAULT_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: 'testing',
  secretAccessKey: 'testing',
};
export const MOTO_DEFAULT_ACCOUNT_ID = '123456789012';
const REGION = 'us-east-1';

export interface SeedOrganizationOptions {
  endpoint: string;
  /** Member accounts to create (the management account comes on top). */
  accounts: number;
  /** Levels of nested OUs below the root. */
  depth?: number;
  /** OUs per parent on every level. */
  branching?: number;
  /** Extra OUs under the first top-level OU, so one parent has more than a page (20) of child OUs. */
  wideOus?: number;
  /** Member accounts to close (moto: SUSPENDED). */
  suspended?: number;
  /** Drives the deterministic spread of accounts over OUs. */
  seed?: number;
  featureSet?: 'ALL' | 'CONSOLIDATED_BILLING';
  /** The future management account's credentials; moto's default account when absent. */
  credentials?: AwsCredentialIdentity;
  concurrency?: number;
}

export interface SeededOu {
  id: string;
  name: string;
  parentId: string;
  path: string;
}

export interface SeededAccount {
  id: string;
  name: string;
  email: string;
  ouId: string;
  ouPath: string;
  status: 'ACTIVE' | 'SUSPENDED';
  isManagement: boolean;
}

export interface SeededOrganization {
  organizationId: string;
  rootId: string;
  managementAccountId: string;
  managementAccountEmail: string;
  ous: SeededOu[];
  /** Every account including the management account, in creation order. */
  accounts: SeededAccount[];
  memberAccountIds: string[];
  suspendedIds: string[];
  /** The OU that holds the most accounts (more than a page when there are 140 or more members). */
  crowdedOu: SeededOu | undefined;
}

const LEVEL_NAMES: readonly (readonly string[])[] = [
  ['Workloads', 'Security', 'Infrastructure', 'Sandbox', 'Shared', 'Suspended'],
  ['Prod', 'Staging', 'Dev', 'Test', 'QA', 'Perf'],
  ['Payments', 'Search', 'Data', 'Identity', 'Mobile', 'Web'],
];

function ouName(level: number, index: number): string {
  const names = LEVEL_NAMES[level];
  if (names === undefined) return `Team-${level + 1}-${index + 1}`;
  const base = names[index % names.length] ?? 'Unit';
  const round = Math.floor(index / names.length);
  return round === 0 ? base : `${base}-${round + 1}`;
}

/** mulberry32: a tiny seeded PRNG, so the same seed spreads accounts the same way on every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function motoOrganizationsClient(
  endpoint: string,
  credentials: AwsCredentialIdentity,
): OrganizationsClient {
  return new OrganizationsClient({ ...ORGANIZATIONS_CLIENT_RETRY, region: REGION, endpoint, credentials });
}

/** The clients discovery takes, pointed at moto with the given credentials. */
export function motoDiscoveryClients(
  endpoint: string,
  credentials: AwsCredentialIdentity = MOTO_DEFAULT_CREDENTIALS,
): OrgDiscoveryClients {
  return {
    sts: new STSClient({ region: REGION, endpoint, credentials }),
    organizations: motoOrganizationsClient(endpoint, credentials),
  };
}

/** Credentials for `roleArn`, assumed with `credentials` (moto's default account unless given). */
export async function assumeRoleCredentials(
  endpoint: string,
  roleArn: string,
  credentials: AwsCredentialIdentity = MOTO_DEFAULT_CREDENTIALS,
): Promise<AwsCredentialIdentity> {
  const sts = new STSClient({ region: REGION, endpoint, credentials });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'orgconnect-test' }));
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
    throw new Error(`AssumeRole ${roleArn} gave no credentials`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

export async function seedOrganization(options: SeedOrganizationOptions): Promise<SeededOrganization> {
  const depth = options.depth ?? 3;
  const branching = options.branching ?? 3;
  const random = prng(options.seed ?? 1);
  const limit = pLimit(options.concurrency ?? 8);
  const org = motoOrganizationsClient(options.endpoint, options.credentials ?? MOTO_DEFAULT_CREDENTIALS);

  const created = await org.send(new CreateOrganizationCommand({ FeatureSet: options.featureSet ?? 'ALL' }));
  const organizationId = created.Organization?.Id ?? '';
  const managementAccountId = created.Organization?.MasterAccountId ?? '';
  const managementAccountEmail = created.Organization?.MasterAccountEmail ?? '';
  const root = (await org.send(new ListRootsCommand({}))).Roots?.[0];
  if (!root?.Id || !root.Name) throw new Error('moto returned no root after CreateOrganization');
  const rootId = root.Id;
  const rootParent = { id: rootId, path: root.Name };

  const createOu = async (parent: { id: string; path: string }, name: string): Promise<SeededOu> => {
    const out = await limit(() =>
      org.send(new CreateOrganizationalUnitCommand({ ParentId: parent.id, Name: name })),
    );
    const id = out.OrganizationalUnit?.Id;
    if (!id) throw new Error(`moto returned no OU id for ${parent.path}/${name}`);
    return { id, name, parentId: parent.id, path: `${parent.path}/${name}` };
  };

  const ous: SeededOu[] = [];
  let level: { id: string; path: string }[] = [rootParent];
  let deepest: SeededOu[] = [];
  for (let d = 0; d < depth; d++) {
    const next = await Promise.all(
      level.flatMap((parent) => Array.from({ length: branching }, (_, i) => createOu(parent, ouName(d, i)))),
    );
    ous.push(...next);
    level = next;
    deepest = next;
  }
  const firstTop = ous[0];
  if (firstTop && (options.wideOus ?? 0) > 0) {
    const wide = await Promise.all(
      Array.from({ length: options.wideOus ?? 0 }, (_, i) =>
        createOu(firstTop, `Experiment-${String(i + 1).padStart(2, '0')}`),
      ),
    );
    ous.push(...wide);
  }

  // One deepest OU gets 15% of the members so its account listing spans pages; the rest spread at random over
  // the root and every OU (some stay empty, as in real Organizations).
  const parents: SeededOu[] = [{ id: rootId, name: root.Name, parentId: '', path: root.Name }, ...ous];
  const crowdedOu = deepest[0];
  const crowdedCount = crowdedOu ? Math.ceil(options.accounts * 0.15) : 0;
  const placements = Array.from({ length: options.accounts }, (_, i) => {
    if (i < crowdedCount && crowdedOu) return crowdedOu;
    return parents[Math.floor(random() * parents.length)] ?? parents[0]!;
  });

  const members = await Promise.all(
    placements.map((parent, i) =>
      limit(async (): Promise<SeededAccount> => {
        const name = `acct-${String(i + 1).padStart(4, '0')}`;
        const email = `${name}@example.com`;
        const out = await org.send(new CreateAccountCommand({ AccountName: name, Email: email }));
        const id = out.CreateAccountStatus?.AccountId;
        if (!id) throw new Error(`moto returned no AccountId for ${name}`);
        if (parent.id !== rootId) {
          await org.send(
            new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: parent.id }),
          );
        }
        return {
          id,
          name,
          email,
          ouId: parent.id,
          ouPath: parent.path,
          status: 'ACTIVE',
          isManagement: false,
        };
      }),
    ),
  );

  // Close members picked at random; one at a time, since there are only a few.
  const suspendedCount = Math.min(options.suspended ?? 0, members.length);
  const candidates = [...members];
  const suspendedIds: string[] = [];
  for (let k = 0; k < suspendedCount; k++) {
    const [member] = candidates.splice(Math.floor(random() * candidates.length), 1);
    if (!member) break;
    await org.send(new CloseAccountCommand({ AccountId: member.id }));
    member.status = 'SUSPENDED';
    suspendedIds.push(member.id);
  }

  const management: SeededAccount = {
    id: managementAccountId,
    name: 'master',
    email: managementAccountEmail,
    ouId: rootId,
    ouPath: root.Name,
    status: 'ACTIVE',
    isManagement: true,
  };
  return {
    organizationId,
    rootId,
    managementAccountId,
    managementAccountEmail,
    ous,
    accounts: [management, ...members],
    memberAccountIds: members.map((m) => m.id),
    suspendedIds,
    crowdedOu,
  };
}

/** Stacks moto holds in an account (deleted ones left out), read with that account's own credentials. */
export async function stackCountIn(
  endpoint: string,
  account: Pick<SeededAccount, 'id' | 'isManagement'>,
): Promise<number> {
  const credentials = account.isManagement
    ? MOTO_DEFAULT_CREDENTIALS
    : await assumeRoleCredentials(endpoint, `arn:aws:iam::${account.id}:role/OrganizationAccountAccessRole`);
  const cfn = new CloudFormationClient({ region: REGION, endpoint, credentials });
  const out = await cfn.send(new ListStacksCommand({}));
  return (out.StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE').length;
}
