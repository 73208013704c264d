/**
 * `caplab rig --arm so101 --task T [--seed S]`: the virtual bench — the arm's MuJoCo physics on a
 * table with the task's objects, its servo bus emulator on a socat pty pair driven by that
 * physics, and an overhead camera served as MJPEG on loopback. Prints the serial port and the
 * camera URL (for `caplab run --robot so101 --port …` and the console's device connect); runs
 * until Ctrl-C.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { yawOf } from '../../shared/math/quat.ts';
import { saveCameraCalibration } from '../../native/drivers/camera/calibration-file.ts';
import { BenchSceneError } from '../../native/rig/bench-scene.ts';
import { BENCH_ARMS, VirtualBench, type BenchArm } from '../../native/rig/virtual-bench.ts';
import { loadTask } from '../services/trials/catalog.ts';
import { type CliIo, parseSeed, UsageError } from './args.ts';

/** Parsed `rig` options. */
export interface RigCommandOptions {
  arm?: string;
  task?: string;
  seed?: string;
}

const v = (values: readonly number[], digits = 3): string => `[${values.map((x) => x.toFixed(digits)).join(', ')}]`;

/** The bench's lines: where to connect, and where the objects are (ground truth). */
export function describeBench(bench: VirtualBench, taskId: string, seed: number, calibrationPath: string): string {
  const objects = bench.objects.map((object) => {
    const pose = bench.objectPose(object.name);
    return `  ${object.name}: ${v(pose.positionM)} m, yaw ${yawOf(pose.quatWxyz).toFixed(3)} rad, ${object.shape} ${v(object.halfSizeM.map((h) => 2 * h))} m`;
  });
  return [
    `caplab rig · ${bench.arm.name} · task ${taskId} · seed ${seed} — a virtual bench: MuJoCo physics behind an emulated servo bus, no hardware`,
    `serial port: ${bench.serialPath}`,
    `camera:      ${bench.cameraUrl}`,
    `calibration: ${calibrationPath}`,
    'objects (ground truth, the arm\'s API frame: x forward from the base, z up):',
    ...objects,
    `try: caplab run --robot ${bench.arm.name === 'SO-101' ? 'so101' : bench.arm.name} --port ${bench.serialPath} --task ${taskId} --program PROGRAM.py --armed`,
    `     caplab run --robot so101 --port ${bench.serialPath} --camera ${bench.cameraUrl} --camera-calibration ${calibrationPath} --task ${taskId} --tier S3 --agent expert --armed`,
    `     caplab run --robot so101 --port ${bench.serialPath} --camera ${bench.cameraUrl} --camera-calibration ${calibrationPath} --task ${taskId} --agent multi-turn --model PROVIDER:MODEL --armed`,
    '       (a coding agent writes the programs; for recorded replies: caplab model-server --recordings resources/recordings/arms, then --model openai-compatible:replay)',
    '(Ctrl-C to stop)',
    '',
  ].join('\n');
}

/** Execute `caplab rig`. */
export async function rigCommand(options: RigCommandOptions, io: CliIo): Promise<number> {
  const arm = options.arm ?? 'so101';
  if (!(BENCH_ARMS as readonly string[]).includes(arm)) throw new UsageError(`--arm ${arm}: the bench holds ${BENCH_ARMS.join(', ')} (omx and ur5e are not built yet)`);
  if (!options.task) throw new UsageError('rig needs --task T (e.g. cube-lift: its objects, scaled to the arm and placed in its reach)');
  const task = loadTask(options.task);
  const seed = parseSeed(options.seed);
  let bench: VirtualBench;
  try {
    bench = await VirtualBench.start({ arm: arm as BenchArm, task, seed });
  } catch (error) {
    if (error instanceof BenchSceneError) throw new UsageError(error.message);
    throw error;
  }
  try {
    // The overhead camera's calibration from the bench's known geometry (a real camera's comes from caplab calibrate).
    const calibrationPath = join(mkdtempSync(join(tmpdir(), 'caplab-rig-')), 'overhead-camera.json');
    saveCameraCalibration(calibrationPath, bench.cameraCalibration());
    io.out.write(describeBench(bench, task.id, seed, calibrationPath));
    await new Promise<void>((resolve) => io.onInterrupt(resolve));
    const stats = bench.physics.stats();
    io.out.write(`stopped: ${stats.timeS.toFixed(1)} s simulated in ${stats.steps} steps (${stats.droppedS.toFixed(2)} s dropped while the thread was busy)\n`);
  } finally {
    await bench.dispose();
  }
  return 0;
}
