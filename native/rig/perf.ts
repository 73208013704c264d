/**
 * The virtual bench's measurements (`caplab perf --only rig`), with the SO-101 driver on the
 * bench's pty pair:
 * - `rig.controlLoopHz`: cycles per second of the driver's streamed move (a goal write and a
 *   position read each), counted as the goal frames arrive at the emulated bus during a move;
 * - `estop.rigMs` (median, and `.p99`): from `halt()` during a move to the first physics step in
 *   which no servo's actuator pushes any more (torque off reached the physical joints: from then
 *   on they are limp);
 * - `rig.cameraToPerceptionMs` (median of 5): from a camera frame's arrival over MJPEG to every
 *   task object's pose from it (lens undistortion, plane depth, colour masks, boxes), with the
 *   calibration the rig writes.
 */
import { CameraEyes } from '../perception/camera-eyes.ts';
import { FramePerception } from '../sim/perception.ts';
import { benchTask } from './bench-scene.ts';
import { validateCall } from '../../shared/api/validate.ts';
import type { TaskDefinition } from '../../shared/tasks.ts';
import { Instruction } from '../drivers/feetech/packet.ts';
import { Register } from '../drivers/feetech/registers.ts';
import { So101Backend } from '../drivers/so101/backend.ts';
import { nominalCalibration } from '../drivers/so101/calibration.ts';
import { percentile } from '../drivers/servo-arm/perf.ts';
import { VirtualBench } from './virtual-bench.ts';

const IDS = [1, 2, 3, 4, 5, 6];
const call = (fn: string, args: unknown[], kwargs: Record<string, unknown> = {}) => validateCall({ fn, args, kwargs }, { armJointCount: 5, arms: ['left'] });

/** Resolve at the first physics step for which `test` holds. */
function physicsUntil(bench: VirtualBench, test: () => boolean): Promise<number> {
  return new Promise((resolve) => {
    const off = bench.physics.onStepped(() => {
      if (!test()) return;
      off();
      resolve(performance.now());
    });
  });
}

/** Measure the bench's control loop and e-stop (`stops` halts during moves). */
export async function measureRig(task: TaskDefinition, stops = 10): Promise<Record<string, number>> {
  const bench = await VirtualBench.start({ arm: 'so101', task, seed: 0 });
  const arm = await So101Backend.connect(bench.serialPath, nominalCalibration('rig-perf'), { timeoutMs: 250 });
  try {
    const goalFrames: number[] = [];
    const off = bench.emulator.onFrame(({ atMs, frame }) => {
      if (frame.command === Instruction.syncWrite && frame.params[0] === Register.goalPosition) goalFrames.push(atMs);
    });
    await arm.invoke(call('move_to_joints', [[0.8, -1.0, 1.0, 1.0, 0]]));
    off();
    const controlLoopHz = (goalFrames.length - 1) / ((goalFrames.at(-1)! - goalFrames[0]!) / 1000);
    const latencies: number[] = [];
    for (let i = 0; i < stops; i += 1) {
      // Swing the pan to the side it is not on (a halted swing leaves it anywhere).
      const target = [bench.physics.jointAnglesRad([1])[0]! > 0 ? -0.8 : 0.8, -1.0, 1.0, 1.0, 0];
      await arm.invoke(call('move_to_joints', [target], { wait: false }));
      await physicsUntil(bench, () => Math.abs(bench.physics.jointSpeedsRadS([1])[0]!) > 0.3);
      const started = performance.now();
      arm.halt('perf');
      const limp = await physicsUntil(bench, () => IDS.every((id) => !bench.physics.torqueOn(id)) && IDS.every((id) => bench.physics.read(id).loadPermille === 0));
      latencies.push(limp - started);
      // The halted move ends with safety_stop; only then resume (a move still in flight would stream on).
      await arm.invoke(call('wait_for_motion', [])).catch(() => {});
      arm.resume();
    }
    const cameraToPerceptionMs = await measurePerception(bench, task);
    return { 'rig.controlLoopHz': round(controlLoopHz), 'estop.rigMs': round(percentile(latencies, 0.5)), 'estop.rigMs.p99': round(percentile(latencies, 0.99)), 'rig.cameraToPerceptionMs': round(cameraToPerceptionMs) };
  } finally {
    await arm.dispose().catch(() => {});
    await bench.dispose();
  }
}

/** Median time from a frame's arrival to the poses of the task's objects in it, ms. */
async function measurePerception(bench: VirtualBench, task: TaskDefinition, frames = 5): Promise<number> {
  const objects = benchTask(task, bench.arm.sizing).objects;
  const eyes = await CameraEyes.open({ url: bench.cameraUrl, calibration: bench.cameraCalibration(), objects });
  try {
    const perception = new FramePerception(eyes);
    const times: number[] = [];
    for (let i = 0; i < frames; i += 1) {
      await eyes.refresh();
      const arrivedAtMs = eyes.latestArrivalMs();
      perception.reset();
      for (const object of objects) perception.objectPose(object.name);
      times.push(performance.now() - arrivedAtMs);
    }
    return percentile(times, 0.5);
  } finally {
    eyes.dispose();
  }
}

const round = (value: number): number => Math.round(value * 100) / 100;
