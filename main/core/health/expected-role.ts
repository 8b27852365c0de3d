/**
 * What a connection's role should hold, from the platform profile it was deployed with: the accounts it trusts
 * and its permission documents. The role checks judge the live role against this, so a check and the template
 * that made the role cannot disagree.
 */
import { resolvePlatformProfile } from '../platform/platforms.js';
import type { PlatformProfile } from '../platform/platform-profile.js';
import { roleDocuments, type RoleDocuments } from '../platform/role-permissions.js';
import type { Connection } from './connection.js';

/** A connection recorded before platform profiles was made for CloudZero; the current profile judges it. */
export function connectionProfile(connection: Pick<Connection, 'platform'>): PlatformProfile {
  return resolvePlatformProfile(connection.platform ?? { id: 'cloudzero' });
}

/** The platform accounts the role must trust (and the only ones it may). */
export function expectedTrustedAccounts(
  connection: Pick<Connection, 'platform' | 'platformAccountId'>,
): readonly string[] {
  return connection.platform === undefined
    ? [connection.platformAccountId]
    : connectionProfile(connection).trustedAccountIds;
}

export function expectedRoleDocuments(connection: Connection, partition = 'aws'): RoleDocuments {
  return roleDocuments(connectionProfile(connection), connection.kind, {
    partition,
    rolePath: connection.rolePath,
    costAndUsageReportBucket: connection.curBucket,
  });
}
