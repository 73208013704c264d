// Layer rules (DESIGN.md, "Top-level folders"): who may import whom, enforced at `error`.
//   shared/   → nothing but the ES library (and zod, which is pure and holds the IPC schemas)
//   native/   → shared/, Node, device libraries; never electron, electron/ or renderer/
//   electron/ → shared/, native/; only electron/main and electron/preload import `electron`
//   renderer/ → shared/ only
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'worker_threads', 'crypto'];

/** `no-restricted-imports` patterns forbidding the given folders (relative imports included). */
function forbidFolders(...folders) {
  return folders.map((folder) => ({
    group: [`**/${folder}/**`, `${folder}/**`],
    message: `layer rule (DESIGN.md): this folder may not import from ${folder}/`,
  }));
}

const electronPackage = { name: 'electron', message: 'layer rule: only electron/main and electron/preload import electron' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'artifacts/**', '.scratch/**', '**/*.py', 'electron/preload/index.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.js', 'scripts/**/*.cjs', 'native/**/*.mjs', 'electron/**/*.cjs', 'eslint.config.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', URL: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'], // tests run under Node and may read fixtures
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronPackage],
          patterns: [
            ...forbidFolders('native', 'electron', 'renderer', 'resources'),
            { group: nodeBuiltins, message: 'layer rule: shared/ is pure TypeScript (no Node APIs)' },
          ],
        },
      ],
    },
  },
  {
    files: ['native/**/*.ts', 'native/**/*.mjs'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronPackage], patterns: forbidFolders('electron', 'renderer') }],
    },
  },
  {
    files: ['electron/services/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronPackage], patterns: forbidFolders('renderer') }],
    },
  },
  {
    files: ['electron/main/**', 'electron/preload/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: forbidFolders('renderer') }] },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronPackage],
          patterns: [
            ...forbidFolders('native', 'electron', 'resources'),
            { group: nodeBuiltins, message: 'layer rule: the renderer runs in a browser (no Node APIs)' },
          ],
        },
      ],
    },
  },
);
