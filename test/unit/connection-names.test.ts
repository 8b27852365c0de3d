import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  MAX_CONNECTION_NAME_LENGTH,
  assignConnectionNames,
  defaultConnectionName,
  isValidConnectionName,
  slugify,
  validateConnectionName,
} from '../../main/core/onboarding/connection-names.js';

const ID_A = '111111111111';
const ID_B = '222222222222';
const ID_C = '333333333333';

describe('defaultConnectionName', () => {
  const cases: [string, string][] = [
    ['Production', 'production'],
    ['Prod Account', 'prod-account'],
    ['acme.prod.eu', 'acme-prod-eu'],
    ['  Shared  Services  ', 'shared-services'],
    ['Café Münchën Ñandú', 'cafe-munchen-nandu'],
    ['Straße Øresund Łódź', 'strasse-oresund-lodz'],
    ["Bob's Sandbox", 'bobs-sandbox'],
    ['Team_A -- (legacy)', 'team-a-legacy'],
    ['ＡＷＳ Ｌａｂ', 'aws-lab'],
    ['data---lake', 'data-lake'],
  ];
  for (const [name, expected] of cases) {
    test(`${JSON.stringify(name)} → ${expected}`, () => {
      assert.equal(defaultConnectionName(name, ID_A), expected);
    });
  }

  test('a name with nothing usable falls back to aws-<account id>', () => {
    assert.equal(defaultConnectionName('', ID_A), `aws-${ID_A}`);
    assert.equal(defaultConnectionName('日本語', ID_A), `aws-${ID_A}`);
    assert.equal(defaultConnectionName('...', ID_A), `aws-${ID_A}`);
  });

  test('a prefix is slugified and joined with a dash', () => {
    assert.equal(defaultConnectionName('Prod', ID_A, 'Acme Corp'), 'acme-corp-prod');
    assert.equal(defaultConnectionName('', ID_A, 'acme'), `acme-aws-${ID_A}`);
  });

  test('long names are cut to the maximum without a trailing dash', () => {
    const name = defaultConnectionName(`${'a'.repeat(63)} tail`, ID_A);
    assert.equal(name, 'a'.repeat(63));
    const cut = defaultConnectionName(`${'b'.repeat(40)} ${'c'.repeat(40)}`, ID_A, 'p'.repeat(30));
    assert.ok(cut.length <= MAX_CONNECTION_NAME_LENGTH && isValidConnectionName(cut), cut);
    assert.ok(cut.startsWith(`${'p'.repeat(30)}-`));
  });
});

describe('validateConnectionName', () => {
  test('accepts lowercase words joined by single dashes', () => {
    for (const name of ['prod', 'prod-eu-1', '123', 'a'.repeat(64)])
      assert.deepEqual(validateConnectionName(name), { ok: true });
  });

  const rejects: [string, RegExp][] = [
    ['', /empty/],
    ['a'.repeat(65), /at most 64 characters; this one has 65/],
    ['Prod', /lowercase/],
    ['prod account', /found space/],
    ['prod.eu', /found period/],
    ['prod_eu', /found "_"/],
    ['-prod', /start or end with a dash/],
    ['prod-', /start or end with a dash/],
    ['prod--eu', /two dashes/],
    ['café', /found "é"/],
  ];
  for (const [name, message] of rejects) {
    test(`rejects ${JSON.stringify(name.length > 20 ? `${name.slice(0, 10)}…` : name)} with a clear message`, () => {
      const result = validateConnectionName(name);
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.message, message);
    });
  }
});

describe('assignConnectionNames', () => {
  test('collisions get -2, -3 in account-id order, whatever the input order', () => {
    const accounts = [
      { id: ID_C, name: 'Sandbox' },
      { id: ID_A, name: 'sandbox' },
      { id: ID_B, name: 'SANDBOX!' },
    ];
    const expected = { [ID_A]: 'sandbox', [ID_B]: 'sandbox-2', [ID_C]: 'sandbox-3' };
    assert.deepEqual(assignConnectionNames(accounts).names, expected);
    assert.deepEqual(assignConnectionNames([...accounts].reverse()).names, expected);
  });

  test('user-edited names are kept exactly and win over defaults', () => {
    const result = assignConnectionNames(
      [
        { id: ID_A, name: 'Sandbox' },
        { id: ID_B, name: 'Other' },
      ],
      { overrides: { [ID_B]: 'sandbox' } },
    );
    assert.deepEqual(result, { names: { [ID_A]: 'sandbox-2', [ID_B]: 'sandbox' }, problems: [] });
  });

  test('invalid or duplicated user names are reported, and those accounts fall back to a default', () => {
    const result = assignConnectionNames(
      [
        { id: ID_A, name: 'A' },
        { id: ID_B, name: 'B' },
        { id: ID_C, name: 'C' },
      ],
      { overrides: { [ID_A]: 'Bad Name', [ID_B]: 'same', [ID_C]: 'same' } },
    );
    assert.deepEqual(result.names, { [ID_A]: 'a', [ID_B]: 'same', [ID_C]: 'c' });
    assert.deepEqual(
      result.problems.map((p) => [p.accountId, p.name]),
      [
        [ID_A, 'Bad Name'],
        [ID_C, 'same'],
      ],
    );
    assert.match(result.problems[1]?.message ?? '', /already used/);
  });

  test('names already deployed are kept, so a new account never renames an existing connection', () => {
    // 111… is new and sorts first; without `keep` it would take "prod" from 222….
    const accounts = [
      { id: ID_A, name: 'Prod' },
      { id: ID_B, name: 'Prod' },
    ];
    assert.deepEqual(assignConnectionNames(accounts, { keep: { [ID_B]: 'prod' } }).names, {
      [ID_A]: 'prod-2',
      [ID_B]: 'prod',
    });
  });

  test('a suffix never pushes a name past the maximum length', () => {
    const long = 'x'.repeat(80);
    const { names } = assignConnectionNames([
      { id: ID_A, name: long },
      { id: ID_B, name: long },
    ]);
    assert.equal(names[ID_A], 'x'.repeat(64));
    assert.equal(names[ID_B], `${'x'.repeat(62)}-2`);
  });
});

describe('properties', () => {
  const accountId = fc.stringMatching(/^\d{12}$/);
  const anyText = fc.oneof(
    fc.string({ maxLength: 90 }),
    fc.string({ unit: 'grapheme', maxLength: 90 }),
    fc.string({ unit: 'binary', maxLength: 90 }),
  );

  test('every default name is valid', () => {
    fc.assert(
      fc.property(anyText, accountId, fc.option(anyText, { nil: undefined }), (name, id, prefix) => {
        const result = defaultConnectionName(name, id, prefix);
        assert.ok(
          isValidConnectionName(result),
          `${JSON.stringify(name)} / ${JSON.stringify(prefix)} → ${JSON.stringify(result)}`,
        );
      }),
      { numRuns: 400 },
    );
  });

  test('slugify is idempotent on its own output', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = slugify(text);
        assert.equal(slugify(once), once);
      }),
      { numRuns: 300 },
    );
  });

  test('assigned names are valid, unique, keep every valid user name, and do not depend on input order', () => {
    const accounts = fc.uniqueArray(
      fc.record({
        id: accountId,
        name: fc.oneof(fc.constantFrom('Prod', 'prod', 'PROD!', 'x'.repeat(70), ''), anyText),
      }),
      {
        selector: (a) => a.id,
        maxLength: 25,
      },
    );
    fc.assert(
      fc.property(
        accounts,
        fc.option(fc.constantFrom('acme', 'Team X', '日本'), { nil: undefined }),
        fc.nat(),
        (list, prefix, seed) => {
          const overrides: Record<string, string> = {};
          list.forEach((account, i) => {
            if ((seed >> i) % 4 === 0) overrides[account.id] = i % 2 === 0 ? 'prod' : `custom-${i}`;
          });
          const options = { ...(prefix === undefined ? {} : { prefix }), overrides };
          const { names, problems } = assignConnectionNames(list, options);
          const values = list.map((account) => names[account.id] ?? '');
          assert.equal(new Set(values).size, list.length, 'unique');
          for (const value of values) assert.ok(isValidConnectionName(value), value);
          const rejected = new Set(problems.map((p) => p.accountId));
          for (const [id, wanted] of Object.entries(overrides)) {
            if (!rejected.has(id)) assert.equal(names[id], wanted);
          }
          // Exactly the duplicated "prod" overrides after the first (in id order) are rejected.
          const prodOverrides = Object.entries(overrides).filter(([, v]) => v === 'prod').length;
          assert.equal(problems.length, Math.max(0, prodOverrides - 1));
          assert.deepEqual(assignConnectionNames([...list].reverse(), options).names, names);
        },
      ),
      { numRuns: 200 },
    );
  });
});
