/**
 * What publishing the twin's poses costs the simulator: physics steps per second with the pose
 * buffer switched on and off (alternating, median of several runs), the same for a real arm
 * motion's wall time, and how many pose frames the worker publishes per second of stepping.
 * On a shared, loaded machine the first numbers are noisy; `measurePublishFrameCost` times the
 * pieces in one thread (one frame written, the per-step check, one physics step), which is steadier.
 *
 * Run: `npx tsx native/sim/twin-perf.ts [task ...] [--runs N]` (prints one JSON line per task).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import loadMujoco from '@mujoco/mujoco';
import { validateCall } from '../../shared/api/validate.ts';
import { parseTaskDefinition, type TaskDefinition } from '../../shared/tasks.ts';
import { PANDA_HOME_RAD } from './panda-mjcf.ts';
import { createFrameRing } from './frame-ring.ts';
import { createPoseBuffer } from './pose-buffer.ts';
import { SimBackend } from './sim-backend.ts';
import { describeTwinBodies } from './twin-bodies.ts';
import { TwinPublisher } from './twin-publisher.ts';
import { PandaWorkcell } from './workcell.ts';
import { median } from '../../shared/math/stats.ts';

/** The measured numbers (medians). */
export interface TwinPublishingCost {
  readonly stepsPerSecondPublishing: number;
  readonly stepsPerSecondNotPublishing: number;
  /** Wall time of one 1.2 rad joint move, ms. */
  readonly motionMsPublishing: number;
  readonly motionMsNotPublishing: number;
  /** Pose frames written per second of wall time while the worker steps (holding still). */
  readonly posesPerSecond: number;
  /** The same during the joint moves. */
  readonly posesPerSecondMoving: number;
}

/** Measure on `task`'s workcell: `runs` alternating rounds of `steps` steps and one move each way. */
export async function measureTwinPublishing(task: TaskDefinition, runs = 5, steps = 20_000): Promise<TwinPublishingCost> {
  const backend = await SimBackend.start(task);
  const posture = (delta: number): number[] => PANDA_HOME_RAD.map((q, i) => (i === 0 ? q + delta : q));
  const move = (delta: number) =>
    backend.invoke(validateCall({ fn: 'move_to_joints', args: [posture(delta)], kwargs: {} }, { armJointCount: 7, arms: backend.twin.arms }));
  const samples = { on: [] as number[], off: [] as number[], moveOn: [] as number[], moveOff: [] as number[], rate: [] as number[], moving: [] as number[] };
  try {
    await backend.reset(0);
    await backend.stepsPerSecond(2000); // warm up the JIT
    for (let run = 0; run < runs; run += 1) {
      // Alternate the order so that drift (other load on the machine) hits both alike.
      for (const publishing of run % 2 === 0 ? [false, true] : [true, false]) {
        backend.poses.publishing = publishing;
        const seqBefore = backend.poses.seq;
        const rate = await backend.stepsPerSecond(steps);
        // The request's end publishes once more; leave that frame out.
        const frames = backend.poses.seq - seqBefore - (publishing ? 1 : 0);
        (publishing ? samples.on : samples.off).push(rate);
        if (publishing) samples.rate.push(frames / (steps / rate));
        const seqBeforeMove = backend.poses.seq;
        const started = performance.now();
        await move(run % 2 === 0 ? 0.6 : -0.6);
        await move(0);
        const movingMs = performance.now() - started;
        (publishing ? samples.moveOn : samples.moveOff).push(movingMs / 2);
        if (publishing) samples.moving.push((backend.poses.seq - seqBeforeMove - 2) / (movingMs / 1000));
      }
    }
  } finally {
    await backend.dispose();
  }
  return {
    stepsPerSecondPublishing: Math.round(median(samples.on)),
    stepsPerSecondNotPublishing: Math.round(median(samples.off)),
    motionMsPublishing: Number(median(samples.moveOn).toFixed(1)),
    motionMsNotPublishing: Number(median(samples.moveOff).toFixed(1)),
    posesPerSecond: Number(median(samples.rate).toFixed(1)),
    posesPerSecondMoving: Number(median(samples.moving).toFixed(1)),
  };
}

/**
 * Microseconds per published live frame, per step for the checks and the amortized recorded
 * frame, and per physics step (medians).
 */
export interface PublishFrameCost {
  readonly bodies: number;
  readonly publishUs: number;
  readonly checkUs: number;
  readonly stepUs: number;
}

/** Time the publisher's pieces in this thread on `task`'s workcell (`rounds` rounds of `count`). */
export async function measurePublishFrameCost(task: TaskDefinition, rounds = 5, count = 20_000): Promise<PublishFrameCost> {
  const mujoco = await loadMujoco();
  const workcell = PandaWorkcell.create(mujoco, task, { isHalted: () => false });
  try {
    const arms = workcell.arms.map((arm) => arm.name);
    const { bodies, bodyIds } = describeTwinBodies(mujoco, workcell.model, arms, workcell.scene.objects.map((o) => o.name));
    const buffer = createPoseBuffer(bodies.length, arms.length);
    workcell.reset(0);
    const everyCall = new TwinPublisher(buffer, null, workcell.data, workcell.model.opt.timestep, bodyIds, workcell.arms, 0);
    // No live frame is ever due: what a step pays for the wall-clock check plus, amortized, the
    // recorded frame taken every 20 steps.
    const never = new TwinPublisher(buffer, createFrameRing(bodies.length), workcell.data, workcell.model.opt.timestep, bodyIds, workcell.arms, Number.POSITIVE_INFINITY);
    never.afterStep();
    const time = (action: () => void): number => {
      const started = performance.now();
      for (let i = 0; i < count; i += 1) action();
      return ((performance.now() - started) / count) * 1000;
    };
    const samples = { publish: [] as number[], check: [] as number[], step: [] as number[] };
    for (let round = 0; round < rounds; round += 1) {
      samples.publish.push(time(() => everyCall.afterStep()));
      samples.check.push(time(() => never.afterStep()));
      samples.step.push(time(() => mujoco.mj_step(workcell.model, workcell.data)));
    }
    const us = (values: number[]): number => Number(median(values).toFixed(3));
    return { bodies: bodies.length, publishUs: us(samples.publish), checkUs: us(samples.check), stepUs: us(samples.step) };
  } finally {
    workcell.dispose();
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 5;
  const tasks = argv.filter((arg, i) => !arg.startsWith('--') && argv[i - 1] !== '--runs');
  for (const id of tasks.length ? tasks : ['cube-lift', 'two-arm-lift']) {
    const url = new URL(`../../resources/tasks/${id}.json`, import.meta.url);
    const task = parseTaskDefinition(readFileSync(url, 'utf8'), url.pathname);
    const cost = await measureTwinPublishing(task, runs);
    const frame = await measurePublishFrameCost(task, runs);
    console.log(JSON.stringify({ task: id, ...cost, ...frame }));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(process.argv.slice(2));
