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
import { PERCEPTION_API } from './spec-perception.ts';
import { armParam } from './spec-params.ts';
import { VLA_API } from './spec-vla.ts';
import type { ApiFunctionSpec, ParamSpec } from './types.ts';

const positionParam = {
  name: 'position_m',
  type: { kind: 'vector', length: 3, elementNames: ['x', 'y', 'z'], unit: 'm', frame: 'world' },
  description: 'Target position of the gripper centre (between the fingertips), metres, world frame.',
} as const satisfies ParamSpec;

const quatParam = {
  name: 'quat_wxyz',
  type: { kind: 'quaternion', frame: 'world' },
  description:
    'Target gripper orientation as a unit quaternion [w, x, y, z], world frame. ' +
    '[0, 1, 0, 0] points the fingers straight down with the jaws closing along world y.',
} as const satisfies ParamSpec;

const waitParam = {
  name: 'wait',
  type: { kind: 'boolean' },
  description:
    'True: block until the arm gets there. False: start the motion and return at once, so that ' +
    'both arms can move together; wait_for_motion() then waits for both.',
  default: true,
} as const satisfies ParamSpec;

/** Robot state and motion functions, in the order the docs list them. */
const CORE_API = [
  {
    name: 'get_observation',
    summary: 'Read the robot state: joint angles, gripper pose and opening, simulation time.',
    details:
      "Returns a dict with keys 'q_rad' (list of joint angles, rad), 'ee_position_m' and " +
      "'ee_quat_wxyz' (gripper centre pose, world frame), 'gripper_width_m' (distance between " +
      "the fingers, m) and 'time_s' (robot clock, s). Under perception grounding (tiers S2–S4) " +
      "it also has the overhead camera's 'rgb' and 'depth' images (caplab.Image; depth in m along " +
      "the camera axis, 0 where nothing was hit), 'intrinsics' ({'fx', 'fy', 'cx', 'cy', 'width', " +
      "'height'}, pixels) and 'camera_pose' ((position_m, quat_wxyz), world frame; camera axes x " +
      'right, y down, z forward).',
    params: [armParam],
    returns: { pythonType: 'dict', description: 'Robot state; see above.' },
    levels: ['high', 'reduced'],
    moves: false,
    examples: ["obs = get_observation()\nprint(obs['q_rad'], obs['gripper_width_m'])"],
  },
  {
    name: 'get_object_pose',
    summary: 'Pose of a named object in the scene.',
    details:
      'The position is the centre of the object; the orientation is its body frame (for boxes, ' +
      'yaw about z). With privileged grounding (tier S1) this is the simulator\'s ground truth; ' +
      'with perception grounding (S2) it is estimated from the camera images (colour ' +
      'segmentation, depth, oriented bounding box), so expect errors of a few millimetres. ' +
      'Raises LookupError naming the known objects when the name is not in the scene.',
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
    moves: false,
    examples: ["position_m, quat_wxyz = get_object_pose('cube')"],
  },
  {
    name: 'get_ee_pose',
    summary: 'Current pose of the gripper centre (between the fingertips).',
    params: [armParam],
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
    params: [positionParam, quatParam, armParam, waitParam],
    returns: {
      pythonType: 'tuple[list[float], list[float]]',
      description: 'The pose reached (the target pose when wait=False): (position_m, quat_wxyz), world frame.',
    },
    levels: ['high'],
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
      armParam,
      waitParam,
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
    params: [positionParam, quatParam, armParam],
    returns: { pythonType: 'list[float]', description: 'Joint angles, rad.' },
    levels: ['high', 'reduced'],
    moves: false,
  },
  {
    name: 'open_gripper',
    summary: 'Open the gripper fully and wait until it is open.',
    params: [armParam],
    returns: { pythonType: 'float', description: 'Finger opening reached, m.' },
    levels: ['high', 'reduced'],
    moves: true,
  },
  {
    name: 'close_gripper',
    summary: 'Close the gripper with a limited force and wait until the fingers stop.',
    details: 'The returned opening is close to zero when nothing was grasped.',
    params: [armParam],
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
  {
    name: 'wait_for_motion',
    summary: 'Wait until every arm has finished the motions started with wait=False.',
    details: 'Raises MotionError when an arm has not converged within the time limit.',
    params: [],
    returns: { pythonType: 'None', description: 'Nothing.' },
    levels: ['high', 'reduced'],
    moves: true,
    examples: [
      "goto_pose([0.6, 0.2, 0.3], [0, 1, 0, 0], arm='left', wait=False)\n" +
        "goto_pose([0.6, -0.2, 0.3], [0, 1, 0, 0], arm='right', wait=False)\nwait_for_motion()",
    ],
  },
  {
    name: 'goto_pose',
    summary: 'Move the gripper to a pose, arriving straight down from z_approach_m above it.',
    details:
      'With z_approach_m > 0 the gripper first goes to the point that far above the target ' +
      '(same orientation), then descends. Raises IKError when a pose is out of reach and ' +
      'MotionError when the arm does not get there in time.',
    params: [
      positionParam,
      quatParam,
      {
        name: 'z_approach_m',
        type: { kind: 'number', unit: 'm', min: 0, max: 0.5 },
        description: 'Height above the target from which to descend, m (0: go directly).',
        default: 0,
      },
      armParam,
      waitParam,
    ],
    returns: {
      pythonType: 'tuple[list[float], list[float]]',
      description: 'The pose reached (the target pose when wait=False): (position_m, quat_wxyz), world frame.',
    },
    levels: ['high'],
    moves: true,
    examples: ["position_m, quat_wxyz = sample_grasp_pose('cube')\ngoto_pose(position_m, quat_wxyz, z_approach_m=0.1)"],
  },
  {
    name: 'sample_grasp_pose',
    summary: 'A top-down grasp pose for an object (or a labelled part, e.g. "pot handle").',
    details:
      'Fingers down, jaws across the narrow side of the object (or part), at its centre ' +
      '(for tall objects, near the top). With privileged grounding from the simulator; with ' +
      'perception grounding from the camera images. The arm decides which of several equal ' +
      'parts (two handles) is meant: the one nearer to that arm.',
    params: [
      { name: 'name', type: { kind: 'string' }, description: "Object or part, e.g. 'cube', 'nut handle'." },
      armParam,
    ],
    returns: {
      pythonType: 'tuple[list[float], list[float]]',
      description: '(position_m, quat_wxyz) for the gripper centre, world frame.',
    },
    levels: ['high'],
    moves: false,
  },
] as const satisfies readonly ApiFunctionSpec[];

/**
 * The declaration with its literal types kept (`as const`): the function names, each parameter's
 * name and type. `calls.ts` derives every call's argument types from it.
 */
const DECLARED_API = [...CORE_API, ...PERCEPTION_API, ...VLA_API] as const satisfies readonly ApiFunctionSpec[];

/** The declaration's literal type, for deriving call types (`calls.ts`). */
export type DeclaredApi = typeof DECLARED_API;

/** Every policy-callable function: the core functions, the reduced API's perception, then the VLA policy call. */
export const ROBOT_API: readonly ApiFunctionSpec[] = DECLARED_API;

/** Look up a function by name (a literal name gives a spec of that name); undefined when the API has no such function. */
export function findApiFunction<N extends string>(name: N): (ApiFunctionSpec & { readonly name: N }) | undefined {
  return ROBOT_API.find((spec): spec is ApiFunctionSpec & { readonly name: N } => spec.name === name);
}

/** Names of the functions that can move the robot (gated by the safety supervisor). */
export const MOTION_FUNCTIONS: ReadonlySet<string> = new Set(
  ROBOT_API.filter((spec) => spec.moves).map((spec) => spec.name),
);
