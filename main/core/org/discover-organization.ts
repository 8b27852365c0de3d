/**
 * Reads a whole AWS Organization as one snapshot: who is asking, the Organization, its roots, every OU (nested)
 * and every account with its place in the tree.
 *
 * Nothing here is module-level state: each call owns its limiter, abort controller and results, so hosts can
 * discover several Organizations (one per management profile) at the same time.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DescribeOrganizationCommand, ListRootsCommand } from '@aws-sdk/client-organizations';
import PQueue from 'p-queue';
import { OrgConnectError } from '../errors.js';
import {
  abortedError,
  callerIdentityFailure,
  organizationsFailure,
  type CallerContext,
} from './org-errors.js';
import { collectPages, ORGANIZATIONS_PAGE_SIZE } from './paginate.js';
import { toOrgAccount } from './to-org-account.js';
import { walkOrganizationTree, type OrganizationsCall } from './walk-organization-tree.js';
import type {
  DiscoveryOptions,
  DiscoveryProgress,
  FeatureSet,
  OrgAccount,
  OrganizationSnapshot,
  OrgDiscoveryClients,
  OrgRoot,
  OrgUnit,
} from './types.js';

export const DEFAULT_DISCOVERY_CONCURRENCY = 4;

// Code-point order, not locale order, so the same Organization prints the same way on every machine.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortOus(ous: readonly OrgUnit[]): OrgUnit[] {
  return [...ous].sort((a, b) => compareText(a.path, b.path) || compareText(a.id, b.id));
}

export function sortAccounts(accounts: readonly OrgAccount[]): OrgAccount[] {
  return [...accounts].sort(
    (a, b) => compareText(a.ouPath, b.ouPath) || compareText(a.name, b.name) || compareText(a.id, b.id),
  );
}

function concurrencyFrom(value: number | undefined): number {
  if (value === undefined) return DEFAULT_DISCOVERY_CONCURRENCY;
  if (!Number.isInteger(value) || value < 1) {
    throw new OrgConnectError(
      'INVALID_ARGUMENT',
      `Discovery concurrency must be a whole number of at least 1, not ${value}.`,
    );
  }
  return value;
}

export async function discoverOrganization(
  clients: OrgDiscoveryClients,
  options: DiscoveryOptions = {},
): Promise<OrganizationSnapshot> {
  const concurrency = concurrencyFrom(options.concurrency);
  // The internal controller stops the calls still queued or in flight once one call has failed.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const progress = (update: DiscoveryProgress): void => options.onProgress?.(update);
  const userAborted = (): boolean => options.signal?.aborted === true;
  if (userAborted()) throw abortedError();

  try {
    progress({ phase: 'caller', done: 0 });
    const identity = await clients.sts
      .send(new GetCallerIdentityCommand({}), { abortSignal: signal })
      .catch((error: unknown) => {
        throw callerIdentityFailure(error, signal);
      });
    const caller: CallerContext = { arn: identity.Arn ?? '', accountId: identity.Account ?? '' };

    // A priority queue rather than a plain limit: the walk puts a listing's next page ahead of new listings.
    const queue = new PQueue({ concurrency });
    const call: OrganizationsCall = (action, run, priority = 0) =>
      queue
        .add(
          async () => {
            if (signal.aborted) throw abortedError();
            return run(signal);
          },
          { priority },
        )
        .catch((error: unknown) => {
          throw organizationsFailure(error, action, caller, signal);
        });

    progress({ phase: 'organization', done: 0 });
    const described = await call('DescribeOrganization', (abortSignal) =>
      clients.organizations.send(new DescribeOrganizationCommand({}), { abortSignal }),
    );
    const org = described.Organization;
    const organizationId = org?.Id ?? '';
    const managementAccountId = org?.MasterAccountId ?? '';
    caller.organizationId = organizationId;
    caller.isManagementAccount = caller.accountId !== '' && caller.accountId === managementAccountId;
    if (org?.FeatureSet !== 'ALL') {
      throw new OrgConnectError(
        'ORG_NOT_ALL_FEATURES',
        `Organization ${organizationId} has only consolidated billing features enabled.`,
        {
          fix: 'Enable all features in AWS Organizations (Settings → Enable all features) from the management account (invited member accounts must approve the request); then run discovery again.',
        },
      );
    }
    const featureSet: FeatureSet = org.FeatureSet;

    progress({ phase: 'roots', done: 0 });
    const rootList = await collectPages((token) =>
      call('ListRoots', (abortSignal) =>
        clients.organizations.send(
          new ListRootsCommand({
            MaxResults: ORGANIZATIONS_PAGE_SIZE,
            ...(token === undefined ? {} : { NextToken: token }),
          }),
          { abortSignal },
        ),
      ).then((out) => ({ items: out.Roots, nextToken: out.NextToken })),
    );
    const roots: OrgRoot[] = rootList.map((root) => ({ id: root.Id ?? '', name: root.Name ?? 'Root' }));

    progress({ phase: 'tree', done: 0, ous: 0 });
    const walked = await walkOrganizationTree(roots, {
      organizations: clients.organizations,
      call,
      onFound: (found) => progress({ phase: 'tree', done: found.accounts, ous: found.ous }),
    }).finally(() => queue.clear());

    // An account moved during the walk can be listed under its old and its new parent; keep the first sighting.
    const accounts = new Map<string, OrgAccount>();
    for (const placed of walked.accounts) {
      const account = toOrgAccount(placed.account, {
        ouId: placed.parentId,
        ouPath: placed.parentPath,
        managementAccountId,
      });
      if (account.id !== '' && !accounts.has(account.id)) accounts.set(account.id, account);
    }
    const managementAccount = accounts.get(managementAccountId);
    const snapshot: OrganizationSnapshot = {
      organization: {
        id: organizationId,
        arn: org.Arn ?? '',
        featureSet,
        managementAccountId,
        managementAccountEmail: org.MasterAccountEmail ?? managementAccount?.email ?? '',
      },
      caller: {
        accountId: caller.accountId,
        arn: caller.arn,
        isManagementAccount: caller.isManagementAccount,
      },
      roots,
      ous: sortOus(walked.ous),
      accounts: sortAccounts([...accounts.values()]),
      discoveredAt: new Date().toISOString(),
    };
    progress({ phase: 'done', done: accounts.size, total: accounts.size, ous: snapshot.ous.length });
    return snapshot;
  } catch (error) {
    stop.abort();
    // A user's cancel wins over whatever the interrupted call reported.
    if (userAborted()) throw abortedError();
    throw error;
  }
}
