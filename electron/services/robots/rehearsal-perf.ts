/**
 * `rig.rehearsalMs` (`caplab perf --only rig`): the time a camera run on the SO-101 spends before
 * its program can rehearse — from asking for the dry-run arm to a twin rebuilt from what the camera
 * sees being ready (the camera's view perceived, the twin's physics, servo emulator, pty pair and
 * camera started, the driver connected, the twin's camera giving frames). Median of `builds`, on
 * the virtual bench, through the same calls a run makes (`withCameraPerception`, `dryRunArm`).
 */
import type { TaskDefinition } from '../../../shared/tasks.ts';
import { CameraEyes } from '../../../native/perception/camera-eyes.ts';
import { benchTask } from '../../../native/rig/bench-scene.ts';
import { VirtualBench } from '../../../native/rig/virtual-bench.ts';
import { percentile } from '../../../native/drivers/servo-arm/perf.ts';
import { withCameraPerception } from './camera-perception.ts';
import { connectSo101 } from './real-robot.ts';

export async function measureRehearsal(task: TaskDefinition, builds = 3): Promise<number> {
  const bench = await VirtualBench.start({ arm: 'so101', task, seed: 0 });
  const eyes = await CameraEyes.open({ url: bench.cameraUrl, calibration: bench.cameraCalibration(), objects: benchTask(task, bench.arm.sizing).objects });
  const robot = withCameraPerception(await connectSo101(bench.serialPath), eyes, { task });
  try {
    const times: number[] = [];
    for (let i = 0; i < builds; i += 1) {
      const started = performance.now();
      const twin = await robot.dryRunArm();
      times.push(performance.now() - started);
      if (!twin.truth) throw new Error('the dry-run arm is not a rehearsal twin');
      await twin.dispose();
    }
    return percentile(times, 0.5);
  } finally {
    await robot.backend.dispose();
    eyes.dispose();
    await bench.dispose();
  }
}
