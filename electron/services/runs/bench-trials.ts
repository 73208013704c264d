/**
 * How the console's bench runs its trials: every trial recorded in the run store as a run the
 * operator can open (the expert's and the naive baseline's as program runs, a model-driven agent's with its turns), and
 * each trial's outcome traced back to its run for the progress push.
 */
import type { z } from 'zod';
import type { BenchStartRequest, BenchTrial } from '../../../shared/ipc/contract.ts';
import type { TrialOutcome } from '../../../shared/run.ts';
import { isProgramAgent, type ProgramAgent } from '../../../shared/agent.ts';
import type { PolicyLimits } from '../../../native/runtime/policy-limits.ts';
import { agentBenchRunner } from '../agents/bench-runner.ts';
import { TelemetryStore } from '../storage/telemetry-store.ts';
import type { RunStore } from '../storage/run-store.ts';
import { programAgentRunner, type BenchJob, type BenchPhase, type BenchTrialRunner, type TrialRecorder } from '../trials/bench.ts';
import { modelsOrInvalid, type JobDeps } from './run-jobs.ts';

type BenchRequest = z.output<typeof BenchStartRequest>;
type Trial = z.output<typeof BenchTrial>;

/** The runners of a console bench and the way back from an outcome to its run. */
export interface BenchTrials {
  /** The agent's trials (the expert's, recorded, when the agent is the expert). */
  readonly agent: BenchTrialRunner;
  /** The expert baseline's, or null when the request has none. */
  readonly baseline: BenchTrialRunner | null;
  /** The run a finished trial was recorded as. */
  trialOf(outcome: TrialOutcome): Trial | null;
}

/** What the bench's trials need. */
export interface BenchTrialDeps extends Pick<JobDeps, 'createProvider' | 'skillMode'> {
  readonly store: RunStore;
  readonly limits?: Partial<PolicyLimits>;
}

/** A program agent's trials (the expert's, the naive baseline's) recorded in the store, each outcome mapped to its run. */
function recordedProgramAgent(agent: ProgramAgent, store: RunStore, limits: Partial<PolicyLimits> | undefined, note: (outcome: TrialOutcome, trial: Trial) => void, phase: BenchPhase): BenchTrialRunner {
  // Telemetry too (stored, not pushed: ~1-2 ms of the main thread per 300 ms trial), so any trial plots and compares.
  const telemetry = new TelemetryStore(store.database);
  const recorder: TrialRecorder = {
    start(job, program) {
      const record = store.startRun({ robot: 'sim', task: job.task.id, tier: job.tier.id, agent, seed: job.seed, ...program });
      return {
        onEvent: record.log,
        telemetry: { runId: record.id, sink: telemetry },
        finish(outcome) {
          store.finishRun(record.id, outcome);
          note(outcome, trialRecord(record.id, job, agent, outcome, phase === 'baseline'));
        },
      };
    },
  };
  return programAgentRunner(agent, limits, recorder);
}

/** Build the runners for a request; invalid_request when its models cannot be made. */
export async function benchTrials(request: BenchRequest, deps: BenchTrialDeps): Promise<BenchTrials> {
  const trials = new WeakMap<TrialOutcome, Trial>();
  const note = (outcome: TrialOutcome, trial: Trial): void => void trials.set(outcome, trial);
  const trialOf = (outcome: TrialOutcome): Trial | null => trials.get(outcome) ?? null;
  // The expert is its own baseline; the naive baseline runs as the expert does.
  if (isProgramAgent(request.agent)) return { agent: recordedProgramAgent(request.agent, deps.store, deps.limits, note, 'agent'), baseline: null, trialOf };
  const models = await modelsOrInvalid(request.agent, request.model, deps);
  const agent = agentBenchRunner(
    {
      agent: request.agent,
      models,
      // A bench offers the library but learns nothing from its own trials (as `caplab bench`).
      skillMode: deps.skillMode === 'learn' ? 'use' : deps.skillMode,
      ...(request.maxTurns ? { maxTurns: request.maxTurns } : {}),
      ...(request.candidates ? { candidates: request.candidates } : {}),
    },
    deps.store,
    {
      ...(deps.limits ? { limits: deps.limits } : {}),
      onRecorded: (outcome, runId, job) => note(outcome, trialRecord(runId, job, request.agent, outcome, false)),
    },
  );
  const baseline = request.baseline === false ? null : recordedProgramAgent('expert', deps.store, deps.limits, note, 'baseline');
  return { agent, baseline, trialOf };
}

/** A finished trial as the progress push names it. */
function trialRecord(runId: number, job: BenchJob, agent: string, outcome: TrialOutcome, baseline: boolean): Trial {
  return { runId, taskId: job.task.id, tier: job.tier.id, seed: job.seed, agent, status: outcome.status, success: outcome.success, baseline };
}
