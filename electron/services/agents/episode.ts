/**
 * One trial of a coding agent on the simulator: prompt → program → supervised run → feedback →
 * next program or FINISH, up to a turn limit. The scene is reset once at the start and not
 * between turns. Feedback is built from what the program did and what the cameras see (visual
 * differencing through the perception grounder); the trial's success check is consulted only for
 * the final verdict, never by the agent.
 */
import type { AgentEvent, ModelAgentKind, AgentTurnRecord } from '../../../shared/agent.ts';
import { apiForTier, type TierSettings } from '../../../shared/api/tiers.ts';
import type { ChatMessage, ModelProvider } from '../../../shared/model.ts';
import { renderPrompt } from '../../../shared/prompt.ts';
import type { PolicyEvent, PolicyResult, TrialOutcome } from '../../../shared/run.ts';
import type { TaskDefinition } from '../../../shared/tasks.ts';
import { WORKCELLS } from '../../../shared/workcells.ts';
import type { SimBackend } from '../../../native/sim/sim-backend.ts';
import type { SkillStore } from '../storage/skill-store.ts';
import { PolicySession } from '../../../native/runtime/policy-session.ts';
import type { PolicyRun } from '../../../native/runtime/policy-host.ts';
import { policyLimits, type PolicyLimits } from '../../../native/runtime/policy-limits.ts';
import { runSupervised } from '../supervision/supervised-run.ts';
import type { HostServedCalls } from '../supervision/host-calls.ts';
import type { VlaServer } from '../../../shared/vla/config.ts';
import { vlaHostCalls } from '../vla/vla-calls.ts';
import type { TelemetryRecording } from '../../../shared/telemetry.ts';
import { SimTelemetryRecorder } from '../trials/telemetry-recorder.ts';
import type { Decision } from './decide.ts';
import { cameraImages, decide, notRun, perceive, verdictOf } from './episode-steps.ts';
import { executionFeedback } from './feedback.ts';
import { describeSceneChange } from './scene-change.ts';
import { runTurns, type ProgramTurn, type TurnSide } from './turn-loop.ts';
import { relevantSkills, skillContext, skillPrelude } from './skills.ts';
import { pythonReady } from '../../../native/runtime/python-interpreter.ts';

/** The system message every agent gets. */
export const AGENT_SYSTEM_PROMPT =
  'You write Python programs that control a robot through the API described by the user. ' +
  'Think briefly, then give the complete program in one ```python block.';

/** What an agent trial needs. */
export interface AgentTrialOptions {
  readonly agent: ModelAgentKind;
  readonly task: TaskDefinition;
  readonly tier: TierSettings;
  readonly seed: number;
  readonly backend: SimBackend;
  /** The model(s); agent0 spreads candidates over them and synthesises with the first. */
  readonly models: readonly ModelProvider[];
  /** Turn limit for multi-turn agents (default 4). */
  readonly maxTurns?: number;
  /** agent0: candidates per decision (default 9). */
  readonly candidates?: number;
  /** agent0: rehearse candidates on this twin (rebuilt from perception each decision). */
  readonly rehearsalBackend?: SimBackend;
  /** Offer promoted skills relevant to the task. */
  readonly skills?: SkillStore;
  readonly limits?: Partial<PolicyLimits>;
  readonly modelTimeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onPolicyEvent?: (event: PolicyEvent) => void;
  readonly onAgentEvent?: (event: AgentEvent) => void;
  /** Called once the backend is reset to the seed, before the first turn (the console's twin follows from here). */
  readonly onReady?: () => Promise<void> | void;
  /** Each program's policy run as it starts (the console's terminal). */
  readonly onPolicyRun?: (run: PolicyRun) => void;
  /** VLA policy servers: with one, the prompt and the programs offer `run_vla`. */
  readonly vlaServers?: readonly VlaServer[];
  /** Record the joint telemetry of every turn here (one series: the scene is reset once). */
  readonly telemetry?: TelemetryRecording;
}

/** How an agent trial went. */
export interface AgentTrialResult {
  readonly outcome: TrialOutcome;
  readonly turns: readonly AgentTurnRecord[];
  /** The last program that ran, or null. */
  readonly finalProgram: string | null;
  /** Skills offered in the prompt and namespace. */
  readonly skillsOffered: readonly string[];
}

/** Run one agent trial to its end; model and policy failures end up in the outcome. */
export async function runAgentTrial(options: AgentTrialOptions): Promise<AgentTrialResult> {
  const { task, tier, backend } = options;
  const started = performance.now();
  if (options.models.length === 0) throw new Error('an agent needs a model (--model provider:model)');
  await backend.reset(options.seed, tier.grounding);
  backend.resume();
  const recorder = options.telemetry ? await SimTelemetryRecorder.start(backend, options.telemetry) : null;
  await options.onReady?.();
  await pythonReady();
  const episode = new Episode(options);
  let turns: AgentTurnRecord[];
  try {
    turns = await runTurns(options, episode.messages, episode);
  } finally {
    await episode.dispose();
    await recorder?.stop().catch((error: unknown) => console.warn(`telemetry: ${(error as Error).message}`));
  }
  const verdict = await verdictOf(options, episode.lastPolicy, episode.lastReason);
  const robotSeconds = (await backend.state()).timeS;
  const policy = episode.lastPolicy ?? notRun(episode.lastReason);
  return {
    outcome: { taskId: task.id, seed: options.seed, ...verdict, wallSeconds: (performance.now() - started) / 1000, robotSeconds, policy },
    turns,
    finalProgram: episode.lastCode,
    skillsOffered: episode.skills.map((s) => s.name),
  };
}

/**
 * The state of one agent episode: the conversation, the Python session whose namespace persists
 * between turns (its start-up overlaps the first model call), the turns so far and the last program.
 */
class Episode implements TurnSide {
  readonly skills: ReturnType<typeof relevantSkills>;
  lastPolicy: PolicyResult | null = null;
  lastCode: string | null = null;
  lastReason = '';
  readonly finishTooEarly = 'the model said FINISH before running any program';
  readonly messages: ChatMessage[];
  private readonly prelude: ReturnType<typeof skillPrelude>;
  private readonly feedbackKinds: readonly string[];
  private session: PolicySession;
  private restartNote = '';
  /** `run_vla` with the configured servers (none: not offered). */
  private readonly hostCalls: HostServedCalls | undefined;

  constructor(private readonly options: AgentTrialOptions) {
    const { task, tier } = options;
    this.skills = options.skills ? relevantSkills(options.skills, task) : [];
    this.prelude = skillPrelude(this.skills);
    this.hostCalls = vlaHostCalls(options.vlaServers ?? []);
    this.messages = [
      { role: 'system', content: AGENT_SYSTEM_PROMPT },
      { role: 'user', content: [renderPrompt(task, tier, this.hostCalls?.offer), skillContext(this.skills)].filter(Boolean).join('\n\n') },
    ];
    this.feedbackKinds = tier.interaction === 'multi-turn' ? tier.feedback : ['output'];
    this.session = this.newSession();
  }

  decide(index: number, messages: readonly ChatMessage[]): Promise<Decision> {
    return decide(this.options, messages, index);
  }

  hasRun(): boolean {
    return this.lastPolicy !== null;
  }

  /** Run a program in the session, supervised, and build the feedback (with the simulation time it took). */
  async runProgram(index: number, code: string): Promise<ProgramTurn> {
    const { backend, task, tier, signal } = this.options;
    const clock = { simMs: 0 };
    if (!this.session.alive) {
      await this.session.dispose();
      this.session = this.newSession();
      this.restartNote = 'The Python process was restarted before this program: variables and functions from earlier programs are gone.';
    }
    // Simulation time: the simulator serving the program's calls, perception, camera images.
    const timed = async <T>(work: () => Promise<T>): Promise<T> => {
      const t0 = performance.now();
      try {
        return await work();
      } finally {
        clock.simMs += performance.now() - t0;
      }
    };
    const layout = WORKCELLS[task.workcell];
    const before = this.feedbackKinds.includes('visual-diff') ? await timed(() => perceive(backend, task)) : null;
    const events: PolicyEvent[] = [];
    const policy = await runSupervised({
      backend,
      programSource: code,
      programName: `turn-${index + 1}.py`,
      tier,
      arms: layout.arms.map((arm) => arm.name),
      workspace: layout.workspace,
      limits: policyLimits(task.timeLimitS * 1000, this.options.limits),
      onEvent: (event) => {
        events.push(event);
        if (event.kind === 'api-call') clock.simMs += event.durationMs;
        this.options.onPolicyEvent?.(event);
      },
      session: this.session,
      ...(this.hostCalls ? { hostCalls: this.hostCalls } : {}),
      ...(signal ? { signal } : {}),
      ...(this.prelude ? { prelude: this.prelude } : {}),
      ...(this.options.onPolicyRun ? { onPolicyRun: this.options.onPolicyRun } : {}),
    });
    this.lastPolicy = policy;
    this.lastCode = code;
    const sceneChange = before ? describeSceneChange(before, await timed(() => perceive(backend, task))) : undefined;
    const text = (this.restartNote ? `${this.restartNote}\n\n` : '') + executionFeedback({ code, policy, events, ...(sceneChange ? { sceneChange } : {}) });
    this.restartNote = '';
    const wantImages = this.feedbackKinds.includes('images') && this.options.models[0]!.acceptsImages;
    const images = wantImages ? await timed(() => cameraImages(backend, layout.cameras.map((c) => c.name))) : [];
    return { policy: { status: policy.status, reason: policy.reason }, feedback: text, images, stopped: policy.status === 'cancelled', simMs: clock.simMs };
  }

  private newSession(): PolicySession {
    const { task, tier } = this.options;
    return new PolicySession({ api: apiForTier(tier, this.hostCalls?.offer), memoryBytes: policyLimits(task.timeLimitS * 1000, this.options.limits).memoryBytes });
  }

  dispose(): Promise<void> {
    return this.session.dispose();
  }
}
