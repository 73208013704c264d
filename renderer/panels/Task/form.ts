/** The Task form as a pure reducer, and the check that turns it into a run request. */
import { AGENTS, ROBOTS, TIERS, type TaskForm, type TaskFormAction } from './types.ts';
import { isModelName } from '../../../shared/model.ts';

/** A fresh form. */
export const INITIAL_TASK_FORM: TaskForm = { mode: 'bench', taskId: '', text: '', robot: 'sim', agent: 'expert', model: '', tier: 'S1', seed: '0', camera: '' };

/** Tiers whose calls a calibrated camera answers. */
const PERCEPTION_TIERS: readonly string[] = ['S2', 'S3', 'S4', 'M1', 'M2', 'M3', 'M4'];

const isOneOf = <T extends string>(options: readonly T[], value: string): value is T => (options as readonly string[]).includes(value);

/** Apply one edit; unknown option values leave the form as it was. */
export function taskFormReducer(form: TaskForm, action: TaskFormAction): TaskForm {
  switch (action.type) {
    case 'set':
      return { ...form, [action.field]: action.value };
    case 'mode':
      return { ...form, mode: action.value };
    case 'robot':
      return isOneOf(ROBOTS, action.value) ? { ...form, robot: action.value } : form;
    case 'agent':
      return isOneOf(AGENTS, action.value) ? { ...form, agent: action.value } : form;
    case 'tier':
      return isOneOf(TIERS, action.value) ? { ...form, tier: action.value } : form;
    case 'tasks-loaded':
      return action.taskIds.includes(form.taskId) || action.taskIds.length === 0 ? form : { ...form, taskId: action.taskIds[0]! };
  }
}

/** What `runs.start` gets. */
export interface TaskRunRequest {
  readonly taskId: string;
  readonly instruction?: string;
  readonly agent: string;
  readonly model?: string;
  readonly tier: TaskForm['tier'];
  readonly seed: number;
  readonly robot: TaskForm['robot'];
  readonly camera?: string;
}

/** The request, or the first thing the operator must fix. */
export function taskRunRequest(form: TaskForm): { ok: true; request: TaskRunRequest } | { ok: false; error: string } {
  if (!form.taskId) return { ok: false, error: 'Pick a task (free text runs in the chosen task’s workcell).' };
  if (form.robot !== 'sim') return armRunRequest(form);
  if (!/^\d+$/.test(form.seed.trim())) return { ok: false, error: `Seed must be a whole number ≥ 0, not "${form.seed}".` };
  const text = form.text.trim();
  if (form.mode === 'text' && !text) return { ok: false, error: 'Write the task, or switch to a bench task.' };
  if (form.mode === 'text' && form.agent === 'expert') return { ok: false, error: 'The expert only runs bench tasks; choose an agent for free text.' };
  const model = form.model.trim();
  if (form.agent !== 'expert' && !isModelName(model)) {
    return { ok: false, error: `Agent ${form.agent} needs a model as provider:model (e.g. openai:gpt-4o).` };
  }
  return {
    ok: true,
    request: {
      taskId: form.taskId,
      ...(form.mode === 'text' ? { instruction: text } : {}),
      agent: form.agent,
      ...(form.agent === 'expert' ? {} : { model }),
      tier: form.tier,
      seed: Number(form.seed.trim()),
      robot: form.robot,
    },
  };
}

/**
 * A run on a connected arm: without a camera its expert program (twin first, then the arm if the
 * operator armed it); with its calibrated camera also a coding agent at a perception tier, each
 * program rehearsed on a twin rebuilt from the camera and approved before the arm moves.
 */
function armRunRequest(form: TaskForm): { ok: true; request: TaskRunRequest } | { ok: false; error: string } {
  if (form.mode === 'text') return { ok: false, error: `The ${form.robot} runs bench tasks; free text runs on the sim workcell.` };
  const camera = form.camera.trim();
  if (!camera) {
    if (form.agent !== 'expert') return { ok: false, error: `An agent on the ${form.robot} needs its calibrated camera: choose one (each program is rehearsed on a twin rebuilt from it).` };
    return { ok: true, request: { taskId: form.taskId, agent: 'expert', tier: form.tier, seed: 0, robot: form.robot } };
  }
  if (form.agent === 'expert') return { ok: true, request: { taskId: form.taskId, agent: 'expert', tier: form.tier, seed: 0, robot: form.robot, camera } };
  const model = form.model.trim();
  if (!isModelName(model)) return { ok: false, error: `Agent ${form.agent} needs a model as provider:model (e.g. openai:gpt-4o).` };
  if (!PERCEPTION_TIERS.includes(form.tier)) return { ok: false, error: `Tier ${form.tier} has no camera calls: choose S2–S4 or M1–M4 for the camera.` };
  return { ok: true, request: { taskId: form.taskId, agent: form.agent, model, tier: form.tier, seed: 0, robot: form.robot, camera } };
}
