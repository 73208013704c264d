/**
 * The console's e-stop and arming state: STOP latches until the next run starts or the operator
 * arms again; every change is pushed (`safety:changed`). The halting itself is done by the run
 * and bench services; this keeps what the operator sees.
 */
import type { z } from 'zod';
import type { SafetyStatus } from '../../../shared/ipc/contract.ts';
import { IpcError } from '../../../shared/ipc/errors.ts';
import type { ArmingSource } from './arming.ts';

/** The state as the contract carries it. */
export type SafetyStatusValue = z.infer<typeof SafetyStatus>;

/** What the operator did (or a watchdog did on the operator's behalf), for the safety log. */
export type SafetyLogAction = 'arm' | 'disarm' | 'stop' | 'heartbeat-lost';

/** What the safety state needs besides where to report changes. */
export interface ConsoleSafetyOptions {
  /**
   * Keep an action in the safety log. Called before the state changes: a log that cannot be
   * written (a full store) refuses an arming (the throw reaches the operator); disarm and STOP
   * happen whatever the log says.
   */
  readonly log?: (action: SafetyLogAction, reason: string | null) => void;
  /** Armed, no heartbeat for this long: the console is gone (default 3000 ms). */
  readonly heartbeatTimeoutMs?: number;
  /** The heartbeats stopped while armed: halt what moves. Called before the state changes. */
  readonly onHeartbeatLost?: (reason: string) => void;
  /**
   * The policy sandbox of this machine, shown with the state; where there is none and
   * `armingAllowed` is false, arming is refused (generated code next to a real arm would run with
   * full access).
   */
  readonly sandbox?: NonNullable<SafetyStatusValue['sandbox']>;
}

/**
 * Arming, the STOP latch and the console's heartbeats: while armed, heartbeats must keep coming
 * (the renderer sends one a second); when they stop, what runs is halted, the arms disarmed and
 * the stop latched, as if the operator had pressed STOP.
 */
export class ConsoleSafety implements ArmingSource {
  private state: SafetyStatusValue;
  private armingCount = 0;
  private lastHeartbeatEpochMs: number | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private readonly armingListeners = new Set<(armed: boolean, reason: string) => void>();

  constructor(
    private readonly onChange: (status: SafetyStatusValue) => void,
    private readonly options: ConsoleSafetyOptions = {},
  ) {
    this.state = { armed: false, stopped: false, reason: null, lastHaltAtEpochMs: null, sandbox: options.sandbox ?? null };
  }

  /** The present state. */
  status(): SafetyStatusValue {
    return { ...this.state };
  }

  /** STOP was pressed: latch it with the reason and when the halt reached the robot. */
  latchStop(reason: string, haltAtEpochMs: number): SafetyStatusValue {
    this.logQuietly('stop', reason);
    return this.change({ stopped: true, reason, lastHaltAtEpochMs: haltAtEpochMs });
  }

  /** A new run clears the latch (the operator chose to go again). */
  clearLatch(): void {
    if (this.state.stopped) this.change({ stopped: false, reason: null });
  }

  /** True while the operator has the arms armed (read by every real-arm run's supervisor). */
  isArmed(): boolean {
    return this.state.armed;
  }

  /** How many times the operator has armed (an e-stop in a run voids the arming in force). */
  armings(): number {
    return this.armingCount;
  }

  /** Arm (a deliberate act of the operator, logged first: no log, no arming); heartbeats must now keep coming. */
  arm(reason = 'the operator armed'): SafetyStatusValue {
    const sandbox = this.options.sandbox;
    if (sandbox && sandbox.kind === 'none' && !sandbox.armingAllowed) {
      throw new IpcError(
        'not_available',
        `not armed: no policy sandbox here (${sandbox.detail}), so a generated program next to a real arm would run with full access. Install bubblewrap, or start the console with caplab serve --unsandboxed to arm anyway`,
      );
    }
    this.options.log?.('arm', reason);
    this.armingCount += 1;
    this.lastHeartbeatEpochMs = Date.now(); // arming is a sign of life
    this.watch();
    const status = this.change({ armed: true, stopped: false, reason: null });
    this.tellArming(true, reason);
    return status;
  }

  /** Disarm: every running supervisor refuses the next motion and halts one in flight. */
  disarm(reason = 'the operator disarmed'): SafetyStatusValue {
    this.logQuietly('disarm', reason);
    this.unwatch();
    const status = this.change({ armed: false });
    this.tellArming(false, reason);
    return status;
  }

  /** Hear each arming and disarming (running supervisors). */
  onArmingChange(listener: (armed: boolean, reason: string) => void): () => void {
    this.armingListeners.add(listener);
    return () => this.armingListeners.delete(listener);
  }

  /** The console is alive. */
  heartbeat(atEpochMs = Date.now()): void {
    this.lastHeartbeatEpochMs = atEpochMs;
  }

  /** When the console last said it is alive (epoch ms), null before the first heartbeat. */
  get lastHeartbeat(): number | null {
    return this.lastHeartbeatEpochMs;
  }

  dispose(): void {
    this.unwatch();
  }

  private watch(): void {
    if (this.watchdog) return;
    const timeoutMs = this.options.heartbeatTimeoutMs ?? 3000;
    this.watchdog = setInterval(() => {
      const silentMs = Date.now() - (this.lastHeartbeatEpochMs ?? 0);
      if (!this.state.armed || silentMs <= timeoutMs) return;
      const reason = `no heartbeat from the console for ${(silentMs / 1000).toFixed(1)} s while armed`;
      this.options.onHeartbeatLost?.(reason);
      this.logQuietly('heartbeat-lost', reason);
      this.unwatch();
      this.change({ armed: false, stopped: true, reason, lastHaltAtEpochMs: Date.now() });
      this.tellArming(false, reason);
    }, Math.max(50, Math.floor(timeoutMs / 4)));
    this.watchdog.unref();
  }

  private unwatch(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
  }

  /** Log what happens anyway (disarm, STOP): a log that fails must not keep the robot going. */
  private logQuietly(action: SafetyLogAction, reason: string | null): void {
    try {
      this.options.log?.(action, reason);
    } catch {
      // The action goes ahead; the log's own failure (a full store) is reported where it is written.
    }
  }

  private tellArming(armed: boolean, reason: string): void {
    for (const listener of this.armingListeners) listener(armed, reason);
  }

  private change(fields: Partial<SafetyStatusValue>): SafetyStatusValue {
    this.state = { ...this.state, ...fields };
    const status = this.status();
    this.onChange(status);
    return status;
  }
}
