/**
 * A console run on a connected real arm: recorded in the store as it happens, the twin's result
 * (or, with a camera, the rehearsal) shown as a turn, an agent's turns streamed, and — after a
 * rehearsal that succeeded — the operator asked to approve before the arm moves (`runs:approval`
 * while it waits; a STOP is a no).
 */
import type { AgentEvent } from '../../../shared/agent.ts';
import type { Emitter } from '../../../shared/ipc/dispatch.ts';
import type { TrialOutcome } from '../../../shared/run.ts';
import type { RunStore } from '../storage/run-store.ts';
import type { RealArmJob, TelemetryFor } from './run-jobs.ts';

/** What an arm run gets from the run service. */
export interface ArmRunContext {
  readonly store: RunStore;
  readonly emitter: Emitter;
  readonly telemetry?: TelemetryFor;
  /** Aborted by STOP. */
  readonly signal: AbortSignal;
  /** The run's record exists: its id. */
  readonly announce: (runId: number) => void;
  /** The arm is reached: its own halt, for STOP. */
  readonly onRobot: (halt: (reason: string) => void) => void;
  readonly onAgentEvent: (event: AgentEvent) => void;
  /** The run waits for the operator: how to give the answer (null once it no longer waits). */
  readonly waiting: (answer: ((approve: boolean) => void) | null) => void;
}

/** Run `job` on its arm; resolves with the outcome once it is stored. */
export async function executeOnArm(job: RealArmJob, context: ArmRunContext): Promise<TrialOutcome> {
  const { store, emitter } = context;
  const record = store.startRun({ robot: job.robot, task: job.taskId, tier: job.tier, agent: job.agent, seed: 0, ...job.program });
  context.announce(record.id);
  const byAgent = job.program.programSource === '';
  /** What turn 1 (the twin's) says, so the operator's answer can be added to it. */
  let twinFeedback = '';
  const outcome = await job.run({
    signal: context.signal,
    onRobot: context.onRobot,
    ...(context.telemetry ? { telemetry: context.telemetry(record.id) } : {}),
    onEvent: (event) => {
      record.log(event);
      emitter.trace.event({ runId: record.id, event });
    },
    onRehearsal: (twin) => {
      // An agent's turns say how each rehearsal went; a fixed program's is turn 1.
      if (!byAgent) emitter.agent.turn({ runId: record.id, turn: 1, program: null, feedback: `rehearsal on ${twin.description} (ready in ${Math.round(twin.readyMs)} ms)`, decision: 'rehearsing on the twin' });
    },
    onDryRunResult: (twin, armed) => {
      if (byAgent) return;
      const twinOk = twin.status === 'completed' || twin.status === 'success';
      twinFeedback = `digital twin: ${twin.status}: ${twin.reason}`;
      emitter.agent.turn({
        runId: record.id,
        turn: 1,
        program: null,
        feedback: twinFeedback,
        decision: !twinOk ? 'the real arm does not move' : !armed ? 'not armed: the real arm does not move' : /^rehearsed: /.test(twin.reason) ? 'rehearsed: waiting for the operator' : `now on the ${job.robot}`,
      });
    },
    approve: async (rehearsal) => {
      const approved = await awaitApproval(context, record.id, rehearsal);
      const decision = approved ? `approved: now on the ${job.robot}` : 'not approved: the real arm does not move';
      if (!byAgent) emitter.agent.turn({ runId: record.id, turn: 1, program: null, feedback: twinFeedback, decision });
      return approved;
    },
    onAgentEvent: (event) => {
      if (event.kind === 'turn') store.logTurn(record.id, event.turn);
      context.onAgentEvent(event);
    },
    onFinalProgram: (source, index) => {
      if (source) store.setProgram(record.id, `turn-${index + 1}.py`, source);
    },
  });
  store.finishRun(record.id, outcome);
  return outcome;
}

/** Wait for the operator's answer to a rehearsal that succeeded (a STOP ends the wait: the arm does not move); the console is told while it waits. */
async function awaitApproval(context: ArmRunContext, runId: number, rehearsal: TrialOutcome): Promise<boolean> {
  const { signal, emitter } = context;
  if (signal.aborted) return false;
  emitter.runs.approval({ runId, waiting: true, rehearsal: rehearsal.reason });
  try {
    return await new Promise<boolean>((resolve, reject) => {
      // The run says why it ends: a STOP, not the operator's answer.
      const onAbort = (): void => reject(new Error('it was stopped (STOP) while the operator was asked'));
      signal.addEventListener('abort', onAbort, { once: true });
      context.waiting((approve) => {
        signal.removeEventListener('abort', onAbort);
        resolve(approve);
      });
    });
  } finally {
    context.waiting(null);
    emitter.runs.approval({ runId, waiting: false, rehearsal: rehearsal.reason });
  }
}
