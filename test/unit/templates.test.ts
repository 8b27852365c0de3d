import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  findPackageRoot,
  loadTemplates,
  parseTemplate,
  publishedTemplatePath,
} from '../../main/core/onboarding/templates.js';
import { buildTemplate } from '../../main/core/onboarding/template-builder.js';
import { CLOUDZERO_PROFILE } from '../../main/core/platform/cloudzero-profile.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const templates = loadTemplates();

describe('template generation', () => {
  test('the published templates/*.yaml are exactly what orgconnect generates and deploys (run npm run templates)', () => {
    for (const kind of ['billing', 'resource'] as const) {
      const file = publishedTemplatePath(kind);
      assert.equal(file, path.join(repoRoot, 'templates', `${kind}.yaml`));
      const onDisk = readFileSync(file, 'utf8');
      assert.equal(templates[kind].body, onDisk, `${kind}.yaml differs from the generated template`);
      assert.equal(templates[kind].sha256, createHash('sha256').update(onDisk).digest('hex'));
    }
  });

  test('the YAML text reads back as the template it was built from, and the same profile gives the same text', () => {
    for (const kind of ['billing', 'resource'] as const) {
      assert.deepEqual(parseTemplate(templates[kind].body), buildTemplate(CLOUDZERO_PROFILE, kind));
      assert.equal(loadTemplates()[kind].sha256, templates[kind].sha256);
    }
  });

  test('finds the package root from a compiled dist/ folder as well as from the sources', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'orgconnect-pkg-'));
    try {
      writeFileSync(path.join(root, 'package.json'), '{}');
      const compiled = path.join(root, 'dist', 'main', 'core', 'onboarding');
      mkdirSync(compiled, { recursive: true });
      assert.equal(findPackageRoot(compiled), root);
      assert.equal(findPackageRoot(path.join(repoRoot, 'main', 'core', 'onboarding')), repoRoot);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('parses short-form intrinsics into their long form', () => {
    const parsed = parseTemplate(
      [
        'Resources:',
        '  R:',
        '    Type: AWS::IAM::Role',
        '    Properties:',
        '      A: !Ref X',
        "      B: !Sub 'arn:${AWS::Partition}:x'",
        '      C: !GetAtt R.Arn',
        "      D: !If [Cond, !Ref Y, !Ref 'AWS::NoValue']",
        "      E: !Not [!Equals [!Ref Z, '']]",
      ].join('\n'),
    );
    assert.deepEqual(parsed.Resources['R']?.Properties, {
      A: { Ref: 'X' },
      B: { 'Fn::Sub': 'arn:${AWS::Partition}:x' },
      C: { 'Fn::GetAtt': ['R', 'Arn'] },
      D: { 'Fn::If': ['Cond', { Ref: 'Y' }, { Ref: 'AWS::NoValue' }] },
      E: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Z' }, ''] }] },
    });
  });

  test('rejects text that is not a template', () => {
    assert.throws(() => parseTemplate('just: [unclosed'), { code: 'TEMPLATE_INVALID' });
    assert.throws(() => parseTemplate('Description: no resources'), { code: 'TEMPLATE_INVALID' });
  });
});
