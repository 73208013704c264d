// Calls typed from the spec: handler tables, and goto_pose composed from move_to_pose. The
// `@ts-expect-error` lines are the compile-time half of this test (`npm run typecheck`): each
// fails to compile, so a handler that names a parameter the spec does not have cannot be written.
import { describe, expect, it } from 'vitest';
import { serveCall, type ApiFunctionName, type ApiHandlers, type ArgsOf, type BoundCall } from './calls.ts';
import { composedCalls, gotoPose, gripperTargets } from './compose.ts';
import { validateCall } from './validate.ts';

const panda = { armJointCount: 7 };
const bind = (fn: string, kwargs: Record<string, unknown>): BoundCall => validateCall({ fn, args: [], kwargs }, panda);
const down = [0, 1, 0, 0];

export const renamedParameter = {
  // @ts-expect-error `z_approach` is not a parameter of goto_pose (it is `z_approach_m`)
  goto_pose: ({ z_approach }) => z_approach,
} satisfies ApiHandlers<'goto_pose'>;

export const misspeltFunction = {
  sleep: ({ seconds }) => seconds,
  // @ts-expect-error the API has no `slep`
  slep: () => null,
} satisfies ApiHandlers<'sleep'>;

export function typedArguments(call: BoundCall): number {
  // Narrowed by `fn`: no cast, and the wrong function's parameter does not compile.
  if (call.fn === 'goto_pose') return call.args.z_approach_m + call.args.position_m[2];
  // @ts-expect-error sleep() has no parameter `q_rad`
  if (call.fn === 'sleep') return call.args.q_rad.length;
  return 0;
}

/** A move_to_pose that records what it was asked, synchronously or asynchronously. */
function recordingMoves(asynchronous: boolean): { moves: Array<[ArgsOf<'move_to_pose'>, ApiFunctionName]>; handlers: ApiHandlers<'move_to_pose'> } {
  const moves: Array<[ArgsOf<'move_to_pose'>, ApiFunctionName]> = [];
  const move_to_pose = (args: ArgsOf<'move_to_pose'>, fn: ApiFunctionName): unknown => {
    moves.push([args, fn]);
    const reached = [args.position_m, args.quat_wxyz];
    return asynchronous ? Promise.resolve(reached) : reached;
  };
  return { moves, handlers: { move_to_pose } };
}

describe('handler tables', () => {
  it('serves a call from the table, and passes what the table lacks to the fallback', () => {
    const table = { sleep: ({ seconds }, fn) => `${fn} ${seconds}` } satisfies ApiHandlers<'sleep'>;
    expect(serveCall(table, bind('sleep', { seconds: 2 }), (fn) => `no ${fn}`)).toBe('sleep 2');
    expect(serveCall(table, bind('open_gripper', {}), (fn) => `no ${fn}`)).toBe('no open_gripper');
  });
});

describe('goto_pose composed from move_to_pose', () => {
  it('goes to the approach point (waiting) and then to the target, each move named goto_pose', () => {
    const { moves, handlers } = recordingMoves(false);
    const call = bind('goto_pose', { position_m: [0.5, 0.1, 0.02], quat_wxyz: down, z_approach_m: 0.1, wait: false });
    if (call.fn !== 'goto_pose') throw new Error('bound the wrong function');
    const reached = gotoPose(handlers.move_to_pose, call.args, call.fn);
    expect(reached).toEqual([[0.5, 0.1, 0.02], down]);
    expect(moves.map(([args, fn]) => [args.position_m[2], args.wait, args.arm, fn])).toEqual([
      [expect.closeTo(0.12, 9), true, 'left', 'goto_pose'],
      [0.02, false, 'left', 'goto_pose'],
    ]);
  });

  it('goes straight to the target without an approach, and waits for an asynchronous backend between the moves', async () => {
    const direct = recordingMoves(false);
    serveCall({ ...direct.handlers, ...composedCalls(direct.handlers) }, bind('goto_pose', { position_m: [0.5, 0, 0.2], quat_wxyz: down }), () => null);
    expect(direct.moves).toHaveLength(1);
    const later = recordingMoves(true);
    const served = serveCall({ ...later.handlers, ...composedCalls(later.handlers) }, bind('goto_pose', { position_m: [0.5, 0, 0.2], quat_wxyz: down, z_approach_m: 0.05 }), () => null);
    expect(later.moves).toHaveLength(1); // the descent waits for the approach
    await expect(served).resolves.toEqual([[0.5, 0, 0.2], down]);
    expect(later.moves).toHaveLength(2);
  });

  it('tells the supervisor every point a call takes the gripper to', () => {
    expect(gripperTargets(bind('goto_pose', { position_m: [0.5, 0, 0.2], quat_wxyz: down, z_approach_m: 0.1 }))).toEqual({
      targetM: [0.5, 0, 0.2],
      approachM: [0.5, 0, expect.closeTo(0.3, 9)],
    });
    expect(gripperTargets(bind('move_to_pose', { position_m: [0.5, 0, 0.2], quat_wxyz: down }))).toEqual({ targetM: [0.5, 0, 0.2], approachM: null });
    expect(gripperTargets(bind('solve_ik', { position_m: [0.5, 0, 0.2], quat_wxyz: down }))).toBeNull();
  });
});
