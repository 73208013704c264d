// Layer rules (DESIGN.md, "Top-level folders"), enforced at `error` by the local rule
// `caplab/layers` (eslint-rules/layers.js). It is an allow-list: each layer below names the
// folders and packages it may import and everything else is refused, Node builtins and
// type-only imports included. A file is in the layer with the longest matching key; every file
// of shared/, native/, electron/ and renderer/ must be in one. Test files (`*.test.ts[x]`) get
// their layer's list plus its `tests` additions. scripts/, bin/ and the tool configs are free.
//
//   shared/               → shared/ · zod                 tests + node:fs, node:url, vitest
//   renderer/             → shared/, renderer/ · react, react-dom, zustand, three, urdf-loader,
//                           @codemirror/*, @xterm/*, dockview, diff, uplot, zod  tests + vitest
//   native/               → shared/, native/ · Node, @mujoco/mujoco, esbuild (worker bundles),
//                           jpeg-js, node-pty, serialport, zod, ws, @msgpack/msgpack (the VLA
//                           policy-server clients, native/vla/)   tests + vitest, urdf-loader
//   native/drivers/camera/opencv-calibration.ts → shared/, native/ · Node
//                           plus @techstark/opencv-js (OpenCV's WebAssembly build, loaded only by
//                           `caplab calibrate compare`; no other file imports it)
//   electron/services/<room>/ → shared/, native/, its own room, the rooms below · Node, zod
//                           (tests + vitest and what is listed); a new room is in no layer until listed
//     storage/      (no other room) + better-sqlite3
//     providers/    (no other room)
//     supervision/  (no other room)                      tests + trials/
//     vla/          supervision/                         tests + trials/
//     cameras/      (no other room)                      tests + console/, viewer/, jpeg-js
//     robots/       supervision/, vla/ + serialport            tests + console/, urdf-loader
//     trials/       supervision/, vla/
//     viewer/       trials/, storage/, cameras/, supervision/
//     agents/       trials/, supervision/, storage/, providers/, vla/   tests + electron/cli/
//     rl/           trials/, agents/, providers/, storage/, supervision/, vla/ + apache-arrow,
//                   parquet-wasm, hyparquet
//     runs/         trials/, agents/, robots/, viewer/, storage/, supervision/, vla/
//     export/       storage/, trials/ + @mcap/core, @foxglove/schemas, @foxglove/ws-protocol, ws,
//                   apache-arrow, parquet-wasm                 tests + console/, hyparquet
//     console/      every room (the composition root and transport) + esbuild, ws
//   electron/cli/         → shared/, native/, electron/services/, electron/perf/, electron/cli/ ·
//                           Node, node-pty, @mujoco/mujoco   tests + vitest, eslint
//   electron/perf/        → shared/, native/, electron/services/, electron/perf/ · Node,
//                           playwright-core, ws
//   electron/main/        → shared/, electron/services/, electron/main/ · Node, electron, tsx
//   electron/preload/     → shared/, electron/preload/ · Node, electron, esbuild
//                           tests + electron/main/, vitest
//   electron/preload/index.ts → shared/ · electron   (the sandboxed preload: no Node at all)
//   electron/e2e/         → shared/, native/, electron/ (not renderer/) · Node, playwright-core, vitest
//   electron/types/       → nothing (the type stub of `electron`)
// Only electron/main and electron/preload import `electron`; outside tests, no room but console/
// imports console/. Rooms import only rooms listed before them, so the room graph has no cycle
// (a type import counts as an edge).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import caplabPlugin, { NODE_BUILTINS as NODE } from './eslint-rules/layers.js';

const SERVICES = 'electron/services/';

/** A room of electron/services: shared/, native/, itself and the named rooms; Node and zod. */
function room(name, { rooms = [], packages = [], tests } = {}) {
  const folders = ['shared/', 'native/', ...[name, ...rooms].map((other) => `${SERVICES}${other}/`)];
  const testFolders = (tests?.rooms ?? []).map((other) => `${SERVICES}${other}/`).concat(tests?.folders ?? []);
  return {
    [`${SERVICES}${name}/`]: {
      folders,
      packages: [NODE, 'zod', ...packages],
      tests: { folders: testFolders, packages: ['vitest', ...(tests?.packages ?? [])] },
    },
  };
}

/** The layer table (see the header): the key is a folder (ending in `/`) or a single file. */
const LAYERS = {
  'shared/': { folders: ['shared/'], packages: ['zod'], tests: { packages: ['node:fs', 'node:url', 'vitest'] } },
  'renderer/': {
    folders: ['shared/', 'renderer/'],
    packages: ['react', 'react-dom', 'zustand', 'three', 'urdf-loader', '@codemirror/*', '@xterm/*', 'dockview', 'diff', 'uplot', 'zod'],
    tests: { packages: ['vitest'] },
  },
  'native/': {
    folders: ['shared/', 'native/'],
    packages: [NODE, '@mujoco/mujoco', 'esbuild', 'jpeg-js', 'node-pty', 'serialport', 'zod', 'ws', '@msgpack/msgpack'],
    tests: { packages: ['vitest', 'urdf-loader'] },
  },
  'native/drivers/camera/opencv-calibration.ts': { folders: ['shared/', 'native/'], packages: [NODE, '@techstark/opencv-js'] },
  ...room('storage', { packages: ['better-sqlite3'] }),
  ...room('providers'),
  ...room('supervision', { tests: { rooms: ['trials'] } }),
  ...room('vla', { rooms: ['supervision'], tests: { rooms: ['trials'] } }),
  ...room('cameras', { tests: { rooms: ['console', 'viewer'], packages: ['jpeg-js'] } }),
  ...room('robots', { rooms: ['supervision', 'vla'], packages: ['serialport'], tests: { rooms: ['console'], packages: ['urdf-loader'] } }),
  ...room('trials', { rooms: ['supervision', 'vla'] }),
  ...room('viewer', { rooms: ['trials', 'storage', 'cameras', 'supervision'] }),
  ...room('agents', { rooms: ['trials', 'supervision', 'storage', 'providers', 'vla', 'robots'], tests: { folders: ['electron/cli/'] } }),
  ...room('rl', { rooms: ['trials', 'agents', 'providers', 'storage', 'supervision', 'vla'], packages: ['apache-arrow', 'parquet-wasm', 'hyparquet'] }),
  ...room('runs', { rooms: ['trials', 'agents', 'robots', 'viewer', 'storage', 'supervision', 'vla'] }),
  ...room('export', {
    rooms: ['storage', 'trials'],
    packages: ['@mcap/core', '@foxglove/schemas', '@foxglove/ws-protocol', 'ws', 'apache-arrow', 'parquet-wasm'],
    tests: { rooms: ['console'], packages: ['hyparquet'] },
  }),
  [`${SERVICES}console/`]: {
    folders: ['shared/', 'native/', SERVICES],
    packages: [NODE, 'zod', 'esbuild', 'ws'],
    tests: { packages: ['vitest'] },
  },
  'electron/cli/': {
    folders: ['shared/', 'native/', SERVICES, 'electron/perf/', 'electron/cli/'],
    packages: [NODE, 'node-pty', '@mujoco/mujoco'],
    tests: { packages: ['vitest', 'eslint'] },
  },
  'electron/perf/': { folders: ['shared/', 'native/', SERVICES, 'electron/perf/'], packages: [NODE, 'playwright-core', 'ws'] },
  'electron/main/': {
    folders: ['shared/', SERVICES, 'electron/main/'],
    packages: [NODE, 'electron', 'tsx'],
    tests: { packages: ['vitest'] },
  },
  'electron/preload/': {
    folders: ['shared/', 'electron/preload/'],
    packages: [NODE, 'electron', 'esbuild'],
    tests: { folders: ['electron/main/'], packages: ['vitest'] },
  },
  'electron/preload/index.ts': { folders: ['shared/'], packages: ['electron'] },
  'electron/e2e/': { folders: ['shared/', 'native/', 'electron/'], packages: [NODE, 'playwright-core', 'vitest'] },
  'electron/types/': {},
};

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
    files: ['bin/**/*.js', 'scripts/**/*.js', 'scripts/**/*.cjs', 'native/**/*.mjs', 'electron/**/*.cjs', 'eslint.config.js', 'eslint-rules/**/*.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', URL: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Sizes (STYLE.md: files under 300 lines, functions short): no source file over 300 lines, no
    // function over 60 (blank lines and comments not counted). Tests and the React views
    // (renderer/**/*.tsx, whose panels are components) are not held to the function limit.
    files: ['{shared,native,electron,renderer}/**/*.{ts,tsx,mjs}'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', 'electron/e2e/**'],
    rules: { 'max-lines': ['error', { max: 300 }] },
  },
  {
    files: ['{shared,native,electron,renderer}/**/*.{ts,mjs}'],
    ignores: ['**/*.test.ts', 'electron/e2e/**'],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ['{shared,native,electron,renderer}/**/*.{ts,tsx,js,mjs,cjs}'],
    plugins: { caplab: caplabPlugin },
    rules: { 'caplab/layers': ['error', LAYERS] },
  },
);
