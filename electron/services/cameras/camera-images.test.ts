// Camera frames as console images: depth grey with near light and nothing black, flat distinct
// segment colours on black.
import { describe, expect, it } from 'vitest';
import { depthToGrey, segmentColour, segmentationToRgb } from './camera-images.ts';

describe('camera images', () => {
  it('shows near depth light, far darker, and nothing black', () => {
    const { grey, rangeM } = depthToGrey(Float32Array.from([0.5, 1.5, 0, 1.0]));
    expect(rangeM).toEqual([0.5, 1.5]);
    expect(grey[0]).toBe(255);
    expect(grey[2]).toBe(0);
    expect(grey[1]!).toBeGreaterThan(0);
    expect(grey[1]!).toBeLessThan(grey[3]!);
    expect(grey[3]!).toBeLessThan(grey[0]!);
  });

  it('gives an empty view a zero range', () => {
    expect(depthToGrey(new Float32Array(4)).rangeM).toEqual([0, 0]);
  });

  it('colours each segment flat and distinctly, background black', () => {
    const colours = Array.from({ length: 12 }, (_, i) => segmentColour(i + 1).join(','));
    expect(new Set(colours).size).toBe(12);
    expect(segmentColour(0)).toEqual([0, 0, 0]);
    const rgb = segmentationToRgb(Uint16Array.from([0, 3, 3]));
    expect([...rgb.subarray(0, 3)]).toEqual([0, 0, 0]);
    expect([...rgb.subarray(3, 6)]).toEqual(segmentColour(3));
    expect([...rgb.subarray(6, 9)]).toEqual(segmentColour(3));
  });
});
