// ESLint 9 flat config for the perpkit monorepo.
// Syntactic rules only (no type-aware linting) so `npm run lint` stays fast; `tsc` does the type work.
// Every custom rule below is exercised by scripts/check-lint-rules.mjs, which fails CI if a rule stops firing.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import perpkit from './scripts/eslint/perpkit-plugin.js'

const NEW_DATE_NOW = {
  selector: "NewExpression[callee.name='Date'][arguments.length=0]",
  message: 'Time is a port: `new Date()` reads the wall clock; use clock.now() and new Date(ms).',
}

// Node globals for plain .js/.mjs/.cjs tooling (TS files get no-undef disabled by typescript-eslint).
const NODE_GLOBALS = Object.fromEntries(
  [
    'process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'setTimeout',
    'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'structuredClone', 'fetch',
    'AbortController', 'AbortSignal', 'performance', 'queueMicrotask', 'globalThis',
  ].map((name) => [name, 'readonly']),
)
const CJS_GLOBALS = { require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly', __filename: 'readonly' }

const TEST_FILES = ['**/*.test.ts', '**/*.spec.ts', '**/test/**', '**/__tests__/**']

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.turbo/**',
      '**/coverage/**',
      'docs/api/**',
      '**/*.d.ts',
      '**/*.d.cts',
      '.perpkit-cache/**',
      '**/out/**',
      '**/reports/**',
      'tmp/**',
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs,ts,mts,cts}'],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: NODE_GLOBALS,
    },
    plugins: { perpkit },
    rules: {
      'perpkit/package-boundaries': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-duplicate-imports': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...NODE_GLOBALS, ...CJS_GLOBALS } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Library code: time is a port (core's Clock) and libraries emit events instead of logging.
    files: ['packages/*/src/**/*.ts'],
    ignores: [...TEST_FILES, 'packages/core/src/ports/clock.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time is a port: take a Clock (clock.now()) instead of Date.now().' },
        { object: 'globalThis', property: 'setTimeout', message: 'Time is a port: schedule through a Clock.' },
        { object: 'globalThis', property: 'setInterval', message: 'Time is a port: schedule through a Clock.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Time is a port: schedule through a Clock instead of setTimeout.' },
        { name: 'setInterval', message: 'Time is a port: schedule through a Clock instead of setInterval.' },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['packages/*/src/**/*.ts'],
    ignores: [...TEST_FILES, 'packages/core/src/ports/clock.ts'],
    rules: { 'no-restricted-syntax': ['error', NEW_DATE_NOW] },
  },
  {
    // Public API = explicit named re-exports, pinned by each package's exports snapshot test.
    // (Flat config replaces a rule's options per block, so the entry point repeats NEW_DATE_NOW.)
    files: ['packages/*/src/index.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'No `export *` in a package entry point: re-export names explicitly.' },
        NEW_DATE_NOW,
      ],
    },
  },
)
