/**
 * The twin's model of each arm kind: its URDF from `resources/robots/` (read once, on first ask),
 * the URDF joints its driver's joint angles drive (in the driver's order, as
 * `native/drivers/robot-urdf.test.ts` checks against the drivers' kinematics), and the safety
 * workspace box of its profile.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { ArmModel, DeviceKind } from '../../../shared/ipc/contract.ts';
import { OMX_WORKSPACE } from '../../../native/drivers/omx/profile.ts';
import { SO101_WORKSPACE } from '../../../native/drivers/so101/profile.ts';
import { UR5E_WORKSPACE } from '../../../native/drivers/ur/profile.ts';

type Kind = z.output<typeof DeviceKind>;
type Model = z.input<typeof ArmModel>;

/** URDF joint names per kind, in the order of the driver's `jointAnglesRad`. */
export const ARM_URDF_JOINTS: Readonly<Record<Kind, readonly string[]>> = {
  so101: ['shoulder_pan', 'shoulder_lift', 'elbow_flex', 'wrist_flex', 'wrist_roll'],
  omx: ['joint1', 'joint2', 'joint3', 'joint4'],
  ur5e: ['shoulder_pan_joint', 'shoulder_lift_joint', 'elbow_joint', 'wrist_1_joint', 'wrist_2_joint', 'wrist_3_joint'],
};

const WORKSPACES: Readonly<Record<Kind, { readonly minM: readonly number[]; readonly maxM: readonly number[] }>> = {
  so101: SO101_WORKSPACE,
  omx: OMX_WORKSPACE,
  ur5e: UR5E_WORKSPACE,
};

const texts = new Map<Kind, string>();

/** The twin's model of an arm kind. */
export function armModel(kind: Kind): Model {
  let urdf = texts.get(kind);
  if (urdf === undefined) {
    urdf = readFileSync(new URL(`../../../resources/robots/${kind}.urdf`, import.meta.url), 'utf8');
    texts.set(kind, urdf);
  }
  const box = WORKSPACES[kind];
  const triple = (v: readonly number[]): [number, number, number] => [v[0]!, v[1]!, v[2]!];
  return { kind, urdf, jointNames: [...ARM_URDF_JOINTS[kind]], workspace: { minM: triple(box.minM), maxM: triple(box.maxM) } };
}
