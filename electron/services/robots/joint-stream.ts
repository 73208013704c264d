/**
 * Joint angles of the arms the console's twin watches, at display rate (up to 30 Hz), without
 * starving a servo bus: a servo arm's reading comes from what its driver last read when that is
 * fresh (a streamed move reads the positions every cycle), and otherwise from one sync read, at
 * most every `BUS_READ_PERIOD_MS`; a UR's comes from its 500 Hz RTDE stream. An arm is watched
 * for a lease that the page renews, so a page that goes away stops the reads.
 */
import type { z } from 'zod';
import type { ArmJoints, DeviceKind } from '../../../shared/ipc/contract.ts';
import type { DriverJointStream, RobotBackend } from '../../../shared/robot.ts';

type Joints = z.input<typeof ArmJoints>;
type Kind = z.output<typeof DeviceKind>;

/** One reading of an arm's joints. */
export interface JointReading {
  readonly jointAnglesRad: readonly number[];
  readonly gripperWidthM: number | null;
}

/** Where an arm's joint angles come from. */
export type JointSource = () => Promise<JointReading>;

/** Push period while something moves, ms (30 Hz). */
export const JOINT_PERIOD_MS = 33;
/** How long one `watch` keeps the pushes coming, ms. */
export const JOINT_LEASE_MS = 5000;
/** A servo arm's bus is read for the twin at most this often, ms (20 Hz). */
export const BUS_READ_PERIOD_MS = 50;
/** A reading the driver took this recently is used as it is, ms (a streamed move reads every ~25 ms; below the push period, so the twin's own reads do not count). */
const FRESH_MS = 30;
/** An arm that holds still is pushed again after this long, ms. */
const STILL_PUSH_MS = 1000;
/** Changes smaller than this (rad, m) are not a move. */
const CHANGE = 1e-4;

const sources = new WeakMap<RobotBackend, JointSource>();

/**
 * The joint source of a backend: the driver's latest reading where it offers one (a joint
 * stream). One per backend, so the twin and a run's telemetry share its bus reads.
 */
export function jointSourceFor(backend: RobotBackend): JointSource {
  const known = sources.get(backend);
  if (known) return known;
  const read = async (): Promise<JointReading> => {
    const state = await backend.state();
    return { jointAnglesRad: state.jointAnglesRad, gripperWidthM: state.gripperWidthM };
  };
  const source = backend.jointStream ? throttledSource(backend.jointStream, read) : read;
  sources.set(backend, source);
  return source;
}

/** The driver's reading while it is fresh (or a bus read was made lately); otherwise one read of the bus. */
function throttledSource(stream: DriverJointStream, read: JointSource): JointSource {
  let lastBusReadMs = -Infinity;
  return async () => {
    const cached = stream.latest();
    const now = performance.now();
    if (cached && (cached.ageMs < FRESH_MS || now - lastBusReadMs < BUS_READ_PERIOD_MS)) return cached.state;
    lastBusReadMs = now;
    return read(); // one sync read; the last known state when it fails
  };
}

/** What the stream needs of the devices service. */
export interface JointStreamOptions {
  /** The arm's kind and joint source; null when it is gone or lost. */
  readonly sourceOf: (id: string) => { kind: Kind; read: JointSource } | null;
  readonly onJoints: (arms: Joints[]) => void;
  readonly periodMs?: number;
  readonly leaseMs?: number;
}

interface Watch {
  untilMs: number;
  seq: number;
  last: Joints | null;
  pushedAtMs: number;
}

/** Watched arms and the push loop (one round at a time; a slow round never piles up). */
export class JointStream {
  private readonly watches = new Map<string, Watch>();
  private timer: NodeJS.Timeout | null = null;
  private disposed = false;

  constructor(private readonly options: JointStreamOptions) {}

  /** Watch an arm for one lease from now; returns the lease, ms. */
  watch(id: string): number {
    const leaseMs = this.options.leaseMs ?? JOINT_LEASE_MS;
    const watch = this.watches.get(id) ?? { untilMs: 0, seq: 0, last: null, pushedAtMs: -Infinity };
    if (watch.untilMs === 0) watch.pushedAtMs = -Infinity; // renewed after a lapse: push at once
    watch.untilMs = Date.now() + leaseMs;
    this.watches.set(id, watch);
    this.schedule(0);
    return leaseMs;
  }

  /** Stop watching an arm (it was disconnected). */
  forget(id: string): void {
    this.watches.delete(id);
  }

  dispose(): void {
    this.disposed = true;
    this.watches.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.disposed || !this.anyActive(Date.now())) return;
    this.timer = setTimeout(() => {
      void this.round().finally(() => {
        this.timer = null;
        this.schedule(this.options.periodMs ?? JOINT_PERIOD_MS);
      });
    }, delayMs);
  }

  private async round(): Promise<void> {
    const now = Date.now();
    const due: Array<[string, Watch, { kind: Kind; read: JointSource }]> = [];
    for (const [id, watch] of this.watches) {
      // A lapsed watch keeps its seq, so a renewed one continues it (the page keeps the newest).
      const source = watch.untilMs > now ? this.options.sourceOf(id) : null;
      if (source) due.push([id, watch, source]);
      else watch.untilMs = 0;
    }
    const readings = await Promise.all(due.map(([, , source]) => source.read().catch(() => null)));
    let changed = false;
    due.forEach(([id, watch, { kind }], i) => {
      const reading = readings[i];
      if (!reading || !this.watches.has(id)) return;
      const next: Joints = { deviceId: id, kind, seq: watch.seq + 1, timeEpochMs: Date.now(), jointAnglesRad: [...reading.jointAnglesRad], gripperWidthM: reading.gripperWidthM };
      if (watch.last && !moved(watch.last, next) && now - watch.pushedAtMs < STILL_PUSH_MS) return;
      watch.seq = next.seq;
      watch.last = next;
      watch.pushedAtMs = now;
      changed = true;
    });
    // Every watched arm in each push: a dropped stale payload never hides another arm's move.
    if (changed && !this.disposed) this.options.onJoints([...this.watches.values()].flatMap((w) => (w.last && w.untilMs > 0 ? [w.last] : [])));
  }

  private anyActive(now: number): boolean {
    return [...this.watches.values()].some((w) => w.untilMs > now);
  }
}

function moved(a: Joints, b: Joints): boolean {
  if (a.jointAnglesRad.length !== b.jointAnglesRad.length) return true;
  if (Math.abs((a.gripperWidthM ?? 0) - (b.gripperWidthM ?? 0)) > CHANGE || (a.gripperWidthM === null) !== (b.gripperWidthM === null)) return true;
  return a.jointAnglesRad.some((q, i) => Math.abs(q - b.jointAnglesRad[i]!) > CHANGE);
}
