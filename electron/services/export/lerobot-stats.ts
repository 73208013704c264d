/**
 * Feature statistics as LeRobot keeps them (`meta/stats.json` for the dataset, `stats/<feature>/<stat>`
 * columns per episode): per dimension min, max, mean, std (population), count and the 1/10/50/90/99 %
 * quantiles. Images get per-channel statistics of every pixel scaled to 0–1, shaped [3, 1, 1].
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

/** The `q` quantile (linear between neighbours, as numpy's default) of 8-bit values counted in `histogram`, 0–1. */
function histogramQuantile(histogram: Float64Array, total: number, q: number): number {
  // The value at sorted position k: the first level whose running count passes k.
  const valueAt = (k: number): number => {
    let seen = 0;
    for (let level = 0; level < 256; level += 1) {
      seen += histogram[level]!;
      if (seen > k) return level;
    }
    return 255;
  };
  const rank = q * (total - 1);
  const low = Math.floor(rank);
  const below = valueAt(low);
  return (below + (valueAt(Math.min(total - 1, low + 1)) - below) * (rank - low)) / 255;
}

/**
 * Per-channel statistics of RGB frames (3 bytes a pixel) over every pixel, scaled to 0–1, each
 * stat shaped [3, 1, 1] as LeRobot stores image stats. Pixels are 8-bit, so a 256-level histogram
 * per channel gives min, max, mean, std and the quantiles exactly, in one pass.
 */
export function imageStats(frames: readonly Uint8Array[]): Record<string, number[][][] | number[]> {
  const histograms = [new Float64Array(256), new Float64Array(256), new Float64Array(256)];
  for (const rgb of frames) {
    for (let i = 0; i < rgb.length; i += 3) {
      histograms[0]![rgb[i]!]! += 1;
      histograms[1]![rgb[i + 1]!]! += 1;
      histograms[2]![rgb[i + 2]!]! += 1;
    }
  }
  const perChannel = histograms.map((histogram) => {
    let total = 0;
    let sum = 0;
    let squares = 0;
    let min = 255;
    let max = 0;
    histogram.forEach((count, level) => {
      if (count === 0) return;
      total += count;
      sum += count * level;
      squares += count * level * level;
      min = Math.min(min, level);
      max = Math.max(max, level);
    });
    const mean = sum / Math.max(1, total);
    const quantile = (q: number) => histogramQuantile(histogram, total, q);
    return {
      min: min / 255,
      max: max / 255,
      mean: mean / 255,
      std: Math.sqrt(Math.max(0, squares / Math.max(1, total) - mean * mean)) / 255,
      q01: quantile(0.01),
      q10: quantile(0.1),
      q50: quantile(0.5),
      q90: quantile(0.9),
      q99: quantile(0.99),
    };
  });
  const shaped = (name: Exclude<(typeof STAT_NAMES)[number], 'count'>) => perChannel.map((channel) => [[channel[name]]]);
  return {
    min: shaped('min'),
    max: shaped('max'),
    mean: shaped('mean'),
    std: shaped('std'),
    count: [frames.length],
    q01: shaped('q01'),
    q10: shaped('q10'),
    q50: shaped('q50'),
    q90: shaped('q90'),
    q99: shaped('q99'),
  };
}
