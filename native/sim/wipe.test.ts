// The stain field of spill-wipe at `standard` on the real simulator (MuJoCo WASM): markers come off
// only under the sponge's face while it presses on the table for long enough, and are then gone
// from the cameras; progress is the fraction wiped.
import loadMujoco, { type MainModule } from '@mujoco/mujoco';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTaskDefinition, taskAtDifficulty, type TaskDefinition } from '../../shared/tasks.ts';
import { PandaWorkcell } from './workcell.ts';
import { bound } from './test-support.ts';

const fileTask = parseTaskDefinition(readFileSync(new URL('../../resources/tasks/spill-wipe.json', import.meta.url), 'utf8'), 'spill-wipe');
const standard = taskAtDifficulty(fileTask, 'standard');

let mujoco: MainModule;
const cells: PandaWorkcell[] = [];
function workcell(task: TaskDefinition = standard): PandaWorkcell {
  const cell = PandaWorkcell.create(mujoco, task, { isHalted: () => false });
  cells.push(cell);
  return cell;
}
beforeAll(async () => {
  mujoco = await loadMujoco();
});
afterAll(() => cells.forEach((cell) => cell.dispose()));

const markers = (cell: PandaWorkcell) => cell.scene.objects.filter((o) => o.definition.name === 'stain').map((o) => o.name);
const wipedNames = (cell: PandaWorkcell) => markers(cell).filter((name) => cell.scene.wipe!.isWiped(name));

/** Grasp the sponge (it rests on the table: the grasp height puts its face on the table) and lift it. */
function graspSponge(cell: PandaWorkcell): { graspZ: number; quat: number[] } {
  const [grasp, quat] = cell.call(bound('sample_grasp_pose', { name: 'sponge' })) as [number[], number[]];
  cell.call(bound('open_gripper'));
  cell.call(bound('move_to_pose', { position_m: [grasp[0], grasp[1], grasp[2]! + 0.1], quat_wxyz: quat }));
  cell.call(bound('move_to_pose', { position_m: grasp, quat_wxyz: quat }));
  cell.call(bound('close_gripper'));
  cell.call(bound('move_to_pose', { position_m: [grasp[0], grasp[1], 0.12], quat_wxyz: quat }));
  return { graspZ: grasp[2]!, quat };
}

/**
 * One stroke along +x through the middle of the stain with the gripper `dz` above its grasp height:
 * the largest press seen, N, and how low the sponge's face came on the stroke (its centre less its half height), m.
 */
function stroke(cell: PandaWorkcell, dz: number): { pressN: number; lowestFaceM: number } {
  const { graspZ, quat } = graspSponge(cell);
  const spots = markers(cell).map((name) => cell.scene.pose(name).positionM);
  const [cx, cy] = [0, 1].map((k) => spots.reduce((sum, p) => sum + p[k]!, 0) / spots.length);
  let most = 0;
  let lowest = Infinity;
  const half = cell.scene.parts('sponge', 'test')[0]!.part.halfSizeM[2]!;
  const field = cell.scene.wipe!;
  const step = field.afterStep.bind(field);
  field.afterStep = () => {
    step();
    most = Math.max(most, field.pressN());
    lowest = Math.min(lowest, cell.scene.pose('sponge').positionM[2] - half);
  };
  cell.call(bound('move_to_pose', { position_m: [cx! - 0.08, cy!, 0.06], quat_wxyz: quat }));
  cell.call(bound('move_to_pose', { position_m: [cx! - 0.08, cy!, graspZ + dz], quat_wxyz: quat }));
  cell.call(bound('move_to_pose', { position_m: [cx! + 0.08, cy!, graspZ + dz], quat_wxyz: quat }));
  cell.call(bound('move_to_pose', { position_m: [cx! + 0.08, cy!, 0.12], quat_wxyz: quat }));
  field.afterStep = step;
  return { pressN: most, lowestFaceM: lowest };
}

describe('the stain field at standard', () => {
  it('is 40 flat markers that nothing collides with, laid out from the seed', () => {
    const cell = workcell();
    cell.reset(2);
    const layout = () => markers(cell).map((name) => cell.scene.pose(name).positionM);
    const first = layout();
    expect(first).toHaveLength(40);
    expect(first.every((p) => p[2] > 0 && p[2] < 0.002)).toBe(true);
    cell.reset(3);
    const other = layout();
    cell.reset(2);
    expect(layout()).toEqual(first);
    expect(other).not.toEqual(first);
    const geom = cell.model.geom_bodyid as Int32Array;
    const markerGeoms = [...geom.keys()].filter((g) => cell.scene.objects.some((o) => o.definition.name === 'stain' && o.bodyId === geom[g]));
    expect(markerGeoms.every((g) => (cell.model.geom_contype as Int32Array)[g] === 0 && (cell.model.geom_conaffinity as Int32Array)[g] === 0)).toBe(true);
  });

  it('wipes nothing while the sponge hovers 5 mm above the stain', () => {
    const cell = workcell();
    cell.reset(4);
    // The gripper 9 mm above its grasp height: the sponge sags in the grasp a little on the move.
    const hover = stroke(cell, 0.009);
    expect(hover.lowestFaceM).toBeGreaterThan(0.004);
    expect(hover.pressN).toBe(0);
    expect(cell.scene.wipe!.wipedCount).toBe(0);
    expect(cell.evaluate()).toMatchObject({ success: false, progress: 0, reason: '0 of 40 stain markers wiped (needs 90%)' });
  });

  it('wipes the markers under a pressed stroke: gone from the table and from the cameras', () => {
    const cell = workcell();
    cell.reset(4);
    expect(stroke(cell, -0.002).pressN).toBeGreaterThan(standard.success.kind === 'wiped' ? standard.success.pressN : Infinity);
    const wiped = wipedNames(cell);
    expect(wiped.length).toBeGreaterThan(10);
    expect(wiped.length).toBeLessThan(40);
    for (const name of wiped) expect(cell.scene.pose(name).positionM[2]).toBeLessThan(-0.05);
    const frame = cell.renderForDisplay('top', 320, 240);
    const seen = new Set(Array.from(frame.segmentation, (id) => frame.legend[id]));
    expect(wiped.filter((name) => seen.has(name))).toEqual([]);
    expect(markers(cell).filter((name) => !wiped.includes(name) && seen.has(name)).length).toBeGreaterThan(0);
    // The next episode has every marker back.
    cell.reset(4);
    expect(cell.scene.wipe!.wipedCount).toBe(0);
    expect(markers(cell).every((name) => cell.scene.pose(name).positionM[2] > 0)).toBe(true);
  });

  it('gives progress equal to the fraction wiped over the fraction needed', () => {
    const cell = workcell();
    cell.reset(6);
    stroke(cell, -0.002);
    const field = cell.scene.wipe!;
    const verdict = cell.evaluate();
    expect(field.wipedCount).toBeGreaterThan(0);
    expect(verdict.success).toBe(false);
    expect(verdict.progress).toBeCloseTo(field.wipedCount / 40 / 0.9, 12);
    expect(verdict.reason).toBe(`${field.wipedCount} of 40 stain markers wiped (needs 90%)`);
  });

  it('does not wipe under a touch below the threshold, nor under a press shorter than the sustain time', () => {
    const cell = workcell();
    cell.reset(5);
    // The sponge laid on the stain presses with its weight only (about 0.5 N, under 3 N).
    const spot = cell.scene.pose(markers(cell)[0]!).positionM;
    cell.scene.placeObject(cell.scene.find('sponge'), [spot[0], spot[1], 0.0165], [1, 0, 0, 0]);
    cell.call(bound('sleep', { seconds: 0.5 }));
    expect(cell.scene.wipe!.pressN()).toBeGreaterThan(0.2);
    expect(cell.scene.wipe!.pressN()).toBeLessThan(1);
    expect(cell.scene.wipe!.wipedCount).toBe(0);
    // The same pressed stroke as above, with a press that must last 5 s before it wipes.
    const patient = workcell({ ...standard, success: { ...standard.success, sustainS: 5 } as TaskDefinition['success'] });
    patient.reset(4);
    expect(stroke(patient, -0.002).pressN).toBeGreaterThan(3);
    expect(patient.scene.wipe!.wipedCount).toBe(0);
  });

  it('is deterministic for a seed: the same program wipes the same markers', () => {
    const run = () => {
      const cell = workcell();
      cell.reset(7);
      stroke(cell, -0.002);
      return { wiped: wipedNames(cell), verdict: cell.evaluate() };
    };
    const first = run();
    expect(first.wiped.length).toBeGreaterThan(0);
    expect(run()).toEqual(first);
  });
});
