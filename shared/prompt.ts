/**
 * The prompt a coding agent gets for a task at a tier: the instruction, what the tier allows,
 * and the API documentation rendered from the spec (so the prompt never disagrees with the
 * runtime). Multi-turn tiers add how feedback will arrive.
 */
import { renderApiDocs } from './api/docs.ts';
import { apiForTier, type ApiOffer, type TierSettings } from './api/tiers.ts';
import type { TaskDefinition } from './tasks.ts';
import { WORKCELLS } from './workcells.ts';

const FEEDBACK_TEXT: Readonly<Record<string, string>> = {
  output: 'the program, its stdout and stderr, and the traceback with the failing line',
  images: 'the camera images after the program ran',
  'visual-diff': 'a description of what changed in the scene (objects that moved, by how much, what is on what)',
};

/**
 * Where the program runs when it is not the task's simulated workcell: a connected arm, said in
 * words (the robot and its frame, how objects are seen, what the safety supervisor allows).
 */
export interface PromptSetting {
  /** The robot and its frame: "An SO-101 arm … World frame: …". */
  readonly robot: string;
  /** How objects are found. */
  readonly grounding: string;
  /** Anything else the program must know (limits, rehearsal). */
  readonly notes?: readonly string[];
}

/**
 * The full prompt text for one task at one tier; functions that need a configured server
 * (`run_vla`) appear only when `offer` has one. `setting` replaces the workcell's description
 * (a connected arm's).
 */
export function renderPrompt(task: TaskDefinition, tier: TierSettings, offer: ApiOffer = {}, setting?: PromptSetting): string {
  const layout = WORKCELLS[task.workcell];
  const arms = layout.arms.map((a) => `'${a.name}'`).join(' and ');
  const grounding =
    setting?.grounding ??
    (tier.grounding === 'privileged'
      ? 'Object poses come from the simulator (ground truth).'
      : `Objects must be found in the camera images (${layout.cameras.map((c) => `'${c.name}'`).join(', ')}); estimates have errors of a few millimetres.`);
  const interaction =
    tier.interaction === 'single-turn'
      ? 'You have one attempt: write one complete program.'
      : `After each program you will see ${tier.feedback.map((f) => FEEDBACK_TEXT[f]).join('; ')}. ` +
        'Answer with a new program, or with FINISH when the task is done. The scene is not reset between programs.';
  return [
    `# Task: ${task.title}`,
    task.instruction,
    `## Setting (tier ${tier.id}: ${tier.description})`,
    setting?.robot ??
      `Workcell: ${layout.id}, with ${layout.arms.length === 1 ? 'one Panda arm' : 'two Panda arms'} (${arms}). ` +
        'World frame: origin at the (left) robot base on the table top, z up, metres; quaternions [w, x, y, z].',
    grounding,
    ...(setting?.notes ?? []),
    interaction,
    'Write plain Python 3 (standard library only). The functions below are already defined as globals; ' +
      'do not import them and do not call input(). Errors raise Python exceptions that say what to fix.',
    '## Robot API',
    '```python',
    renderApiDocs(apiForTier(tier, offer)),
    '```',
    'Answer with the program in one ```python code block.',
  ].join('\n\n');
}
