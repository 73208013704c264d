/**
 * What a coding agent is told about a connected arm in place of the simulated workcell: the arm
 * and its frame, that objects are found in its calibrated camera's images, and what the safety
 * supervisor allows it (from the arm's own workspace box and limits, so the prompt never disagrees
 * with the supervisor) — and that every program is rehearsed on a twin before the arm moves.
 */
import type { PromptSetting } from '../../../shared/prompt.ts';
import type { RealRobot } from './real-robot.ts';

const range = (lo: number, hi: number): string => `[${lo.toFixed(2)}, ${hi.toFixed(2)}]`;

/** The prompt's setting for a program on `robot` with its calibrated camera. */
export function armPromptSetting(robot: RealRobot): PromptSetting {
  const name = robot.name.replace(/^the /, '');
  const joints = robot.backend.armJointCount;
  const { minM, maxM } = robot.workspace;
  const step = robot.armLimits.maxJointStepRad;
  const speed = robot.armLimits.maxJointSpeedRadS;
  return {
    robot:
      `Robot: a real ${name} arm ('left') with ${joints} arm joints (get_observation()['q_rad'] has ${joints} angles) and a gripper, on its bench beside a table. ` +
      "World frame: origin at the arm's base on the table top, x forward from the base, z up, metres; quaternions [w, x, y, z].",
    grounding:
      "Objects must be found in the image of the arm's calibrated overhead camera (get_observation() takes a new one); " +
      'estimates have errors of a few millimetres, and the arm hides what is under it: start and end with the arm out of the way.',
    notes: [
      `The safety supervisor keeps the gripper inside x ${range(minM[0], maxM[0])}, y ${range(minM[1], maxM[1])}, z ${range(minM[2], maxM[2])} m` +
        `${step ? `, refuses a joint command that changes a joint by more than ${step} rad` : ''}${speed ? `, and moves joints at most ${speed} rad/s` : ''}.`,
      'Before the real arm moves, each program is rehearsed on a twin of the scene rebuilt from the camera (its physics): ' +
        'a program that fails there does not run on the arm, and the operator approves the rest.',
    ],
  };
}
