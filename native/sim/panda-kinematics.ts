/**
 * The simulated Panda arms' forward kinematics on the host (no worker round trip): the same chain
 * the MJCF is written from (`panda-mjcf.ts`: modified DH rows, the flange, the hand turned −45°,
 * the gripper centre), placed at the arm's mount. The safety supervisor checks `run_vla`'s
 * streamed joint targets against the workspace box with it.
 */
import type { ArmKinematics, WorldPose } from '../../shared/robot.ts';
import { quatFromMatrix } from '../../shared/math/quat.ts';
import { apply, multiply, rotX, rotZ, type Mat3, type Vec3 } from '../../shared/math/rotation.ts';
import { WORKCELLS, type WorkcellId } from '../../shared/workcells.ts';
import { FINGER_TRAVEL_M, FLANGE_M, PANDA_DH, PANDA_JOINT_LIMITS_RAD, TCP_OFFSET_M } from './panda-mjcf.ts';

/** The hand's turn about the flange axis, rad (as on the real robot). */
const HAND_YAW_RAD = -Math.PI / 4;

/** A frame: position and rotation, world. */
export interface Frame {
  readonly positionM: Vec3;
  readonly rotation: Mat3;
}

/** The frame moved by `offset` (in its own axes) and then turned by `turn`. */
function advance(frame: Frame, offset: Vec3, turn: Mat3): Frame {
  const step = apply(frame.rotation, offset);
  const positionM: Vec3 = [frame.positionM[0] + step[0], frame.positionM[1] + step[1], frame.positionM[2] + step[2]];
  return { positionM, rotation: multiply(frame.rotation, turn) };
}

/** Gripper-centre frame of a Panda whose base stands at `base`, at joint angles `qRad`. */
export function pandaGripperFrame(base: Frame, qRad: readonly number[]): Frame {
  let frame = base;
  PANDA_DH.forEach((row, i) => {
    // Modified DH (Craig): Rx(α) · Tx(a) · Rz(θ) · Tz(d).
    frame = advance(frame, [row.aM, 0, 0], rotX(row.alphaRad));
    frame = advance(frame, [0, 0, row.dM], rotZ(qRad[i] ?? 0));
  });
  frame = advance(frame, [0, 0, FLANGE_M], rotZ(HAND_YAW_RAD));
  return advance(frame, [0, 0, TCP_OFFSET_M], rotZ(0));
}

/** Gripper-centre pose of a Panda whose base stands at `base`, at joint angles `qRad`. */
export function pandaGripperPose(base: Frame, qRad: readonly number[]): WorldPose {
  const frame = pandaGripperFrame(base, qRad);
  return { positionM: frame.positionM, quatWxyz: quatFromMatrix(frame.rotation) };
}

/** The kinematics of every arm of a workcell, by arm name (an unknown name is an error). */
export function workcellKinematics(workcell: WorkcellId): ArmKinematics {
  const bases = new Map(
    WORKCELLS[workcell].arms.map((mount) => [mount.name as string, { positionM: [...mount.basePositionM] as Vec3, rotation: rotZ(mount.baseYawRad) }]),
  );
  return {
    gripperPose(qRad, arm) {
      const base = bases.get(arm);
      if (!base) throw new Error(`workcell ${workcell} has no arm '${arm}'`);
      return pandaGripperPose(base, qRad);
    },
    jointLimitsRad: () => PANDA_JOINT_LIMITS_RAD,
    gripperOpeningM: () => 2 * FINGER_TRAVEL_M,
  };
}
