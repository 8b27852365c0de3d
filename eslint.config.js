// Lint rules. The layering rule keeps main/core Electron-free, so the CLI, the browser host and the tests
// run the same code the desktop app does (the same idea as microsoft/vscode's code-layering rule).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.venv/**', 'artifacts/**', 'renderer/dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['main/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', coreRestrictions()] },
  },
  // Inside the core: health reads stacks through core/cloudformation, never through the deployers' internals.
  {
    files: ['main/core/health/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        coreRestrictions([
          {
            group: [
              '**/onboarding/stack-deployer*',
              '**/onboarding/stackset-deployer*',
              '**/onboarding/runner*',
              '**/onboarding/run-control*',
              '**/onboarding/run-engine*',
              '**/onboarding/run-start*',
              '**/onboarding/*-engine*',
              '**/onboarding/stackset-preconditions*',
            ],
            message: 'health must not reach into the deployer; use core/cloudformation.',
          },
        ]),
      ],
    },
  },
  // Onboarding (before the deploy) and health (after it) share what both need through core/billing and
  // core/cloudformation; onboarding never reaches into health.
  {
    files: ['main/core/onboarding/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        coreRestrictions([
          {
            group: ['**/health', '**/health/*', '**/health/**'],
            message:
              'onboarding must not import health; share the logic through a lower layer (e.g. core/billing).',
          },
        ]),
      ],
    },
  },
  // core/billing is the layer both share: it imports neither onboarding nor health.
  {
    files: ['main/core/billing/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        coreRestrictions([
          {
            group: ['**/onboarding', '**/onboarding/**', '**/health', '**/health/**'],
            message: 'core/billing sits below onboarding and health; it must not import them.',
          },
        ]),
      ],
    },
  },
  // A CLI command is registered by the command index; it never imports that index back (no cycle).
  {
    files: ['main/cli/commands/**/*.ts'],
    ignores: ['main/cli/commands/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.(/(index(\\.js)?)?)?$|^\\.\\./commands(/(index(\\.js)?)?)?$',
              message:
                'a command must not import the command index; shared types live in main/cli/cli-context.ts.',
            },
          ],
        },
      ],
    },
  },
  // core/cloudformation is the layer below onboarding and health: it imports neither.
  {
    files: ['main/core/cloudformation/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        coreRestrictions([
          {
            group: ['**/onboarding/*', '**/health/*'],
            message: 'core/cloudformation sits below onboarding and health; it must not import them.',
          },
        ]),
      ],
    },
  },
);

/** The core's own restrictions, plus a layer's; one rule entry per file set, because a later entry replaces an earlier one. */
function coreRestrictions(extra = []) {
  return {
    paths: [{ name: 'electron', message: 'main/core must stay Electron-free; inject what you need.' }],
    patterns: [
      { group: ['electron/*'], message: 'main/core must stay Electron-free; inject what you need.' },
      { group: ['**/app/*', '**/serve/*', '**/cli/*'], message: 'main/core must not depend on its hosts.' },
      ...extra,
    ],
  };
}
