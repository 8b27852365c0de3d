// Bad input: connection names from any account name (unicode, emoji, empty, huge, duplicates, hostile overrides)
// and External IDs of any shape. Properties, not examples:
// - assignConnectionNames gives every account a valid, unique name; valid free overrides are kept exactly; every
//   rejected override is reported; validateConnectionName never throws and agrees with the documented rule.
// - externalIdProblem accepts exactly what the templates' ExternalId parameter accepts (AllowedPattern, MinLength,
//   MaxLength, read from the template files themselves).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import {
  assignConnectionNames,
  MAX_CONNECTION_NAME_LENGTH,
  validateConnectionName,
} from '../../main/core/onboarding/connection-names.js';
import { assertValidExternalId, externalIdProblem } from '../../main/core/onboarding/external-id.js';
import { OrgConnectError } from '../../main/core/errors.js';

const RULE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const accountName = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '---',
    'Prod',
    'prod',
    'PROD',
    'Straße Ærø',
    '日本語',
    '🚀🚀',
    "Bob's",
    'a'.repeat(300),
  ),
);
const accountId = fc.stringMatching(/^\d{12}$/);
const accounts = fc.uniqueArray(fc.record({ id: accountId, name: accountName }), {
  selector: (a) => a.id,
  maxLength: 40,
});
const override = fc.oneof(
  fc.constantFrom(
    'prod',
    'a',
    'a-b',
    '-a',
    'a-',
    'a--b',
    'A',
    'has space',
    '',
    'x'.repeat(64),
    'x'.repeat(65),
  ),
  fc.string({ maxLength: 70 }),
  fc.stringMatching(/^[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,3}$/),
);

describe('connection names under any input', () => {
  test('every account gets a valid, unique name; good overrides kept, bad ones reported', () => {
    let cases = 0;
    fc.assert(
      fc.property(
        accounts,
        fc.option(accountName, { nil: undefined }),
        fc.func(fc.option(override, { nil: undefined })),
        (list, prefix, pickOverride) => {
          cases += 1;
          const overrides: Record<string, string> = {};
          for (const account of list) {
            const wanted = pickOverride(account.id);
            if (wanted !== undefined) overrides[account.id] = wanted;
          }
          const { names, problems } = assignConnectionNames(list, {
            overrides,
            ...(prefix === undefined ? {} : { prefix }),
          });
          assert.equal(Object.keys(names).length, list.length);
          const all = Object.values(names);
          assert.equal(new Set(all).size, all.length, 'names are unique');
          for (const name of all) {
            assert.match(name, RULE);
            assert.ok(name.length <= MAX_CONNECTION_NAME_LENGTH, name);
          }
          for (const [id, wanted] of Object.entries(overrides)) {
            const problem = problems.find((p) => p.accountId === id);
            if (problem === undefined)
              assert.equal(names[id], wanted, 'an accepted override is kept exactly');
            else assert.ok(problem.message.length > 0 && !problem.message.includes('\n'));
          }
          for (const problem of problems) assert.ok(problem.accountId in overrides);
        },
      ),
      { numRuns: 400, seed: 4242 },
    );
    console.log(`connection names fuzz: ${cases} cases, 0 crashes`);
  });

  test('validateConnectionName never throws and is ok exactly for the documented rule', () => {
    let cases = 0;
    fc.assert(
      fc.property(fc.oneof(override, fc.string({ unit: 'binary', maxLength: 80 })), (name) => {
        cases += 1;
        const verdict = validateConnectionName(name);
        const expected = RULE.test(name) && name.length <= MAX_CONNECTION_NAME_LENGTH;
        assert.equal(verdict.ok, expected, JSON.stringify(name));
        if (!verdict.ok) assert.ok(verdict.message.length > 0 && !verdict.message.includes('\n'));
      }),
      { numRuns: 1000, seed: 77 },
    );
    console.log(`validateConnectionName fuzz: ${cases} cases, 0 crashes`);
  });
});

interface TemplateParameter {
  AllowedPattern?: string;
  MinLength?: number;
  MaxLength?: number;
}

/** What CloudFormation accepts for ExternalId: the whole value must match AllowedPattern (Java regex; `\w` is ASCII there too). */
function templateRule(file: string): (value: string) => boolean {
  const text = readFileSync(path.resolve(import.meta.dirname, '../../templates', file), 'utf8');
  const template = parse(text, { customTags: cfnTags }) as { Parameters: Record<string, TemplateParameter> };
  const parameter = template.Parameters['ExternalId'];
  assert.ok(
    parameter?.AllowedPattern && parameter.MinLength && parameter.MaxLength,
    `${file} constrains ExternalId`,
  );
  const pattern = new RegExp(`^(?:${parameter.AllowedPattern})$`);
  const { MinLength: min, MaxLength: max } = parameter;
  return (value) => value.length >= min && value.length <= max && pattern.test(value);
}

// The templates use CloudFormation short-form tags (!Ref, !Sub, …); read them as plain values.
const cfnTags = [
  'Ref',
  'Sub',
  'GetAtt',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'Join',
  'Select',
  'Split',
  'FindInMap',
  'Condition',
  'Base64',
  'GetAZs',
  'ImportValue',
].flatMap((name) =>
  (['scalar', 'seq', 'map'] as const).map((collection) => ({
    tag: `!${name}`,
    collection: collection === 'scalar' ? undefined : collection,
    resolve: (value: unknown) => value,
  })),
) as never;

describe('External IDs under any input', () => {
  const rules = ['billing.yaml', 'resource.yaml'].map(templateRule);
  const externalId = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.stringMatching(/^[\w+=,.@:/-]{0,30}$/),
    fc.constantFrom('', 'a', 'ab', 'a b', 'x'.repeat(1224), 'x'.repeat(1225), 'é-accent', 'id\n', 'ﬁ', '١٢٣'),
    fc.nat({ max: 1300 }).map((n) => 'a'.repeat(n)),
  );

  test('externalIdProblem agrees with both templates’ AllowedPattern and length limits', () => {
    let cases = 0;
    let accepted = 0;
    fc.assert(
      fc.property(externalId, (value) => {
        cases += 1;
        const problem = externalIdProblem(value);
        for (const rule of rules)
          assert.equal(problem === undefined, rule(value), JSON.stringify(value.slice(0, 60)));
        if (problem === undefined) {
          accepted += 1;
          assertValidExternalId(value);
        } else {
          assert.throws(() => assertValidExternalId(value), OrgConnectError);
          assert.ok(!problem.includes('\n'));
          assert.ok(
            value.length < 6 || !problem.includes(value),
            'the message does not echo the External ID',
          );
        }
      }),
      { numRuns: 1500, seed: 1224 },
    );
    console.log(`External ID fuzz: ${cases} cases (${accepted} accepted), 0 crashes, 0 disagreements`);
  });
});
