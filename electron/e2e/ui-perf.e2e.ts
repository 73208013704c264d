/**
 * The UI measurements of `caplab perf` still work (tiny counts; the numbers are reported by the
 * benchmark, never asserted against targets here), and their pure pieces are right.
 */
import { describe, expect, it } from 'vitest';
import type { TwinSceneValue } from '../services/viewer/twin-port.ts';
import { posesAt, withObjects } from '../perf/busy-twin.ts';
import { median } from '../../shared/math/stats.ts';
import { measureUi, percentile } from '../perf/ui-perf.ts';

const SCENE: TwinSceneValue = {
  sceneId: 's',
  taskId: 'two-arm-lift',
  workcell: 'two-panda',
  arms: ['left', 'right'],
  bodies: [
    { name: 'world', kind: 'world', arm: null, geoms: [] },
    { name: 'left_link1', kind: 'arm', arm: 'left', geoms: [] },
    { name: 'pot', kind: 'object', arm: null, geoms: [] },
  ],
  cameras: [],
  workspace: { minM: [0, -1, 0], maxM: [1, 1, 1] },
};

describe('UI measurements', () => {
  it('median and nearest-rank percentiles', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
  });

  it('the busy scene has ten objects, moving everything but the world', () => {
    const rest = withObjects({ scene: SCENE, poses: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0.3, 1, 0, 0, 0, 0.5, 0.1, 0.03, 1, 0, 0, 0] }, 10);
    expect(rest.scene.bodies.filter((b) => b.kind === 'object')).toHaveLength(10);
    expect(rest.poses).toHaveLength(rest.scene.bodies.length * 7);
    expect(rest.scene.sceneId).not.toBe(SCENE.sceneId);
    const a = posesAt(rest, 0);
    const b = posesAt(rest, 0.4);
    expect(b.slice(0, 7)).toEqual(a.slice(0, 7));
    for (let body = 1; body < rest.scene.bodies.length; body += 1) expect(b.slice(body * 7, body * 7 + 2)).not.toEqual(a.slice(body * 7, body * 7 + 2));
  });

  it('measures serve → interactive, the twin frame rate and STOP → halt (small counts)', async () => {
    const ui = await measureUi({ presses: 2, launches: 1, fpsWindowMs: 1000 });
    expect(ui.estopPresses).toBe(2);
    expect(ui.estopMedianMs).toBeGreaterThan(-1); // both ends read the same wall clock (whole ms on the server)
    expect(Number.isFinite(ui.estopP99Ms)).toBe(true);
    expect(ui.twinFps).toBeGreaterThan(0);
    expect(ui.twinBodies).toBeGreaterThan(20);
    expect(ui.serveToInteractiveMedianMs).toBeGreaterThan(0);
  });
});
