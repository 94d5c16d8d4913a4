// ESLint: the recommended JavaScript and typescript-eslint rules for the server, benches and
// scripts, plus the React hooks rules for the console. Formatting is Prettier's job (.prettierrc).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/node_modules/', 'dist/', 'console/dist/', 'test-results/', 'bench/.cache/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_name` marks a parameter kept for a signature (handlers, callbacks).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // A service built after the callbacks that read it is declared first with `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // `ok && done()` and `cond ? a() : b()` are used deliberately for short side effects.
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
    },
  },
  {
    // Tests may poke at untyped JSON and private internals.
    files: ['**/*.test.ts', '**/*.test.tsx', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The embeddable contact card and its demo run in the shop's pages, not in Node.
    files: ['src/contacts/embed/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['console/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    // The long-standing hooks rules; the React Compiler rules of the plugin's newer presets assume
    // a compiler build that the console does not use.
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
);
