/**
 * A vision-language-action policy as one line of code: `run_vla` hands the arm to a policy server
 * for a while (CaP-X: "a VLA model can be treated as just another tool"). The host serves it above
 * the safety supervisor (`electron/services/vla/`): observation out, action chunks in, each action
 * applied at the control rate as a supervised `stream_joints` call, which is declared here too but
 * offered at no tier (the policy never calls it; only the host's control loop does).
 */
import { armParam } from './spec-params.ts';
import type { ApiFunctionSpec } from './types.ts';

/** The ways a `run_vla` call can end (its `stop_reason`). */
export const VLA_STOP_REASONS = ['time_up', 'done', 'safety_stop'] as const;

/** One of `VLA_STOP_REASONS`: time up, the server said the task is done, a safety stop halted the arm. */
export type VlaStopReason = (typeof VLA_STOP_REASONS)[number];

/** `run_vla` and the control loop's primitive. */
export const VLA_API = [
  {
    name: 'run_vla',
    summary: 'Let a vision-language-action (VLA) policy drive the arm for a while, from a policy server.',
    details:
      'Sends the observation (joint angles, gripper and the camera images the server asks for) to the ' +
      'policy server with the instruction, and applies each chunk of actions it returns at the control ' +
      'rate through the safety supervisor (an action beyond a joint, speed, acceleration or workspace ' +
      'limit is clipped, with a safety event), until `seconds` of robot time have passed or the server ' +
      'says the task is done. Use it for the fine-motor part of a task (grasping what your code has ' +
      'found, wiping, inserting), and check the result with the API afterwards: a policy can fail. ' +
      'Raises PolicyServerError when the server answers with something that is not an action chunk ' +
      '(wrong shape, NaN, too many dimensions, too large) and PolicyServerTimeout when it does not ' +
      'answer in time; the arm holds where it is in both cases.',
    params: [
      {
        name: 'instruction',
        type: { kind: 'string' },
        description: "What the policy should do, in words, e.g. 'pick up the red cube'.",
      },
      {
        name: 'seconds',
        type: { kind: 'number', unit: 's', min: 0.05, max: 120 },
        description: 'The longest the policy may act, seconds of robot time.',
      },
      armParam,
      {
        name: 'server',
        type: { kind: 'string', nullable: true },
        description: 'Name of a configured policy server; None: the first one configured.',
        default: null,
      },
    ],
    returns: {
      pythonType: 'dict',
      description:
        "How the call ended: 'stop_reason' ('time_up', 'done' or 'safety_stop'), 'steps' (actions " +
        "applied), 'chunks' (server replies), 'robot_time_s' (robot time it took), 'clipped' (actions " +
        "a limit clipped) and 'server' (the server's name).",
    },
    levels: ['high', 'reduced'],
    moves: true,
    needs: 'vla-server',
    examples: [
      "result = run_vla('pick up the red cube', 10)\n" +
        "if get_observation()['gripper_width_m'] < 0.01:\n    print('the policy missed:', result['stop_reason'])",
    ],
  },
  {
    name: 'stream_joints',
    summary: "One step of run_vla's control loop: set the joint targets directly and hold them for one control period.",
    details:
      'Offered at no tier: only the host calls it, through the safety supervisor, which clips the ' +
      'targets to the joint, speed, acceleration and workspace limits first.',
    params: [
      { name: 'q_rad', type: { kind: 'jointVector', unit: 'rad' }, description: 'Joint targets, rad.' },
      {
        name: 'gripper_closure',
        type: { kind: 'number', unit: 'fraction (0 open, 1 closed)', min: 0, max: 1 },
        description: 'How far the gripper should close.',
      },
      {
        name: 'seconds',
        type: { kind: 'number', unit: 's', min: 0.001, max: 1 },
        description: 'The control period: how long to hold the targets, s of robot time.',
      },
      armParam,
    ],
    returns: {
      pythonType: 'dict',
      description: "'q_rad' (joint angles reached), 'gripper_width_m' and 'time_s' (robot clock).",
    },
    levels: [],
    moves: true,
  },
] as const satisfies readonly ApiFunctionSpec[];
