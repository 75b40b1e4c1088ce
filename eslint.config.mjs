import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { readFileSync } from 'node:fs';

/** Core's folders by rank (libs/core/layers.json): each may import only lower ranks. */
const { ranks: CORE_RANKS } = JSON.parse(readFileSync(`${import.meta.dirname}/libs/core/layers.json`, 'utf8'));

/** A TenantScope is issued by the access module from the authenticated principal, nowhere else. */
const TENANT_SCOPE = {
  group: ['**/access/tenant-scope'],
  importNames: ['issueTenantScope'],
  message: 'Only AccessService issues a TenantScope.',
};
const TENANT_SCOPE_EXEMPT = ['libs/core/src/access/**', 'libs/core/src/testing/**', '**/*.spec.ts', 'test/**'];

/** The two LTI versions are siblings: neither imports the other, in any layer. */
const versionBoundary = (other) => ({
  group: [`**/${other}/**`, `**/${other}-*`, `**/${other}.*`],
  message: `LTI 1.1 and LTI 1.3 code never import each other; what both need lives in a version-neutral home (ARCHITECTURE.md).`,
});
const VERSIONS = { lti1p1: 'lti1p3', lti1p3: 'lti1p1' };
/** Outside core (where the folder rule covers it), the files of each version. */
const VERSION_FILES = (version) => [`apps/tms/src/http/${version}/**/*.ts`, `libs/persistence/src/**/${version}*.ts`];

/**
 * Core's folders import downward only; shared/ and errors/ (rank 0) import nothing of core. The
 * test factories (testing/) are for specs.
 */
function coreLayer(folder, { spec }) {
  const above = Object.keys(CORE_RANKS).filter((other) => other !== folder && CORE_RANKS[other] >= CORE_RANKS[folder]);
  return {
    group: [...above.map((other) => `**/${other}/**`), ...(spec ? [] : ['**/testing/**'])],
    message: `libs/core/src/${folder} may import only core folders below it (libs/core/layers.json, ARCHITECTURE.md).`,
  };
}
const corePatterns = (folder, spec) => [
  ...(folder === 'access' || spec ? [] : [TENANT_SCOPE]),
  coreLayer(folder, { spec }),
  ...(folder in VERSIONS ? [versionBoundary(VERSIONS[folder])] : []),
];

/** Apps and adapters use a library through its public entry point (@tms/…), never its files. */
const LIBRARY_ENTRY = {
  group: ['**/libs/**', '@tms/*/**'],
  message: 'Import a library through its entry point (@tms/core, @tms/lti, …), not its internals.',
};

const PURE = {
  group: ['@nestjs/*', 'typeorm', '@tms/core', '@tms/persistence'],
  message: 'libs/lti is the LTI protocol alone: no framework, no ORM, no business.',
};

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

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
  // Import boundaries. ESLint keeps the last setting of a rule per file, so each block repeats the
  // patterns that also apply to its files.
  { files: ['**/*.ts'], ignores: TENANT_SCOPE_EXEMPT, rules: restrict([TENANT_SCOPE]) },
  {
    files: ['apps/**/*.ts', 'libs/persistence/**/*.ts', 'libs/outbound/**/*.ts'],
    ignores: TENANT_SCOPE_EXEMPT,
    rules: restrict([TENANT_SCOPE, LIBRARY_ENTRY]),
  },
  ...Object.keys(CORE_RANKS).flatMap((folder) => [
    {
      files: [`libs/core/src/${folder}/**/*.ts`],
      ignores: ['**/*.spec.ts'],
      rules: restrict(corePatterns(folder, false)),
    },
    { files: [`libs/core/src/${folder}/**/*.spec.ts`], rules: restrict(corePatterns(folder, true)) },
  ]),
  ...Object.entries(VERSIONS).map(([version, other]) => ({
    files: VERSION_FILES(version),
    ignores: TENANT_SCOPE_EXEMPT,
    rules: restrict([TENANT_SCOPE, LIBRARY_ENTRY, versionBoundary(other)]),
  })),
  // The protocol library stays pure: no framework, no ORM; its versions apart.
  { files: ['libs/lti/**/*.ts'], rules: restrict([PURE]) },
  ...Object.entries(VERSIONS).map(([version, other]) => ({
    files: [`libs/lti/src/${version}/**/*.ts`],
    rules: restrict([PURE, versionBoundary(other)]),
  })),
);
