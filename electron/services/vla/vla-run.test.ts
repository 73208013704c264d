// run_vla end to end on the simulated workcell: python3 in a pty, the supervisor, the control loop,
// the OpenPI client and the scripted emulator over a real websocket, MuJoCo in its worker.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIERS } from '../../../shared/api/tiers.ts';
import type { PolicyEvent } from '../../../shared/run.ts';
import { VlaServerConfig } from '../../../shared/vla/config.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { startVlaEmulator, type VlaEmulator } from '../../../native/vla/emulator.ts';
import { taskAtDifficulty } from '../../../shared/tasks.ts';
import { loadTask } from '../trials/catalog.ts';
import { runTrial } from '../trials/trial.ts';

const task = loadTask('cube-stack');
const HYBRID = readFileSync(new URL('../../../resources/vla/cube-stack.py', import.meta.url), 'utf8');

describe('run_vla on the simulated workcell', () => {
  let backend: SimBackend;
  let emulator: VlaEmulator;
  beforeAll(async () => {
    [backend, emulator] = await Promise.all([SimBackend.start(task), startVlaEmulator()]);
  });
  afterAll(async () => {
    await Promise.all([backend.dispose(), emulator.close()]);
  });
  const servers = () => [VlaServerConfig.parse({ name: 'scripted', url: emulator.url })];

  it('picks the red cube with the policy, then the code stacks it on the green cube', async () => {
    const events: PolicyEvent[] = [];
    const outcome = await runTrial({ task, seed: 3, tier: TIERS.S1, backend, programSource: HYBRID, programName: 'cube-stack.py', vlaServers: servers(), onEvent: (e) => events.push(e) });
    expect(outcome.policy.stdout).toMatch(/run_vla: done after \d+ steps, \d+ chunks/);
    expect(outcome.status).toBe('success');
    const chunks = events.filter((e) => e.kind === 'vla-chunk');
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks[0]).toMatchObject({ server: 'scripted', arm: 'left', chunk: 1, actions: 10, applied: 10, done: false });
    expect(chunks.at(-1)).toMatchObject({ done: true });
  });

  it('at standard, the scripted policy reaches for the red cube, not the orange look-alike beside it', async () => {
    const standard = taskAtDifficulty(task, 'standard');
    expect(standard.objects.some((o) => o.fixed && o.rgba[0]! > 2 * o.rgba[1]!)).toBe(true); // the look-alike is there
    const sensed = await SimBackend.start(standard);
    try {
      const outcome = await runTrial({ task: standard, seed: 3, tier: TIERS.S1, backend: sensed, programSource: HYBRID, programName: 'cube-stack.py', vlaServers: servers() });
      expect({ status: outcome.status, reason: outcome.reason }).toMatchObject({ status: 'success' });
    } finally {
      await sensed.dispose();
    }
  });
});
