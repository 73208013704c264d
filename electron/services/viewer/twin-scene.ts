/**
 * The twin's scene for a task: the bodies the simulator worker described from its compiled
 * model, the workcell's fixed cameras (for their frusta) and the safety supervisor's workspace
 * box. Also turns the worker's published pose snapshots into the contract's pose frames.
 */
import { createHash } from 'node:crypto';
import type { TaskDefinition } from '../../../shared/tasks.ts';
import { WORKCELLS, type FixedCamera } from '../../../shared/workcells.ts';
import { lookAtAxes } from '../../../native/sim/camera.ts';
import { quatFromMatrix } from '../../../shared/math/quat.ts';
import type { PoseSnapshot } from '../../../native/sim/pose-buffer.ts';
import type { SimBackend } from '../../../native/sim/sim-backend.ts';
import type { WorkspaceBox } from '../supervision/safety-supervisor.ts';
import type { TwinPosesValue, TwinSceneValue } from './twin-port.ts';

/** Width / height of the camera images the console asks for by default (320 × 240). */
export const CAMERA_ASPECT = 4 / 3;

type Vec3 = [number, number, number];
type Quat = [number, number, number, number];
const round = (value: number): number => Number(value.toFixed(6));

/** A fixed camera's pose in the OpenGL convention the twin uses: x right, y up, looking along −z. */
export function cameraQuatWxyz(camera: FixedCamera): Quat {
  const [right, down, forward] = lookAtAxes(camera.positionM, camera.lookAtM);
  const up = down.map((v) => -v);
  const back = forward.map((v) => -v);
  const rows = [0, 1, 2].flatMap((row) => [right[row]!, up[row]!, back[row]!]);
  return quatFromMatrix(rows).map(round) as Quat;
}

/** The scene of `task` as simulated by `backend` (whose worker described the bodies). */
export function buildTwinScene(task: TaskDefinition, backend: Pick<SimBackend, 'twin'>, workspace?: WorkspaceBox): TwinSceneValue {
  const layout = WORKCELLS[task.workcell];
  const box = workspace ?? layout.workspace;
  const bodies = backend.twin.bodies.map((body) => ({ ...body, geoms: body.geoms.map((geom) => ({ ...geom, sizeM: [...geom.sizeM] })) }));
  const cameras = layout.cameras.map((camera) => ({
    name: camera.name,
    positionM: [...camera.positionM] as Vec3,
    quatWxyz: cameraQuatWxyz(camera),
    fovyDeg: camera.fovyDeg,
    aspect: CAMERA_ASPECT,
  }));
  const digest = createHash('sha256').update(JSON.stringify([task.workcell, bodies])).digest('hex').slice(0, 12);
  return {
    sceneId: `${task.id}:${digest}`,
    taskId: task.id,
    workcell: task.workcell,
    arms: [...backend.twin.arms],
    bodies,
    cameras,
    workspace: { minM: [...box.minM] as Vec3, maxM: [...box.maxM] as Vec3 },
  };
}

/** A pose frame of the contract from a snapshot of the worker's pose buffer. */
export function posesFrame(scene: TwinSceneValue, snapshot: PoseSnapshot): TwinPosesValue {
  return {
    sceneId: scene.sceneId,
    seq: snapshot.seq,
    timeS: snapshot.timeS,
    poses: snapshot.poses,
    targets: snapshot.targets.map((target) => ({
      arm: scene.arms[target.armIndex] ?? `arm${target.armIndex}`,
      positionM: target.positionM,
      quatWxyz: target.quatWxyz,
    })),
  };
}
