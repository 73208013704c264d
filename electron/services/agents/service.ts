/**
 * Agent runs as the app runs them (CLI, console, bench): one agent trial recorded in the run
 * store as it happens (every policy event, every turn with its candidates and tokens), and,
 * after a success when learning is on, the program distilled into a skill that is promoted only
 * if it succeeds on fresh seeds.
 */
import { getMaxListeners, setMaxListeners } from 'node:events';
import type { AgentEvent, ModelAgentKind } from '../../../shared/agent.ts';
import type { TierSettings } from '../../../shared/api/tiers.ts';
import type { ModelProvider } from '../../../shared/model.ts';
import type { PolicyEvent } from '../../../shared/run.ts';
import type { TaskDefinition } from '../../../shared/tasks.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import type { RunStore } from '../storage/run-store.ts';
import { SkillStore } from '../storage/skill-store.ts';
import { TelemetryStore } from '../storage/telemetry-store.ts';
import type { TelemetryRecording } from '../../../shared/telemetry.ts';
import type { PolicyLimits } from '../../../native/runtime/policy-limits.ts';
import type { PolicyRun } from '../../../native/runtime/policy-host.ts';
import { runAgentTrial, type AgentTrialResult } from './episode.ts';
import type { VlaServer } from '../../../shared/vla/config.ts';
import { distilSkill, promoteSkill } from './skills.ts';

/** How skills take part: not at all, offered to the agent, or offered and learned from successes. */
export type SkillMode = 'off' | 'use' | 'learn';

/** Fresh seeds a skill must succeed on before it is promoted. */
export const PROMOTION_TRIALS = 3;

/** What an agent run needs. */
export interface AgentRunOptions {
  readonly agent: ModelAgentKind;
  readonly task: TaskDefinition;
  readonly tier: TierSettings;
  readonly seed: number;
  readonly models: readonly ModelProvider[];
  readonly store: RunStore;
  /** A simulator for the task to reuse (bench slots); started and disposed here otherwise. */
  readonly backend?: SimBackend;
  readonly maxTurns?: number;
  readonly candidates?: number;
  /** agent0: rehearse candidates on a twin rebuilt from perception. */
  readonly rehearse?: boolean;
  readonly skillMode: SkillMode;
  readonly limits?: Partial<PolicyLimits>;
  readonly modelTimeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onPolicyEvent?: (event: PolicyEvent) => void;
  readonly onAgentEvent?: (event: AgentEvent) => void;
  /** Progress of skill learning, in words. */
  readonly onSkillNote?: (note: string) => void;
  /** The run's id in the store, as soon as its record exists (the console announces the run). */
  readonly onRecord?: (runId: number) => void;
  /** Where the run's joint telemetry goes, by its id (default: the store's file, not shown live). */
  readonly telemetryFor?: (runId: number) => TelemetryRecording;
  /** Called once the backend is reset to the seed, before the first turn. */
  readonly onReady?: () => Promise<void> | void;
  /** Each program's policy run as it starts (the console's terminal). */
  readonly onPolicyRun?: (run: PolicyRun) => void;
  /** VLA policy servers: with one, the prompt and the programs offer `run_vla`. */
  readonly vlaServers?: readonly VlaServer[];
}

/** A recorded agent run. */
export interface AgentRunResult extends AgentTrialResult {
  readonly runId: number;
  readonly learned: { readonly name: string; readonly promoted: boolean; readonly note: string } | null;
}

/** Run an agent trial, recorded in the store; learn a skill from it when asked. */
export async function runAgent(options: AgentRunOptions): Promise<AgentRunResult> {
  const { task, tier, store } = options;
  // agent0 makes many model calls at once, each listening to the same stop signal.
  if (options.signal) setMaxListeners(Math.max(getMaxListeners(options.signal), 64), options.signal);
  const record = store.startRun({
    robot: 'sim',
    task: task.id,
    tier: tier.id,
    agent: options.agent,
    seed: options.seed,
    programName: 'turn-1.py',
    programSource: '',
    model: options.models.map((m) => m.name).join(','),
  });
  options.onRecord?.(record.id);
  const ownBackend = options.backend ? null : await SimBackend.start(task);
  const backend = options.backend ?? ownBackend!;
  const twin = options.rehearse && options.agent === 'agent0' ? await SimBackend.start(task) : null;
  const skills = options.skillMode === 'off' ? undefined : new SkillStore(store);
  try {
    const { skillMode: _mode, onRecord: _onRecord, telemetryFor, ...trialOptions } = options;
    const result = await runAgentTrial({
      ...trialOptions,
      telemetry: telemetryFor?.(record.id) ?? { runId: record.id, sink: new TelemetryStore(store.database) },
      backend,
      ...(twin ? { rehearsalBackend: twin } : {}),
      ...(skills ? { skills } : {}),
      onPolicyEvent: (event) => {
        record.log(event);
        options.onPolicyEvent?.(event);
      },
      onAgentEvent: (event) => {
        if (event.kind === 'turn') store.logTurn(record.id, event.turn);
        options.onAgentEvent?.(event);
      },
    });
    const lastTurn = result.turns.filter((t) => t.code).at(-1);
    if (result.finalProgram) store.setProgram(record.id, `turn-${(lastTurn?.index ?? 0) + 1}.py`, result.finalProgram);
    store.finishRun(record.id, result.outcome);
    let learned: AgentRunResult['learned'] = null;
    if (skills && options.skillMode === 'learn' && result.outcome.success && result.finalProgram && !options.signal?.aborted) {
      // Learning is extra: a failure here (model down, no answer) leaves the run as it was.
      try {
        learned = await learnSkill({ ...options, backend, skills, program: result.finalProgram, runId: record.id });
      } catch (error) {
        const note = `no skill learned: ${(error as Error).message}`;
        options.onSkillNote?.(note);
        learned = { name: '', promoted: false, note };
      }
    }
    return { ...result, runId: record.id, learned };
  } finally {
    await ownBackend?.dispose();
    await twin?.dispose();
  }
}

/** Distil the program into a skill and try it on fresh seeds; promoted only if all succeed. */
async function learnSkill(
  options: Omit<AgentRunOptions, 'backend'> & { backend: SimBackend; skills: SkillStore; program: string; runId: number },
): Promise<{ name: string; promoted: boolean; note: string }> {
  const { task } = options;
  const distilled = await distilSkill(task, options.program, options.models[0] ?? null, options.signal);
  const skill = options.skills.save({ ...distilled.skill, task: task.id, model: options.models[0]?.name ?? '', runId: options.runId });
  options.onSkillNote?.(`skill ${skill.name} v${skill.version} ${distilled.note}; trying it on ${PROMOTION_TRIALS} fresh seeds`);
  const seeds = Array.from({ length: PROMOTION_TRIALS }, (_, k) => options.seed + 100_003 * (k + 1));
  const { promoted, outcomes } = await promoteSkill({
    store: options.skills,
    name: skill.name,
    task,
    tier: options.tier,
    backend: options.backend,
    seeds,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const last = outcomes.at(-1);
  const note = promoted
    ? `promoted after ${outcomes.length}/${PROMOTION_TRIALS} fresh seeds succeeded`
    : `rejected: seed ${last?.seed} ${last?.status}: ${last?.reason}`;
  options.onSkillNote?.(`skill ${skill.name}: ${note}`);
  return { name: skill.name, promoted, note };
}
