// LeRobot's statistics on values worked out by hand: per dimension, and per image channel (0–1, [3, 1, 1]).
import { describe, expect, it } from 'vitest';
import { imageStats, scalarStats, vectorStats } from './lerobot-stats.ts';

describe('LeRobot statistics', () => {
  it('per dimension: min, max, mean, population std, count and interpolated quantiles', () => {
    const stats = vectorStats([
      [1, 10],
      [2, 20],
      [3, 30],
      [4, 40],
      [5, 50],
    ]);
    expect(stats.min).toEqual([1, 10]);
    expect(stats.max).toEqual([5, 50]);
    expect(stats.mean).toEqual([3, 30]);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(2), 12);
    expect(stats.count).toEqual([5]);
    expect(stats.q50).toEqual([3, 30]);
    expect(stats.q10[0]).toBeCloseTo(1.4, 12);
    expect(scalarStats([7, 7]).std).toEqual([0]);
  });

  it('per image channel over every pixel, each stat shaped [3, 1, 1]', () => {
    // Two 2-pixel frames: red channel 0, 255, 0, 255; green all 51; blue 0, 0, 0, 255.
    const frames = [Uint8Array.from([0, 51, 0, 255, 51, 0]), Uint8Array.from([0, 51, 0, 255, 51, 255])];
    const stats = imageStats(frames);
    expect(stats['mean']).toEqual([[[0.5]], [[0.2]], [[0.25]]]);
    expect(stats['min']).toEqual([[[0]], [[0.2]], [[0]]]);
    expect(stats['max']).toEqual([[[1]], [[0.2]], [[1]]]);
    expect((stats['std'] as number[][][])[0]![0]![0]).toBeCloseTo(0.5, 12);
    expect((stats['std'] as number[][][])[1]![0]![0]).toBeCloseTo(0, 12);
    expect(stats['q50']).toEqual([[[0.5]], [[0.2]], [[0]]]); // red sorted 0, 0, 1, 1: halfway
    // Blue sorted is 0, 0, 0, 1: the 99 % quantile lies 97 % of the way from the third to the fourth.
    expect((stats['q99'] as number[][][])[2]![0]![0]).toBeCloseTo(0.97, 12);
    expect((stats['q90'] as number[][][])[0]![0]![0]).toBeCloseTo(1, 12);
    expect(stats['count']).toEqual([2]);
  });
});
