// cfn-lint (AWS's CloudFormation linter, pinned in the test venv) must find nothing — no error, warning or
// informational match — in either template, for the CloudZero profile (the published files, which a unit test
// keeps equal to the generated text) and for a custom one. It also validates every IAM action name against its
// service list, so a mistyped action in a profile fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  loadTemplates,
  publishedTemplatePath,
  TEMPLATE_KINDS,
} from '../../main/core/onboarding/templates.js';
import { customProfile } from '../../main/core/platform/custom-profile.js';

const run = promisify(execFile);

function cfnLintBinary(): string {
  const fromEnv = process.env['CFN_LINT_BIN'];
  if (fromEnv) return fromEnv;
  const local = path.resolve(import.meta.dirname, '../../.venv/bin/cfn-lint');
  // A missing linter is a failure, never a skip: the venv is part of the test setup (scripts/setup-moto.sh).
  assert.ok(existsSync(local), `cfn-lint not found at ${local}; run "npm test" or scripts/setup-moto.sh`);
  return local;
}

interface LintMatch {
  Rule: { Id: string };
  Message: string;
  Filename: string;
  Location: { Start: { LineNumber: number } };
}

/** Runs cfn-lint on the files; returns its exit code and parsed matches (exit codes: 2 error, 4 warning, 8 info). */
async function cfnLint(files: string[]): Promise<{ code: number; matches: LintMatch[]; output: string }> {
  try {
    const { stdout } = await run(cfnLintBinary(), [
      '--format',
      'json',
      '--include-checks',
      'I',
      '--',
      ...files,
    ]);
    return { code: 0, matches: JSON.parse(stdout || '[]') as LintMatch[], output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    const output = `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
    let matches: LintMatch[] = [];
    try {
      matches = JSON.parse(failed.stdout || '[]') as LintMatch[];
    } catch {
      // not JSON: keep the raw output for the assertion message
    }
    return { code: failed.code, matches, output };
  }
}

function describeMatches(matches: LintMatch[], output: string): string {
  if (matches.length === 0) return output;
  return matches
    .map((m) => `${path.basename(m.Filename)}:${m.Location.Start.LineNumber} ${m.Rule.Id} ${m.Message}`)
    .join('\n');
}

test('cfn-lint finds nothing in the Billing and Resource templates (CloudZero and custom profiles)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'orgconnect-lint-'));
  try {
    const custom = loadTemplates(
      customProfile({
        accountIds: ['111122223333', '444455556666', '777788889999'],
        managedPolicyArns: ['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'],
      }),
    );
    const customFiles = TEMPLATE_KINDS.map((kind) => {
      const file = path.join(dir, `custom-${kind}.yaml`);
      writeFileSync(file, custom[kind].body);
      return file;
    });
    const result = await cfnLint([
      publishedTemplatePath('billing'),
      publishedTemplatePath('resource'),
      ...customFiles,
    ]);
    assert.equal(result.code, 0, `cfn-lint reported:\n${describeMatches(result.matches, result.output)}`);
    assert.deepEqual(result.matches, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the cfn-lint check can fail: a broken copy of the Billing template is reported', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'orgconnect-lint-'));
  try {
    const broken = readFileSync(publishedTemplatePath('billing'), 'utf8')
      .replace('- ce:Describe*', '- ce:Descrbe*')
      .replace('MaxSessionDuration: 3600', 'MaxSessionDuration: 99');
    const file = path.join(dir, 'billing.yaml');
    writeFileSync(file, broken);
    const result = await cfnLint([file]);
    assert.notEqual(result.code, 0);
    const rules = result.matches.map((m) => m.Rule.Id);
    assert.ok(
      rules.some((id) => id.startsWith('E')),
      `expected an error for MaxSessionDuration 99, got ${rules.join(', ')}`,
    );
    assert.ok(
      result.matches.some((m) => /descrbe/i.test(m.Message)),
      describeMatches(result.matches, result.output),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
