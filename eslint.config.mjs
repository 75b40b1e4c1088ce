import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', '**/*.cjs', 'jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
        {
          selector: "MemberExpression[object.name='Math'][property.name='random']",
          message: 'Use node:crypto for randomness.',
        },
      ],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // A TenantScope is issued by the access module from the authenticated principal, nowhere else.
    files: ['**/*.ts'],
    ignores: ['libs/core/src/access/**', 'libs/core/src/testing/**', '**/*.spec.ts', 'test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/access/tenant-scope'],
              importNames: ['issueTenantScope'],
              message: 'Only AccessService issues a TenantScope.',
            },
          ],
        },
      ],
    },
  },
  {
    // The protocol library stays pure: no framework, no ORM.
    files: ['libs/lti/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@nestjs/*', 'typeorm', '@tms/core', '@tms/persistence'] }],
    },
  },
);
