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
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'main/core must stay Electron-free; inject what you need.' }],
          patterns: [
            { group: ['electron/*'], message: 'main/core must stay Electron-free; inject what you need.' },
            { group: ['**/app/*', '**/serve/*', '**/cli/*'], message: 'main/core must not depend on its hosts.' },
          ],
        },
      ],
    },
  },
);
