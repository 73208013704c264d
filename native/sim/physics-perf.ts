/**
 * How fast a workcell's physics runs, three ways on the same MJCF and the same state (the scene
 * just reset, arms holding home): bare `mj_step` on a data of its own, the workcell's own stepping
 * (targets held, the twin's observer, the physics clock), both in this thread of this process, and
 * native MuJoCo through its Python bindings when `python3` can import `mujoco` (`nstep`, so that
 * Python's loop costs nothing). Runs alternate, so that other load hits all alike.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { MainModule, MjData } from '@mujoco/mujoco';
import type { TaskDefinition } from '../../shared/tasks.ts';
import { median } from '../../shared/math/stats.ts';
import { workcellMjcf } from './panda-mjcf.ts';
import { PandaWorkcell } from './workcell.ts';

const run = promisify(execFile);

/** Steps per second each way; native is null (with the reason) where it could not run. */
export interface PhysicsSpeed {
  readonly bareStepsPerSecond: number;
  readonly workcellStepsPerSecond: number;
  readonly nativeStepsPerSecond: number | null;
  readonly nativeSkipped: string | null;
}

/** The state both steppers start from, for the native run too. */
interface StartState {
  readonly qpos: number[];
  readonly qvel: number[];
  readonly ctrl: number[];
}

/** Measure `task`'s workcell in this thread: `runs` alternating rounds of `steps` steps each way. */
export async function measurePhysics(mujoco: MainModule, task: TaskDefinition, options: { steps?: number; runs?: number; python?: string } = {}): Promise<PhysicsSpeed> {
  const { steps = 20_000, runs = 5, python = 'python3' } = options;
  const workcell = PandaWorkcell.create(mujoco, task, { isHalted: () => false });
  const bare = new mujoco.MjData(workcell.model);
  try {
    workcell.reset(0);
    const start = stateOf(workcell.data);
    const samples = { bare: [] as number[], workcell: [] as number[] };
    workcell.stepsPerSecond(steps / 10); // warm up the JIT
    for (let round = 0; round < runs; round += 1) {
      setState(bare, start);
      samples.bare.push(bareStepsPerSecond(mujoco, workcell, bare, steps));
      samples.workcell.push(workcell.stepsPerSecond(steps));
    }
    const native = await nativeStepsPerSecond(python, workcellMjcf(task), start, steps, runs);
    return {
      bareStepsPerSecond: Math.round(median(samples.bare)),
      workcellStepsPerSecond: Math.round(median(samples.workcell)),
      nativeStepsPerSecond: typeof native === 'number' ? Math.round(native) : null,
      nativeSkipped: typeof native === 'string' ? native : null,
    };
  } finally {
    bare.delete();
    workcell.dispose();
  }
}

function bareStepsPerSecond(mujoco: MainModule, workcell: PandaWorkcell, data: MjData, steps: number): number {
  const started = performance.now();
  for (let i = 0; i < steps; i += 1) mujoco.mj_step(workcell.model, data);
  return steps / ((performance.now() - started) / 1000);
}

function stateOf(data: MjData): StartState {
  const copy = (values: unknown): number[] => Array.from(values as Float64Array);
  return { qpos: copy(data.qpos), qvel: copy(data.qvel), ctrl: copy(data.ctrl) };
}

function setState(data: MjData, state: StartState): void {
  (data.qpos as Float64Array).set(state.qpos);
  (data.qvel as Float64Array).set(state.qvel);
  (data.ctrl as Float64Array).set(state.ctrl);
  data.time = 0;
}

/** Steps the same MJCF from the same state in Python: prints the median steps per second. */
const NATIVE_PROGRAM = `
import json, sys, time
import mujoco
spec = json.load(open(sys.argv[1]))
model = mujoco.MjModel.from_xml_path(spec['mjcf'])
data = mujoco.MjData(model)
rates = []
for _ in range(spec['runs']):
    data.qpos[:] = spec['qpos']; data.qvel[:] = spec['qvel']; data.ctrl[:] = spec['ctrl']; data.time = 0
    started = time.perf_counter()
    mujoco.mj_step(model, data, nstep=spec['steps'])
    rates.append(spec['steps'] / (time.perf_counter() - started))
print(json.dumps({'stepsPerSecond': sorted(rates)[len(rates) // 2], 'version': mujoco.__version__}))
`;

/** Native steps per second, or why it could not be measured. */
async function nativeStepsPerSecond(python: string, mjcf: string, start: StartState, steps: number, runs: number): Promise<number | string> {
  const dir = mkdtempSync(join(tmpdir(), 'caplab-native-physics-'));
  try {
    writeFileSync(join(dir, 'workcell.xml'), mjcf);
    writeFileSync(join(dir, 'spec.json'), JSON.stringify({ mjcf: join(dir, 'workcell.xml'), steps, runs, ...start }));
    const probe = await run(python, ['-c', 'import mujoco'], { timeout: 60_000 }).catch((error: { stderr?: string; message: string }) => error);
    if ('message' in probe) return `${python} cannot import mujoco (python3 -m pip install mujoco): ${(probe.stderr ?? probe.message).trim().split('\n').at(-1)}`;
    const { stdout } = await run(python, ['-c', NATIVE_PROGRAM, join(dir, 'spec.json')], { timeout: 300_000 });
    return (JSON.parse(stdout) as { stepsPerSecond: number }).stepsPerSecond;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
