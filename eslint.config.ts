import js from '@eslint/js';
import globals from 'globals';
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';

/** Modules a runtime does not have, named once for the boundary rules below. */
const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'util', 'worker_threads', 'stream', 'buffer'];

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.desk-data/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...pluginVue.configs['flat/recommended'],
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ['shared/__lint_probe__/*.ts', 'renderer/src/__lint_probe__/*.ts', 'electron/backend/__lint_probe__/*.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.vue'],
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/no-v-html': 'error',
    },
  },
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  // --- Process boundaries (design.md §1) ---
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'shared/ is pure TypeScript: no Electron.' },
            { name: 'vue', message: 'shared/ is pure TypeScript: no Vue.' },
            { name: 'pinia', message: 'shared/ is pure TypeScript: no Pinia.' },
            { name: 'dexie', message: 'shared/ is pure TypeScript: no Dexie.' },
            { name: 'fake-indexeddb', message: 'shared/ is pure TypeScript: no storage.' },
          ],
          patterns: [
            { group: NODE_BUILTINS, message: 'shared/ runs in the renderer too: no Node built-ins.' },
            { group: ['**/electron/**', '**/renderer/**', '**/tests/**'], message: 'shared/ imports nothing outside shared/.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'window', message: 'shared/ has no DOM.' },
        { name: 'document', message: 'shared/ has no DOM.' },
        { name: 'process', message: 'shared/ has no Node.' },
        { name: 'Buffer', message: 'shared/ has no Node.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time comes from the injected clock or a `now` argument.' },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.vue'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer reaches the backend only through window.desk.' },
            { name: 'dexie', message: 'The cache lives in the backend.' },
          ],
          patterns: [
            { group: NODE_BUILTINS, message: 'No Node in the renderer.' },
            { group: ['**/electron/**'], message: 'The renderer never imports electron/ code: use window.desk.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/backend/**/*.ts', 'electron/host/**/*.ts', 'electron/simulator/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only electron/main and electron/preload may import Electron.' }],
          patterns: [{ group: ['**/renderer/**'], message: 'The renderer is reached through the contract only.' }],
        },
      ],
    },
  },
  {
    files: ['electron/backend/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The backend never imports Electron (it runs in the browser host too).' }],
          patterns: [
            { group: ['**/renderer/**'], message: 'The renderer is reached through the contract only.' },
            { group: ['**/simulator/**', '**/host/**', '**/main/**'], message: 'The backend depends only on shared/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/simulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The demo marketplace is a plain Node server.' }],
          patterns: [{ group: ['**/backend/**', '**/renderer/**', '**/host/**', '**/main/**'], message: 'The demo marketplace depends only on shared/.' }],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts', 'tests/**/*.ts', 'scripts/**/*.ts', '*.config.ts', '*.config.mts'],
    languageOptions: { globals: globals.node },
  },
  {
    // Plain ES modules that Node loads directly (loader hooks, the fake electron module).
    files: ['**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
