/**
 * The console's e-stop and arming state: STOP latches until the next run starts or the operator
 * arms again; every change is pushed (`safety:changed`). The halting itself is done by the run
 * and bench services; this keeps what the operator sees.
 */
import type { z } from 'zod';
import type { SafetyStatus } from '../../../shared/ipc/contract.ts';

/** The state as the contract carries it. */
export type SafetyStatusValue = z.infer<typeof SafetyStatus>;

/** Arming, the STOP latch and the console's heartbeats. */
export class ConsoleSafety {
  private state: SafetyStatusValue = { armed: false, stopped: false, reason: null, lastHaltAtEpochMs: null };
  private lastHeartbeatEpochMs: number | null = null;

  constructor(private readonly onChange: (status: SafetyStatusValue) => void) {}

  /** The present state. */
  status(): SafetyStatusValue {
    return { ...this.state };
  }

  /** STOP was pressed: latch it with the reason and when the halt reached the robot. */
  latchStop(reason: string, haltAtEpochMs: number): SafetyStatusValue {
    return this.change({ stopped: true, reason, lastHaltAtEpochMs: haltAtEpochMs });
  }

  /** A new run clears the latch (the operator chose to go again). */
  clearLatch(): void {
    if (this.state.stopped) this.change({ stopped: false, reason: null });
  }

  arm(): SafetyStatusValue {
    return this.change({ armed: true, stopped: false, reason: null });
  }

  disarm(): SafetyStatusValue {
    return this.change({ armed: false });
  }

  /** The console is alive. */
  heartbeat(atEpochMs = Date.now()): void {
    this.lastHeartbeatEpochMs = atEpochMs;
  }

  /** When the console last said it is alive (epoch ms), null before the first heartbeat. */
  get lastHeartbeat(): number | null {
    return this.lastHeartbeatEpochMs;
  }

  private change(fields: Partial<SafetyStatusValue>): SafetyStatusValue {
    this.state = { ...this.state, ...fields };
    const status = this.status();
    this.onChange(status);
    return status;
  }
}
