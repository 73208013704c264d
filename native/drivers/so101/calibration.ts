/**
 * SO-101 joint calibration: for each servo, the tick that is the joint's zero (the URDF's
 * mid-range zero), the allowed tick range, and the direction. Stored per device as JSON (one file
 * per arm, e.g. `~/.caplab/calibration/so101-<serial>.json`), validated on load.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { nominalJoints } from '../servo-arm/joints.ts';

/** Joint names in servo-id order (ids 1–6). */
export const SO101_JOINTS = ['shoulder_pan', 'shoulder_lift', 'elbow_flex', 'wrist_flex', 'wrist_roll', 'gripper'] as const;

const JointSchema = z
  .object({
    name: z.enum(SO101_JOINTS),
    id: z.number().int().min(0).max(253),
    zeroTicks: z.number().int().min(0).max(4095),
    minTicks: z.number().int().min(0).max(4095),
    maxTicks: z.number().int().min(0).max(4095),
    direction: z.union([z.literal(1), z.literal(-1)]),
  })
  .refine((j) => j.minTicks < j.maxTicks, { message: 'minTicks must be below maxTicks' });

/** A whole arm's calibration. */
export const So101CalibrationSchema = z.object({
  device: z.string(),
  joints: z.array(JointSchema).length(6),
});

export type JointCalibration = z.infer<typeof JointSchema>;
export type So101Calibration = z.infer<typeof So101CalibrationSchema>;

/** Joint ranges from the SO-101 URDF (so101_new_calib), rad. */
export const SO101_LIMITS_RAD: Readonly<Record<(typeof SO101_JOINTS)[number], readonly [number, number]>> = {
  shoulder_pan: [-1.91986, 1.91986],
  shoulder_lift: [-1.74533, 1.74533],
  elbow_flex: [-1.69, 1.69],
  wrist_flex: [-1.65806, 1.65806],
  wrist_roll: [-2.79253, 2.79253],
  gripper: [-0.174533, 1.74533],
};

/** A calibration from the nominal assembly: zero at 2048, ranges from the URDF. */
export function nominalCalibration(device: string): So101Calibration {
  return { device, joints: nominalJoints(SO101_JOINTS.map((name, i) => ({ name, id: i + 1, limitsRad: SO101_LIMITS_RAD[name] }))) };
}

/** Load and validate a calibration file; the error names the file and the field. */
export function loadCalibration(path: string): So101Calibration {
  const result = So101CalibrationSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!result.success) {
    throw new Error(`invalid SO-101 calibration ${path}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return result.data;
}

/** Write a calibration file. */
export function saveCalibration(path: string, calibration: So101Calibration): void {
  writeFileSync(path, `${JSON.stringify(So101CalibrationSchema.parse(calibration), null, 2)}\n`);
}
