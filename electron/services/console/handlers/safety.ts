/**
 * The `safety` channels: STOP (halts the run, the bench and every connected arm at once, then
 * latches), arming (each logged in the store's safety log), and the console's heartbeat.
 */
import type { Handlers } from '../../../../shared/ipc/dispatch.ts';
import type { DevicesService } from '../../robots/devices.ts';
import type { BenchService } from '../../runs/bench-service.ts';
import type { RunService } from '../../runs/run-service.ts';
import type { ConsoleSafety } from '../../supervision/console-safety.ts';
import type { SafetyLog } from '../../storage/safety-log.ts';

/** What STOP reaches. */
export interface SafetyTargets {
  readonly safety: ConsoleSafety;
  readonly runs: RunService;
  readonly bench: BenchService;
  /** The connected arms, when the devices service has loaded. */
  readonly devices: () => DevicesService | null;
  /** Where arm, disarm and STOP are kept. */
  readonly log: SafetyLog;
}

/** Handlers of `safety`. */
export function safetyHandlers({ safety, runs, bench, devices, log }: SafetyTargets): Pick<Handlers, 'safety'> {
  return {
    safety: {
      stop: ({ reason }) => {
        const why = reason ?? 'operator pressed STOP';
        const haltAt = runs.halt(why);
        bench.stop();
        // Connected arms halt too, whether or not a program runs on them.
        devices()?.haltAll(why);
        return safety.latchStop(why, haltAt ?? Date.now());
      },
      arm: () => safety.arm(),
      disarm: () => safety.disarm(),
      status: () => safety.status(),
      heartbeat: () => {
        safety.heartbeat();
        return { ok: true };
      },
      log: ({ limit }) => log.recent(limit),
    },
  };
}
