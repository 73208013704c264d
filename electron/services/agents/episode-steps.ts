/**
 * The steps of an agent episode that do not keep its state: asking the model (agent0's candidates
 * rehearsed on a scene rebuilt from perception), what the scene looks like to the agent (object
 * poses, camera images), and the verdict at the end.
 */
import { findApiFunction } from '../../../shared/api/spec.ts';
import type { ChatMessage, ContentPart } from '../../../shared/model.ts';
import type { WorldPose } from '../../../shared/robot.ts';
import type { PolicyResult, TrialOutcome } from '../../../shared/run.ts';
import { objectInstanceNames, type TaskDefinition } from '../../../shared/tasks.ts';
import { WORKCELLS } from '../../../shared/workcells.ts';
import { policyLimits } from '../../../native/runtime/policy-limits.ts';
import { encodePng } from '../../../native/sim/png.ts';
import type { SimBackend } from '../../../native/sim/sim-backend.ts';
import { runSupervised } from '../supervision/supervised-run.ts';
import { judge } from '../trials/trial.ts';
import { decideAgent0, decideSingle, type Decision, type Rehearse } from './decide.ts';
import type { AgentTrialOptions } from './episode.ts';
import type { SceneSnapshot } from './scene-change.ts';
/** Ask the model(s) for this turn's answer: one program, or agent0's candidates rehearsed and synthesised. */
export function decide(options: AgentTrialOptions, messages: readonly ChatMessage[], turn: number): Promise<Decision> {
  const twin = options.rehearsalBackend;
  return decideTurn(options, messages, turn, twin ? (code) => rehearseOnTwin(options, twin, code) : undefined);
}

/** What asking the model(s) needs, wherever the programs run. */
export type DecideSettings = Pick<AgentTrialOptions, 'agent' | 'models' | 'signal' | 'modelTimeoutMs' | 'onAgentEvent' | 'candidates'>;

/** Ask for turn `turn`'s answer: one model's program, or agent0's candidates (each tried by `rehearse` when given) and their synthesis. */
export function decideTurn(options: DecideSettings, messages: readonly ChatMessage[], turn: number, rehearse?: Rehearse): Promise<Decision> {
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

/** The cameras' images after a program, as content parts for a vision model. */
export async function cameraImages(backend: SimBackend, cameras: readonly string[]): Promise<ContentPart[]> {
  const parts: ContentPart[] = [];
  for (const camera of cameras) {
    const frame = await backend.render(camera, 320, 240);
    const png = encodePng(frame.rgb, frame.intrinsics.widthPx, frame.intrinsics.heightPx, 3);
    parts.push({ type: 'text', text: `Camera '${camera}' after the program:` }, { type: 'image', mediaType: 'image/png', dataBase64: png.toString('base64') });
  }
  return parts;
}

/** The verdict: single-turn as a plain trial; multi-turn by the scene at the end. */
export async function verdictOf(
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

/** The policy result of an episode in which no program ran. */
export function notRun(reason: string): PolicyResult {
  return { status: 'exception', reason: `no program ran: ${reason}`, exception: null, stdout: '', stderr: '', terminal: '', wallMs: 0, exitCode: null, signal: null };
}
