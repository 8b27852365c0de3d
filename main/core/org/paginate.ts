/**
 * Reads every page of an Organizations list call. Organizations may return an empty page that still carries a
 * NextToken (results are gathered across partitions), so only an absent token ends the loop, never a short page.
 */
import { OrgConnectError } from '../errors.js';

export interface Page<T> {
  items: readonly T[] | undefined;
  nextToken: string | undefined;
}

/** Organizations' largest page for ListAccounts* / ListOrganizationalUnits* / ListRoots. */
export const ORGANIZATIONS_PAGE_SIZE = 20;

export async function collectPages<T>(
  fetchPage: (nextToken: string | undefined) => Promise<Page<T>>,
  onPage?: (items: readonly T[]) => void,
): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await fetchPage(token);
    const items = page.items ?? [];
    all.push(...items);
    onPage?.(items);
    // An empty token cannot be sent back, so it ends paging like an absent one.
    const next = page.nextToken === '' ? undefined : page.nextToken;
    if (next === undefined) return all;
    if (next === token) {
      // The same token back means no progress; following it would loop forever.
      throw new OrgConnectError(
        'AWS_ERROR',
        'AWS Organizations returned the same NextToken twice; stopped paging.',
        {
          fix: 'Run discovery again; if it repeats, report it with the AWS region and SDK version.',
        },
      );
    }
    token = next;
  }
}
