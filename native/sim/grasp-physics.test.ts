// Contact effects of the difficulty levels on the real simulator (MuJoCo WASM): an off-centre
// grasp turns on a fast lift with hard's rounded pads (not with easy's flat ones), a cube placed
// past the edge of another topples while an aligned one stays, and a pot lifted by one arm first
// tilts past the task's limit while one lifted by both together stays level.
import loadMujoco, { type MainModule } from '@mujoco/mujoco';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tiltBetween } from '../../shared/math/quat.ts';
import { parseTaskDefinition, taskAtDifficulty, type Difficulty } from '../../shared/tasks.ts';
import { PandaWorkcell } from './workcell.ts';
import { bound } from './test-support.ts';

let mujoco: MainModule;
const cells: PandaWorkcell[] = [];
function workcell(id: string, level: Difficulty): PandaWorkcell {
  const file = parseTaskDefinition(readFileSync(new URL(`../../resources/tasks/${id}.json`, import.meta.url), 'utf8'), id);
  const cell = PandaWorkcell.create(mujoco, taskAtDifficulty(file, level), { isHalted: () => false });
  cells.push(cell);
  return cell;
}
const degrees = (rad: number): number => (rad * 180) / Math.PI;

beforeAll(async () => {
  mujoco = await loadMujoco();
});
afterAll(() => cells.forEach((cell) => cell.dispose()));

/** Grasp the cube `offsetM` off its centre (across the jaws), lift 25 cm fast or slowly; its tilt then, degrees. */
function liftOffCentre(cell: PandaWorkcell, offsetM: number, fast: boolean): number {
  cell.reset(3);
  const start = cell.scene.pose('cube');
  const [p, q] = cell.call(bound('get_object_pose', { name: 'cube' })) as [number[], number[]];
  const yaw = Math.atan2(2 * q[0]! * q[3]!, 1 - 2 * q[3]! * q[3]!);
  const grip = [0, Math.cos(yaw / 2), Math.sin(yaw / 2), 0];
  const at = (heightM: number): number[] => [p[0]! + Math.cos(yaw) * offsetM, p[1]! + Math.sin(yaw) * offsetM, p[2]! + heightM];
  cell.call(bound('open_gripper'));
  cell.call(bound('move_to_pose', { position_m: at(0.1), quat_wxyz: grip }));
  cell.call(bound('move_to_pose', { position_m: at(0), quat_wxyz: grip }));
  expect(cell.call(bound('close_gripper'))).toBeGreaterThan(0.04);
  if (fast) {
    // The whole lift as one servo target: the arm accelerates as hard as its gains allow.
    const up = cell.call(bound('solve_ik', { position_m: at(0.25), quat_wxyz: grip })) as number[];
    cell.call(bound('stream_joints', { q_rad: up, gripper_closure: 1, seconds: 1 }));
  } else {
    cell.call(bound('move_to_pose', { position_m: at(0.25), quat_wxyz: grip }));
  }
  const pose = cell.scene.pose('cube');
  expect(pose.positionM[2] - start.positionM[2]).toBeGreaterThan(0.2);
  return degrees(tiltBetween(start.quatWxyz, pose.quatWxyz));
}

describe('grasps', () => {
  it('a cube grasped 20 mm off its centre turns in the rounded pads on a fast lift, and not in the flat pads', () => {
    const hard = workcell('cube-lift', 'hard');
    const easy = workcell('cube-lift', 'easy');
    expect(liftOffCentre(hard, 0.02, true)).toBeGreaterThan(15);
    expect(liftOffCentre(easy, 0.02, true)).toBeLessThan(5);
  });
});

describe('stacks', () => {
  /** Put the red cube on the green one `offsetM` aside, let it rest 1 s; is it still up there? */
  function staysOnTop(cell: PandaWorkcell, offsetM: number): boolean {
    cell.reset(2);
    const green = cell.scene.pose('cube_green').positionM;
    const red = cell.scene.find('cube_red');
    const half = cell.scene.parts('cube_red', 'test')[0]!.part.halfSizeM[2]!;
    const greenHalf = cell.scene.parts('cube_green', 'test')[0]!.part.halfSizeM[2]!;
    cell.scene.placeObject(red, [green[0] + offsetM, green[1], green[2] + greenHalf + half + 0.001], [1, 0, 0, 0]);
    cell.call(bound('sleep', { seconds: 1 }));
    return cell.scene.pose('cube_red').positionM[2] > green[2] + greenHalf;
  }

  it('topple when the top cube is placed with its centre past the edge, and stand when aligned', () => {
    const cell = workcell('cube-stack', 'standard');
    expect(staysOnTop(cell, 0.005)).toBe(true);
    expect(staysOnTop(cell, 0.032)).toBe(false);
  });
});

describe('two-arm lift', () => {
  /** Both arms grasp the pot's handles; lift 15 cm together, or the right arm first; the largest tilt, degrees. */
  function lift(cell: PandaWorkcell, together: boolean): number {
    cell.reset(1);
    const start = cell.scene.pose('pot');
    const grasps = (['left', 'right'] as const).map((arm) => [arm, ...(cell.call(bound('sample_grasp_pose', { name: 'pot handle', arm })) as [number[], number[]])] as const);
    for (const [arm, position, quat] of grasps) {
      cell.call(bound('open_gripper', { arm }));
      cell.call(bound('move_to_pose', { position_m: [position[0], position[1], position[2]! + 0.1], quat_wxyz: quat, arm }));
      cell.call(bound('move_to_pose', { position_m: position, quat_wxyz: quat, arm }));
      cell.call(bound('close_gripper', { arm }));
    }
    const up = (arm: string, position: number[], quat: number[], wait: boolean): unknown =>
      cell.call(bound('move_to_pose', { position_m: [position[0], position[1], position[2]! + 0.15], quat_wxyz: quat, arm, wait }));
    let worst = 0;
    if (together) {
      for (const [arm, position, quat] of grasps) up(arm, position, quat, false);
      cell.call(bound('wait_for_motion'));
    } else {
      // An arm may stall against the pot's weight or the other arm's grip: the tilt is what counts here.
      for (const [arm, position, quat] of [grasps[1]!, grasps[0]!]) {
        try {
          up(arm, position, quat, true);
        } catch {
          // stalled
        }
        worst = Math.max(worst, degrees(tiltBetween(start.quatWxyz, cell.scene.pose('pot').quatWxyz)));
      }
    }
    return Math.max(worst, degrees(tiltBetween(start.quatWxyz, cell.scene.pose('pot').quatWxyz)));
  }

  it('tilts the pot past its limit when one arm lifts before the other, and keeps it level when they lift together', () => {
    const cell = workcell('two-arm-lift', 'standard');
    const limit = degrees(cell.task.success.kind === 'lifted' ? cell.task.success.maxTiltRad! : 0);
    expect(lift(cell, true)).toBeLessThan(limit / 2);
    expect(lift(cell, false)).toBeGreaterThan(limit);
  });
});
