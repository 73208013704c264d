/**
 * Feature statistics as LeRobot keeps them (`meta/stats.json` for the dataset, `stats/<feature>/<stat>`
 * columns per episode): per dimension min, max, mean, std (population), count and the 1/10/50/90/99 %
 * quantiles. Images get per-channel statistics of pixels scaled to 0–1, shaped [3, 1, 1].
 */
/** Statistics of one feature. */
export interface FeatureStats {
  readonly min: number[];
  readonly max: number[];
  readonly mean: number[];
  readonly std: number[];
  readonly count: number[];
  readonly q01: number[];
  readonly q10: number[];
  readonly q50: number[];
  readonly q90: number[];
  readonly q99: number[];
}

/** The stat names, in the order the episode columns list them. */
export const STAT_NAMES = ['min', 'max', 'mean', 'std', 'count', 'q01', 'q10', 'q50', 'q90', 'q99'] as const;

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const position = q * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(sorted.length - 1, low + 1);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/** Statistics of rows of equal width. */
export function vectorStats(rows: readonly (readonly number[])[]): FeatureStats {
  const width = rows[0]?.length ?? 0;
  const columns = Array.from({ length: width }, (_, k) => rows.map((row) => row[k]!));
  const mean = columns.map((c) => c.reduce((a, b) => a + b, 0) / Math.max(1, c.length));
  const std = columns.map((c, k) => Math.sqrt(c.reduce((a, b) => a + (b - mean[k]!) ** 2, 0) / Math.max(1, c.length)));
  const sorted = columns.map((c) => [...c].sort((a, b) => a - b));
  return {
    min: sorted.map((c) => c[0] ?? 0),
    max: sorted.map((c) => c.at(-1) ?? 0),
    mean,
    std,
    count: [rows.length],
    q01: sorted.map((c) => quantile(c, 0.01)),
    q10: sorted.map((c) => quantile(c, 0.1)),
    q50: sorted.map((c) => quantile(c, 0.5)),
    q90: sorted.map((c) => quantile(c, 0.9)),
    q99: sorted.map((c) => quantile(c, 0.99)),
  };
}

/** Statistics of a scalar column (shape [1]). */
export function scalarStats(values: readonly number[]): FeatureStats {
  return vectorStats(values.map((v) => [v]));
}

/** Per-channel statistics of RGB frames (3 bytes a pixel), scaled to 0–1, each stat shaped [3, 1, 1] as LeRobot stores image stats. */
export function imageStats(frames: readonly Uint8Array[]): Record<string, number[][][] | number[]> {
  // Every pixel of every frame would be millions of values; a strided sample per frame keeps the quantiles honest and cheap.
  const channels: number[][] = [[], [], []];
  for (const rgb of frames) {
    for (let i = 0; i < rgb.length; i += 3 * 7) for (let c = 0; c < 3; c += 1) channels[c]!.push(rgb[i + c]! / 255);
  }
  const stats = vectorStats(channels[0]!.map((_, i) => [channels[0]![i]!, channels[1]![i]!, channels[2]![i]!]));
  const shaped = (values: number[]) => values.map((v) => [[v]]);
  return {
    min: shaped(stats.min),
    max: shaped(stats.max),
    mean: shaped(stats.mean),
    std: shaped(stats.std),
    count: [frames.length],
    q01: shaped(stats.q01),
    q10: shaped(stats.q10),
    q50: shaped(stats.q50),
    q90: shaped(stats.q90),
    q99: shaped(stats.q99),
  };
}
