// run_vla under the supervisor when things go wrong: the e-stop mid-chunk, a server that answers
// garbage or nothing, and actions beyond the limits; the real parts (python3, MuJoCo, websockets).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIERS } from '../../../shared/api/tiers.ts';
import type { BoundCall } from '../../../shared/api/calls.ts';
import { validateCall } from '../../../shared/api/validate.ts';
import type { PolicyEvent } from '../../../shared/run.ts';
import { VlaServerConfig } from '../../../shared/vla/config.ts';
import { NdArray } from '../../../shared/vla/ndarray.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { startVlaEmulator, type EmulatorOptions, type VlaEmulator } from '../../../native/vla/emulator.ts';
import { loadTask } from '../trials/catalog.ts';
import { runTrial } from '../trials/trial.ts';

const task = loadTask('cube-stack');
const PERIOD_S = 1 / 30;

/** The backend, with every stream_joints step it served (robot time reached) and a hook after each. */
function watched(backend: SimBackend, afterStep: (steps: number) => void): { backend: SimBackend; stepsS: number[] } {
  const stepsS: number[] = [];
  const invoke = async (call: BoundCall): Promise<unknown> => {
    const value = await backend.invoke(call);
    if (call.fn === 'stream_joints') {
      stepsS.push((value as { time_s: number }).time_s);
      afterStep(stepsS.length);
    }
    return value;
  };
  return { backend: Object.assign(Object.create(backend) as SimBackend, { invoke }), stepsS };
}

describe('run_vla safety', () => {
  let sim: SimBackend;
  let emulator: VlaEmulator | null = null;
  beforeAll(async () => {
    sim = await SimBackend.start(task);
  });
  afterAll(async () => {
    await sim.dispose();
  });
  const trial = async (programSource: string, options: EmulatorOptions, extra: { timeoutMs?: number; backend?: SimBackend; signal?: AbortSignal } = {}) => {
    emulator = await startVlaEmulator(options);
    const events: PolicyEvent[] = [];
    const server = VlaServerConfig.parse({ name: 'emulated', url: emulator.url, ...(extra.timeoutMs ? { timeoutMs: extra.timeoutMs } : {}) });
    try {
      const outcome = await runTrial({ task, seed: 5, tier: TIERS.S1, backend: extra.backend ?? sim, programSource, programName: 'vla.py', vlaServers: [server], onEvent: (e) => events.push(e), ...(extra.signal ? { signal: extra.signal } : {}) });
      return { outcome, events };
    } finally {
      await emulator.close();
    }
  };

  it('the e-stop halts the arm within one control step, mid-chunk', async () => {
    const controller = new AbortController();
    let stoppedAfterS = 0;
    const { backend, stepsS } = watched(sim, (steps) => {
      if (steps !== 15) return; // the middle of the second chunk
      stoppedAfterS = stepsS.at(-1)!;
      controller.abort(new Error('test e-stop'));
    });
    const { outcome } = await trial("run_vla('pick up the red cube', 10)", {}, { backend, signal: controller.signal });
    expect(outcome.status).toBe('cancelled');
    expect(stepsS.length).toBeLessThanOrEqual(16); // at most the step in flight, cut short
    const haltedAtS = (await sim.state()).timeS;
    expect(haltedAtS - stoppedAfterS).toBeLessThanOrEqual(PERIOD_S + 0.002);
    // The operator releases the e-stop: the arm brakes onto where the halt found it and stays there.
    sim.resume();
    const sleep = (seconds = 0.3): Promise<unknown> => sim.invoke(validateCall({ fn: 'sleep', args: [seconds], kwargs: {} }, { armJointCount: 7 }));
    const distance = (a: readonly number[], b: readonly number[]): number => Math.max(...a.map((q, i) => Math.abs(q - b[i]!)));
    const atHalt = (await sim.state()).jointAnglesRad;
    await sleep(1);
    const braked = (await sim.state()).jointAnglesRad;
    await sleep();
    expect(distance(braked, atHalt)).toBeLessThan(0.1);
    expect(distance((await sim.state()).jointAnglesRad, braked)).toBeLessThan(0.002);
  });

  it('malformed replies raise a PolicyServerError that says what was wrong, and the arm holds', async () => {
    const bad: Record<number, { actions: NdArray }> = {
      2: { actions: NdArray.float32(new Array(50).fill(0), [10, 5]) },
      4: { actions: NdArray.float32([0.1, 0.2, Number.NaN, 0, 0, 0, 0, 0], [1, 8]) },
      6: { actions: NdArray.float32(new Array(80).fill(0), [1, 10, 8]) },
      8: { actions: NdArray.float32(new Array(8 * 2000).fill(0), [2000, 8]) },
      10: { actions: NdArray.float32([0, 0, 0, 1e6, 0, 0, 0, 0], [1, 8]) },
    };
    const program = [
      'from caplab import PolicyServerError',
      'for case in range(5):',
      '    try:',
      "        run_vla('pick up the red cube', 3)",
      "        print('no error')",
      '    except PolicyServerError as error:',
      "        q = get_observation()['q_rad']",
      '        sleep(0.3)',
      "        moved = max(abs(a - b) for a, b in zip(q, get_observation()['q_rad']))",
      "        print(type(error).__name__, '|', error, '| moved', round(moved, 4))",
    ].join('\n');
    const { outcome } = await trial(program, { behaviour: (request) => bad[request] });
    const lines = outcome.policy.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^PolicyServerError \| run_vla\(\): policy server 'emulated' sent actions of 5 values \(shape \[10, 5\]\); this arm needs 8/);
    expect(lines[1]).toMatch(/sent NaN at action 0, value 2/);
    expect(lines[2]).toMatch(/sent 'actions' with 3 dimensions \[1, 10, 8\]/);
    expect(lines[3]).toMatch(/sent 2000 actions in one chunk, too large \(at most 1000\)/);
    expect(lines[4]).toMatch(/sent 1000000 at action 0, value 3: too large to be a joint value/);
    for (const line of lines) {
      expect(line).toContain('the arm holds where it is');
      expect(Number(/moved ([\d.]+)/.exec(line)![1])).toBeLessThan(0.1); // it settles on its last target, no further
    }
  });

  it('a server that stalls raises PolicyServerTimeout after its timeout, the arm holding', async () => {
    const program = [
      'from caplab import PolicyServerTimeout',
      'try:',
      "    run_vla('pick up the red cube', 5)",
      'except PolicyServerTimeout as error:',
      "    print('timeout:', isinstance(error, TimeoutError), error)",
    ].join('\n');
    const { outcome, events } = await trial(program, { behaviour: (request) => (request === 3 ? 'stall' : undefined) }, { timeoutMs: 400 });
    expect(outcome.policy.stdout).toMatch(/timeout: True run_vla\(\): policy server 'emulated' \(ws:[^)]+\) did not answer within 0\.4 s; the arm holds where it is/);
    expect(events.filter((e) => e.kind === 'vla-chunk')).toHaveLength(2);
  });

  it('clips actions beyond the speed limit, each limit a safety event (then counted, not logged)', async () => {
    let chunk = 0;
    const jump = {
      infer: (): Record<string, unknown> => {
        chunk += 1;
        const q = [0.6 * chunk, -0.785, 0, -2.356, 0, 1.571, 0.785]; // 0.6 rad a chunk: 1.8 rad/s at the first action
        return { actions: NdArray.float32(Array.from({ length: 10 }, () => [...q, 0]).flat(), [10, 8]) };
      },
    };
    const { outcome, events } = await trial("print(run_vla('swing', 0.6))", { episode: () => jump });
    expect(outcome.policy.stdout).toMatch(/'stop_reason': 'time_up', 'steps': 18,/);
    const clips = events.filter((e) => e.kind === 'safety').map((e) => (e as { reason: string }).reason);
    expect(clips[0]).toMatch(/^run_vla action clipped at the (acceleration|speed): /);
    expect(clips.some((reason) => /clipped at the speed: a joint speed of [\d.]+ rad\/s clipped to 1 rad\/s/.test(reason))).toBe(true);
    expect(clips.length).toBeLessThan(6);
    expect(Number(/'clipped': (\d+)/.exec(outcome.policy.stdout)![1])).toBeGreaterThan(5);
  });
});
