import { describe, expect, it } from 'vitest';
import { judgeByCamera, type CameraView, type SeenBox } from './camera-judge.ts';
import type { SuccessPredicate } from './tasks.ts';

const box = (x: number, y: number, z: number, half: [number, number, number] = [0.025, 0.025, 0.025], yawRad = 0): SeenBox => ({ centreM: [x, y, z], yawRad, halfSizeM: half });
const open = { tcpM: [0.3, 0.3, 0.4] as [number, number, number], widthM: 0.08, openWidthM: 0.08 };
const view = (objects: CameraView['objects'], grippers: CameraView['grippers'] = { left: open }): CameraView => ({ objects, grippers });

describe('judging a task by camera', () => {
  const lift = { kind: 'lifted', object: 'cube', heightM: 0.04, holdS: 0.5 } as const;

  it('judges a lift by the seen rise, and says when the object is not seen', () => {
    const before = view({ cube: [box(0.5, 0, 0.025)] });
    expect(judgeByCamera(lift, before, view({ cube: [box(0.5, 0, 0.2)] }))).toEqual({ success: true, reason: 'cube raised 0.175 m (needs 0.040 m) (camera-judged)' });
    expect(judgeByCamera(lift, before, view({ cube: [box(0.5, 0, 0.05)] })).success).toBe(false);
    expect(judgeByCamera(lift, before, view({ cube: [] }))).toEqual({ success: false, reason: 'cube is not seen by the cameras after the program (camera-judged)' });
    // A camera sees no tilt: the predicate's tilt limit is said to be unjudged, not passed silently.
    expect(judgeByCamera({ ...lift, maxTiltRad: 0.2 }, before, view({ cube: [box(0.5, 0, 0.2)] })).reason).toContain('tilt not judged');
  });

  it('takes a handover as held by the arm whose gripper is closed on the object, not one merely near it', () => {
    const handover = { ...lift, heldBy: 'right' } as const;
    const before = view({ cube: [box(0.5, 0, 0.025)] });
    const closed = (x: number): CameraView['grippers'][string] => ({ tcpM: [x, 0, 0.2], widthM: 0.05, openWidthM: 0.08 });
    const by = (grippers: CameraView['grippers']) => judgeByCamera(handover, before, view({ cube: [box(0.5, 0, 0.2)] }, grippers));
    expect(by({ left: { ...closed(0.45), widthM: 0.08 }, right: closed(0.56) }).success).toBe(true);
    expect(by({ left: closed(0.45), right: closed(0.56) }).reason).toContain('at the gripper of left and right');
    expect(by({ left: closed(0.45), right: { ...closed(0.56), widthM: 0.0 } }).success).toBe(false); // shut on nothing
  });

  it('finds a stack whose bottom object the top one mostly hides', () => {
    const stack: SuccessPredicate = { kind: 'stacked', order: ['red', 'green'], toleranceM: 0.02, holdS: 0.5 };
    const before = view({ red: [box(0.4, 0.1, 0.025)], green: [box(0.5, 0, 0.025)] });
    // Only a 12 mm sliver of the green cube shows beside the red one, which sits 2 mm off its centre.
    const sliver = box(0.5 + 0.025 - 0.006 + 0.002, 0, 0.025, [0.006, 0.025, 0.025]);
    const after = view({ red: [box(0.502, 0, 0.075)], green: [sliver] });
    expect(judgeByCamera(stack, before, after)).toMatchObject({ success: true });
    expect(judgeByCamera(stack, before, view({ red: [box(0.56, 0, 0.075)], green: [box(0.5, 0, 0.025)] })).reason).toContain('60 mm aside');
    const stillHeld = view({ red: [box(0.502, 0, 0.075)], green: [sliver] }, { left: { tcpM: [0.502, 0, 0.09], widthM: 0.05, openWidthM: 0.08 } });
    expect(judgeByCamera(stack, before, stillHeld).reason).toContain('still at the left gripper');
  });

  it('judges a nut by the pieces an occluder split it into, against the peg where it stood', () => {
    const peg: SuccessPredicate = { kind: 'over-peg', object: 'nut', peg: 'peg', holeOffsetM: [0, 0, 0], radiusM: 0.015, maxHeightM: 0.03, holdS: 0.3 };
    const before = view({ peg: [box(0.5, 0.1, 0.05, [0.012, 0.012, 0.05])], nut: [box(0.4, -0.1, 0.01)] });
    // A finger over the ring leaves two bars seen either side of the peg.
    const after = view({ nut: [box(0.5, 0.1275, 0.01, [0.035, 0.0075, 0.01]), box(0.5, 0.0725, 0.01, [0.035, 0.0075, 0.01])], peg: [box(0.5, 0.11, 0.09, [0.01, 0.003, 0.01])] });
    expect(judgeByCamera(peg, before, after)).toEqual({ success: true, reason: 'nut is on the peg (0 mm off its axis) (camera-judged)' });
  });

  it('measures a wipe by the stain area still seen', () => {
    const wipe = { kind: 'cleared', object: 'stain', regionHalfM: 0.06, fraction: 0.9 } as const;
    const marker = (x: number, y: number): SeenBox => box(x, y, 0.001, [0.01, 0.01, 0.001]);
    const before = view({ stain: [marker(0.5, 0), marker(0.52, 0), marker(0.5, 0.02), marker(0.52, 0.02)] });
    expect(judgeByCamera(wipe, before, view({ stain: [marker(0.7, 0)] })).success).toBe(true);
    expect(judgeByCamera(wipe, before, view({ stain: [marker(0.5, 0)] })).reason).toMatch(/^75% of the stain area/);
  });

  it('measures a wiped field by the marker area no longer seen where it was', () => {
    const wiped = { kind: 'wiped', object: 'stain', tool: 'sponge', fraction: 0.9, pressN: 3, sustainS: 0.02 } as const;
    const marker = (x: number, y: number): SeenBox => box(x, y, 0.001, [0.005, 0.005, 0.0005]);
    const field = Array.from({ length: 20 }, (_, i) => marker(0.5 + 0.02 * (i % 5), 0.02 * Math.floor(i / 5)));
    const before = view({ stain: field });
    expect(judgeByCamera(wiped, before, view({ stain: field.slice(0, 1) }))).toEqual({ success: true, reason: '95% of the stain area seen at the start is no longer seen (needs 90%) (camera-judged)' });
    expect(judgeByCamera(wiped, before, view({ stain: field.slice(0, 5) })).reason).toMatch(/^75% /);
    // Something of the stain's colour well away from the field is not the stain.
    expect(judgeByCamera(wiped, before, view({ stain: [marker(0.2, 0.3), marker(0.2, 0.32)] })).success).toBe(true);
    expect(judgeByCamera(wiped, view({ stain: [] }), view({ stain: [] })).reason).toMatch(/not seen by the cameras before/);
  });
});
