/**
 * One program of a policy process (see `PolicySession`): its handlers, limits and wall clock, how
 * the host ended it (wall clock, cancel = KeyboardInterrupt, then SIGKILL after the grace period),
 * and its result. Its events pass a gate that closes with the result: nothing is reported after
 * the verdict, not even a call that was still in flight when the program was cancelled mid-move.
 */
import type { RawCall } from '../../shared/api/types.ts';
import type { PolicyEvent, PolicyResult } from '../../shared/run.ts';
import type { ExitMessage, ProgramPort } from './policy-connection.ts';
import type { PolicyLimits } from './policy-limits.ts';
import { conclude, formatSeconds, type HostEnding, type ProcessExit } from './policy-outcome.ts';
import type { SandboxKind } from './sandbox.ts';

/** Events one program may report; past it they are counted, not kept (its exception still is). */
export const MAX_EVENTS_PER_PROGRAM = 100_000;

/** A program to run, with its own handlers and limits. */
export interface PolicyProgram {
  readonly source: string;
  /** Name shown in tracebacks. */
  readonly fileName: string;
  /** Serve one call; reject with `ApiError` (anything else becomes `backend_error`). */
  readonly onCall: (call: RawCall) => Promise<unknown>;
  readonly onEvent?: (event: PolicyEvent) => void;
  readonly limits: PolicyLimits;
  /**
   * Python run in the program's namespace before it, untraced (the skill library's functions).
   * Its errors end the run like the program's own, with the prelude's file name in the traceback.
   */
  readonly prelude?: { readonly source: string; readonly fileName: string };
  /** Report executed lines (default true); off only for measuring the tracer's own cost. */
  readonly trace?: boolean;
}

/** A running policy program. */
export interface PolicyRun {
  /** Resolves when the program has ended and its last message is read; never rejects. */
  readonly result: Promise<PolicyResult>;
  /** Stop the run: KeyboardInterrupt, then kill after the grace period. */
  cancel(reason: string): void;
  /** Type into the policy's terminal. */
  write(data: string): void;
  /** Listen to what the terminal shows; returns the unsubscribe function. */
  onTerminalData(listener: (data: string) => void): () => void;
  /** Resize the terminal (columns × rows). */
  resize(cols: number, rows: number): void;
  /**
   * How long the runner has sent nothing (not even its heartbeat), ms; 0 before it connected and
   * after the program ended. See `watchPolicyHeartbeat`.
   */
  silentMs(): number;
  /**
   * The runner's (Python's) pid on the host. In the sandbox it is known once Python runs (before
   * that: bwrap's), so read it when it is used rather than keeping it.
   */
  readonly pid: number;
}

/** What a program needs of the process it runs in. */
export interface ProgramHost {
  /** Host clock, ms since the process started. */
  clockMs(): number;
  /** The process is still running (a program of an exited process cannot be stopped). */
  alive(): boolean;
  /** Send SIGINT (KeyboardInterrupt in the program). */
  interrupt(): void;
  kill(): void;
  /** The sandbox the process runs in (stated in the result). */
  sandbox(): SandboxKind;
}

/** What the session knows when a program's end is decided. */
export interface ProgramEnd {
  /** How the process ended, if it has. */
  readonly exit: ProcessExit | null;
  readonly terminal: string;
  readonly stdout: string;
  readonly stderr: string;
}

/** The state of one program from `run` to its result. */
export class ProgramRun implements ProgramPort {
  readonly result: Promise<PolicyResult>;
  /** The runner's report of how the program ended. */
  exitMessage: ExitMessage | null = null;
  private hostEnding: HostEnding | null = null;
  private settled = false;
  private resolve!: (result: PolicyResult) => void;
  private readonly wallTimer: NodeJS.Timeout;
  private killTimer: NodeJS.Timeout | undefined;
  private readonly startMs: number;
  private events = 0;
  private eventsDropped = 0;

  constructor(
    readonly program: PolicyProgram,
    /** The process ends with this program (a one-program run) instead of waiting for the next. */
    readonly last: boolean,
    private readonly host: ProgramHost,
    private readonly cancelGraceMs: number,
  ) {
    this.startMs = host.clockMs();
    this.result = new Promise((resolve) => {
      this.resolve = resolve;
    });
    const wallClockMs = program.limits.wallClockMs;
    this.wallTimer = setTimeout(() => this.stop({ status: 'timeout', reason: `stopped after the wall-clock limit of ${formatSeconds(wallClockMs)}` }), wallClockMs);
  }

  /** The result is in. */
  get ended(): boolean {
    return this.settled;
  }

  onCall(call: RawCall): Promise<unknown> {
    return this.program.onCall(call);
  }

  /** Report an event (host clock) on the program's clock; nothing once the result is in. */
  emit(event: PolicyEvent): void {
    if (this.settled) return;
    this.events += 1;
    const cap = this.program.limits.maxEvents ?? MAX_EVENTS_PER_PROGRAM;
    if (this.events >= cap && event.kind !== 'exception') {
      this.eventsDropped += 1;
      if (this.events === cap) {
        const text = `[caplab] event cap of ${cap} reached: later events are counted, not kept\n`;
        this.program.onEvent?.({ kind: 'stderr', tMs: event.tMs - this.startMs, text });
      }
      return;
    }
    this.program.onEvent?.({ ...event, tMs: event.tMs - this.startMs });
  }

  /** End the program from the host's side: KeyboardInterrupt, then SIGKILL after the grace period. */
  stop(ending: HostEnding): void {
    if (this.settled || this.hostEnding || !this.host.alive()) return;
    this.hostEnding = ending;
    this.host.interrupt();
    this.killTimer = setTimeout(() => this.host.kill(), this.cancelGraceMs);
  }

  /** Decide the result, report the exception, close the gate. */
  settle(end: ProgramEnd): void {
    if (this.settled) return;
    clearTimeout(this.wallTimer);
    clearTimeout(this.killTimer);
    const wallMs = this.host.clockMs() - this.startMs;
    const exit = end.exit ?? { exitCode: -1, signal: undefined };
    const ending = conclude(this.hostEnding, this.exitMessage, exit, this.program.limits, end.terminal, wallMs);
    if (ending.exception && ending.status !== 'cancelled' && ending.status !== 'timeout') {
      this.emit({ kind: 'exception', tMs: this.host.clockMs(), exception: ending.exception });
    }
    this.settled = true;
    const capped = this.capsNote();
    this.resolve({
      ...ending,
      reason: capped ? `${ending.reason}; ${capped}` : ending.reason,
      ...(capped ? { capped } : {}),
      sandbox: this.host.sandbox(),
      stdout: end.stdout,
      stderr: end.stderr,
      terminal: end.terminal,
      wallMs,
      exitCode: end.exit ? end.exit.exitCode : null,
      signal: end.exit?.signal ? end.exit.signal : null,
    });
  }

  /** What the caps held back, for the reason line ('' when nothing). */
  private capsNote(): string {
    const notes: string[] = [];
    const output = this.exitMessage?.outputDropped ?? 0;
    if (output > 0) notes.push(`output capped at its first 512 KiB and last 64 KiB (${output} bytes dropped)`);
    if (this.eventsDropped > 0) notes.push(`events capped at ${this.program.limits.maxEvents ?? MAX_EVENTS_PER_PROGRAM} (${this.eventsDropped} dropped)`);
    return notes.join('; ');
  }

  /** The runner's `program` message. */
  message(): unknown {
    const { program } = this;
    return {
      t: 'program',
      source: program.source,
      name: program.fileName,
      cpuSeconds: Math.max(1, Math.ceil(program.limits.cpuSeconds)),
      trace: program.trace !== false,
      ...(program.prelude ? { prelude: { source: program.prelude.source, name: program.prelude.fileName } } : {}),
      ...(this.last ? { last: true } : {}),
    };
  }
}
