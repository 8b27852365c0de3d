import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OrgConnectError } from '../../main/core/errors.js';
import { collectPages } from '../../main/core/org/paginate.js';
import { statusFromState, toOrgAccount } from '../../main/core/org/to-org-account.js';
import { sortAccounts } from '../../main/core/org/index.js';

describe('collectPages', () => {
  test('an empty page with a NextToken does not end paging; an absent or empty token does', async () => {
    const pages: Record<string, { items: number[]; nextToken: string | undefined }> = {
      start: { items: [1, 2], nextToken: 'a' },
      a: { items: [], nextToken: 'b' },
      b: { items: [], nextToken: 'c' },
      c: { items: [3], nextToken: '' },
    };
    const requested: (string | undefined)[] = [];
    const all = await collectPages(async (token) => {
      requested.push(token);
      const page = pages[token ?? 'start'];
      assert.ok(page);
      return page;
    });
    assert.deepEqual(all, [1, 2, 3]);
    assert.deepEqual(requested, [undefined, 'a', 'b', 'c']);
  });

  test('the same NextToken twice in a row is an error, not an endless loop', async () => {
    let calls = 0;
    await assert.rejects(
      collectPages(async () => {
        calls++;
        return { items: [calls], nextToken: 'stuck' };
      }),
      (error: unknown) => error instanceof OrgConnectError && error.code === 'AWS_ERROR',
    );
    assert.equal(calls, 2);
  });
});

describe('toOrgAccount', () => {
  const placement = { ouId: 'ou-x', ouPath: 'Root/X', managementAccountId: '111111111111' };

  test('keeps Status when sent, and the newer State beside it', () => {
    const account = toOrgAccount(
      {
        Id: '222222222222',
        Status: 'PENDING_CLOSURE',
        State: 'PENDING_CLOSURE',
        JoinedTimestamp: new Date(0),
      },
      placement,
    );
    assert.equal(account.status, 'PENDING_CLOSURE');
    assert.equal(account.state, 'PENDING_CLOSURE');
    assert.equal(account.joinedTimestamp, '1970-01-01T00:00:00.000Z');
    assert.equal(account.isManagement, false);
  });

  test('derives Status from State when only State is sent', () => {
    assert.equal(toOrgAccount({ Id: '2', State: 'CLOSED' }, placement).status, 'SUSPENDED');
    assert.equal(statusFromState('PENDING_ACTIVATION'), 'ACTIVE');
    assert.equal(statusFromState('SUSPENDED'), 'SUSPENDED');
    assert.equal(statusFromState('PENDING_CLOSURE'), 'PENDING_CLOSURE');
  });

  test('flags the management account and leaves unknown fields null', () => {
    const account = toOrgAccount({ Id: '111111111111' }, placement);
    assert.equal(account.isManagement, true);
    assert.equal(account.joinedTimestamp, null);
    assert.equal(account.joinedMethod, null);
    assert.equal(account.state, null);
  });
});

test('sortAccounts orders by OU path, then name, in code-point order independent of locale', () => {
  const base = toOrgAccount({ Id: '1' }, { ouId: 'r', ouPath: 'Root', managementAccountId: '' });
  const sorted = sortAccounts([
    { ...base, id: '3', name: 'b', ouPath: 'Root/a' },
    { ...base, id: '2', name: 'a', ouPath: 'Root/B' },
    { ...base, id: '1', name: 'Z', ouPath: 'Root' },
    { ...base, id: '4', name: 'a', ouPath: 'Root/a' },
  ]);
  assert.deepEqual(
    sorted.map((a) => a.id),
    ['1', '2', '4', '3'],
  );
});
