/** The Bench form reducer, its check, and how progress reads for the operator. */
import { BENCH_AGENTS, type BenchForm, type BenchFormAction } from './types.ts';
import { isModelName } from '../../../shared/model.ts';

/** One task, S1, 5 trials, 1 worker, the expert (the naive baseline alike; a model-driven agent after the expert baseline). */
export const INITIAL_BENCH_FORM: BenchForm = { taskIds: [], tiers: ['S1'], trials: '5', workers: '1', seed: '1000', agent: 'expert', model: '', baseline: true };

const toggle = <T>(list: readonly T[], item: T): readonly T[] => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);

/** Apply one edit. */
export function benchFormReducer(form: BenchForm, action: BenchFormAction): BenchForm {
  switch (action.type) {
    case 'toggle-task':
      return { ...form, taskIds: toggle(form.taskIds, action.taskId) };
    case 'all-tasks':
      return { ...form, taskIds: form.taskIds.length === action.taskIds.length ? [] : [...action.taskIds] };
    case 'toggle-tier':
      return { ...form, tiers: toggle(form.tiers, action.tier) };
    case 'set':
      return { ...form, [action.field]: action.value };
    case 'agent':
      return (BENCH_AGENTS as readonly string[]).includes(action.value) ? { ...form, agent: action.value as BenchForm['agent'] } : form;
    case 'toggle-baseline':
      return { ...form, baseline: !form.baseline };
  }
}

const whole = (text: string, name: string, min: number, max: number): number | string => {
  const value = Number(text.trim());
  return /^\d+$/.test(text.trim()) && value >= min && value <= max ? value : `${name} must be a whole number from ${min} to ${max}, not "${text}".`;
};

/** What `bench.start` gets (the agent's fields only for a model-driven agent). */
export interface BenchRequest {
  taskIds: string[];
  tiers: BenchForm['tiers'][number][];
  trials: number;
  workers: number;
  seed: number;
  agent?: Exclude<BenchForm['agent'], 'expert'>;
  model?: string;
  baseline?: boolean;
}

/** The `bench.start` request, or what to fix. */
export function benchRequest(form: BenchForm): { ok: true; request: BenchRequest } | { ok: false; error: string } {
  if (form.taskIds.length === 0) return { ok: false, error: 'Pick at least one task.' };
  if (form.tiers.length === 0) return { ok: false, error: 'Pick at least one tier.' };
  const trials = whole(form.trials, 'Trials', 1, 1000);
  const workers = whole(form.workers, 'Workers', 1, 8);
  const seed = whole(form.seed, 'Seed', 0, Number.MAX_SAFE_INTEGER);
  for (const value of [trials, workers, seed]) if (typeof value === 'string') return { ok: false, error: value };
  const matrix = { taskIds: [...form.taskIds], tiers: [...form.tiers], trials: trials as number, workers: workers as number, seed: seed as number };
  if (form.agent === 'expert') return { ok: true, request: matrix };
  // The naive baseline runs its shipped programs as the expert does: no model, no expert phase.
  if (form.agent === 'baseline') return { ok: true, request: { ...matrix, agent: 'baseline' } };
  const model = form.model.trim();
  if (!isModelName(model)) return { ok: false, error: `Agent ${form.agent} needs a model as provider:model (pick one the Models panel found).` };
  return { ok: true, request: { ...matrix, agent: form.agent, model, baseline: form.baseline } };
}

/** "1 min 05 s" style, for time left. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  if (minutes === 0) return `${rest} s`;
  if (minutes < 60) return `${minutes} min ${String(rest).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}
