/**
 * A busy twin for the frame-rate measurement: the real two-arm workcell's scene (two Pandas,
 * from the simulator) with cubes added until ten objects stand on the table, and a pose stream
 * at 60 Hz that keeps both arms and every object moving, so each displayed frame has fresh
 * matrices to apply. It plugs into the console server as its `TwinPort`.
 */
import { IpcError } from '../../shared/ipc/errors.ts';
import type { RunStore } from '../services/storage/run-store.ts';
import { TwinService } from '../services/viewer/twin-service.ts';
import type { TwinPort, TwinPosesValue, TwinSceneValue, TwinSink } from '../services/viewer/twin-port.ts';

/** Objects in the measured scene. */
export const BUSY_OBJECTS = 10;
const POSE_INTERVAL_MS = 1000 / 60;

/** A scene and its resting poses. */
export interface SceneAtRest {
  readonly scene: TwinSceneValue;
  readonly poses: readonly number[];
}

/** The real scene of a task, from the twin service (starts and stops a simulator). */
export async function realScene(store: RunStore, taskId: string): Promise<SceneAtRest> {
  let poses: number[] | null = null;
  const service = new TwinService(store, { loaded: () => {}, poses: (frame) => void (poses ??= [...frame.poses]) });
  try {
    const scene = await service.load(taskId, 0);
    if (!poses) throw new Error(`the twin service pushed no poses for ${taskId}`);
    return { scene, poses };
  } finally {
    await service.dispose();
  }
}

/** Add cubes (in a grid on the table, by the first object) until the scene has `objects` objects. */
export function withObjects(base: SceneAtRest, objects: number): SceneAtRest {
  const firstObject = base.scene.bodies.findIndex((b) => b.kind === 'object');
  const anchor = firstObject >= 0 ? base.poses.slice(firstObject * 7, firstObject * 7 + 3) : [0.5, 0, 0.03];
  const bodies = [...base.scene.bodies];
  const poses = [...base.poses];
  const palette: [number, number, number, number][] = [[0.85, 0.2, 0.2, 1], [0.2, 0.6, 0.25, 1], [0.2, 0.35, 0.85, 1], [0.9, 0.75, 0.15, 1]];
  for (let k = 0; bodies.filter((b) => b.kind === 'object').length < objects; k += 1) {
    bodies.push({
      name: `extra_cube_${k}`,
      kind: 'object',
      arm: null,
      geoms: [{ type: 'box', sizeM: [0.02, 0.02, 0.02], rgba: palette[k % palette.length]!, posM: [0, 0, 0], quatWxyz: [1, 0, 0, 0] }],
    });
    poses.push(anchor[0]! - 0.15 + 0.08 * (k % 4), anchor[1]! - 0.2 + 0.1 * Math.floor(k / 4), 0.02, 1, 0, 0, 0);
  }
  return { scene: { ...base.scene, sceneId: `${base.scene.sceneId}+${objects}objects`, bodies }, poses };
}

/** Poses at time `t` s: arms sway along y, objects circle around their resting places. */
export function posesAt(rest: SceneAtRest, tS: number): number[] {
  const poses = [...rest.poses];
  rest.scene.bodies.forEach((body, i) => {
    if (body.kind === 'world') return;
    const phase = i * 0.7;
    const amplitudeM = body.kind === 'object' ? 0.01 : 0.03;
    poses[i * 7] = rest.poses[i * 7]! + amplitudeM * Math.cos(2 * Math.PI * 0.5 * tS + phase);
    poses[i * 7 + 1] = rest.poses[i * 7 + 1]! + amplitudeM * Math.sin(2 * Math.PI * 0.5 * tS + phase);
  });
  return poses;
}

/** The busy twin: `load` shows the scene and starts the 60 Hz pose stream. */
export function busyTwin(rest: SceneAtRest, sink: TwinSink): TwinPort {
  let timer: NodeJS.Timeout | null = null;
  let shown: TwinSceneValue | null = null;
  const started = performance.now();
  let seq = 0;
  const push = (): void => {
    const tS = (performance.now() - started) / 1000;
    seq += 1;
    const frame: TwinPosesValue = { sceneId: rest.scene.sceneId, seq, timeS: tS, poses: posesAt(rest, tS), targets: [] };
    sink.poses(frame);
  };
  return {
    scene: () => shown,
    async load() {
      shown = rest.scene;
      sink.loaded(rest.scene);
      push();
      timer ??= setInterval(push, POSE_INTERVAL_MS);
      return rest.scene;
    },
    follow: () => Promise.reject(new IpcError('not_available', 'the busy twin does not run policies')),
    recording: async (runId) => ({ runId, scene: null, frames: [] }),
    showChunkGhost: () => {},
    clearChunkGhosts: () => {},
    cameraNames: () => [],
    render: () => Promise.reject(new IpcError('not_available', 'the busy twin has no cameras')),
    async dispose() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
