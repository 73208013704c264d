/**
 * LeRobot's SO-101 calibration files (`~/.cache/huggingface/lerobot/calibration/robots/so101_follower/<id>.json`):
 * per motor name `{id, drive_mode, homing_offset, range_min, range_max}`, ticks of the STS3215.
 * LeRobot writes `homing_offset` into each servo (so the positions a servo reports already have it
 * applied) and then records the range each joint swept, in those reported ticks. Caplab reads the
 * same reported positions, so the range carries over as is; the zero is LeRobot's own (the middle
 * of the range, its `use_degrees` convention, where the URDF's joints are at 0) and, for the
 * gripper (LeRobot's 0–100 from range_min), the closed end sits at the URDF's lower limit.
 * `drive_mode` 1 turns the direction round.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { TICKS_PER_REV } from '../servo-arm/joints.ts';
import { SO101_JOINTS, SO101_LIMITS_RAD, So101CalibrationSchema, type So101Calibration } from './calibration.ts';

/** One motor of a LeRobot calibration file. */
const LerobotMotorSchema = z
  .object({
    id: z.number().int().min(0).max(253),
    drive_mode: z.union([z.literal(0), z.literal(1)]),
    // The STS3215's homing offset is 11 bits and a sign.
    homing_offset: z.number().int().min(-2047).max(2047),
    range_min: z.number().int().min(0).max(4095),
    range_max: z.number().int().min(0).max(4095),
  })
  .refine((m) => m.range_min < m.range_max, { message: 'range_min must be below range_max' });

/** A LeRobot SO-101 calibration: exactly the six motors, by LeRobot's names (Caplab's too). */
export const LerobotCalibrationSchema = z.record(z.string(), LerobotMotorSchema).superRefine((motors, context) => {
  for (const name of SO101_JOINTS) if (!(name in motors)) context.addIssue({ code: 'custom', path: [name], message: 'missing (an SO-101 has shoulder_pan, shoulder_lift, elbow_flex, wrist_flex, wrist_roll and gripper)' });
  for (const name of Object.keys(motors)) if (!(SO101_JOINTS as readonly string[]).includes(name)) context.addIssue({ code: 'custom', path: [name], message: 'not an SO-101 motor' });
  const ids = Object.values(motors).map((m) => m.id);
  if (new Set(ids).size !== ids.length) context.addIssue({ code: 'custom', path: [], message: `two motors share an id (${ids.join(', ')})` });
});

export type LerobotCalibration = z.infer<typeof LerobotCalibrationSchema>;

const ticksOf = (rad: number): number => Math.round((rad * TICKS_PER_REV) / (2 * Math.PI));

/** Caplab's calibration of `device` from a parsed LeRobot calibration. */
export function fromLerobotCalibration(motors: LerobotCalibration, device: string): So101Calibration {
  const joints = SO101_JOINTS.map((name) => {
    const motor = motors[name]!;
    const direction = motor.drive_mode === 1 ? -1 : 1;
    const closedOffset = ticksOf(-SO101_LIMITS_RAD.gripper[0]);
    const zeroTicks =
      name === 'gripper' ? (direction === 1 ? motor.range_min + closedOffset : motor.range_max - closedOffset) : Math.round((motor.range_min + motor.range_max) / 2);
    return { name, id: motor.id, zeroTicks, minTicks: motor.range_min, maxTicks: motor.range_max, direction } as const;
  });
  return So101CalibrationSchema.parse({ device, joints });
}

/** A LeRobot calibration file, checked; the error names the file and each wrong field. */
export function readLerobotCalibration(path: string): LerobotCalibration {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the LeRobot calibration ${path}: ${(error as Error).message}`);
  }
  const result = LerobotCalibrationSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(the file)'}: ${i.message}`).join('; ');
    throw new Error(`${path} is not a LeRobot SO-101 calibration (per motor: id, drive_mode, homing_offset, range_min, range_max): ${issues}`);
  }
  return result.data;
}
