/**
 * OpenMANIPULATOR-X measurements against the emulated Dynamixel bus (1 Mbaud) on a socat pty
 * pair: e-stop latency (from `halt()` to the torque-off broadcast arriving at the device end of
 * the serial link) and the control-loop rate of sync read of present positions + sync write of
 * goal positions of five servos, next to what 1 Mbaud allows.
 */
import { DxlRegister, DXL_BROADCAST_ID, int32Bytes } from '../dynamixel/bus.ts';
import { DynamixelEmulator } from '../dynamixel/emulator.ts';
import { encodePacket, Instruction } from '../dynamixel/packet.ts';
import { measureServoArm, type ServoArmPerf } from '../servo-arm/perf.ts';
import { OmxBackend } from './backend.ts';

const IDS = [11, 12, 13, 14, 15];

/** Bytes on the wire for one loop: the sync-read request, five status replies, the sync write. */
export function omxLoopBytes(): number {
  const u16 = (v: number): number[] => [v & 0xff, v >> 8];
  const read = encodePacket(DXL_BROADCAST_ID, Instruction.syncRead, [...u16(DxlRegister.presentPosition), ...u16(4), ...IDS]).length;
  const replies = IDS.map((id) => encodePacket(id, Instruction.status, [0, ...int32Bytes(2048)]).length).reduce((a, b) => a + b, 0);
  const write = encodePacket(DXL_BROADCAST_ID, Instruction.syncWrite, [...u16(DxlRegister.goalPosition), ...u16(4), ...IDS.flatMap((id) => [id, ...int32Bytes(2048)])]).length;
  return read + replies + write;
}

/** Measure e-stop latency over `stops` halts and the loop rate over `loopSeconds` (no return delay modelled). */
export function measureOmx(stops = 200, loopSeconds = 2): Promise<ServoArmPerf> {
  return measureServoArm(
    {
      ids: IDS,
      loopBytes: omxLoopBytes(),
      openEmulator: (devicePath) => DynamixelEmulator.open(devicePath, { ids: IDS }),
      connect: (hostPath, timeoutMs) => OmxBackend.connect(hostPath, { timeoutMs }),
      torqueOffArrived: async (emulator) => (await emulator.waitForPacket((p) => p.instruction === Instruction.write && p.params[0] === DxlRegister.torqueEnable)).atMs,
    },
    stops,
    loopSeconds,
  );
}
