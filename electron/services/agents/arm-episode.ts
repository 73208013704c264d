/**
 * A coding agent on a connected arm with a calibrated camera (single-turn, multi-turn or agent0): the
 * model writes a program from the task and the arm's setting; each program is rehearsed on a twin
 * rebuilt from what the camera sees now, the operator approves it, and it runs on the real arm
 * through the safety supervisor (`runOnRobot`). A program whose rehearsal fails never reaches the
 * arm: the model is told what happened on the twin (its output, trace and the rehearsal's verdict)
 * and the real arm has not moved. After a real run the feedback is the program's own (output,
 * trace, robot calls) and, at tiers with visual differencing, what changed as the camera saw it.
 * The episode is judged by camera at the end, from the view before the first program to the view
 * after the last (the scene is not reset between programs), labelled "camera-judged".
 */
import type { AgentEvent } from '../../../shared/agent.ts';
import { judgeByCamera, type CameraView } from '../../../shared/camera-judge.ts';
import type { TierSettings } from '../../../shared/api/tiers.ts';
import type { ChatMessage, ModelProvider } from '../../../shared/model.ts';
import { renderPrompt } from '../../../shared/prompt.ts';
import type { WorldPose } from '../../../shared/robot.ts';
import type { PolicyEvent, PolicyResult, TrialOutcome } from '../../../shared/run.ts';
import type { SuccessPredicate, TaskDefinition } from '../../../shared/tasks.ts';
import { armPromptSetting } from '../robots/arm-prompt.ts';
import type { SeeingRobot } from '../robots/camera-perception.ts';
import { rehearseOnly, runOnRobot, type RealRunOptions } from '../robots/dry-run.ts';
import type { Decision } from './decide.ts';
import { AGENT_SYSTEM_PROMPT, type AgentTrialResult } from './episode.ts';
import { decideTurn, notRun } from './episode-steps.ts';
import { executionFeedback } from './feedback.ts';
import { describeSceneChange, type SceneSnapshot } from './scene-change.ts';
import { runTurns, type ProgramTurn, type TurnSide } from './turn-loop.ts';

/** What an agent episode on a connected arm needs. */
export interface ArmAgentOptions
  extends Pick<RealRunOptions, 'arming' | 'estopInput' | 'approve' | 'onRehearsal' | 'onDryRunResult' | 'telemetry' | 'vlaServers' | 'signal'> {
  readonly agent: 'single-turn' | 'multi-turn' | 'agent0';
  /** agent0: candidates per decision (default 9), spread over `models`, synthesised by the first. */
  readonly candidates?: number;
  /** agent0: rehearse every candidate on a twin rebuilt from the camera (never the real arm), and show the synthesis how each went. */
  readonly rehearseCandidates?: boolean;
  /** The arm with its camera, rehearsing on a twin rebuilt from the camera. */
  readonly robot: SeeingRobot;
  /** The task as the catalogue has it (its words go in the prompt). */
  readonly task: TaskDefinition;
  /** Its success predicate sized to the arm's bench (what the camera judges). */
  readonly predicate: SuccessPredicate;
  readonly tier: TierSettings;
  readonly models: readonly ModelProvider[];
  /** Turn limit for multi-turn (default 4). */
  readonly maxTurns?: number;
  readonly modelTimeoutMs?: number;
  /** Each program's time limit on the twin and on the arm, ms (default 120 s). */
  readonly wallClockMs?: number;
  /** The real arm's policy events (not the rehearsals'). */
  readonly onPolicyEvent?: (event: PolicyEvent) => void;
  readonly onAgentEvent?: (event: AgentEvent) => void;
  /** The scene's true state, where one is known (the virtual bench): compared with the camera's verdict. */
  readonly truth?: () => Promise<CameraView>;
  readonly onDisagreement?: (message: string) => void;
}

/** The camera's view as the snapshot visual differencing compares: each object's largest box seen. */
export function snapshotOf(view: CameraView): SceneSnapshot {
  const snapshot: Record<string, WorldPose | null> = {};
  for (const [name, boxes] of Object.entries(view.objects)) {
    const box = boxes[0];
    snapshot[name] = box ? { positionM: [...box.centreM], quatWxyz: [Math.cos(box.yawRad / 2), 0, 0, Math.sin(box.yawRad / 2)] } : null;
  }
  return snapshot;
}

/** Run one agent episode on the arm to its end; model, rehearsal and policy failures end up in the outcome. */
export async function runArmAgent(options: ArmAgentOptions): Promise<AgentTrialResult> {
  const started = performance.now();
  if (options.models.length === 0) throw new Error('an agent needs a model (--model provider:model)');
  const episode = new ArmEpisode(options, await options.robot.view(), await options.truth?.());
  const turns = await runTurns(options, episode.messages, episode);
  const verdict = await episode.verdict();
  const seconds = (performance.now() - started) / 1000;
  return {
    outcome: { taskId: options.task.id, seed: 0, ...verdict, wallSeconds: seconds, robotSeconds: episode.robotSeconds, policy: episode.lastPolicy ?? notRun(episode.lastReason) },
    turns,
    finalProgram: episode.lastCode,
    skillsOffered: [],
  };
}

/** The last program that ran on the arm and its turn's index (a later one held back by its rehearsal did not run), or null. */
export function programOnArm({ turns, finalProgram }: Pick<AgentTrialResult, 'turns' | 'finalProgram'>): { index: number; source: string } | null {
  if (!finalProgram) return null;
  return { index: turns.filter((t) => t.code === finalProgram).at(-1)?.index ?? 0, source: finalProgram };
}

type Verdict = Pick<TrialOutcome, 'status' | 'success' | 'reason' | 'cameraJudged'>;

/** The state of one episode on the arm: the conversation, the turns, the last real run. */
class ArmEpisode implements TurnSide {
  /** The last program that ran on the real arm, its result, and how its run ended. */
  lastCode: string | null = null;
  lastPolicy: PolicyResult | null = null;
  private lastRun: TrialOutcome | null = null;
  /** Why the episode has no real run yet (or how the last turn ended without one). */
  lastReason = 'the model gave no program';
  readonly finishTooEarly = 'the model said FINISH before any program ran on the arm';
  /** The last turn's outcome when its program did not reach the real arm (a failed rehearsal, a refusal). */
  private lastHeldBack: TrialOutcome | null = null;
  robotSeconds = 0;
  readonly messages: ChatMessage[];

  constructor(
    private readonly options: ArmAgentOptions,
    private readonly start: CameraView,
    private readonly startTruth: CameraView | undefined,
  ) {
    this.messages = [
      { role: 'system', content: AGENT_SYSTEM_PROMPT },
      { role: 'user', content: renderPrompt(options.task, options.tier, {}, armPromptSetting(options.robot)) },
    ];
  }

  decide(index: number, messages: readonly ChatMessage[]): Promise<Decision> {
    const rehearse = this.options.rehearseCandidates ? (code: string) => this.rehearseCandidate(index, code) : undefined;
    return decideTurn(this.options, messages, index, rehearse);
  }

  /** A candidate on a twin rebuilt from what the camera sees now, judged by the task's predicate there; the real arm does not move. */
  private rehearseCandidate(index: number, code: string): Promise<{ status: string; reason: string }> {
    const { options } = this;
    return rehearseOnly(options.robot, {
      taskId: options.task.id,
      tier: options.tier,
      programSource: code,
      programName: `turn-${index + 1}-candidate.py`,
      arming: options.arming,
      ...(options.wallClockMs ? { wallClockMs: options.wallClockMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.vlaServers ? { vlaServers: options.vlaServers } : {}),
      cameraJudge: { predicate: options.predicate, view: () => options.robot.view() },
    });
  }

  hasRun(): boolean {
    return this.lastRun !== null;
  }

  /** Rehearse the program, run it on the arm when the rehearsal and the operator allow, and build the model's feedback (the time it took is the turn's simMs). */
  async runProgram(index: number, code: string): Promise<ProgramTurn> {
    const started = performance.now();
    const { outcome, feedback } = await this.rehearseAndRun(index, code);
    const { options } = this;
    const stopped = outcome.status === 'cancelled' || options.signal?.aborted === true || Boolean(options.estopInput?.stopReason);
    return { policy: { status: outcome.status, reason: outcome.reason }, feedback, stopped, simMs: performance.now() - started };
  }

  private async rehearseAndRun(index: number, code: string): Promise<{ outcome: TrialOutcome; feedback: string }> {
    const { options } = this;
    const before = await options.robot.view();
    const events: PolicyEvent[] = [];
    const rehearsalEvents: PolicyEvent[] = [];
    let onArm = false;
    const outcome = await runOnRobot(options.robot, {
      taskId: options.task.id,
      tier: options.tier,
      programSource: code,
      programName: `turn-${index + 1}.py`,
      arming: options.arming,
      ...(options.wallClockMs ? { wallClockMs: options.wallClockMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.estopInput ? { estopInput: options.estopInput } : {}),
      ...(options.approve ? { approve: options.approve } : {}),
      ...(options.onRehearsal ? { onRehearsal: options.onRehearsal } : {}),
      ...(options.onDryRunResult ? { onDryRunResult: options.onDryRunResult } : {}),
      ...(options.telemetry ? { telemetry: options.telemetry } : {}),
      ...(options.vlaServers ? { vlaServers: options.vlaServers } : {}),
      // The real arm's run only (the rehearsal is on the twin): its policy process starts here.
      onPolicyRun: () => {
        onArm = true;
      },
      onEvent: (event) => {
        events.push(event);
        options.onPolicyEvent?.(event);
      },
      onDryRunEvent: (event) => rehearsalEvents.push(event),
      // The rehearsal is judged on the twin by the task's predicate; the episode is judged at its end.
      cameraJudge: { predicate: options.predicate, view: () => options.robot.view() },
    });
    if (!onArm) {
      this.lastHeldBack = outcome;
      this.lastReason = outcome.reason;
      const rehearsal = executionFeedback({ code, policy: outcome.policy, events: rehearsalEvents });
      return {
        outcome,
        feedback:
          `## The real arm did not move\nYour program was rehearsed on a twin of the scene rebuilt from the camera, and it did not go ahead: ${outcome.reason}.\n\n` +
          rehearsal.replace('## Result of your program', '## Result of your program on the twin'),
      };
    }
    this.lastHeldBack = null;
    this.lastRun = outcome;
    this.lastPolicy = outcome.policy;
    this.lastCode = code;
    this.robotSeconds += outcome.policy.wallMs / 1000;
    const sceneChange = options.tier.feedback.includes('visual-diff') ? describeSceneChange(snapshotOf(before), snapshotOf(await options.robot.view())) : undefined;
    return { outcome, feedback: executionFeedback({ code, policy: outcome.policy, events, ...(sceneChange ? { sceneChange } : {}) }) };
  }

  /**
   * The episode's verdict: stopped; no program on the arm (the last turn's reason); a single
   * turn's program that did not complete; otherwise the camera's, from the first view to now.
   */
  async verdict(): Promise<Verdict> {
    const { options } = this;
    if (options.signal?.aborted) return { status: 'cancelled', success: false, reason: 'stopped by operator' };
    if (options.estopInput?.stopReason) return { status: 'cancelled', success: false, reason: options.estopInput.stopReason };
    if (!this.lastRun) {
      const held = this.lastHeldBack;
      return held ? { status: held.status, success: false, reason: held.reason } : { status: 'error', success: false, reason: `no program ran: ${this.lastReason}` };
    }
    const policy = this.lastRun.policy;
    if (policy.status === 'cancelled' || policy.status === 'timeout' || (options.agent === 'single-turn' && this.lastRun.status === 'error')) {
      return { status: this.lastRun.status, success: false, reason: this.lastRun.reason };
    }
    const camera = judgeByCamera(options.predicate, this.start, await options.robot.view());
    const truthNow = this.startTruth ? await options.truth?.() : undefined;
    const truth = this.startTruth && truthNow ? judgeByCamera(options.predicate, this.startTruth, truthNow) : null;
    const agrees = truth ? truth.success === camera.success : undefined;
    if (truth && !agrees) {
      options.onDisagreement?.(`the camera judged ${camera.success ? 'success' : 'failure'} (${camera.reason}) but the ground truth says ${truth.success ? 'success' : 'failure'} (${truth.reason.replace(' (camera-judged)', '')})`);
    }
    const note = policy.status === 'completed' ? '' : ` (last program: ${policy.reason})`;
    return {
      status: camera.success ? 'success' : 'failure',
      success: camera.success,
      reason: `${camera.reason}${note}`,
      cameraJudged: { ...camera, ...(agrees === undefined ? {} : { agrees }) },
    };
  }
}
