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
 * The full prompt text for one task at one tier; functions that need a configured server
 * (`run_vla`) appear only when `offer` has one.
 */
export function renderPrompt(task: TaskDefinition, tier: TierSettings, offer: ApiOffer = {}): string {
  const layout = WORKCELLS[task.workcell];
  const arms = layout.arms.map((a) => `'${a.name}'`).join(' and ');
  const grounding =
    tier.grounding === 'privileged'
      ? 'Object poses come from the simulator (ground truth).'
      : `Objects must be found in the camera images (${layout.cameras.map((c) => `'${c.name}'`).join(', ')}); estimates have errors of a few millimetres.`;
  const interaction =
    tier.interaction === 'single-turn'
      ? 'You have one attempt: write one complete program.'
      : `After each program you will see ${tier.feedback.map((f) => FEEDBACK_TEXT[f]).join('; ')}. ` +
        'Answer with a new program, or with FINISH when the task is done. The scene is not reset between programs.';
  return [
    `# Task: ${task.title}`,
    task.instruction,
    `## Setting (tier ${tier.id}: ${tier.description})`,
    `Workcell: ${layout.id}, with ${layout.arms.length === 1 ? 'one Panda arm' : 'two Panda arms'} (${arms}). ` +
      'World frame: origin at the (left) robot base on the table top, z up, metres; quaternions [w, x, y, z].',
    grounding,
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
