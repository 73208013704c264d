/** Order statistics of samples (timings, pixel values). */

/** The middle value (the upper one of an even count); NaN for no values. Does not reorder `values`. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
