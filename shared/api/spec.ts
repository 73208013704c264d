/**
 * The robot API: the single declaration of every function a policy program may call.
 *
 * From this list come the Python client functions (sent to the runtime at start), the API
 * documentation in prompts (`docs.ts`), argument validation on the host (`validate.ts`) and the
 * safety supervisor's list of motion calls (`moves: true`). Do not keep a second copy anywhere.
 *
 * Frames: `world` is the workcell frame, origin at the robot base on the table
 * top (the table surface is z = 0), z up, x away
 * from the robot towards the table's far edge. Quaternions are `[w, x, y, z]`.
 */
import type { ApiFunctionSpec, ParamSpec } from './types.ts';

const positionParam: ParamSpec = {
  name: 'position_m',
  type: { kind: 'vector', length: 3, elementNames: ['x', 'y', 'z'], unit: 'm', frame: 'world' },
  description: 'Target position of the gripper centre (between the fingertips), metres, world frame.',
};

const quatParam: ParamSpec = {
  name: 'quat_wxyz',
  type: { kind: 'quaternion', frame: 'world' },
  description:
    'Target gripper orientation as a unit quaternion [w, x, y, z], world frame. ' +
    '[0, 1, 0, 0] points the fingers straight down with the jaws closing along world y.',
};

/** Every policy-callable function, in the order the docs list them. */
export const ROBOT_API: readonly ApiFunctionSpec[] = [
  {
    name: 'get_observation',
    summary: 'Read the robot state: joint angles, gripper pose and opening, simulation time.',
    details:
      "Returns a dict with keys 'q_rad' (list of joint angles, rad), 'ee_position_m' and " +
      "'ee_quat_wxyz' (gripper centre pose, world frame), 'gripper_width_m' (distance between " +
      "the fingers, m) and 'time_s' (robot clock, s).",
    params: [],
    returns: { pythonType: 'dict', description: 'Robot state; see above.' },
    levels: ['high', 'reduced'],
    moves: false,
    examples: ["obs = get_observation()\nprint(obs['q_rad'], obs['gripper_width_m'])"],
  },
  {
    name: 'get_object_pose',
    summary: 'Ground-truth pose of a named object in the scene (privileged grounding only).',
    details:
      'The position is the centre of the object; the orientation is its body frame. Raises ' +
      'LookupError naming the known objects when the name is not in the scene.',
    params: [
      {
        name: 'name',
        type: { kind: 'string' },
        description: "Object name as given in the task, e.g. 'cube'.",
      },
    ],
    returns: {
      pythonType: 'tuple[list[float], list[float]]',
      description: '(position_m [x, y, z], quat_wxyz [w, x, y, z]), world frame.',
    },
    levels: ['high'],
    grounding: 'privileged',
    moves: false,
    examples: ["position_m, quat_wxyz = get_object_pose('cube')"],
  },
  {
    name: 'get_ee_pose',
    summary: 'Current pose of the gripper centre (between the fingertips).',
    params: [],
    returns: {
      pythonType: 'tuple[list[float], list[float]]',
      description: '(position_m [x, y, z], quat_wxyz [w, x, y, z]), world frame.',
    },
    levels: ['high', 'reduced'],
    moves: false,
    examples: ['position_m, quat_wxyz = get_ee_pose()'],
  },
  {
    name: 'move_to_pose',
    summary: 'Move the gripper centre to a pose and wait until it gets there.',
    details:
      'Solves inverse kinematics, then moves in joint space. Blocks until the arm has converged ' +
      '(within 5 mm) or raises MotionError when it has not converged within the time limit, ' +
      'and IKError when the pose is out of reach.',
    params: [positionParam, quatParam],
    returns: {
      pythonType: 'tuple[list[float], list[float]]',
      description: 'The pose reached: (position_m, quat_wxyz), world frame.',
    },
    levels: ['high', 'reduced'],
    moves: true,
    examples: ['move_to_pose([0.5, 0.0, 0.3], [0, 1, 0, 0])  # 30 cm above the table, fingers down'],
  },
  {
    name: 'move_to_joints',
    summary: 'Move the arm to joint angles and wait until it gets there.',
    details: 'Raises MotionError when the arm has not converged within the time limit.',
    params: [
      {
        name: 'q_rad',
        type: { kind: 'jointVector', unit: 'rad' },
        description: 'Target angle of every arm joint, radians, in joint order from the base.',
      },
    ],
    returns: { pythonType: 'list[float]', description: 'The joint angles reached, rad.' },
    levels: ['high', 'reduced'],
    moves: true,
    examples: ['q = solve_ik([0.5, 0.0, 0.3], [0, 1, 0, 0])\nmove_to_joints(q)'],
  },
  {
    name: 'solve_ik',
    summary: 'Joint angles that put the gripper centre at a pose (does not move the arm).',
    details:
      'Damped least squares from the current joint angles, within joint limits. Raises IKError ' +
      'when no solution within 5 mm and 0.05 rad is found.',
    params: [positionParam, quatParam],
    returns: { pythonType: 'list[float]', description: 'Joint angles, rad.' },
    levels: ['high', 'reduced'],
    moves: false,
  },
  {
    name: 'open_gripper',
    summary: 'Open the gripper fully and wait until it is open.',
    params: [],
    returns: { pythonType: 'float', description: 'Finger opening reached, m.' },
    levels: ['high', 'reduced'],
    moves: true,
  },
  {
    name: 'close_gripper',
    summary: 'Close the gripper with a limited force and wait until the fingers stop.',
    details: 'The returned opening is close to zero when nothing was grasped.',
    params: [],
    returns: { pythonType: 'float', description: 'Finger opening after closing, m.' },
    levels: ['high', 'reduced'],
    moves: true,
    examples: ["width_m = close_gripper()\nif width_m < 0.005:\n    print('missed the object')"],
  },
  {
    name: 'sleep',
    summary: 'Let the robot clock run while holding the current targets.',
    params: [
      {
        name: 'seconds',
        type: { kind: 'number', unit: 's', min: 0, max: 30 },
        description: 'How long to wait, seconds of robot time.',
      },
    ],
    returns: { pythonType: 'None', description: 'Nothing.' },
    levels: ['high', 'reduced'],
    moves: false,
  },
];

/** Look up a function by name; undefined when the API has no such function. */
export function findApiFunction(name: string): ApiFunctionSpec | undefined {
  return ROBOT_API.find((spec) => spec.name === name);
}

/** Names of the functions that can move the robot (gated by the safety supervisor). */
export const MOTION_FUNCTIONS: ReadonlySet<string> = new Set(
  ROBOT_API.filter((spec) => spec.moves).map((spec) => spec.name),
);
