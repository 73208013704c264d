import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.ts';
import { MOTION_FUNCTIONS, ROBOT_API } from './spec.ts';
import { apiForTier, TIERS } from './tiers.ts';
import { validateCall } from './validate.ts';

const panda = { armJointCount: 7 };

function failure(call: { fn: string; args?: unknown[]; kwargs?: Record<string, unknown> }): ApiError {
  try {
    validateCall({ fn: call.fn, args: call.args ?? [], kwargs: call.kwargs ?? {} }, panda);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error(`expected ${call.fn} to be rejected`);
}

describe('robot API spec', () => {
  it('declares the functions the policy runtime needs, each documented with units in parameter names', () => {
    const names = ROBOT_API.map((spec) => spec.name);
    for (const name of ['get_observation', 'get_object_pose', 'get_ee_pose', 'move_to_pose', 'move_to_joints', 'solve_ik', 'open_gripper', 'close_gripper', 'sleep']) {
      expect(names).toContain(name);
    }
    expect(new Set(names).size).toBe(names.length);
    for (const spec of ROBOT_API) {
      expect(spec.summary.length).toBeGreaterThan(10);
      for (const param of spec.params) expect(param.description.length).toBeGreaterThan(5);
    }
  });

  it('marks exactly the calls that move the robot', () => {
    expect([...MOTION_FUNCTIONS].sort()).toEqual([
      'close_gripper',
      'goto_pose',
      'move_to_joints',
      'move_to_pose',
      'open_gripper',
      'run_vla',
      'stream_joints',
      'wait_for_motion',
    ]);
  });

  it("accepts None for a nullable string (run_vla's server) and fills in its None default", () => {
    const context = { armJointCount: 7 };
    expect(validateCall({ fn: 'run_vla', args: ['pick up the red cube', 10], kwargs: {} }, context).args).toEqual({ instruction: 'pick up the red cube', seconds: 10, arm: 'left', server: null });
    expect(validateCall({ fn: 'run_vla', args: ['x', 1, 'left', null], kwargs: {} }, context).args).toMatchObject({ server: null });
    expect(() => validateCall({ fn: 'run_vla', args: ['x', 1], kwargs: { server: 3 } }, context)).toThrow(/parameter 'server' expects a string or None; got the number 3/);
  });

  it('offers object poses at the high level only (ground truth at S1, perception at S2)', () => {
    expect(apiForTier(TIERS.S1).map((s) => s.name)).toContain('get_object_pose');
    expect(apiForTier(TIERS.S2).map((s) => s.name)).toContain('get_object_pose');
    expect(apiForTier(TIERS.S3).map((s) => s.name)).not.toContain('get_object_pose');
    expect(apiForTier(TIERS.S4).every((s) => (s.examples ?? []).length === 0)).toBe(true);
    expect(apiForTier(TIERS.S3).some((s) => (s.examples ?? []).length > 0)).toBe(true);
  });
});

describe('validateCall', () => {
  it('binds positional and keyword arguments and normalises quaternions', () => {
    const call = validateCall({ fn: 'move_to_pose', args: [[0.5, 0, 0.3]], kwargs: { quat_wxyz: [0, 2, 0, 0] } }, panda);
    expect(call.args).toEqual({ position_m: [0.5, 0, 0.3], quat_wxyz: [0, 1, 0, 0], arm: 'left', wait: true });
    expect(call.spec.moves).toBe(true);
  });

  it('names the function, parameter and expected shape for a malformed pose', () => {
    const error = failure({ fn: 'move_to_pose', args: [[0.5, 0.1], [0, 1, 0, 0]] });
    expect(error.code).toBe('invalid_argument');
    expect(error.parameter).toBe('position_m');
    expect(error.message).toBe(
      "move_to_pose(): parameter 'position_m' expects a list of 3 finite numbers [x, y, z] in m (world frame); got a list of 2 numbers",
    );
  });

  it('rejects NaN, strings inside vectors, zero quaternions and wrong joint counts', () => {
    expect(failure({ fn: 'move_to_pose', args: [[0.5, Number.NaN, 0.3], [0, 1, 0, 0]] }).parameter).toBe('position_m');
    expect(failure({ fn: 'move_to_pose', args: [[0.5, '0', 0.3], [0, 1, 0, 0]] }).message).toContain('mixed values');
    expect(failure({ fn: 'solve_ik', args: [[0.5, 0, 0.3], [0, 0, 0, 0]] }).parameter).toBe('quat_wxyz');
    const joints = failure({ fn: 'move_to_joints', args: [[0, 0, 0]] });
    expect(joints.message).toContain('a list of 7 finite numbers, one angle per joint in rad; got a list of 3 numbers');
  });

  it('reports missing, extra, duplicate and unexpected arguments like Python does', () => {
    expect(failure({ fn: 'get_object_pose' }).message).toBe("get_object_pose(name) missing required argument 'name': a string");
    expect(failure({ fn: 'open_gripper', args: ['left', 1] }).message).toBe(
      "open_gripper(arm='left') takes 1 positional argument but 2 were given",
    );
    expect(failure({ fn: 'move_to_joints', args: [[0, 0, 0, 0, 0, 0, 0]], kwargs: { wait: 'no' } }).message).toBe(
      "move_to_joints(): parameter 'wait' expects True or False; got the string 'no'",
    );
    expect(failure({ fn: 'sleep', args: [1], kwargs: { seconds: 2 } }).message).toContain("multiple values for argument 'seconds'");
    expect(failure({ fn: 'sleep', kwargs: { secs: 2 } }).message).toContain("unexpected keyword argument 'secs'");
    expect(failure({ fn: 'sleep', args: [-1] }).message).toContain('between 0 and 30 in s');
  });

  it("rejects an arm the workcell does not have, naming the arms it has", () => {
    const error = (() => {
      try {
        validateCall({ fn: 'open_gripper', args: [], kwargs: { arm: 'right' } }, { ...panda, arms: ['left'] });
      } catch (caught) {
        return caught as ApiError;
      }
      throw new Error('expected an ApiError');
    })();
    expect(error.message).toBe("open_gripper(): this workcell has no arm 'right'; its arms: 'left'");
    expect(validateCall({ fn: 'open_gripper', args: ['right'], kwargs: {} }, { ...panda, arms: ['left', 'right'] }).args).toEqual({ arm: 'right' });
  });

  it('rejects an unknown function and lists the known ones', () => {
    const error = failure({ fn: 'fly_to', args: [[1, 2, 3]] });
    expect(error.code).toBe('unknown_function');
    expect(error.message).toContain("no function 'fly_to'");
    expect(error.message).toContain('move_to_pose');
  });
});
