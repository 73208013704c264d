/**
 * Servo-arm measurements against a bus emulator on a socat pty pair, shared by the SO-101 and
 * the OpenMANIPULATOR-X: e-stop latency (from `halt()` to the torque-off frame arriving at the
 * device end of the serial link) and the rate of a control loop of sync read of the present
 * positions + sync write of the goals, next to what the baud rate allows.
 */
import { BusError } from '../serial-bus.ts';
import { openVirtualSerialPair } from '../virtual-serial.ts';
import type { ServoArmBackend } from './backend.ts';

/** What a servo-arm perf step reports. */
export interface ServoArmPerf {
  readonly estopMedianMs: number;
  readonly estopP99Ms: number;
  readonly loopHz: number;
  /** Loops per second the bytes of one loop allow at 1 Mbaud (10 bits per byte, no turnaround). */
  readonly loopHzLimit: number;
  /** Loops whose replies timed out (socat or this process starved on a loaded machine); counted in the rate. */
  readonly loopTimeouts: number;
}

/** How to set up one arm and its emulator for measuring. */
export interface ServoArmRig<E extends { close(): Promise<void> }> {
  readonly ids: readonly number[];
  /** Bytes on the wire for one loop (request, replies, sync write). */
  readonly loopBytes: number;
  openEmulator(devicePath: string): Promise<E>;
  /** Connect the arm; `timeoutMs` is the bus's reply timeout. */
  connect(hostPath: string, timeoutMs: number): Promise<ServoArmBackend>;
  /** Resolves with when (performance.now()) the emulator next receives a torque-off frame. */
  torqueOffArrived(emulator: E): Promise<number>;
}

/** The value below which a fraction `p` of the values lie. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/** Measure e-stop latency over `stops` halts and the loop rate over `loopSeconds`. */
export async function measureServoArm<E extends { close(): Promise<void> }>(rig: ServoArmRig<E>, stops: number, loopSeconds: number): Promise<ServoArmPerf> {
  const cable = await openVirtualSerialPair();
  const emulator = await rig.openEmulator(cable.devicePath);
  // A generous reply timeout: it only matters when a reply is late, and then the loop counts it.
  const arm = await rig.connect(cable.hostPath, 250);
  try {
    const latencies: number[] = [];
    for (let i = 0; i < stops; i += 1) {
      const arrived = rig.torqueOffArrived(emulator);
      const started = performance.now();
      arm.halt('perf');
      latencies.push((await arrived) - started);
      arm.resume();
    }
    const goals = rig.ids.map((id) => [id, 2048] as const);
    let loops = 0;
    let loopTimeouts = 0;
    const started = performance.now();
    for (const until = started + loopSeconds * 1000; performance.now() < until; loops += 1) {
      try {
        await arm.bus.presentPositions(rig.ids);
      } catch (error) {
        if (!(error instanceof BusError && error.flags.timeout)) throw error;
        loopTimeouts += 1;
      }
      await arm.bus.writeGoalPositions(goals);
    }
    return {
      estopMedianMs: percentile(latencies, 0.5),
      estopP99Ms: percentile(latencies, 0.99),
      loopHz: loops / ((performance.now() - started) / 1000),
      loopHzLimit: 1_000_000 / (rig.loopBytes * 10),
      loopTimeouts,
    };
  } finally {
    await arm.dispose().catch(() => {});
    await emulator.close();
    await cable.close();
  }
}
