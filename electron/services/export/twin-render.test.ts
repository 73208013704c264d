/**
 * Camera images drawn from a twin recording: what a camera above a table sees (the table, a cube
 * on it, a capsule arm link, nothing past the table's edge), and the screen-box culling that makes
 * it cheap changes no pixel against testing every geom at every pixel.
 */
import { describe, expect, it } from 'vitest';
import { renderTwinView, renderTwinViews } from './twin-render.ts';

const IDENTITY = [1, 0, 0, 0] as [number, number, number, number];
const geom = (type: 'box' | 'sphere' | 'capsule' | 'cylinder' | 'plane', sizeM: number[], rgba: [number, number, number, number], posM: [number, number, number] = [0, 0, 0]) => ({ type, sizeM, rgba, posM, quatWxyz: IDENTITY });

/** A 1 × 1 m table top at z 0, a red 5 cm cube at its centre, a grey capsule link off to one side, a green ball. */
const scene = {
  sceneId: 's',
  taskId: 't',
  workcell: 'w',
  arms: ['left'],
  bodies: [
    { name: 'table', kind: 'world' as const, arm: null, geoms: [geom('box', [0.5, 0.5, 0.01], [0.6, 0.5, 0.4, 1], [0, 0, -0.01])] },
    { name: 'cube', kind: 'object' as const, arm: null, geoms: [geom('box', [0.025, 0.025, 0.025], [1, 0, 0, 1])] },
    { name: 'link', kind: 'arm' as const, arm: 'left', geoms: [geom('capsule', [0.03, 0.1], [0.5, 0.5, 0.5, 1])] },
    { name: 'ball', kind: 'object' as const, arm: null, geoms: [geom('sphere', [0.04], [0, 1, 0, 1]), geom('cylinder', [0.02, 0.05], [0, 0, 1, 1], [0, 0, 0.1])] },
  ],
  // Straight down from 1 m: the camera's −z is the world's −z, its y the world's y.
  cameras: [{ name: 'top', positionM: [0, 0, 1] as [number, number, number], quatWxyz: IDENTITY, fovyDeg: 60, aspect: 4 / 3 }],
  workspace: { minM: [-1, -1, 0] as [number, number, number], maxM: [1, 1, 1] as [number, number, number] },
};
/** Body poses (x y z qw qx qy qz): the cube on the table, the link at x 0.3 lying along x, the ball at (−0.25, 0.2). */
const poses = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0.025, 1, 0, 0, 0, 0.3, 0, 0.1, Math.SQRT1_2, 0, Math.SQRT1_2, 0, -0.25, 0.2, 0.04, 1, 0, 0, 0];

const W = 160;
const H = 120;
const pixel = (rgb: Uint8Array, u: number, v: number): number[] => [...rgb.subarray(3 * (v * W + u), 3 * (v * W + u) + 3)];
const TAN_Y = Math.tan(Math.PI / 6);
/** The pixel the top camera sees a world point (x, y) at `depthM` below it in. */
const pixelOf = (x: number, y: number, depthM: number): [number, number] => [Math.floor((x / depthM / (TAN_Y * (W / H)) + 1) * (W / 2)), Math.floor((1 - y / depthM / TAN_Y) * (H / 2))];

describe('twin render', () => {
  it('sees the cube at the centre, the table around it, the link and the ball where they are, nothing past the table', () => {
    const rgb = renderTwinView(scene, poses, scene.cameras[0]!, W, H);
    const [r, g, b] = pixel(rgb, W / 2, H / 2);
    expect(r).toBeGreaterThan(200); // the red cube, seen face-on
    expect(g).toBe(0);
    expect(b).toBe(0);
    const table = pixel(rgb, W / 2, 10); // y 0.5 m away at the top edge: tan 30° × 1 m = 0.577 > 0.5 → row 10 is still table
    expect(table[0]! > table[2]!).toBe(true);
    expect(pixel(rgb, 0, 0)).toEqual([18, 20, 24]); // the corner looks past the table
    // The link at x 0.3 m, its top 0.13 m up (0.87 m below the camera), grey.
    const link = pixel(rgb, ...pixelOf(0.3, 0, 0.87));
    expect(link[0]).toBe(link[1]);
    expect(link[1]).toBe(link[2]);
    expect(link[0]).toBeGreaterThan(60);
    // The ball's cylinder pokes up out of it (its top 0.19 m up): blue, seen end-on.
    expect(pixel(rgb, ...pixelOf(-0.25, 0.2, 0.81))[2]).toBeGreaterThan(200);
    expect(pixel(rgb, ...pixelOf(-0.25 + 0.03, 0.2, 0.96))[1]).toBeGreaterThan(150); // beside it, the green ball
  });

  it('culls by screen box without changing a pixel (every geom tested everywhere gives the same image)', () => {
    const tilted = { ...scene.cameras[0]!, positionM: [0.6, -0.7, 0.8] as [number, number, number], quatWxyz: [0.88, 0.42, 0.13, 0.17] as [number, number, number, number] };
    for (const camera of [scene.cameras[0]!, tilted]) {
      expect(Buffer.from(renderTwinView(scene, poses, camera, W, H))).toEqual(Buffer.from(renderTwinView(scene, poses, camera, W, H, { cull: false })));
    }
  });

  it('draws each time from the latest frame at or before it, once per frame', () => {
    const moved = poses.map((value, i) => (i === 7 ? 0.2 : value)); // the cube 20 cm along x
    const recording = { runId: 1, scene, frames: [{ tMs: 0, timeS: 0, poses }, { tMs: 40, timeS: 0.04, poses: moved }] };
    const views = renderTwinViews(recording, 'top', { clock: 'timeS', times: [0, 0.02, 0.04, 0.06], widthPx: W, heightPx: H });
    expect(views).toHaveLength(4);
    expect(views[1]).toBe(views[0]); // the same frame: drawn once
    expect(Buffer.from(views[2]!)).not.toEqual(Buffer.from(views[0]!));
    expect(pixel(views[2]!, W / 2, H / 2)[0]).toBeLessThan(200); // the cube left the centre
    expect(renderTwinViews(recording, 'no-such-camera', { clock: 'timeS', times: [0], widthPx: W, heightPx: H })).toEqual([]);
  });
});
