/**
 * SO-101 measurements against the emulated bus on a socat pty pair: e-stop latency (from
 * `halt()` to the torque-off frame arriving at the device end of the serial link) and the
 * control-loop rate of sync read + sync write of six servos, next to what 1 Mbaud allows.
 */
import { Sts3215Emulator } from '../feetech/emulator.ts';
import { BROADCAST_ID, encodeFrame, Instruction } from '../feetech/packet.ts';
import { Register } from '../feetech/registers.ts';
import { openVirtualSerialPair } from '../virtual-serial.ts';
import { So101Backend } from './backend.ts';
import { nominalCalibration } from './calibration.ts';

/** What the SO-101 perf step reports. */
export interface So101Perf {
  readonly estopMedianMs: number;
  readonly estopP99Ms: number;
  readonly loopHz: number;
  /** Loops per second the bytes of one loop allow at 1 Mbaud (10 bits per byte, no turnaround). */
  readonly loopHzLimit: number;
}

const IDS = [1, 2, 3, 4, 5, 6];

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Bytes on the wire for one loop: the sync-read request, six replies, the sync write. */
export function loopBytes(servos = IDS.length): number {
  const read = encodeFrame(BROADCAST_ID, Instruction.syncRead, [Register.presentPosition, 2, ...IDS.slice(0, servos)]).length;
  const reply = encodeFrame(1, 0, [0, 0]).length * servos;
  const write = encodeFrame(BROADCAST_ID, Instruction.syncWrite, [Register.goalPosition, 2, ...IDS.slice(0, servos).flatMap((id) => [id, 0, 8])]).length;
  return read + reply + write;
}

/** Measure e-stop latency over `stops` halts and the loop rate over `loopSeconds`. */
export async function measureSo101(stops = 200, loopSeconds = 2): Promise<So101Perf> {
  const cable = await openVirtualSerialPair();
  const emulator = await Sts3215Emulator.open(cable.devicePath, { ids: IDS });
  const arm = await So101Backend.connect(cable.hostPath, nominalCalibration('perf'));
  try {
    const latencies: number[] = [];
    for (let i = 0; i < stops; i += 1) {
      const arrived = emulator.waitForFrame((f) => f.command === Instruction.write && f.params[0] === Register.torqueEnable);
      const started = performance.now();
      arm.halt('perf');
      latencies.push((await arrived).atMs - started);
      arm.resume();
    }
    const goals = IDS.map((id) => [id, [0x00, 0x08]] as const);
    let loops = 0;
    const until = performance.now() + loopSeconds * 1000;
    const started = performance.now();
    while (performance.now() < until) {
      await arm.bus.syncRead(IDS, Register.presentPosition, 2);
      await arm.bus.syncWrite(Register.goalPosition, 2, goals);
      loops += 1;
    }
    const loopHz = loops / ((performance.now() - started) / 1000);
    return {
      estopMedianMs: percentile(latencies, 0.5),
      estopP99Ms: percentile(latencies, 0.99),
      loopHz,
      loopHzLimit: 1_000_000 / (loopBytes() * 10),
    };
  } finally {
    await arm.dispose().catch(() => {});
    await emulator.close();
    await cable.close();
  }
}
