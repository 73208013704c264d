// The layer table of DESIGN.md is enforced by ESLint at `error` (the allow-list rule
// `caplab/layers`, eslint-rules/layers.js); this lints snippets on virtual paths to check it bites.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../../', import.meta.url).pathname });
const RULE = 'caplab/layers';

interface LintError {
  readonly ruleId: string | null;
  readonly message: string;
}

/** Every error ESLint reports for `code` as if it were the file at `filePath`, whatever its rule. */
async function lintErrors(filePath: string, code: string): Promise<LintError[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.severity === 2).map((m) => ({ ruleId: m.ruleId, message: m.message }));
}

/** The layer rule's errors only (the older probes below count them). */
async function layerErrors(filePath: string, code: string): Promise<string[]> {
  return (await lintErrors(filePath, code)).filter((e) => e.ruleId === RULE).map((e) => e.message);
}

/** A module that imports `specifier` and uses it, so no other rule has anything to say. */
function importing(specifier: string, { typeOnly = false } = {}): string {
  const type = typeOnly ? 'type ' : '';
  return `import ${type}{ x } from '${specifier}';\nexport ${type}{ x };\n`;
}

/** Expect exactly one error: the layer rule naming the layer, its allow-list and the refused import. */
async function expectRefused(filePath: string, code: string, allowList: string, refused: string): Promise<void> {
  expect(await lintErrors(filePath, code)).toEqual([
    { ruleId: RULE, message: expect.stringContaining(`Layer rule: ${allowList}; not ${refused}`) },
  ]);
}

describe('layer rules', () => {
  it('keep shared/ pure', async () => {
    expect(await layerErrors('shared/probe.ts', "import { x } from '../native/sim/x.ts';\nexport const y = x;\n")).toHaveLength(1);
    expect(await layerErrors('shared/probe.ts', "import { readFileSync } from 'node:fs';\nexport const y = readFileSync;\n")).toHaveLength(1);
    expect(await layerErrors('shared/probe.ts', "import { z } from 'zod';\nexport const y = z;\n")).toHaveLength(0);
  });

  it('keep electron out of native/ and services, and renderer to shared/ only', async () => {
    expect(await layerErrors('native/sim/probe.ts', "import { app } from 'electron';\nexport const y = app;\n")).toHaveLength(1);
    expect(await layerErrors('electron/services/runs/probe.ts', "import { app } from 'electron';\nexport const y = app;\n")).toHaveLength(1);
    expect(await layerErrors('electron/main/probe.ts', "import { app } from 'electron';\nexport const y = app;\n")).toHaveLength(0);
    expect(await layerErrors('renderer/probe.ts', "import { x } from '../electron/services/x.ts';\nexport const y = x;\n")).toHaveLength(1);
    expect(await layerErrors('renderer/probe.ts', "import { ROBOT_API } from '../shared/api/spec.ts';\nexport const y = ROBOT_API;\n")).toHaveLength(0);
  });
});

describe('the layer rule is an allow-list', () => {
  const SHARED = 'shared/ may import shared/; packages: zod';
  const RENDERER = 'renderer/ may import shared/, renderer/; packages: react, react-dom, zustand, three, urdf-loader, @codemirror/*, @xterm/*, dockview, diff, uplot, zod';
  const NATIVE = 'native/ may import shared/, native/; packages: Node builtins, @mujoco/mujoco, esbuild, jpeg-js, node-pty, serialport, zod, ws, @msgpack/msgpack';
  const STORAGE = 'electron/services/storage/ may import shared/, native/, electron/services/storage/; packages: Node builtins, zod, better-sqlite3';

  it('refuses packages that are not on the layer’s list', async () => {
    await expectRefused('shared/x.ts', importing('better-sqlite3'), SHARED, "the package better-sqlite3 ('better-sqlite3')");
    await expectRefused('shared/x.ts', importing('node:fs'), SHARED, "the Node builtin node:fs ('node:fs')");
    await expectRefused('shared/x.ts', importing('fs/promises'), SHARED, "the Node builtin node:fs ('fs/promises')");
    await expectRefused('renderer/x.ts', importing('serialport'), RENDERER, "the package serialport ('serialport')");
    await expectRefused('renderer/panels/X/x.tsx', importing('node:path'), RENDERER, "the Node builtin node:path ('node:path')");
    await expectRefused('native/x.ts', importing('electron'), NATIVE, "the package electron ('electron')");
    const preload = 'electron/preload/index.ts may import shared/; packages: electron';
    await expectRefused('electron/preload/index.ts', importing('node:fs'), preload, "the Node builtin node:fs ('node:fs')");
  });

  it('refuses folders that are not on the layer’s list, type-only imports included', async () => {
    const workcell = "the path native/sim/workcell.ts ('../native/sim/workcell.ts')";
    await expectRefused('renderer/x.ts', importing('../native/sim/workcell.ts'), RENDERER, workcell);
    await expectRefused('renderer/x.ts', importing('../native/sim/workcell.ts', { typeOnly: true }), RENDERER, workcell);
    const console = "the path electron/services/console/services.ts ('../console/services.ts')";
    await expectRefused('electron/services/storage/x.ts', importing('../console/services.ts'), STORAGE, console);
    const start = '../electron/services/console/start.ts';
    await expectRefused('native/x.ts', importing(start), NATIVE, `the path electron/services/console/start.ts ('${start}')`);
  });

  it('keeps storage/ a bottom room and console/ the top one', async () => {
    const runs = importing('../runs/catalog.ts');
    expect(await layerErrors('electron/services/storage/x.ts', runs)).toEqual([expect.stringContaining('electron/services/storage/ may import')]);
    for (const room of ['agents', 'cameras', 'export', 'providers', 'robots', 'runs', 'storage', 'supervision', 'viewer', 'vla']) {
      const errors = await layerErrors(`electron/services/${room}/x.ts`, importing('../console/services.ts'));
      expect(errors, room).toEqual([expect.stringContaining(`electron/services/${room}/ may import`)]);
    }
    expect(await lintErrors('electron/services/console/x.ts', importing('../storage/database.ts'))).toEqual([]);
  });

  it('checks every way of naming a module: export-from, dynamic import, import type(), require', async () => {
    const forms = [
      "export { x } from '../native/sim/workcell.ts';\n",
      "export * from '../native/sim/workcell.ts';\n",
      "export const load = () => import('../native/sim/workcell.ts');\n",
      "export type X = import('../native/sim/workcell.ts').Workcell;\n",
      "declare const require: (name: string) => unknown;\nexport const x = require('../native/sim/workcell.ts');\n",
    ];
    for (const code of forms) {
      const errors = await layerErrors('renderer/x.ts', code);
      expect(errors, code).toEqual([expect.stringContaining("not the path native/sim/workcell.ts ('../native/sim/workcell.ts')")]);
    }
  });

  it('refuses a file that is in no layer', async () => {
    expect(await lintErrors('electron/services/x.ts', 'export const x = 1;\n')).toEqual([
      { ruleId: RULE, message: 'Layer rule: electron/services/x.ts is in no layer; add its folder to the layer table in eslint.config.js.' },
    ]);
  });

  it('gives test files their additions and no more', async () => {
    expect(await lintErrors('shared/x.test.ts', importing('node:fs'))).toEqual([]);
    const sharedTests = 'shared/ (tests) may import shared/; packages: zod, node:fs, node:url, vitest';
    await expectRefused('shared/x.test.ts', importing('node:os'), sharedTests, "the Node builtin node:os ('node:os')");
  });

  it('lets each layer import what its list names: folders, packages, scopes and subpaths', async () => {
    const allowed: [string, string][] = [
      ['shared/x.ts', 'zod'],
      ['shared/ipc/x.ts', '../api/spec.ts'],
      ['renderer/x.ts', 'three/examples/jsm/controls/OrbitControls.js'],
      ['renderer/x.ts', '@codemirror/view'],
      ['renderer/panels/X/x.tsx', '../../../shared/api/spec.ts'],
      ['native/x.ts', '@mujoco/mujoco'],
      ['native/x.ts', 'node:fs'],
      ['native/x.ts', 'fs'],
      ['native/drivers/x.ts', '../../shared/api/spec.ts'],
      ['electron/services/storage/x.ts', 'better-sqlite3'],
      ['electron/services/storage/x.ts', '../../../shared/api/spec.ts'],
      ['electron/services/runs/x.ts', '../storage/database.ts'],
      ['electron/main/x.ts', 'electron'],
      ['electron/preload/index.ts', 'electron'],
    ];
    for (const [file, specifier] of allowed) expect(await lintErrors(file, importing(specifier)), `${file} ← ${specifier}`).toEqual([]);
  });
});
