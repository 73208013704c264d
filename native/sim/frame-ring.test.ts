// The recording ring: frames come out in order, once; a reader that fell behind loses the oldest
// frames (and says how many), and a slot lapped while it was copied is never handed out.
import { describe, expect, it } from 'vitest';
import { createFrameRing, FrameRingReader, FrameRingWriter } from './frame-ring.ts';

const append = (writer: FrameRingWriter, k: number): void => writer.append(1000 + k, k / 25, (poses) => poses.fill(k));

describe('frame ring', () => {
  it('hands out frames appended after the reader opened, in order and once', () => {
    const buffer = createFrameRing(2, 8);
    const writer = new FrameRingWriter(buffer);
    append(writer, 0);
    const reader = new FrameRingReader(buffer);
    expect(reader.drain()).toEqual({ frames: [], dropped: 0 });
    append(writer, 1);
    append(writer, 2);
    const { frames, dropped } = reader.drain();
    expect(dropped).toBe(0);
    expect(frames.map((f) => [f.wallMs, f.timeS])).toEqual([
      [1001, 0.04],
      [1002, 0.08],
    ]);
    expect(frames[1]!.poses).toEqual(Array(14).fill(2));
    expect(reader.drain().frames).toEqual([]);
  });

  it('drops the oldest frames when the reader falls a whole ring behind', () => {
    const buffer = createFrameRing(1, 4);
    const writer = new FrameRingWriter(buffer);
    const reader = new FrameRingReader(buffer);
    for (let k = 0; k < 10; k += 1) append(writer, k);
    const { frames, dropped } = reader.drain();
    // Frame 6's slot is the next to be rewritten, so only the last capacity − 1 are safe.
    expect(dropped).toBe(7);
    expect(frames.map((f) => f.poses[0])).toEqual([7, 8, 9]);
  });

  it('never hands out a slot the writer lapped during the copy', () => {
    const buffer = createFrameRing(1, 4);
    const writer = new FrameRingWriter(buffer);
    const reader = new FrameRingReader(buffer);
    for (let k = 0; k < 3; k += 1) append(writer, k);
    // The writer begins frame 4 (into frame 0's slot) while frames 0–3 are unread.
    writer.append(1003, 0.12, (poses) => {
      poses.fill(3);
    });
    writer.append(1004, 0.16, (poses) => {
      const { frames, dropped } = reader.drain();
      expect(frames.map((f) => f.poses[0])).toEqual([1, 2, 3]);
      expect(dropped).toBe(1);
      poses.fill(4);
    });
    expect(reader.drain().frames.map((f) => f.poses[0])).toEqual([4]);
  });
});
