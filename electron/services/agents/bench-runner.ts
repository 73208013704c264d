/** Bench trials by a model-driven agent: each trial an agent run recorded in the store (turns, candidates, tokens). */
import type { TrialOutcome } from '../../../shared/run.ts';
import type { PolicyLimits } from '../../../native/runtime/policy-limits.ts';
import type { RunStore } from '../storage/run-store.ts';
import type { BenchJob, BenchTrialRunner } from '../trials/bench.ts';
import { runAgent, type AgentRunOptions } from './service.ts';

/** The agent and its models as a bench runs them. */
export type AgentBenchSettings = Pick<AgentRunOptions, 'agent' | 'models' | 'maxTurns' | 'candidates' | 'rehearse' | 'skillMode' | 'vlaServers'>;

/** A bench trial runner for the agent; `onRecorded` hears each trial's outcome with its run id and job. */
export function agentBenchRunner(
  settings: AgentBenchSettings,
  store: RunStore,
  options: { readonly limits?: Partial<PolicyLimits>; readonly onRecorded?: (outcome: TrialOutcome, runId: number, job: BenchJob) => void } = {},
): BenchTrialRunner {
  return async (job, backend, signal) => {
    const result = await runAgent({ ...settings, ...job, store, backend, ...(options.limits ? { limits: options.limits } : {}), ...(signal ? { signal } : {}) });
    options.onRecorded?.(result.outcome, result.runId, job);
    return result.outcome;
  };
}
