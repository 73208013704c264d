import { describe, expect, it } from 'vitest';
import { decodeRleMask, DetectResponseSchema } from './perception-service.ts';

describe('perception server contract', () => {
  it('validates a response and decodes its run-length masks', () => {
    const response = DetectResponseSchema.parse({
      model: 'example-detector 1.0',
      detections: [{ query: 'red cube', boxPx: [1, 0, 2, 0], score: 0.9, mask: { counts: [1, 2, 1] } }],
    });
    expect(Array.from(decodeRleMask(response.detections[0]!.mask!, 4))).toEqual([0, 1, 1, 0]);
    expect(() => decodeRleMask({ counts: [1, 1] }, 4)).toThrow(/cover 2 pixels, the image has 4/);
    expect(DetectResponseSchema.safeParse({ detections: [{ query: 'x', boxPx: [0, 0], score: 2 }] }).success).toBe(false);
  });
});
