import { describe, expect, it } from 'vitest';
import { crc16, encodePacket, Instruction, PacketParser, type ParseProblem, stuff, unstuff } from './packet.ts';

describe('Dynamixel 2.0 packets', () => {
  it('encodes the e-Manual ping example for id 1 with its CRC (19 4E)', () => {
    expect([...encodePacket(1, Instruction.ping)]).toEqual([0xff, 0xff, 0xfd, 0x00, 0x01, 0x03, 0x00, 0x01, 0x19, 0x4e]);
  });

  it('encodes the e-Manual read example (Present_Position 132, 4 bytes, id 1) with its CRC (1D 15)', () => {
    expect([...encodePacket(1, Instruction.read, [0x84, 0x00, 0x04, 0x00])]).toEqual([
      0xff, 0xff, 0xfd, 0x00, 0x01, 0x07, 0x00, 0x02, 0x84, 0x00, 0x04, 0x00, 0x1d, 0x15,
    ]);
  });

  it('stuffs and unstuffs FF FF FD inside parameters', () => {
    const params = [0x01, 0xff, 0xff, 0xfd, 0x02];
    expect(stuff(params)).toEqual([0x01, 0xff, 0xff, 0xfd, 0xfd, 0x02]);
    expect(unstuff(stuff(params))).toEqual(params);
    const parser = new PacketParser();
    const [packet] = parser.push(encodePacket(7, Instruction.write, params));
    expect([...(packet?.params ?? [])]).toEqual(params);
    expect(packet?.id).toBe(7);
  });

  it('parses a split status packet, skips garbage and drops a bad CRC', () => {
    const problems: ParseProblem[] = [];
    const parser = new PacketParser((p) => problems.push(p));
    const status = encodePacket(1, Instruction.status, [0x00, 0xa6, 0x00, 0x00, 0x00]);
    const corrupt = encodePacket(2, Instruction.status, [0x00, 0x01]);
    corrupt.writeUInt8(corrupt.readUInt8(corrupt.length - 1) ^ 0xff, corrupt.length - 1);
    const stream = Buffer.concat([Buffer.from([0x00, 0x13, 0xff]), corrupt, status]);
    const packets = [...parser.push(stream.subarray(0, 7)), ...parser.push(stream.subarray(7))];
    expect(packets).toHaveLength(1);
    expect(packets[0]).toMatchObject({ id: 1, instruction: Instruction.status, error: 0 });
    expect([...(packets[0]?.params ?? [])]).toEqual([0xa6, 0, 0, 0]);
    expect(problems).toContainEqual({ kind: 'crc', id: 2 });
    expect(problems).toContainEqual({ kind: 'garbage', bytes: 3 });
  });

  it('computes CRC-16 with poly 0x8005 and init 0', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0xfee8); // CRC-16/BUYPASS check value
  });
});
