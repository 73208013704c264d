// Each task's success predicate against scenes set up directly in MuJoCo: the goal met, and
// near misses that must fail (beside the target, on the peg's top, half the stain left).
import loadMujoco, { type MainModule } from '@mujoco/mujoco';
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseTaskDefinition } from '../../shared/tasks.ts';
import { quatFromYaw } from '../../shared/math/quat.ts';
import { PandaWorkcell } from './workcell.ts';
import { bound } from './test-support.ts';

let mujoco: MainModule;
let workcell: PandaWorkcell | undefined;

beforeAll(async () => {
  mujoco = await loadMujoco();
});
afterEach(() => {
  workcell?.dispose();
  workcell = undefined;
});

function open(taskId: string, seed = 1): PandaWorkcell {
  const text = readFileSync(new URL(`../../resources/tasks/${taskId}.json`, import.meta.url), 'utf8');
  workcell = PandaWorkcell.create(mujoco, parseTaskDefinition(text, `${taskId}.json`), { isHalted: () => false });
  workcell.reset(seed);
  return workcell;
}

/** Move objects, then let physics settle them for a moment. */
function arrange(cell: PandaWorkcell, poses: Record<string, [number, number, number]>, yawRad = 0, settle = true): void {
  for (const [name, position] of Object.entries(poses)) {
    cell.scene.placeObject(cell.scene.find(name), position, quatFromYaw(yawRad));
  }
  cell.mujoco.mj_forward(cell.model, cell.data);
  if (settle) cell.call(bound('sleep', { seconds: 0.3 }));
}

describe('success predicates', () => {
  it('stacked: red on green succeeds; red beside green fails', () => {
    const cell = open('cube-stack');
    arrange(cell, { cube_green: [0.5, 0, 0.025], cube_red: [0.5, 0.003, 0.0755] });
    expect(cell.evaluate()).toMatchObject({ success: true, reason: 'cube_red on cube_green stacked, held 0.5 s' });
    arrange(cell, { cube_green: [0.5, 0, 0.025], cube_red: [0.5, 0.07, 0.025] });
    const beside = cell.evaluate();
    expect(beside.success).toBe(false);
    expect(beside.reason).toMatch(/cube_red is not on cube_green: 70 mm aside/);
  });

  it('restacked: the initial stack fails, the reversed stack succeeds', () => {
    const cell = open('cube-restack');
    expect(cell.evaluate()).toMatchObject({ success: false, reason: expect.stringMatching(/^cube_green is not on cube_red/) });
    arrange(cell, { cube_red: [0.45, -0.1, 0.025], cube_green: [0.45, -0.1, 0.0755] });
    expect(cell.evaluate().success).toBe(true);
  });

  it('nut on the peg: down at the base succeeds; resting on the top or beside fails', () => {
    const cell = open('nut-assembly');
    const [px, py] = cell.scene.pose('peg').positionM;
    arrange(cell, { nut: [px, py, 0.0105] });
    expect(cell.evaluate()).toMatchObject({ success: true });
    // Resting on the peg's top: judged as it lies, before it could slide down.
    arrange(cell, { nut: [px + 0.01, py, 0.111] }, 0.785, false);
    const onTop = cell.evaluate();
    expect(onTop.success).toBe(false);
    expect(onTop.reason).toMatch(/not down on its base/);
    arrange(cell, { nut: [px - 0.12, py, 0.0105] });
    expect(cell.evaluate()).toMatchObject({ success: false, reason: expect.stringMatching(/^nut hole is 1\d\d mm from the peg axis \(at most 15 mm\)/) });
  });

  it('stain cleared: all spots pushed out succeeds; half of them left fails', () => {
    const cell = open('spill-wipe');
    const [cx, cy] = cell.scene.placementCentres.get('stain')!;
    const spots = cell.scene.objects.filter((o) => o.definition.name === 'stain');
    expect(cell.evaluate()).toMatchObject({ success: false, reason: `0 of ${spots.length} stain markers wiped out of the stain (needs 90%)` });
    const moved = (count: number): Record<string, [number, number, number]> =>
      Object.fromEntries(spots.slice(0, count).map((s, i) => [s.name, [cx + 0.12, cy - 0.1 + 0.02 * i, 0.0045]]));
    arrange(cell, moved(spots.length / 2));
    expect(cell.evaluate()).toMatchObject({ success: false, reason: expect.stringMatching(/^5 of 10/) });
    arrange(cell, moved(spots.length));
    expect(cell.evaluate()).toMatchObject({ success: true, reason: expect.stringMatching(/^10 of 10/) });
  });

  it('lifted: an object dropped from above fails the hold', () => {
    const cell = open('cube-lift');
    cell.scene.placeObject(cell.scene.find('cube'), [0.5, 0, 0.2], [1, 0, 0, 0]);
    cell.mujoco.mj_forward(cell.model, cell.data);
    const verdict = cell.evaluate();
    expect(verdict.success).toBe(false);
    expect(verdict.reason).toMatch(/^cube raised -?0\.0\d\d m \(needs 0\.040 m\), 0\.\d\d s into the 0\.5 s hold$/);
  });
});
