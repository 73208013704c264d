/**
 * Arming in the console without a policy sandbox: refused with the reason unless the console was
 * started `--unsandboxed`, and the safety state says which sandbox policies get.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectSandbox } from '../../../native/runtime/sandbox.ts';
import { startConsoleServer, type ConsoleServer } from './console-server.ts';
import { nullTwin } from '../viewer/null-twin.ts';
import { connectApi } from './test-support.ts';

const opened: { server: ConsoleServer; dir: string; dispose: () => void }[] = [];
const saved = process.env['CAPLAB_SANDBOX'];

async function openConsole(unsandboxed: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'caplab-sandbox-arming-'));
  const server = await startConsoleServer({ storePath: join(dir, 'caplab.db'), bundle: false, createTwin: () => nullTwin(), ...(unsandboxed ? { unsandboxed } : {}) });
  const { api, transport } = await connectApi(server);
  opened.push({ server, dir, dispose: () => transport.dispose() });
  return api;
}

afterEach(async () => {
  if (saved === undefined) delete process.env['CAPLAB_SANDBOX'];
  else process.env['CAPLAB_SANDBOX'] = saved;
  for (const { server, dir, dispose } of opened.splice(0)) {
    dispose();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('arming and the policy sandbox', () => {
  it('refuses to arm without a sandbox, says why, and logs no arming', async () => {
    process.env['CAPLAB_SANDBOX'] = 'off';
    const api = await openConsole(false);
    const status = await api.safety.status({});
    expect(status.sandbox).toMatchObject({ kind: 'none', armingAllowed: false });
    await expect(api.safety.arm({})).rejects.toMatchObject({ code: 'not_available', message: expect.stringMatching(/no policy sandbox here .*--unsandboxed/) });
    expect((await api.safety.status({})).armed).toBe(false);
    expect((await api.safety.log({ limit: 10 })).filter((e) => e.action === 'arm')).toEqual([]);
  });

  it('arms without a sandbox when the operator started the console --unsandboxed', async () => {
    process.env['CAPLAB_SANDBOX'] = 'off';
    const api = await openConsole(true);
    expect((await api.safety.status({})).sandbox).toMatchObject({ kind: 'none', armingAllowed: true });
    expect(await api.safety.arm({})).toMatchObject({ armed: true });
    expect((await api.safety.log({ limit: 10 })).map((e) => e.action)).toContain('arm');
  });

  it("reports this machine's sandbox, and arms where there is one", async () => {
    delete process.env['CAPLAB_SANDBOX'];
    const sandbox = detectSandbox();
    const api = await openConsole(false);
    expect((await api.safety.status({})).sandbox).toEqual({ kind: sandbox.kind, detail: sandbox.detail, armingAllowed: sandbox.kind !== 'none' });
    if (sandbox.kind === 'none') await expect(api.safety.arm({})).rejects.toMatchObject({ code: 'not_available' });
    else expect(await api.safety.arm({})).toMatchObject({ armed: true });
  });
});
