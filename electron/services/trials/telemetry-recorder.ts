/**
 * Records a simulated run's joint telemetry: switches the worker's sampler on (a sample every
 * 20 ms of simulated time, `native/sim/telemetry-sampler.ts`), drains its ring every 50 ms of
 * wall time, and hands each arm's samples to a `TelemetryBuffer` (live view at once, the store in
 * batches). `stop()` takes a last sample and writes what is left.
 */
import { type JointSample, TelemetryBuffer, type TelemetryRecording } from '../../../shared/telemetry.ts';
import type { SimBackend } from '../../../native/sim/sim-backend.ts';
import type { TelemetryReader } from '../../../native/sim/telemetry-sampler.ts';

/** How often the ring is drained, ms (the live plots move at this rate). */
export const TELEMETRY_DRAIN_MS = 50;

const epochMs = (): number => performance.timeOrigin + performance.now();

/** One simulated run's recording, from `start` to `stop`. */
export class SimTelemetryRecorder {
  private readonly startedMs = epochMs();
  private readonly buffer: TelemetryBuffer;
  private readonly reader: TelemetryReader;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastTMs = 0;
  private stopped: Promise<void> | null = null;
  /** Samples the worker overwrote before they were drained (the main thread fell behind). */
  droppedSamples = 0;

  private constructor(
    private readonly backend: SimBackend,
    recording: TelemetryRecording,
    private readonly drainMs: number,
  ) {
    this.buffer = new TelemetryBuffer(recording);
    this.reader = backend.telemetrySamples();
  }

  /** Begin each arm's series and sample from now on. */
  static async start(backend: SimBackend, recording: TelemetryRecording, drainMs = TELEMETRY_DRAIN_MS): Promise<SimTelemetryRecorder> {
    const recorder = new SimTelemetryRecorder(backend, recording, drainMs);
    for (const arm of backend.telemetryArms) recorder.buffer.begin(arm.arm, arm.jointNames, arm.loadUnit);
    await backend.sampleTelemetry(true);
    recorder.drain();
    recorder.timer = setInterval(() => recorder.drain(), drainMs);
    recorder.timer.unref();
    return recorder;
  }

  /** Stop sampling (after a last sample), drain and write everything; throws when the recording failed. */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      clearInterval(this.timer);
      // A simulator that crashed or closed has nothing more to give; what was drained stays.
      await this.backend.sampleTelemetry(false).catch(() => {});
      this.drain();
      this.buffer.flush();
    })();
    return this.stopped;
  }

  private drain(): void {
    const { samples, dropped } = this.reader.drain();
    this.droppedSamples += dropped;
    if (samples.length === 0) return;
    const perArm: JointSample[][] = this.backend.telemetryArms.map(() => []);
    for (const sample of samples) {
      // Samples taken before the recording started (none normally) count from its start.
      const tMs = Math.max(sample.wallMs - this.startedMs, this.lastTMs);
      this.lastTMs = tMs;
      sample.arms.forEach((values, i) => {
        perArm[i]!.push({ tMs, timeS: sample.timeS, ...values });
      });
    }
    this.backend.telemetryArms.forEach((arm, i) => this.buffer.push(arm.arm, perArm[i]!));
  }
}
