/**
 * A connected arm in the twin: its URDF (urdf-loader) at the origin of the arm's base frame, the
 * supervisor's workspace box around it, and its joints set from the newest reading once per
 * frame. The joint values the model holds after each update are written to an element, as text
 * and as its `data-arm-joints` (the e2e test reads them; `formatJoints`).
 */
import * as THREE from 'three';
import type { z } from 'zod';
import type { ArmModel } from '../../shared/ipc/contract.ts';
import { formatJoints, urdfJointValues } from './arm-joints.ts';
import { disposeTree } from './twin-view.ts';
import { importUrdf, type UrdfRobot } from './urdf.ts';

type Model = z.output<typeof ArmModel>;

/** One arm's model in the scene; the twin view owns it and calls `dispose()`. */
export class ArmTwin {
  /** The URDF robot and the workspace box, for the view to add to its scene. */
  readonly root = new THREE.Group();
  readonly name: string;
  private readonly robot: UrdfRobot;
  private readonly jointNames: readonly string[];
  private pending: readonly number[] | null = null;

  constructor(
    model: Model,
    private readonly exposeOn: HTMLElement | null = null,
  ) {
    const imported = importUrdf(model.urdf, [0, 0, 0]);
    this.robot = imported.robot;
    this.name = imported.name;
    this.jointNames = model.jointNames;
    const box = new THREE.Box3Helper(new THREE.Box3(new THREE.Vector3(...model.workspace.minM), new THREE.Vector3(...model.workspace.maxM)));
    (box.material as THREE.LineBasicMaterial).color.set(0xf4a261);
    box.name = 'workspace';
    this.root.add(this.robot, box, baseGrid(model));
    this.expose();
  }

  /** Where the camera looks (the middle of the workspace box) and stands (front right, above, at its scale). */
  static viewpoint(model: Model): { targetM: [number, number, number]; cameraM: [number, number, number] } {
    const { minM, maxM } = model.workspace;
    const targetM: [number, number, number] = [(minM[0] + maxM[0]) / 2, (minM[1] + maxM[1]) / 2, (minM[2] + maxM[2]) / 2];
    const sizeM = Math.max(...maxM.map((v, i) => v - minM[i]!));
    return { targetM, cameraM: [targetM[0] + 1.3 * sizeM, targetM[1] - 1.1 * sizeM, targetM[2] + 0.9 * sizeM] };
  }

  /** The newest joint angles (the driver's order); applied on the next frame. */
  setJoints(jointAnglesRad: readonly number[]): void {
    this.pending = jointAnglesRad;
  }

  /** Apply the newest angles, if any came since the last frame. */
  applyPending(): void {
    const angles = this.pending;
    if (!angles) return;
    this.pending = null;
    for (const [name, rad] of Object.entries(urdfJointValues(this.jointNames, angles))) this.robot.setJointValue(name, rad);
    this.expose();
  }

  /** The joint values the model holds now, by URDF joint name. */
  jointValues(): Record<string, number> {
    const values: Record<string, number> = {};
    for (const name of this.jointNames) {
      values[name] = Number(this.robot.joints[name]?.angle ?? 0);
    }
    return values;
  }

  dispose(): void {
    this.root.removeFromParent();
    if (this.exposeOn) {
      delete this.exposeOn.dataset['armJoints'];
      this.exposeOn.textContent = '';
    }
    disposeTree(this.root);
  }

  private expose(): void {
    if (!this.exposeOn) return;
    const text = formatJoints(this.jointValues());
    this.exposeOn.dataset['armJoints'] = text;
    this.exposeOn.textContent = text;
  }
}

/** A grid on the base plane (z = 0) under the workspace box, 0.1 m cells. */
function baseGrid(model: Model): THREE.GridHelper {
  const { minM, maxM } = model.workspace;
  const cells = Math.ceil((2 * Math.max(maxM[0] - minM[0], maxM[1] - minM[1])) / 0.1);
  const grid = new THREE.GridHelper(cells * 0.1, cells, 0xb8c2cc, 0xd3d9df);
  grid.rotation.x = Math.PI / 2; // three's grid lies in x–z; the twin's floor is x–y (z up)
  grid.position.set((minM[0] + maxM[0]) / 2, (minM[1] + maxM[1]) / 2, 0);
  grid.name = 'base plane';
  return grid;
}
