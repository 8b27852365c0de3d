// The layering rules in eslint.config.js, run through ESLint's Node API on snippets that break them: each rule
// must report its message for a file in its layer, and leave a lawful import alone.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  assert.ok(result, `ESLint linted ${filePath}`);
  return result.messages
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

describe('layering lint rules', () => {
  test('onboarding must not import health, by any path into it', async () => {
    for (const source of ['../health/checks/cur.js', '../health/index.js', '../health']) {
      const messages = await restrictedImports(
        'main/core/onboarding/layering-probe.ts',
        `import { x } from '${source}';\nexport const y = x;\n`,
      );
      assert.equal(messages.length, 1, `${source}: ${messages.join(' | ')}`);
      assert.match(messages[0] ?? '', /onboarding must not import health/);
    }
    assert.deepEqual(
      await restrictedImports(
        'main/core/onboarding/layering-probe.ts',
        "import { x } from '../billing/cur-judgement.js';\nexport const y = x;\n",
      ),
      [],
    );
  });

  test('onboarding keeps the core rules (Electron-free) next to its own', async () => {
    const messages = await restrictedImports(
      'main/core/onboarding/layering-probe.ts',
      "import { app } from 'electron';\nexport const y = app;\n",
    );
    assert.equal(messages.length, 1);
    assert.match(messages[0] ?? '', /Electron-free/);
  });

  test('core/billing imports neither onboarding nor health', async () => {
    for (const source of ['../health/check-result.js', '../onboarding/run-state.js']) {
      const messages = await restrictedImports(
        'main/core/billing/layering-probe.ts',
        `import { x } from '${source}';\nexport const y = x;\n`,
      );
      assert.equal(messages.length, 1, `${source}: ${messages.join(' | ')}`);
      assert.match(messages[0] ?? '', /core\/billing sits below onboarding and health/);
    }
  });

  test('a CLI command must not import the command index', async () => {
    for (const source of ['./index.js', './index', '.', '../commands/index.js']) {
      const messages = await restrictedImports(
        'main/cli/commands/layering-probe.ts',
        `import type { X } from '${source}';\nexport type Y = X;\n`,
      );
      assert.equal(messages.length, 1, `${source}: ${messages.join(' | ')}`);
      assert.match(messages[0] ?? '', /a command must not import the command index/);
    }
    for (const lawful of ['../cli-context.js', './common.js', '../../core/health/index.js']) {
      assert.deepEqual(
        await restrictedImports(
          'main/cli/commands/layering-probe.ts',
          `import type { X } from '${lawful}';\nexport type Y = X;\n`,
        ),
        [],
        lawful,
      );
    }
  });

  test('the command index itself registers the commands', async () => {
    assert.deepEqual(
      await restrictedImports(
        'main/cli/commands/index.ts',
        "import { registerPlanCommand } from './plan.js';\nexport const r = registerPlanCommand;\n",
      ),
      [],
    );
  });
});
