import { describe, expect, it } from 'vitest';
import { frustumPoints, Overlays } from './decorations.ts';

describe('twin overlays', () => {
  it('draws a frustum opening along −z with the camera’s field of view', () => {
    const points = frustumPoints(90, 2, 1);
    expect(points.length).toBe(8 * 2 * 3);
    const zs = new Set<number>();
    let maxX = 0;
    let maxY = 0;
    for (let i = 0; i < points.length; i += 3) {
      zs.add(points[i + 2]!);
      maxX = Math.max(maxX, Math.abs(points[i]!));
      maxY = Math.max(maxY, Math.abs(points[i + 1]!));
    }
    expect([...zs].sort()).toEqual([-1, 0]);
    expect(maxY).toBeCloseTo(1, 6); // tan(45°) × 1 m
    expect(maxX).toBeCloseTo(2, 6); // × aspect
  });

  it('builds one frustum per camera and one ghost per arm with a target', () => {
    const overlays = new Overlays();
    overlays.build({
      sceneId: 's',
      taskId: 't',
      workcell: 'w',
      arms: ['left', 'right'],
      bodies: [],
      cameras: [
        { name: 'front', positionM: [1, 0, 1], quatWxyz: [1, 0, 0, 0], fovyDeg: 45, aspect: 4 / 3 },
        { name: 'top', positionM: [0, 0, 2], quatWxyz: [1, 0, 0, 0], fovyDeg: 60, aspect: 1 },
      ],
      workspace: { minM: [-1, -1, 0], maxM: [1, 1, 1] },
    });
    expect(overlays.frusta.children.map((c) => c.name)).toEqual(['camera:front', 'camera:top']);
    expect(overlays.workspace.children).toHaveLength(1);
    overlays.setTargets([{ arm: 'left', positionM: [0.1, 0.2, 0.3], quatWxyz: [1, 0, 0, 0] }]);
    overlays.setTargets([{ arm: 'right', positionM: [0, 0, 0], quatWxyz: [1, 0, 0, 0] }]);
    expect(overlays.ghosts.children.map((g) => [g.name, g.visible])).toEqual([
      ['ghost:left', false],
      ['ghost:right', true],
    ]);
    overlays.dispose();
  });
});
