// @ts-check
// One lint configuration for the whole repository: the SDK (src/), the collector, scripts,
// benchmarks, tests and examples. Formatting is Prettier's job (`npm run format`); these rules
// are about behaviour. Why typescript-eslint rather than Biome: CONTRIBUTING.md, "Lint".
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Files that belong to a tsconfig.json, so the type-aware rules can ask the type checker. */
const TYPED = [
  'src/**/*.ts',
  'test/unit/**/*.ts',
  'test/e2e/**/*.ts',
  'test/types/**/*.{ts,cts}',
  'collector/{src,bin,bench,test}/**/*.js',
  'bench/*.mjs',
  'bench/lib/*.mjs',
];

export default tseslint.config(
  {
    ignores: ['**/dist/', '**/node_modules/', 'coverage/', 'collector/data/', 'bench/results/', '.tmp/', 'tmpsize/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: ['error', 'always'],
      'no-sequences': ['error', { allowInParentheses: false }],
      'no-throw-literal': 'error',
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Tests and JSDoc-typed scripts reach into untyped values on purpose; the type checker
      // (npm run typecheck) already guards the SDK.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `/** @type {import('x').Y} */` and `typeof import('…')` are how the JS files name types.
      '@typescript-eslint/consistent-type-imports': 'off',
      '@typescript-eslint/no-empty-function': 'off',
    },
  },
  {
    files: TYPED,
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-throw-literal': 'off',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // `import x = require('…')` is how a .cts file asks for the CommonJS types: the point of the test.
    files: ['test/types/**/*.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // JavaScript read as JavaScript: CommonJS-free ES modules, no TS-only rules to trip on JSDoc.
    files: ['**/*.{js,mjs,cjs}'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
