/**
 * A checkerboard in an image, as the ordered list of its inner corners. Corner candidates
 * (`corners.ts`) are linked into a grid by growing from the candidate nearest the middle: each
 * step predicts the next corner from the last two (so perspective is followed) and takes the
 * candidate nearest the prediction. The grid must have exactly the board's inner corners.
 *
 * Labelling, so that poses are comparable between views: corner (0, 0) is a corner of a dark
 * square, x runs along the longer side (`innerColumns`), and the board frame is right-handed
 * with z pointing away from the camera (into the board). A board whose inner corner counts
 * differ in parity (9 × 6, 7 × 4 …) has one such labelling; with equal parity a 180° turn stays
 * ambiguous (fine for intrinsics, not for hand-eye).
 */
import { findCorners, type GrayImage } from './corners.ts';
import type { Point2 } from './intrinsics.ts';
import { median } from '../../../shared/math/stats.ts';

export interface CheckerboardSpec {
  /** Inner corners along the board's x axis and y axis. */
  readonly innerColumns: number;
  readonly innerRows: number;
}

/** The detected corners, row by row (`innerColumns` per row), or why none were found. */
export type CheckerboardResult = { readonly cornersPx: Point2[] } | { readonly cornersPx: null; readonly problem: string };

type Grid = Map<string, Point2>;
const key = (i: number, j: number): string => `${i},${j}`;
const sub = (a: Point2, b: Point2): Point2 => [a[0] - b[0], a[1] - b[1]];
const add = (a: Point2, b: Point2): Point2 => [a[0] + b[0], a[1] + b[1]];
const length = (a: Point2): number => Math.hypot(a[0], a[1]);

/**
 * Inner corners of a checkerboard of `columns` × `rows` squares of `squareM` in the board frame
 * (z = 0, origin at the outer corner of the dark square (0, 0)), row by row as detected.
 */
export function gridPoints(columns: number, rows: number, squareM: number): Point2[] {
  const points: Point2[] = [];
  for (let r = 1; r < rows; r += 1) for (let c = 1; c < columns; c += 1) points.push([c * squareM, r * squareM]);
  return points;
}

/** Find the board's inner corners in a grey image. */
export function detectCheckerboard(image: GrayImage, spec: CheckerboardSpec, options: { radius?: number } = {}): CheckerboardResult {
  const expected = spec.innerColumns * spec.innerRows;
  const candidates = findCorners(image, options).map((c) => c.px);
  if (candidates.length < expected) return { cornersPx: null, problem: `found ${candidates.length} corner candidates, the board has ${expected}` };
  const grid = growGrid(candidates, image);
  const labelled = normaliseLabels(pruneSparseEdges(grid), spec);
  if ('problem' in labelled) return { cornersPx: null, problem: labelled.problem };
  const oriented = orient(labelled.grid, spec, image);
  const cornersPx: Point2[] = [];
  for (let j = 0; j < spec.innerRows; j += 1) for (let i = 0; i < spec.innerColumns; i += 1) cornersPx.push(oriented.get(key(i, j))!);
  return { cornersPx };
}

/** Link candidates into integer grid positions, starting from the one nearest the middle. */
function growGrid(points: Point2[], image: GrayImage): Grid {
  const middle: Point2 = [median(points.map((p) => p[0])), median(points.map((p) => p[1]))];
  const seed = nearest(points, middle, new Set())!;
  const used = new Set<Point2>([seed]);
  const [u, v] = gridSteps(seed, points, image);
  const steps: [number, number, Point2][] = [[1, 0, u], [-1, 0, [-u[0], -u[1]]], [0, 1, v], [0, -1, [-v[0], -v[1]]]];
  const grid: Grid = new Map([[key(0, 0), seed]]);
  const queue: [number, number][] = [[0, 0]];
  while (queue.length > 0) {
    const [i, j] = queue.shift()!;
    const here = grid.get(key(i, j))!;
    for (const [di, dj, fallback] of steps) {
      if (grid.has(key(i + di, j + dj))) continue;
      const behind = grid.get(key(i - di, j - dj));
      const step = behind ? sub(here, behind) : fallback;
      const found = nearest(points, add(here, step), used);
      if (found && length(sub(found, add(here, step))) < 0.3 * length(step)) {
        used.add(found);
        grid.set(key(i + di, j + dj), found);
        queue.push([i + di, j + dj]);
      }
    }
  }
  return grid;
}

/**
 * The board's two directions at the seed: steps to nearby corners along which the image changes
 * colour from one side to the other (a square's edge). A step along a diagonal crosses the middle
 * of one square instead; on a strongly tilted board it can be shorter than the true second step,
 * and a grid grown from it has the right corners under the wrong numbers.
 */
function gridSteps(seed: Point2, points: Point2[], image: GrayImage): [Point2, Point2] {
  const near = points.filter((p) => p !== seed).sort((a, b) => length(sub(a, seed)) - length(sub(b, seed))).slice(0, 8).map((p) => sub(p, seed));
  const contrast = near.map((step) => edgeContrast(image, seed, step));
  const strongest = Math.max(...contrast);
  const edges = near.filter((_, k) => contrast[k]! >= 0.5 * strongest);
  const u = edges[0] ?? near[0]!;
  const v = edges.find((step) => Math.abs(cosine(step, u)) < 0.9) ?? near.find((step) => Math.abs(cosine(step, u)) < 0.6) ?? near[1]!;
  return [u, v];
}

/** Grey difference across the middle of a step, a quarter of its length to either side. */
function edgeContrast(image: GrayImage, from: Point2, step: Point2): number {
  const middle = add(from, [step[0] / 2, step[1] / 2]);
  const side: Point2 = [-step[1] / 4, step[0] / 4];
  return Math.abs(patchMean(image, add(middle, side)) - patchMean(image, sub(middle, side)));
}

/** Mean of the 3 × 3 pixels around a point (edges clamped): one pixel is too noisy. */
function patchMean(image: GrayImage, [x, y]: Point2): number {
  const clamp = (v: number, size: number): number => Math.min(size - 1, Math.max(0, v));
  let sum = 0;
  for (let dy = -1; dy <= 1; dy += 1) {
    for (let dx = -1; dx <= 1; dx += 1) sum += image.gray[clamp(Math.round(y) + dy, image.heightPx) * image.widthPx + clamp(Math.round(x) + dx, image.widthPx)]!;
  }
  return sum / 9;
}

/**
 * Drop outer rows and columns holding less than half as many corners as the fullest one: a
 * board's row is seen whole, so a sparse one is noise (or the margin's edge) that matched a
 * prediction next to the board.
 */
function pruneSparseEdges(grid: Grid): Grid {
  const out = new Map(grid);
  for (let changed = true; changed; ) {
    changed = false;
    const cells = [...out.keys()].map((k) => k.split(',').map(Number) as [number, number]);
    for (const axis of [0, 1] as const) {
      const counts = new Map<number, number>();
      for (const cell of cells) counts.set(cell[axis], (counts.get(cell[axis]) ?? 0) + 1);
      const fullest = Math.max(...counts.values());
      for (const line of [Math.min(...counts.keys()), Math.max(...counts.keys())]) {
        if (counts.size > 1 && counts.get(line)! * 2 < fullest) {
          for (const cell of cells) if (cell[axis] === line) out.delete(key(cell[0], cell[1]));
          changed = true;
        }
      }
      if (changed) break;
    }
  }
  return out;
}

/** Shift the grid to start at (0, 0) and turn it so that i runs along `innerColumns`. */
function normaliseLabels(grid: Grid, spec: CheckerboardSpec): { grid: Grid } | { problem: string } {
  const cells = [...grid.keys()].map((k) => k.split(',').map(Number) as [number, number]);
  const [minI, minJ] = [Math.min(...cells.map((c) => c[0])), Math.min(...cells.map((c) => c[1]))];
  const [sizeI, sizeJ] = [Math.max(...cells.map((c) => c[0])) - minI + 1, Math.max(...cells.map((c) => c[1])) - minJ + 1];
  const swap = sizeI !== spec.innerColumns;
  const [columns, rows] = swap ? [sizeJ, sizeI] : [sizeI, sizeJ];
  if (columns !== spec.innerColumns || rows !== spec.innerRows || grid.size !== columns * rows) {
    return { problem: `found a grid of ${sizeI} × ${sizeJ} (${grid.size} corners), the board has ${spec.innerColumns} × ${spec.innerRows}` };
  }
  const out: Grid = new Map();
  for (const [i, j] of cells) {
    const [a, b] = [i - minI, j - minJ];
    out.set(swap ? key(b, a) : key(a, b), grid.get(key(i, j))!);
  }
  return { grid: out };
}

/** Of the four labellings with these dimensions, the right-handed one starting on a dark square. */
function orient(grid: Grid, spec: CheckerboardSpec, image: GrayImage): Grid {
  const [lastI, lastJ] = [spec.innerColumns - 1, spec.innerRows - 1];
  const relabel = (flipI: boolean, flipJ: boolean): Grid => {
    const out: Grid = new Map();
    for (let i = 0; i <= lastI; i += 1) {
      for (let j = 0; j <= lastJ; j += 1) out.set(key(i, j), grid.get(key(flipI ? lastI - i : i, flipJ ? lastJ - j : j))!);
    }
    return out;
  };
  const options = [relabel(false, false), relabel(true, false), relabel(false, true), relabel(true, true)];
  const score = (g: Grid): number => {
    const origin = g.get(key(0, 0))!;
    const alongX = sub(g.get(key(1, 0))!, origin);
    const alongY = sub(g.get(key(0, 1))!, origin);
    // Image y points down: z away from the camera means x × y > 0 in pixel coordinates.
    const rightHanded = alongX[0] * alongY[1] - alongX[1] * alongY[0] > 0;
    return (rightHanded ? 2 : 0) + (squareIsDark(g, image, 0, 0) ? 1 : 0);
  };
  return options.reduce((best, g) => (score(g) > score(best) ? g : best));
}

/** The square with corner (i, j) at its top left is darker than its neighbour along x. */
function squareIsDark(grid: Grid, image: GrayImage, i: number, j: number): boolean {
  const centre = (a: number, b: number): Point2 => {
    const corners = [grid.get(key(a, b))!, grid.get(key(a + 1, b))!, grid.get(key(a, b + 1))!, grid.get(key(a + 1, b + 1))!];
    return [corners.reduce((s, p) => s + p[0], 0) / 4, corners.reduce((s, p) => s + p[1], 0) / 4];
  };
  const sample = ([x, y]: Point2): number => image.gray[Math.round(y) * image.widthPx + Math.round(x)]!;
  return sample(centre(i, j)) < sample(centre(i + 1, j));
}

function nearest(points: Point2[], target: Point2, exclude: Set<Point2>): Point2 | null {
  let best: Point2 | null = null;
  for (const p of points) if (!exclude.has(p) && (!best || length(sub(p, target)) < length(sub(best, target)))) best = p;
  return best;
}

function cosine(a: Point2, b: Point2): number {
  return (a[0] * b[0] + a[1] * b[1]) / (length(a) * length(b));
}
