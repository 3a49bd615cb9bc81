import js from '@eslint/js';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Build output, synth output and installed packages, here and in examples/.
  { ignores: ['**/node_modules/', '**/dist/', '**/cdk.out/', '**/cdk.out.*/', 'bench-out/', '**/*.js', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
  {
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: {
      // Sorted imports, fixed by `npm run format`; layout is Prettier's (.prettierrc.json).
      'simple-import-sort/imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: 'error',
      'no-new': 'off',
    },
  },
);
