/**
 * What the sensor model (`sensing.ts`) adds to a camera frame: one workcell in this thread, frames
 * of the fixed cameras rendered alternately with and without the level's sensors, so that the load
 * of the machine weighs on both alike.
 */
import type { MainModule } from '@mujoco/mujoco';
import type { TaskDefinition } from '../../shared/tasks.ts';
import { PandaWorkcell } from './workcell.ts';
import type { SimBackend } from './sim-backend.ts';
import { median } from '../../shared/math/stats.ts';


/** `camera.sensingMs`: median extra time of a sensed 640×480 frame; `camera.sensingShare`: that over a perfect frame's time. */
export function measureSensingCost(mujoco: MainModule, task: TaskDefinition, frames = 15): Record<string, number> {
  const cell = PandaWorkcell.create(mujoco, task, { isHalted: () => false });
  try {
    if (!cell.cameras.sensing.active) throw new Error(`task ${task.id} at ${task.level} has no sensor model`);
    cell.reset(0);
    const plain: number[] = [];
    const extra: number[] = [];
    for (let i = 0; i < frames; i += 1) {
      const camera = i % 2 === 0 ? 'top' : 'front';
      let started = performance.now();
      cell.cameras.render(camera, 640, 480, true);
      const truthMs = performance.now() - started;
      started = performance.now();
      cell.cameras.render(camera, 640, 480);
      plain.push(truthMs);
      extra.push(performance.now() - started - truthMs);
    }
    const sensingMs = median(extra);
    return { 'camera.sensingMs': Math.round(sensingMs * 100) / 100, 'camera.sensingShare': Math.round((sensingMs / median(plain)) * 1000) / 1000 };
  } finally {
    cell.dispose();
  }
}

/**
 * `camera.frameMs`: the median time of a 640×480 RGB-D-segmentation frame asked of a simulator
 * (its worker renders it and hands it over), the fixed cameras alternately. A console's camera
 * view renders frame after frame, so the first `warmUp` (the casting code compiling) are left out.
 */
export async function measureFrameMs(backend: SimBackend, frames = 15, warmUp = 6): Promise<number> {
  await backend.reset(0);
  const times: number[] = [];
  for (let i = 0; i < warmUp + frames; i += 1) {
    const started = performance.now();
    const frame = await backend.render(i % 2 === 0 ? 'top' : 'front', 640, 480);
    if (i >= warmUp) times.push(performance.now() - started);
    if (frame.depthM.length !== 640 * 480) throw new Error('camera frame has the wrong size');
  }
  return median(times);
}
