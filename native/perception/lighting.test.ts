// Colour matching for real cameras: a brighter lamp, a shadow or another exposure scales every
// channel (and clips the brightest); the hue-and-saturation match keeps the cube's mask where it
// was, where the match tuned for rendered colours (chromaticity and brightness bounds) loses it.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTaskDefinition, type TaskDefinition } from '../../shared/tasks.ts';
import type { Frame } from '../sim/camera.ts';
import { SimBackend } from '../sim/sim-backend.ts';
import { appearances, colourMask, lightingRobustMask, regions, resolveQuery } from '../sim/vision.ts';

let task: TaskDefinition;
let sim: SimBackend;
let frame: Frame;

beforeAll(async () => {
  task = parseTaskDefinition(readFileSync(new URL('../../resources/tasks/cube-stack.json', import.meta.url), 'utf8'), 'cube-stack.json');
  sim = await SimBackend.start(task);
  await sim.reset(4);
  frame = (await sim.render('top', 320, 240)) as Frame;
});
afterAll(async () => {
  await sim?.dispose();
});

/** The frame under other light: every channel times `gain`, clipped at 255. */
function relit(gain: number): Frame {
  return { ...frame, rgb: Uint8Array.from(frame.rgb, (v) => Math.min(255, Math.round(v * gain))) };
}

function cubePixels(f: Frame, query: string, match: typeof colourMask): Set<number> {
  const colours = resolveQuery(query, appearances(task.objects)).map((a) => a.rgba);
  const [largest] = regions(match(f, colours), f.intrinsics.widthPx);
  return new Set(largest ? largest.pixels : []);
}

function overlap(a: Set<number>, b: Set<number>): number {
  const both = [...a].filter((i) => b.has(i)).length;
  return both / (a.size + b.size - both || 1);
}

describe('lightingRobustMask', () => {
  for (const query of ['red cube', 'green cube']) {
    it(`finds the ${query} in the same pixels in a brightened (×1.8) and a darkened (×0.35) image`, () => {
      const seen = cubePixels(frame, query, lightingRobustMask);
      expect(seen.size).toBeGreaterThan(50);
      for (const gain of [1.8, 0.35]) expect(overlap(cubePixels(relit(gain), query, lightingRobustMask), seen)).toBeGreaterThan(0.9);
    });
  }

  it('is needed: the match tuned for rendered colours loses the brightened green cube', () => {
    // (The red cube's red channel clips at ×1.8, which keeps it inside that match's brightness bound.)
    const rendered = cubePixels(frame, 'green cube', colourMask);
    expect(rendered.size).toBeGreaterThan(50);
    expect(overlap(cubePixels(relit(1.8), 'green cube', colourMask), rendered)).toBeLessThan(0.5);
  });

  it('takes neither the grey table nor the other cube', () => {
    const red = cubePixels(frame, 'red cube', lightingRobustMask);
    const green = cubePixels(frame, 'green cube', lightingRobustMask);
    expect(overlap(red, green)).toBe(0);
    const colours = resolveQuery('red cube', appearances(task.objects)).map((a) => a.rgba);
    const all = lightingRobustMask(frame, colours).reduce((n, v) => n + v, 0);
    expect(all).toBeLessThan(red.size * 1.2);
  });
});
