// The layer table of DESIGN.md is enforced by ESLint at `error`; this checks the rules bite.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../../', import.meta.url).pathname });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' && m.severity === 2).map((m) => m.message);
}

describe('layer rules', () => {
  it('keep shared/ pure', async () => {
    expect(await layerErrors('shared/probe.ts', "import { x } from '../native/sim/x.ts';\nexport const y = x;\n")).toHaveLength(1);
    expect(await layerErrors('shared/probe.ts', "import { readFileSync } from 'node:fs';\nexport const y = readFileSync;\n")).toHaveLength(1);
    expect(await layerErrors('shared/probe.ts', "import { z } from 'zod';\nexport const y = z;\n")).toHaveLength(0);
  });

  it('keep electron out of native/ and services, and renderer to shared/ only', async () => {
    expect(await layerErrors('native/sim/probe.ts', "import { app } from 'electron';\nexport const y = app;\n")).toHaveLength(1);
    expect(await layerErrors('electron/services/probe.ts', "import { app } from 'electron';\nexport const y = app;\n")).toHaveLength(1);
    expect(await layerErrors('electron/main/probe.ts', "import { app } from 'electron';\nexport const y = app;\n")).toHaveLength(0);
    expect(await layerErrors('renderer/probe.ts', "import { x } from '../electron/services/x.ts';\nexport const y = x;\n")).toHaveLength(1);
    expect(await layerErrors('renderer/probe.ts', "import { ROBOT_API } from '../shared/api/spec.ts';\nexport const y = ROBOT_API;\n")).toHaveLength(0);
  });
});
