// Flat config: type-aware TypeScript rules plus Nx module boundaries with real tag constraints.
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const domainBanned = [
  '@nestjs/*',
  '@aws-sdk/*',
  'fastify',
  '@fastify/*',
  'express',
  'undici',
  'cockatiel',
  'pino',
  'pino-http',
  'nestjs-pino',
  'class-validator',
  'class-transformer',
  'reflect-metadata',
];

const depConstraints = [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:domain', 'type:data-access', 'type:util'],
  },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:domain', 'type:util'] },
  // A util (jobs, platform, auth) works through the domain's ports: never on data-access itself.
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:domain', 'type:util'] },
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain'],
    bannedExternalImports: domainBanned,
  },
  {
    sourceTag: 'type:infra',
    onlyDependOnLibsWithTags: ['type:domain', 'type:data-access'],
    bannedExternalImports: ['@nestjs/*'],
  },
];

const boundaries = (allow) => ({ enforceBuildableLibDependency: false, allow, depConstraints });

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/tmp/**',
      '**/coverage/**',
      '**/cdk.out/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@nx/enforce-module-boundaries': ['error', boundaries([])],
    },
  },
  {
    // Only the worker talks to the provider: the API records run requests, and libs/jobs (a
    // type:util lib) gets the provider as the domain's SandboxProvider port.
    files: ['apps/broker-api/src/**/*.ts', 'libs/jobs/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@broker/csp-client', '@broker/csp-client/*'],
              message:
                'Only the worker calls the provider (CSP client, breakers, CSP settings): record a run request instead.',
            },
          ],
        },
      ],
    },
  },
  {
    // The operator console (React): the rules of hooks and the React Compiler's checks.
    files: ['apps/broker-console/src/**/*.tsx', 'apps/broker-console/src/**/*.ts'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    // Tests may use loose typing around supertest/JSON bodies.
    files: [
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
      '**/test/**/*.ts',
      '**/testing/**/*.ts',
    ],
    rules: {
      // Tests may start the CSP simulator app as a real HTTP peer, a real worker app and the real API.
      '@nx/enforce-module-boundaries': [
        'error',
        boundaries([
          '@broker/csp-simulator',
          '@broker/broker-worker/testing',
          '@broker/broker-api/testing',
        ]),
      ],
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  prettier,
);
