/**
 * SO-101 measurements against the emulated bus on a socat pty pair: e-stop latency (from
 * `halt()` to the torque-off frame arriving at the device end of the serial link) and the
 * control-loop rate of sync read + sync write of six servos, next to what 1 Mbaud allows.
 */
import { Sts3215Emulator } from '../feetech/emulator.ts';
import { BROADCAST_ID, encodeFrame, Instruction } from '../feetech/packet.ts';
import { Register } from '../feetech/registers.ts';
import { measureServoArm, type ServoArmPerf } from '../servo-arm/perf.ts';
import { So101Backend } from './backend.ts';
import { nominalCalibration } from './calibration.ts';

/** What the SO-101 perf step reports. */
export type So101Perf = ServoArmPerf;

const IDS = [1, 2, 3, 4, 5, 6];

/** Bytes on the wire for one loop: the sync-read request, six replies, the sync write. */
export function loopBytes(servos = IDS.length): number {
  const read = encodeFrame(BROADCAST_ID, Instruction.syncRead, [Register.presentPosition, 2, ...IDS.slice(0, servos)]).length;
  const reply = encodeFrame(1, 0, [0, 0]).length * servos;
  const write = encodeFrame(BROADCAST_ID, Instruction.syncWrite, [Register.goalPosition, 2, ...IDS.slice(0, servos).flatMap((id) => [id, 0, 8])]).length;
  return read + reply + write;
}

/** Measure e-stop latency over `stops` halts and the loop rate over `loopSeconds`. */
export function measureSo101(stops = 200, loopSeconds = 2): Promise<So101Perf> {
  return measureServoArm(
    {
      ids: IDS,
      loopBytes: loopBytes(),
      openEmulator: (devicePath) => Sts3215Emulator.open(devicePath, { ids: IDS }),
      connect: (hostPath, timeoutMs) => So101Backend.connect(hostPath, nominalCalibration('perf'), { timeoutMs }),
      torqueOffArrived: async (emulator) => (await emulator.waitForFrame((f) => f.command === Instruction.write && f.params[0] === Register.torqueEnable)).atMs,
    },
    stops,
    loopSeconds,
  );
}
