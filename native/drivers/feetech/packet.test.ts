import { describe, expect, it } from 'vitest';
import {
  checksum,
  decodeSignMagnitude16,
  encodeFrame,
  encodeSignMagnitude16,
  FrameParser,
  Instruction,
  type ParseProblem,
} from './packet.ts';

describe('Feetech frames', () => {
  it('encodes a READ of Present_Position (addr 56, 2 bytes) for servo 1 with the documented checksum', () => {
    // ID 1 + LEN 4 + READ 2 + 56 + 2 = 65 → ~65 & 0xFF = 0xBE
    expect([...encodeFrame(1, Instruction.read, [56, 2])]).toEqual([0xff, 0xff, 0x01, 0x04, 0x02, 0x38, 0x02, 0xbe]);
    expect(checksum(1, 4, 2, [56, 2])).toBe(0xbe);
  });

  it('rejects ids and lengths that cannot be framed', () => {
    expect(() => encodeFrame(255, Instruction.ping)).toThrow(/outside 0..254/);
    expect(() => encodeFrame(1, Instruction.write, new Array(254).fill(0))).toThrow(/do not fit/);
  });

  it('parses frames split across chunks and several in one chunk', () => {
    const parser = new FrameParser();
    const a = encodeFrame(1, 0, [0x00, 0x08]);
    const b = encodeFrame(2, 0, [0x10, 0x02]);
    const stream = Buffer.concat([a, b]);
    const frames = [...parser.push(stream.subarray(0, 3)), ...parser.push(stream.subarray(3, 9)), ...parser.push(stream.subarray(9))];
    expect(frames.map((f) => [f.id, [...f.params]])).toEqual([
      [1, [0x00, 0x08]],
      [2, [0x10, 0x02]],
    ]);
  });

  it('skips garbage, drops a frame with a bad checksum, and resynchronises', () => {
    const problems: ParseProblem[] = [];
    const parser = new FrameParser((p) => problems.push(p));
    const bad = encodeFrame(3, 0, [1, 2]);
    bad.writeUInt8(bad.readUInt8(bad.length - 1) ^ 0x55, bad.length - 1);
    const good = encodeFrame(4, 0x20, [9]);
    const frames = parser.push(Buffer.concat([Buffer.from([0x12, 0xff, 0x00, 0x7f]), bad, Buffer.from([0xff]), good]));
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ id: 4, command: 0x20 });
    expect(problems.some((p) => p.kind === 'checksum' && p.id === 3)).toBe(true);
    expect(problems.filter((p) => p.kind === 'garbage').reduce((n, p) => n + (p.kind === 'garbage' ? p.bytes : 0), 0)).toBe(5);
  });

  it('round-trips sign-magnitude values (positions, velocities, load with bit 10)', () => {
    for (const value of [0, 1, 2048, 4095, -1, -300, 32767, -32767]) {
      const [low, high] = encodeSignMagnitude16(value);
      expect(decodeSignMagnitude16(low, high)).toBe(value);
    }
    const [low, high] = encodeSignMagnitude16(-512, 10);
    expect(decodeSignMagnitude16(low, high, 10)).toBe(-512);
  });
});
