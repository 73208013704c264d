/**
 * The console's runs, one at a time: every run goes through the same supervised trial path as
 * `caplab run` (expert or edited program: `runTrial`; model-driven agents: `runAgent`), is kept
 * in the run store as it happens, and streams to the console: `runs:status` (running, then the
 * final status), `trace:event` for every policy event, `agent:turn`, `terminal:data` from the
 * policy's pty, the twin (followed once the backend is reset to the seed) and joint telemetry.
 */
import type { AgentEvent } from '../../../shared/agent.ts';
import type { Emitter } from '../../../shared/ipc/dispatch.ts';
import { IpcError } from '../../../shared/ipc/errors.ts';
import type { PolicyEvent, TrialOutcome } from '../../../shared/run.ts';
import type { TaskDefinition } from '../../../shared/tasks.ts';
import type { PolicyRun } from '../../../native/runtime/policy-host.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import type { RunStore } from '../storage/run-store.ts';
import type { PolicyLimits } from '../../../native/runtime/policy-limits.ts';
import { failedOutcome, type RealArmJob, type RunJob, type TelemetryFor, type TrialHooks } from './run-jobs.ts';
import type { TwinPort } from '../viewer/twin-port.ts';
import { executeOnArm } from './arm-run.ts';

/** What the run service needs. */
export interface RunServiceOptions {
  readonly store: RunStore;
  readonly twin: TwinPort;
  readonly emitter: Emitter;
  /** Policy limits for every run (tests shorten the wall clock). */
  readonly limits?: Partial<PolicyLimits>;
  /** Another activity (a bench) that makes a run busy, with its description; null when free. */
  readonly busyWith?: () => string | null;
  /** A run is about to start (the STOP latch clears). */
  readonly onRunStarting?: () => void;
  /** Where a run's joint telemetry goes (`run-telemetry.ts`); none: not recorded. */
  readonly telemetry?: TelemetryFor;
}

interface ActiveRun {
  runId: number | null;
  readonly taskId: string;
  readonly controller: AbortController;
  /** The robot's own halt once it is reached (STOP stops it at once, not only through the aborted policy). */
  haltRobot: ((reason: string) => void) | null;
  policy: PolicyRun | null;
  offTerminal: (() => void) | null;
  programSource: string;
  finished: Promise<void>;
  /** The operator's answer, while a real-arm run waits for it after a rehearsal. */
  approval: ((approve: boolean) => void) | null;
}

/** The run's robot is reached: STOP halts it from now on, and at once if it was pressed meanwhile. */
function reachedRobot(active: ActiveRun, halt: (reason: string) => void): void {
  active.haltRobot = halt;
  if (active.controller.signal.aborted) halt('stopped by operator');
}

/** The task a job runs (a sim task's id, or a real arm's task). */
function jobTaskId(job: RunJob): string {
  return job.kind === 'real' ? job.taskId : job.task.id;
}

/** Starts, streams and stops the console's one run at a time. */
export class RunService {
  private active: ActiveRun | null = null;
  private terminalSize: { cols: number; rows: number } | null = null;
  /**
   * The last run's simulator, kept for the next run of the same task: a reset (a few ms) instead
   * of a new worker and model (a few hundred ms of CPU).
   */
  private idleBackend: SimBackend | null = null;
  private disposed = false;

  constructor(private readonly options: RunServiceOptions) {}

  /** The run in progress (its id once its record exists). */
  get currentRunId(): number | null {
    return this.active?.runId ?? null;
  }

  /** Whether a run is starting or going. */
  get running(): boolean {
    return this.active !== null;
  }

  /** Resolves once no run is going. */
  async whenIdle(): Promise<void> {
    while (this.active) await this.active.finished;
  }

  /** Start a run; resolves with its id once its record exists. busy while another run (or a bench) goes. */
  start(job: RunJob): Promise<number> {
    if (this.active) throw new IpcError('busy', `run ${this.active.runId ?? '(starting)'} is still going; stop it first`);
    const other = this.options.busyWith?.() ?? null;
    if (other) throw new IpcError('busy', `${other} is going; stop it first`);
    this.options.onRunStarting?.();
    const active: ActiveRun = {
      runId: null,
      taskId: jobTaskId(job),
      controller: new AbortController(),
      haltRobot: null, policy: null, offTerminal: null,
      programSource: job.kind === 'agent' ? '' : job.program.programSource,
      finished: Promise.resolve(),
      approval: null,
    };
    this.active = active;
    return new Promise<number>((resolve, reject) => {
      const announce = (runId: number): void => {
        active.runId = runId;
        this.options.emitter.runs.status({ runId, taskId: active.taskId, status: 'running', reason: null, programSource: active.programSource });
        if (job.kind !== 'agent') this.options.emitter.agent.turn({ runId, turn: 0, program: active.programSource, feedback: null, decision: 'run' });
        resolve(runId);
      };
      active.finished = this.execute(job, active, announce)
        .catch((error: unknown) => {
          if (active.runId === null) {
            reject(IpcError.from(error));
            return null;
          }
          const outcome = failedOutcome(active.taskId, job.kind === 'real' ? 0 : job.seed, `the run could not go on: ${(error as Error).message}`);
          try {
            this.options.store.finishRun(active.runId, outcome);
          } catch {
            // the store is gone (closing): the console still hears how the run ended
          }
          return outcome;
        })
        .then((outcome) => {
          // Free before telling: whoever sees the final status may start the next run at once.
          if (this.active === active) this.active = null;
          if (outcome) this.announceEnd(active, outcome);
          else reject(new IpcError('internal', 'the run ended before it was recorded')); // no-op once settled
        });
    });
  }

  /**
   * Halt the robot and cancel the policy at once; returns when the halt was handed to the backend
   * (epoch ms), or null when nothing runs (or `runId` is not the current run).
   */
  halt(reason: string, runId?: number): number | null {
    const active = this.active;
    if (!active || (runId !== undefined && active.runId !== runId)) return null;
    const haltAtEpochMs = Date.now();
    active.haltRobot?.(reason);
    active.controller.abort(new Error(reason));
    return haltAtEpochMs;
  }

  /** Type into the running policy's terminal. */
  write(data: string): void {
    const policy = this.active?.policy;
    if (!policy) throw new IpcError('not_available', 'no policy is running: the terminal takes input while a run goes');
    policy.write(data);
  }

  /** Resize the pty now (when a policy runs) and for the runs to come. */
  resize(cols: number, rows: number): void {
    this.terminalSize = { cols, rows };
    this.active?.policy?.resize(cols, rows);
  }

  /** Stop whatever runs and wait for it to end. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.halt('the console is closing');
    await this.whenIdle();
    const idle = this.idleBackend;
    this.idleBackend = null;
    await idle?.dispose();
  }

  /** A simulator for `task`: the last run's when it ran the same task, else a new one. */
  private async backendFor(task: TaskDefinition): Promise<SimBackend> {
    const idle = this.idleBackend;
    this.idleBackend = null;
    if (idle?.usable && idle.task.id === task.id) return idle;
    await idle?.dispose();
    return SimBackend.start(task);
  }

  /** Keep a run's simulator for the next run (the twin may still render its last state), or close it. */
  private async release(backend: SimBackend): Promise<void> {
    if (this.disposed || !backend.usable) return backend.dispose();
    const previous = this.idleBackend;
    this.idleBackend = backend;
    await previous?.dispose();
  }

  /** Run the job to its end, recorded in the store; resolves with the outcome once everything is released. */
  private async execute(job: RunJob, active: ActiveRun, announce: (runId: number) => void): Promise<TrialOutcome> {
    if (job.kind === 'real') return this.executeOnArm(job, active, announce);
    let log: ((event: PolicyEvent) => void) | null = null;
    if (job.kind !== 'agent') {
      const record = this.options.store.startRun({ robot: 'sim', task: job.task.id, tier: job.tier.id, agent: job.agent, seed: job.seed, ...job.program });
      log = record.log;
      announce(record.id);
    }
    const backend = await this.backendFor(job.task);
    reachedRobot(active, (reason) => backend.halt(reason));
    let stopFollowing: (() => Promise<void>) | null = null;
    const hooks: TrialHooks = {
      backend,
      signal: active.controller.signal,
      ...(this.options.limits ? { limits: this.options.limits } : {}),
      onEvent: (event) => {
        log?.(event);
        if (active.runId !== null) this.options.emitter.trace.event({ runId: active.runId, event });
        this.ghost(event);
      },
      onReady: async () => {
        stopFollowing = await this.follow(active, backend);
      },
      onPolicyRun: (run) => this.attachTerminal(active, run),
      ...(this.options.telemetry && active.runId !== null ? { telemetry: this.options.telemetry(active.runId) } : {}),
    };
    try {
      if (job.kind === 'agent') {
        // The agent service records the run, its turns and its ending.
        const telemetryFor = this.options.telemetry ? { telemetryFor: this.options.telemetry } : {};
        return await job.run(hooks, { onRecord: announce, onAgentEvent: (event) => this.agentEvent(active, event), ...telemetryFor });
      }
      const outcome = await job.run(hooks);
      if (active.runId !== null) this.options.store.finishRun(active.runId, outcome);
      return outcome;
    } finally {
      active.offTerminal?.();
      active.offTerminal = null;
      active.policy = null;
      await (stopFollowing as (() => Promise<void>) | null)?.().catch(() => {});
      await this.release(backend);
    }
  }

  /** A program on a connected real arm (`arm-run.ts`): its turns and approval go to the console like a run's. */
  private executeOnArm(job: RealArmJob, active: ActiveRun, announce: (runId: number) => void): Promise<TrialOutcome> {
    return executeOnArm(job, {
      store: this.options.store,
      emitter: this.options.emitter,
      ...(this.options.telemetry ? { telemetry: this.options.telemetry } : {}),
      signal: active.controller.signal,
      announce,
      onRobot: (halt) => reachedRobot(active, halt),
      onAgentEvent: (event) => this.agentEvent(active, event),
      waiting: (answer) => (active.approval = answer),
    });
  }

  /** The operator's answer to run `runId` waiting after its rehearsal; not_available when it waits for none. */
  approve(runId: number, approve: boolean): void {
    const active = this.active;
    if (!active || active.runId !== runId || !active.approval) throw new IpcError('not_available', `run ${runId} is not waiting for an approval`);
    const entry = this.options.store.safetyLog.append(approve ? 'approve' : 'decline', `the operator ${approve ? 'approved' : 'declined'} moving the real arm after its rehearsal (run ${runId})`, 'console');
    this.options.emitter.safety.logged(entry);
    active.approval(approve);
  }

  private async follow(active: ActiveRun, backend: SimBackend): Promise<(() => Promise<void>) | null> {
    if (active.runId === null) return null;
    // The twin is a view: a run goes on without it.
    return this.options.twin.follow(active.runId, backend).catch(() => null);
  }

  /** The twin's ghost of each run_vla chunk's end pose, until the call ends. */
  private ghost(event: PolicyEvent): void {
    if (event.kind === 'vla-chunk' && event.endPose) this.options.twin.showChunkGhost(event.arm, event.endPose);
    else if (event.kind === 'api-call' && event.fn === 'run_vla') this.options.twin.clearChunkGhosts();
  }

  private attachTerminal(active: ActiveRun, run: PolicyRun): void {
    active.offTerminal?.();
    active.policy = run;
    if (this.terminalSize) run.resize(this.terminalSize.cols, this.terminalSize.rows);
    active.offTerminal = run.onTerminalData((data) => {
      if (active.runId !== null) this.options.emitter.terminal.data({ runId: active.runId, data });
    });
  }

  private agentEvent(active: ActiveRun, event: AgentEvent): void {
    if (active.runId === null) return;
    if (event.kind === 'program') {
      active.programSource = event.code;
      this.options.emitter.agent.turn({ runId: active.runId, turn: event.turn, program: event.code, feedback: null, decision: null });
    } else if (event.kind === 'turn') {
      const { turn } = event;
      this.options.emitter.agent.turn({ runId: active.runId, turn: turn.index, program: turn.code, feedback: turn.feedback, decision: turn.decision });
    }
  }

  /** Tell the console how the run ended. */
  private announceEnd(active: ActiveRun, outcome: TrialOutcome): void {
    if (active.runId === null) return;
    this.options.emitter.runs.status({
      runId: active.runId,
      taskId: active.taskId,
      status: outcome.status,
      reason: outcome.reason,
      programSource: active.programSource,
    });
  }
}
