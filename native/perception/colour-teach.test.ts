// Colours taught by pointing: a cube painted orange where its task's words say red is not found by
// the words' colour, and is found — in the pixels the simulator's segmentation says are the cube,
// under brighter and darker light — once the operator has clicked on it. A click on the grey
// table, outside the image or on a speck teaches nothing and says why; colour books round-trip
// and a broken one is refused with its file and field named.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TaskDefinition } from '../../shared/tasks.ts';
import type { Frame } from '../sim/camera.ts';
import { appearances, lightingRobustMask, regions, resolveQuery } from '../sim/vision.ts';
import { centre, paintedScene, tablePixel, truthPixels } from './colour-fixtures.ts';
import { emptyColourBook, loadColourBook, saveColourBook, teachColour, TeachError, withTaughtColours, type ColourBook } from './colour-teach.ts';

let task: TaskDefinition;
let frame: Frame;

beforeAll(async () => {
  // The scene as it is: the cube the task calls red is orange.
  ({ task, frame } = await paintedScene(4));
});

/** The largest region perception finds for the query, with these objects' colours. */
function found(f: Frame, query: string, objects = task.objects): Set<number> {
  const colours = resolveQuery(query, appearances(objects)).map((a) => a.rgba);
  const [largest] = regions(lightingRobustMask(f, colours), f.intrinsics.widthPx);
  return new Set(largest ? largest.pixels : []);
}

function overlap(a: Set<number>, b: Set<number>): number {
  const both = [...a].filter((i) => b.has(i)).length;
  return both / (a.size + b.size - both || 1);
}

const relit = (gain: number): Frame => ({ ...frame, rgb: Uint8Array.from(frame.rgb, (v) => Math.min(255, Math.round(v * gain))) });
const image = (f: Frame) => ({ widthPx: f.intrinsics.widthPx, heightPx: f.intrinsics.heightPx, rgb: f.rgb });

describe('teachColour', () => {
  it("is needed: the task's red does not find the orange cube", () => {
    expect(truthPixels(frame, 'cube_red').size).toBeGreaterThan(50);
    expect(overlap(found(frame, 'red cube'), truthPixels(frame, 'cube_red'))).toBeLessThan(0.1);
  });

  it('a click on the orange cube teaches its colour: perception then finds the cube where it is, under brighter and darker light', () => {
    const truth = truthPixels(frame, 'cube_red');
    const taught = teachColour(image(frame), centre(truth, frame.intrinsics.widthPx), 'cube_red', new Date('2026-12-04T12:00:00Z'));
    expect(taught.hueDeg).toBeGreaterThan(18);
    expect(taught.hueDeg).toBeLessThan(34);
    // The patch it learned from is the cube's face (what the camera sees of it from above).
    expect(taught.pixels).toBeGreaterThan(0.7 * truth.size);
    expect(taught.pixels).toBeLessThanOrEqual(truth.size);
    expect(taught.lookalikes).toBe(0);
    const book: ColourBook = { ...emptyColourBook('top'), colours: { cube_red: taught } };
    const objects = withTaughtColours(task.objects, book);
    expect(objects.find((o) => o.name === 'cube_green')).toBe(task.objects.find((o) => o.name === 'cube_green'));
    expect(overlap(found(frame, 'red cube', objects), truth)).toBeGreaterThan(0.85);
    for (const gain of [1.8, 0.35]) expect(overlap(found(relit(gain), 'red cube', objects), truth)).toBeGreaterThan(0.8);
    // The green cube is still found by its words, and is not taken for the taught one.
    expect(overlap(found(frame, 'green cube', objects), truthPixels(frame, 'cube_green'))).toBeGreaterThan(0.85);
  });

  it('taught in dim light, it finds the cube in bright light', () => {
    const truth = truthPixels(frame, 'cube_red');
    const taught = teachColour(image(relit(0.4)), centre(truth, frame.intrinsics.widthPx), 'cube_red');
    const objects = withTaughtColours(task.objects, { ...emptyColourBook(), colours: { cube_red: taught } });
    expect(overlap(found(relit(1.6), 'red cube', objects), truth)).toBeGreaterThan(0.8);
  });

  it('counts lookalikes: another patch of the taught colour in the image', () => {
    const truth = truthPixels(frame, 'cube_red');
    const green = truthPixels(frame, 'cube_green');
    // Paint the green cube's pixels with the orange cube's own colour at its centre.
    const [u, v] = centre(truth, frame.intrinsics.widthPx);
    const at = 3 * (v * frame.intrinsics.widthPx + u);
    const rgb = Uint8Array.from(frame.rgb);
    for (const i of green) rgb.set(frame.rgb.subarray(at, at + 3), 3 * i);
    const taught = teachColour({ ...image(frame), rgb }, [u, v], 'cube_red');
    expect(taught.lookalikes).toBe(1);
    // Its box is the green cube's.
    const w = frame.intrinsics.widthPx;
    const us = [...green].map((i) => i % w);
    const vs = [...green].map((i) => Math.floor(i / w));
    expect(taught.lookalikeBoxesPx).toEqual([[Math.min(...us), Math.min(...vs), Math.max(...us), Math.max(...vs)]]);
  });

  it('a click on the grey table, outside the image or on a speck teaches nothing, and says why', () => {
    const w = frame.intrinsics.widthPx;
    const table = tablePixel(frame);
    // The simulator's table is tinted (a wood's hue): too much of the image to be an object. A grey one has no hue at all.
    expect(() => teachColour(image(frame), table, 'cube')).toThrow(/the colour at \(\d+, \d+\) fills \d+% of the image: that is not one object/);
    expect(() => teachColour(image(frame), [w, 3], 'cube')).toThrow(TeachError);
    expect(() => teachColour(image(frame), [w, 3], 'cube')).toThrow(`pixel (${w}, 3) is outside the camera's ${w}×240 image`);
    // A speck: a 3×3 orange dot on a grey image.
    const grey = new Uint8Array(w * 240 * 3).fill(128);
    for (let dv = -1; dv <= 1; dv += 1) for (let du = -1; du <= 1; du += 1) grey.set([230, 115, 25], 3 * ((100 + dv) * w + 100 + du));
    expect(() => teachColour({ widthPx: w, heightPx: 240, rgb: grey }, [100, 100], 'cube')).toThrow(/no colour to learn/);
    expect(() => teachColour({ widthPx: w, heightPx: 240, rgb: grey }, [20, 200], 'cube')).toThrow("the pixel at (20, 200) has no colour to learn: it and its neighbours are grey, dark or washed out (it is rgb 128, 128, 128); click on the object's coloured face");
    // A 4×4 dot: enough to seed from, too small to be an object.
    for (let dv = -2; dv <= 1; dv += 1) for (let du = -2; du <= 1; du += 1) grey.set([230, 115, 25], 3 * ((50 + dv) * w + 50 + du));
    expect(() => teachColour({ widthPx: w, heightPx: 240, rgb: grey }, [50, 50], 'cube')).toThrow(/only 16 pixels of that colour around \(50, 50\): a speck/);
    // A backdrop: the whole image one colour.
    const orange = new Uint8Array(w * 240 * 3);
    for (let i = 0; i < w * 240; i += 1) orange.set([230, 115, 25], 3 * i);
    expect(() => teachColour({ widthPx: w, heightPx: 240, rgb: orange }, [100, 100], 'cube')).toThrow(/fills 100% of the image: that is not one object/);
  });
});

describe('colour books', () => {
  const dir = mkdtempSync(join(tmpdir(), 'caplab-colours-'));

  it('round-trip through their file', () => {
    const truth = truthPixels(frame, 'cube_red');
    const taught = teachColour(image(frame), centre(truth, frame.intrinsics.widthPx), 'cube_red');
    const path = join(dir, 'book.json');
    saveColourBook(path, { ...emptyColourBook('overhead'), colours: { cube_red: taught } });
    expect(loadColourBook(path)).toEqual({ version: 1, camera: 'overhead', colours: { cube_red: taught } });
  });

  it('a broken book is refused with the file and what is wrong', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{"version": 1, "colours": {"cube": {"object": "cube", "hueDeg": 400}}}');
    expect(() => loadColourBook(path)).toThrow(new RegExp(`the colour book ${path} is not a colour book .*colours\\.cube\\.hueDeg`));
    writeFileSync(path, 'not json');
    expect(() => loadColourBook(path)).toThrow(/is not JSON/);
    expect(() => loadColourBook(join(dir, 'missing.json'))).toThrow(/cannot read the colour book .*ENOENT/);
  });
});
