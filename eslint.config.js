import tseslint from 'typescript-eslint';

export default tseslint.config(
  // What .gitignore leaves out too: builds, scratch space.
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**', 'bench/work/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
);
