// Bad input: account selections. Any string given to `--select` / `--exclude` either parses or is refused with an
// OrgConnectError; a selection over a random organization resolves to exactly the accounts an independent oracle
// (walk each account's OU ancestry) says, split into active / inactive / excluded with nothing lost or doubled.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  formatSelection,
  parseSelection,
  resolveSelection,
  type SelectableAccount,
  type SelectableUnit,
} from '../../main/core/onboarding/selection.js';
import { OrgConnectError } from '../../main/core/errors.js';

const accountId = fc.stringMatching(/^\d{12}$/);
const ouId = fc.stringMatching(/^ou-[0-9a-z]{4}-[a-z0-9]{8}$/);

const token = fc.oneof(
  fc.constantFrom(
    'all',
    'ALL',
    'ou:',
    'ou:r-ab12',
    'ou:ou-ab12-cdef3456',
    'OU:OU-AB12-CDEF3456',
    ',',
    ' ',
    '\n',
    '\t',
    '-',
  ),
  accountId,
  ouId.map((id) => `ou:${id}`),
  fc.string({ maxLength: 16 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);
const spec = fc
  .tuple(fc.array(token, { maxLength: 8 }), fc.constantFrom(',', ' ', ', ', ',,'))
  .map(([parts, separator]) => parts.join(separator));

describe('account selection under any input', () => {
  test('parseSelection: any text parses or is refused with SELECTION_INVALID; parsing round-trips', () => {
    let cases = 0;
    let parsed = 0;
    fc.assert(
      fc.property(spec, fc.option(spec, { nil: undefined }), (text, exclude) => {
        cases += 1;
        let selection;
        try {
          selection = parseSelection(text, exclude);
        } catch (error) {
          assert.ok(error instanceof OrgConnectError, String(error));
          assert.equal(error.code, 'SELECTION_INVALID');
          assert.ok(!error.message.includes('\n') || /\n/.test(text + (exclude ?? '')));
          return;
        }
        parsed += 1;
        assert.ok(selection.all || selection.accountIds.length + selection.ouIds.length > 0);
        for (const id of [...selection.accountIds, ...selection.exclude]) assert.match(id, /^\d{12}$/);
        // What formatSelection prints parses back to the same selection.
        const [head = '', excluded] = formatSelection(selection).split(' --exclude ');
        assert.deepEqual(parseSelection(head, excluded), selection);
      }),
      { numRuns: 1500, seed: 2718 },
    );
    console.log(`parseSelection fuzz: ${cases} cases (${parsed} parsed), 0 crashes`);
  });

  interface Org {
    units: SelectableUnit[];
    accounts: SelectableAccount[];
  }

  /** A random OU tree under root r-root0 and accounts spread over it with random states. */
  const org: fc.Arbitrary<Org> = fc
    .record({
      ouCount: fc.nat({ max: 12 }),
      parents: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
      accounts: fc.uniqueArray(
        fc.record({
          id: accountId,
          home: fc.nat(),
          status: fc.constantFrom('ACTIVE', 'ACTIVE', 'ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE', 'WEIRD'),
        }),
        { selector: (a) => a.id, maxLength: 30 },
      ),
    })
    .map(({ ouCount, parents, accounts }) => {
      const ids = [
        'r-root0',
        ...Array.from({ length: ouCount }, (_, i) => `ou-root-${String(i).padStart(8, '0')}`),
      ];
      const units: SelectableUnit[] = ids
        .slice(1)
        .map((id, i) => ({ id, parentId: ids[(parents[i] ?? 0) % (i + 1)] ?? 'r-root0' }));
      return {
        units,
        accounts: accounts.map((a) => ({
          id: a.id,
          name: `acct-${a.id}`,
          status: a.status,
          ouId: ids[a.home % ids.length] ?? 'r-root0',
        })),
      };
    });

  test('resolveSelection: exactly the oracle’s accounts, partitioned, in organization order', () => {
    let cases = 0;
    fc.assert(
      fc.property(
        org,
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        (o, all, pickAccounts, pickOus, pickExclude) => {
          cases += 1;
          // An empty organization has no root to name (discovery always finds one; nothing to select here).
          if (o.accounts.length === 0 && o.units.length === 0) return;
          const ouIds = ['r-root0', ...o.units.map((u) => u.id)];
          const accountIds = all
            ? []
            : pickAccounts.flatMap((n) =>
                o.accounts.length ? [o.accounts[n % o.accounts.length]?.id ?? ''] : [],
              );
          const ous = all ? [] : pickOus.map((n) => ouIds[n % ouIds.length] ?? 'r-root0');
          const exclude = pickExclude.flatMap((n) =>
            o.accounts.length ? [o.accounts[n % o.accounts.length]?.id ?? ''] : [],
          );
          const text = all ? 'all' : [...accountIds, ...ous.map((id) => `ou:${id}`)].join(',');
          if (text === '') return;
          const selection = parseSelection(text, exclude);
          const resolved = resolveSelection(selection, o.accounts, o.units);

          const parent = new Map(o.units.map((u) => [u.id, u.parentId ?? undefined]));
          const under = (ou: string, ancestor: string): boolean => {
            for (
              let at: string | undefined = ou, hops = 0;
              at !== undefined && hops < 50;
              at = parent.get(at), hops++
            ) {
              if (at === ancestor) return true;
            }
            return false;
          };
          const selected = o.accounts.filter(
            (a) => all || accountIds.includes(a.id) || ous.some((ou) => under(a.ouId, ou)),
          );
          const expectedExcluded = selected.filter((a) => exclude.includes(a.id));
          const rest = selected.filter((a) => !exclude.includes(a.id));
          assert.deepEqual(resolved.excluded, expectedExcluded);
          assert.deepEqual(
            resolved.active,
            rest.filter((a) => a.status === 'ACTIVE'),
          );
          assert.deepEqual(
            resolved.inactive.map((i) => i.account),
            rest.filter((a) => a.status !== 'ACTIVE'),
          );
          for (const item of resolved.inactive) assert.ok(item.reason.includes(item.account.id));
        },
      ),
      { numRuns: 600, seed: 31415 },
    );
    console.log(`resolveSelection fuzz: ${cases} cases, 0 crashes, 0 disagreements with the oracle`);
  });

  test('ids the organization does not know are refused with SELECTION_UNKNOWN, never ignored', () => {
    let cases = 0;
    fc.assert(
      fc.property(org, accountId, ouId, (o, stranger, strangeOu) => {
        cases += 1;
        fc.pre(!o.accounts.some((a) => a.id === stranger));
        for (const [text, exclude] of [
          [stranger, undefined],
          [`ou:${strangeOu}`, undefined],
          ['all', stranger],
        ] as const) {
          assert.throws(
            () => resolveSelection(parseSelection(text, exclude), o.accounts, o.units),
            (error: unknown) => error instanceof OrgConnectError && error.code === 'SELECTION_UNKNOWN',
          );
        }
      }),
      { numRuns: 300, seed: 1618 },
    );
    console.log(`unknown-id fuzz: ${cases} cases, 0 crashes`);
  });
});
