/** The Task panel's form: what the operator fills in before starting a run. */
import { ROBOTS as CONTRACT_ROBOTS, TIER_IDS } from '../../../shared/ipc/vocabulary.ts';

/** Agents the console offers; `expert` runs the task's reference program. */
export const AGENTS = ['expert', 'single-turn', 'multi-turn', 'agent0'] as const;
/** One of `AGENTS`. */
export type AgentKind = (typeof AGENTS)[number];

/** Robots from the contract (the sim workcell, connected arms when the contract lists them). */
export const ROBOTS = CONTRACT_ROBOTS;
/** Tiers S1–S4, M1–M4. */
export const TIERS = TIER_IDS;

/** The form. `mode` says whether a bench task or free text is run. */
export interface TaskForm {
  readonly mode: 'bench' | 'text';
  readonly taskId: string;
  /** Free-text task for agents (run in the chosen task's workcell). */
  readonly text: string;
  readonly robot: (typeof ROBOTS)[number];
  readonly agent: AgentKind;
  /** `provider:model` for model-driven agents. */
  readonly model: string;
  readonly tier: (typeof TIERS)[number];
  /** Kept as typed so a half-typed number is not lost; validated on start. */
  readonly seed: string;
  /** A real arm's calibrated camera (a network camera's name); empty: none. */
  readonly camera: string;
}

/** Form edits. */
export type TaskFormAction =
  | { readonly type: 'set'; readonly field: 'taskId' | 'text' | 'model' | 'seed' | 'camera'; readonly value: string }
  | { readonly type: 'mode'; readonly value: TaskForm['mode'] }
  | { readonly type: 'robot'; readonly value: string }
  | { readonly type: 'agent'; readonly value: string }
  | { readonly type: 'tier'; readonly value: string }
  | { readonly type: 'tasks-loaded'; readonly taskIds: readonly string[] };
