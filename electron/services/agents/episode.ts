/**
 * One trial of a coding agent on the simulator: prompt → program → supervised run → feedback →
 * next program or FINISH, up to a turn limit. The scene is reset once at the start and not
 * between turns. Feedback is built from what the program did and what the cameras see (visual
 * differencing through the perception grounder); the trial's success check is consulted only for
 * the final verdict, never by the agent.
 */
import type { AgentEvent, AgentKind, AgentTurnRecord, TurnDecision } from '../../../shared/agent.ts';
import { findApiFunction } from '../../../shared/api/spec.ts';
import { apiForTier, type TierSettings } from '../../../shared/api/tiers.ts';
import type { ChatMessage, ContentPart, ModelProvider } from '../../../shared/model.ts';
import { renderPrompt } from '../../../shared/prompt.ts';
import type { WorldPose } from '../../../shared/robot.ts';
import type { PolicyEvent, PolicyResult, TrialOutcome } from '../../../shared/run.ts';
import { objectInstanceNames, type TaskDefinition } from '../../../shared/tasks.ts';
import { WORKCELLS } from '../../../shared/workcells.ts';
import { encodePng } from '../../../native/sim/png.ts';
import type { SimBackend } from '../../../native/sim/sim-backend.ts';
import type { SkillStore } from '../storage/skill-store.ts';
import { PolicySession } from '../../../native/runtime/policy-session.ts';
import type { PolicyRun } from '../../../native/runtime/policy-host.ts';
import { policyLimits, type PolicyLimits } from '../../../native/runtime/policy-limits.ts';
import { judge } from '../trials/trial.ts';
import { runSupervised } from '../supervision/supervised-run.ts';
import { decideAgent0, decideSingle, type Decision, type Rehearse } from './decide.ts';
import { executionFeedback } from './feedback.ts';
import { describeSceneChange, type SceneSnapshot } from './scene-change.ts';
import { relevantSkills, skillContext, skillPrelude } from './skills.ts';

/** The system message every agent gets. */
export const AGENT_SYSTEM_PROMPT =
  'You write Python programs that control a robot through the API described by the user. ' +
  'Think briefly, then give the complete program in one ```python block.';

/** What an agent trial needs. */
export interface AgentTrialOptions {
  readonly agent: Exclude<AgentKind, 'expert'>;
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
  const { task, tier, backend, signal } = options;
  const started = performance.now();
  if (options.models.length === 0) throw new Error('an agent needs a model (--model provider:model)');
  await backend.reset(options.seed, tier.grounding);
  backend.resume();
  await options.onReady?.();
  const skills = options.skills ? relevantSkills(options.skills, task) : [];
  const prelude = skillPrelude(skills);
  const messages: ChatMessage[] = [
    { role: 'system', content: AGENT_SYSTEM_PROMPT },
    { role: 'user', content: [renderPrompt(task, tier), skillContext(skills)].filter(Boolean).join('\n\n') },
  ];
  const feedbackKinds = tier.interaction === 'multi-turn' ? tier.feedback : ['output'];
  const maxTurns = options.agent === 'single-turn' ? 1 : Math.max(1, options.maxTurns ?? 4);
  const layout = WORKCELLS[task.workcell];
  const turns: AgentTurnRecord[] = [];
  // One Python process for the whole episode: the namespace persists between turns, and its
  // start-up overlaps the first model call.
  const newSession = (): PolicySession => new PolicySession({ api: apiForTier(tier), memoryBytes: policyLimits(task.timeLimitS * 1000, options.limits).memoryBytes });
  let session = newSession();
  let restartNote = '';
  let lastPolicy: PolicyResult | null = null;
  let lastCode: string | null = null;
  let lastReason = '';

  try {
    for (let index = 0; index < maxTurns && !signal?.aborted; index += 1) {
      const turnStarted = performance.now();
      const decision = await decide(options, messages, index);
      let simMs = decision.rehearsalMs;
      const record = (fields: { decision: TurnDecision; code: string | null; policy: PolicyResult | null; feedback: string | null }): void => {
        const modelMs = decision.modelMs;
        const turn: AgentTurnRecord = {
          index,
          decision: fields.decision,
          code: fields.code,
          responseText: decision.responseText,
          candidates: decision.candidates,
          policy: fields.policy ? { status: fields.policy.status, reason: fields.policy.reason } : null,
          feedback: fields.feedback,
          usage: decision.usage,
          costUsd: decision.costUsd,
          modelMs,
          simMs,
          hostMs: Math.max(0, performance.now() - turnStarted - modelMs - simMs),
        };
        turns.push(turn);
        options.onAgentEvent?.({ kind: 'turn', turn });
      };
      const answer = decision.answer;
      if (answer.kind === 'finish' && lastPolicy) {
        record({ decision: 'finish', code: null, policy: null, feedback: null });
        break;
      }
      if (answer.kind !== 'program') {
        lastReason = answer.kind === 'finish' ? 'the model said FINISH before running any program' : answer.reason;
        const feedback = `${lastReason}. Answer with a complete program in one \`\`\`python block.`;
        const last = index === maxTurns - 1;
        record({ decision: decision.error ? 'model-error' : 'no-code', code: null, policy: null, feedback: last ? null : feedback });
        if (decision.error && signal?.aborted) break;
        messages.push({ role: 'assistant', content: decision.responseText || '(empty answer)' }, { role: 'user', content: feedback });
        continue;
      }
      options.onAgentEvent?.({ kind: 'program', turn: index, code: answer.code });
      if (!session.alive) {
        await session.dispose();
        session = newSession();
        restartNote = 'The Python process was restarted before this program: variables and functions from earlier programs are gone.';
      }
      // Simulation time: the simulator serving the program's calls, perception, camera images.
      const timed = async <T>(work: () => Promise<T>): Promise<T> => {
        const t0 = performance.now();
        try {
          return await work();
        } finally {
          simMs += performance.now() - t0;
        }
      };
      const before = feedbackKinds.includes('visual-diff') ? await timed(() => perceive(backend, task)) : null;
      const events: PolicyEvent[] = [];
      const policy = await runSupervised({
        backend,
        programSource: answer.code,
        programName: `turn-${index + 1}.py`,
        tier,
        arms: layout.arms.map((arm) => arm.name),
        workspace: layout.workspace,
        limits: policyLimits(task.timeLimitS * 1000, options.limits),
        onEvent: (event) => {
          events.push(event);
          if (event.kind === 'api-call') simMs += event.durationMs;
          options.onPolicyEvent?.(event);
        },
        session,
        ...(signal ? { signal } : {}),
        ...(prelude ? { prelude } : {}),
        ...(options.onPolicyRun ? { onPolicyRun: options.onPolicyRun } : {}),
      });
      lastPolicy = policy;
      lastCode = answer.code;
      const sceneChange = before ? describeSceneChange(before, await timed(() => perceive(backend, task))) : undefined;
      const text = (restartNote ? `${restartNote}\n\n` : '') + executionFeedback({ code: answer.code, policy, events, ...(sceneChange ? { sceneChange } : {}) });
      restartNote = '';
      const wantImages = feedbackKinds.includes('images') && options.models[0]!.acceptsImages;
      const images = wantImages ? await timed(() => cameraImages(backend, layout.cameras.map((c) => c.name))) : [];
      const single = options.agent === 'single-turn' || index === maxTurns - 1 || policy.status === 'cancelled';
      record({ decision: 'run', code: answer.code, policy, feedback: single ? null : text });
      if (single) break;
      messages.push({ role: 'assistant', content: decision.responseText }, { role: 'user', content: images.length ? [{ type: 'text', text }, ...images] : text });
    }
  } finally {
    await session.dispose();
  }
  const verdict = await verdictOf(options, lastPolicy, lastReason);
  const robotSeconds = (await backend.state()).timeS;
  const policy = lastPolicy ?? notRun(lastReason);
  return {
    outcome: { taskId: task.id, seed: options.seed, ...verdict, wallSeconds: (performance.now() - started) / 1000, robotSeconds, policy },
    turns,
    finalProgram: lastCode,
    skillsOffered: skills.map((s) => s.name),
  };
}

function decide(options: AgentTrialOptions, messages: readonly ChatMessage[], turn: number): Promise<Decision> {
  const base = {
    messages,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.modelTimeoutMs ? { timeoutMs: options.modelTimeoutMs } : {}),
    onDelta: (text: string) => options.onAgentEvent?.({ kind: 'model-delta', turn, text }),
  };
  if (options.agent !== 'agent0') {
    options.onAgentEvent?.({ kind: 'model-call', turn, role: 'program', count: 1 });
    return decideSingle(options.models[0]!, base);
  }
  const count = options.candidates ?? 9;
  options.onAgentEvent?.({ kind: 'model-call', turn, role: 'candidate', count });
  const twin = options.rehearsalBackend;
  const rehearse: Rehearse | undefined = twin ? (code) => rehearseOnTwin(options, twin, code) : undefined;
  return decideAgent0(options.models, { ...base, candidates: count, ...(rehearse ? { rehearse } : {}) });
}

/**
 * Rehearsal: the twin is rebuilt from what perception reports in the trial's scene now (the
 * estimated poses, never its ground truth), from a different seed for everything unseen; the
 * program runs there and the twin's own check says how it went.
 */
async function rehearseOnTwin(options: AgentTrialOptions, twin: SimBackend, code: string): Promise<{ status: string; reason: string }> {
  const estimates = await perceive(options.backend, options.task);
  await twin.rebuild(options.seed ^ 0x5a5a5a, estimates, 'perception');
  twin.resume();
  const layout = WORKCELLS[options.task.workcell];
  const policy = await runSupervised({
    backend: twin,
    programSource: code,
    programName: 'rehearsal.py',
    tier: options.tier,
    arms: layout.arms.map((arm) => arm.name),
    workspace: layout.workspace,
    limits: policyLimits(options.task.timeLimitS * 1000, options.limits),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const verdict = await judge(policy, twin, options.signal);
  return { status: verdict.status, reason: verdict.reason };
}

/** Object poses as perception (or, at privileged tiers, the simulator) reports them. */
export async function perceive(backend: SimBackend, task: TaskDefinition): Promise<SceneSnapshot> {
  const spec = findApiFunction('get_object_pose')!;
  const snapshot: Record<string, WorldPose | null> = {};
  for (const name of task.objects.flatMap(objectInstanceNames)) {
    try {
      const [positionM, quatWxyz] = (await backend.invoke({ fn: spec.name, spec, args: { name } })) as [WorldPose['positionM'], WorldPose['quatWxyz']];
      snapshot[name] = { positionM, quatWxyz };
    } catch {
      snapshot[name] = null;
    }
  }
  return snapshot;
}

async function cameraImages(backend: SimBackend, cameras: readonly string[]): Promise<ContentPart[]> {
  const parts: ContentPart[] = [];
  for (const camera of cameras) {
    const frame = await backend.render(camera, 320, 240);
    const png = encodePng(frame.rgb, frame.intrinsics.widthPx, frame.intrinsics.heightPx, 3);
    parts.push({ type: 'text', text: `Camera '${camera}' after the program:` }, { type: 'image', mediaType: 'image/png', dataBase64: png.toString('base64') });
  }
  return parts;
}

/** The verdict: single-turn as a plain trial; multi-turn by the scene at the end. */
async function verdictOf(
  options: AgentTrialOptions,
  lastPolicy: PolicyResult | null,
  lastReason: string,
): Promise<{ status: TrialOutcome['status']; success: boolean; reason: string }> {
  if (options.signal?.aborted) return { status: 'cancelled', success: false, reason: 'stopped by operator' };
  if (!lastPolicy) return { status: 'error', success: false, reason: `no program ran: ${lastReason}` };
  if (options.agent === 'single-turn' || lastPolicy.status === 'cancelled' || lastPolicy.status === 'timeout') {
    return judge(lastPolicy, options.backend, options.signal);
  }
  // Multi-turn: the task is judged on the scene the last turn left, whatever the last program did.
  const check = await options.backend.evaluate();
  const note = lastPolicy.status === 'completed' ? '' : ` (last program: ${lastPolicy.reason})`;
  return { status: check.success ? 'success' : 'failure', success: check.success, reason: check.reason + note };
}

function notRun(reason: string): PolicyResult {
  return { status: 'exception', reason: `no program ran: ${reason}`, exception: null, stdout: '', stderr: '', terminal: '', wallMs: 0, exitCode: null, signal: null };
}
