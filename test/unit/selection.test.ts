import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSelection, parseSelection, resolveSelection } from '../../main/core/onboarding/selection.js';

// r-root
// ├── ou-root-prod00001 (Prod)
// │   └── ou-root-prodeu001 (Prod/EU)
// │       └── ou-root-prodeude1 (Prod/EU/DE)
// └── ou-root-sandbox01 (Sandbox)
const ROOT = 'r-root';
const PROD = 'ou-root-prod00001';
const PROD_EU = 'ou-root-prodeu001';
const PROD_EU_DE = 'ou-root-prodeude1';
const SANDBOX = 'ou-root-sandbox01';
const units = [
  { id: PROD, parentId: ROOT },
  { id: PROD_EU, parentId: PROD },
  { id: PROD_EU_DE, parentId: PROD_EU },
  { id: SANDBOX, parentId: ROOT },
];
const account = (id: string, ouId: string, status = 'ACTIVE') => ({
  id,
  name: `acct-${id.slice(-2)}`,
  status,
  ouId,
});
const accounts = [
  account('100000000000', ROOT),
  account('100000000001', PROD),
  account('100000000002', PROD_EU),
  account('100000000003', PROD_EU_DE),
  account('100000000004', SANDBOX),
  account('100000000005', SANDBOX, 'SUSPENDED'),
  account('100000000006', PROD_EU_DE, 'PENDING_CLOSURE'),
];

const ids = (list: readonly { id: string }[]) => list.map((a) => a.id);

describe('parseSelection', () => {
  test('all, account ids, OUs and a mix, with whitespace and duplicates tolerated', () => {
    assert.deepEqual(parseSelection('all'), { all: true, accountIds: [], ouIds: [], exclude: [] });
    assert.deepEqual(parseSelection(' 100000000001, 100000000002,100000000001 '), {
      all: false,
      accountIds: ['100000000001', '100000000002'],
      ouIds: [],
      exclude: [],
    });
    assert.deepEqual(
      parseSelection(`ou:${PROD},OU:${SANDBOX},100000000000`, ['100000000004', '100000000002,100000000004']),
      {
        all: false,
        accountIds: ['100000000000'],
        ouIds: [PROD, SANDBOX],
        exclude: ['100000000004', '100000000002'],
      },
    );
  });

  test('bad input is SELECTION_INVALID with a fix', () => {
    for (const [spec, exclude] of [
      ['', undefined],
      ['12345', undefined],
      ['ou:nope', undefined],
      ['prod', undefined],
      ['all,100000000001', undefined],
      ['all', 'abc'],
    ] as const) {
      assert.throws(
        () => parseSelection(spec, exclude),
        (error: unknown) => {
          assert.equal((error as { code?: string }).code, 'SELECTION_INVALID', `${spec} / ${exclude}`);
          assert.ok((error as { fix?: string }).fix);
          return true;
        },
      );
    }
  });

  test('formatSelection round-trips', () => {
    const selection = parseSelection(`100000000001,ou:${PROD}`, '100000000002');
    assert.equal(formatSelection(selection), `100000000001,ou:${PROD} --exclude 100000000002`);
    assert.deepEqual(parseSelection(`100000000001,ou:${PROD}`, '100000000002'), selection);
  });
});

describe('resolveSelection', () => {
  test('all selects every account; inactive ones are set apart with a reason', () => {
    const resolved = resolveSelection(parseSelection('all'), accounts, units);
    assert.deepEqual(ids(resolved.active), [
      '100000000000',
      '100000000001',
      '100000000002',
      '100000000003',
      '100000000004',
    ]);
    assert.deepEqual(
      resolved.inactive.map((entry) => [entry.account.id, entry.code]),
      [
        ['100000000005', 'ACCOUNT_SUSPENDED'],
        ['100000000006', 'ACCOUNT_CLOSING'],
      ],
    );
    assert.match(resolved.inactive[0]?.reason ?? '', /100000000005 is suspended/);
    assert.deepEqual(resolved.excluded, []);
  });

  test("AWS's finer State wins over Status where it is known", () => {
    const withState = [
      { ...account('100000000001', PROD, 'SUSPENDED'), state: 'CLOSED' },
      { ...account('100000000002', PROD, 'ACTIVE'), state: 'PENDING_ACTIVATION' },
      { ...account('100000000003', PROD, 'ACTIVE'), state: null },
    ];
    const resolved = resolveSelection(parseSelection('all'), withState, units);
    assert.deepEqual(ids(resolved.active), ['100000000003']);
    assert.deepEqual(
      resolved.inactive.map((e) => [e.account.id, e.code]),
      [
        ['100000000001', 'ACCOUNT_SUSPENDED'],
        ['100000000002', 'ACCOUNT_NOT_ACTIVE'],
      ],
    );
    assert.match(resolved.inactive[0]?.reason ?? '', /is closed/);
  });

  test('an OU includes every OU nested under it', () => {
    const resolved = resolveSelection(parseSelection(`ou:${PROD}`), accounts, units);
    assert.deepEqual(ids(resolved.active), ['100000000001', '100000000002', '100000000003']);
    assert.deepEqual(ids(resolved.inactive.map((e) => e.account)), ['100000000006']);
    assert.deepEqual(ids(resolveSelection(parseSelection(`ou:${PROD_EU_DE}`), accounts, units).active), [
      '100000000003',
    ]);
  });

  test('the root as an OU is everything; ids and OUs combine; --exclude removes', () => {
    assert.equal(resolveSelection(parseSelection(`ou:${ROOT}`), accounts, units).active.length, 5);
    const resolved = resolveSelection(
      parseSelection(`ou:${SANDBOX},100000000002`, '100000000004'),
      accounts,
      units,
    );
    assert.deepEqual(ids(resolved.active), ['100000000002']);
    assert.deepEqual(ids(resolved.excluded), ['100000000004']);
    assert.deepEqual(ids(resolved.inactive.map((e) => e.account)), ['100000000005']);
  });

  test('an unknown account, OU or excluded id is SELECTION_UNKNOWN naming each', () => {
    assert.throws(
      () =>
        resolveSelection(
          parseSelection('100000000001,999999999999,ou:ou-root-missing01', '888888888888'),
          accounts,
          units,
        ),
      (error: unknown) => {
        const e = error as { code?: string; message: string; fix?: string };
        assert.equal(e.code, 'SELECTION_UNKNOWN');
        assert.match(e.message, /999999999999/);
        assert.match(e.message, /ou:ou-root-missing01/);
        assert.match(e.message, /--exclude 888888888888/);
        assert.doesNotMatch(e.message, /100000000001/);
        assert.ok(e.fix);
        return true;
      },
    );
  });
});
