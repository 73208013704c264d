// The shared pose buffer's seqlock: whole frames read back, unchanged frames are not read twice,
// and a frame caught half-written is never handed out.
import { describe, expect, it } from 'vitest';
import { createPoseBuffer, PoseReader, PoseWriter } from './pose-buffer.ts';

describe('pose buffer', () => {
  it('reads back the newest whole frame with its targets', () => {
    const buffer = createPoseBuffer(2, 2);
    const writer = new PoseWriter(buffer);
    const reader = new PoseReader(buffer);
    expect(reader.read()).toBeNull();
    writer.publish(0.25, (poses, targets) => {
      poses.set([1, 2, 3, 1, 0, 0, 0, 4, 5, 6, 0, 1, 0, 0]);
      targets.set([0, 0, 0, 0, 0, 0, 0, 0, 1, 0.5, 0.1, 0.2, 0, 1, 0, 0]);
    });
    const frame = reader.read()!;
    expect(frame).toEqual({
      seq: 1,
      timeS: 0.25,
      poses: [1, 2, 3, 1, 0, 0, 0, 4, 5, 6, 0, 1, 0, 0],
      targets: [{ armIndex: 1, positionM: [0.5, 0.1, 0.2], quatWxyz: [0, 1, 0, 0] }],
    });
    expect(reader.read(frame.seq)).toBeNull();
    writer.publish(0.5, (poses) => poses.fill(7));
    expect(reader.read(frame.seq)).toMatchObject({ seq: 2, timeS: 0.5 });
    expect(reader.seq).toBe(2);
  });

  it('never hands out a frame that is being written', () => {
    const buffer = createPoseBuffer(1, 0);
    const writer = new PoseWriter(buffer);
    const reader = new PoseReader(buffer);
    let seenMidWrite: unknown = 'not called';
    writer.publish(1, (poses) => {
      poses[0] = 9;
      seenMidWrite = reader.read();
    });
    expect(seenMidWrite).toBeNull();
    expect(reader.read()?.poses[0]).toBe(9);
  });

  it('carries the publishing and real-time switches both ways', () => {
    const buffer = createPoseBuffer(1, 1);
    const reader = new PoseReader(buffer);
    const writer = new PoseWriter(buffer);
    expect(writer.publishing).toBe(true);
    reader.publishing = false;
    expect(writer.publishing).toBe(false);
    expect(writer.realTime).toBe(false);
    reader.realTime = true;
    expect(writer.realTime).toBe(true);
    reader.realTime = false;
    // Pacing off: the worker does not wait at all.
    writer.waitWhileRealTime(60_000);
    expect([reader.bodyCount, reader.armCount]).toEqual([1, 1]);
  });
});
