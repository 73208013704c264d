/**
 * Skills: a successful program distilled into a named, documented Python function; tried on
 * fresh seeds before it is promoted; offered to later tasks as callable functions (a prelude run
 * in the policy's namespace) and as prompt context chosen by relevance (FTS5 search).
 */
import type { TierSettings } from '../../../shared/api/tiers.ts';
import type { ModelProvider, TokenUsage } from '../../../shared/model.ts';
import { NO_USAGE } from '../../../shared/agent.ts';
import type { TrialOutcome } from '../../../shared/run.ts';
import type { TaskDefinition } from '../../../shared/tasks.ts';
import type { SimBackend } from '../../../native/sim/sim-backend.ts';
import type { Skill, SkillDraft, SkillStore } from '../storage/skill-store.ts';
import { runTrial, type TrialOptions } from '../trials/trial.ts';
import { readAnswer } from './answer.ts';

/** File name skills have in tracebacks. */
export const SKILLS_FILE = 'skills.py';
const MAIN_GUARD = /^if __name__ == ['"]__main__['"]:\s*$/m;

/** The parts of a distilled skill, before provenance is added. */
export type SkillText = Pick<SkillDraft, 'name' | 'description' | 'signature' | 'source' | 'example'>;

/** Python identifier for a task id: `cube-lift` → `cube_lift`. */
export function skillNameFor(taskId: string): string {
  return taskId.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1');
}

/**
 * Read a skill from Python source: the first top-level function is the skill; an
 * `if __name__ == '__main__':` block, if any, is its example call (removed from the source).
 */
export function parseSkillSource(text: string): SkillText {
  const guard = MAIN_GUARD.exec(text);
  const source = (guard ? text.slice(0, guard.index) : text).trimEnd() + '\n';
  const example = guard ? dedent(text.slice(guard.index + guard[0].length)).trim() : '';
  const def = /^def ([A-Za-z_][A-Za-z0-9_]*)\(([^)]*)\)/m.exec(source);
  if (!def) throw new Error('the skill has no top-level function (def name(...):)');
  const name = def[1] as string;
  const docstring = /^def [^\n]+\n\s+(?:"""|''')([\s\S]*?)(?:"""|''')/m.exec(source.slice(def.index));
  const description = docstring?.[1]?.trim() ?? '';
  if (!description) throw new Error(`the skill ${name}() has no docstring`);
  return { name, description, signature: `${name}(${(def[2] ?? '').trim()})`, source, example: example || `${name}()` };
}

/** Distil without a model: the program becomes the body of a function named after the task. */
export function wrapProgramAsSkill(task: TaskDefinition, program: string): SkillText {
  const name = skillNameFor(task.id);
  const body = program.trimEnd().split('\n').map((line) => (line.trim() ? `    ${line}` : '')).join('\n');
  const doc = `${task.instruction.replace(/"""/g, "'''")}\n\n    Distilled from a successful ${task.id} program; takes no arguments.`;
  return parseSkillSource(`def ${name}():\n    """${doc}\n    """\n${body}\n`);
}

/** The request that asks a model to distil a program into a skill. */
export function distillationPrompt(task: TaskDefinition, program: string): string {
  return [
    '# Distil a skill',
    `This program achieved the task "${task.title}": ${task.instruction}`,
    '```python',
    program.trimEnd(),
    '```',
    'Rewrite it as ONE reusable Python function with a descriptive snake_case name, parameters for what ' +
      'varies between tasks (object names, heights, arm), sensible defaults, and a docstring that says what it ' +
      'does, its parameters with units, and what it returns. Use only the robot API the program uses. After the ' +
      "function, add an `if __name__ == '__main__':` block with the one call that performs this task.",
    'Answer with one ```python block.',
  ].join('\n');
}

/** Distil a successful program: by the model when one is given (falling back to wrapping). */
export async function distilSkill(
  task: TaskDefinition,
  program: string,
  provider: ModelProvider | null,
  signal?: AbortSignal,
): Promise<{ skill: SkillText; usage: TokenUsage; by: 'model' | 'wrap'; note: string }> {
  if (!provider) return { skill: wrapProgramAsSkill(task, program), usage: NO_USAGE, by: 'wrap', note: 'no model' };
  const response = await provider.complete(
    { messages: [{ role: 'user', content: distillationPrompt(task, program) }], temperature: 0.2 },
    signal ? { signal } : {},
  );
  const answer = readAnswer(response.text);
  try {
    if (answer.kind !== 'program') throw new Error('the answer had no program');
    return { skill: parseSkillSource(answer.code), usage: response.usage, by: 'model', note: 'distilled by the model' };
  } catch (error) {
    return { skill: wrapProgramAsSkill(task, program), usage: response.usage, by: 'wrap', note: `model distillation unusable (${(error as Error).message})` };
  }
}

/** Python that defines the skills (their sources, one after another). */
export function skillPrelude(skills: readonly Skill[]): { source: string; fileName: string } | undefined {
  if (skills.length === 0) return undefined;
  return { source: skills.map((s) => `# skill ${s.name} v${s.version}\n${s.source}`).join('\n\n'), fileName: SKILLS_FILE };
}

/** Prompt text that offers the skills. */
export function skillContext(skills: readonly Skill[]): string {
  if (skills.length === 0) return '';
  return [
    '## Skills (already defined as globals; call them, do not redefine them)',
    'These functions worked in earlier tasks:',
    '```python',
    ...skills.map((s) => `def ${s.signature}:\n    """${s.description}"""\n`),
    '```',
  ].join('\n');
}

/** Promoted skills relevant to a task (full-text search over name, docstring and source). */
export function relevantSkills(store: SkillStore, task: TaskDefinition, limit = 3): Skill[] {
  return store.search(`${task.title} ${task.instruction}`, { status: 'promoted', limit });
}

/** What trying a skill needs. */
export interface SkillTrialOptions {
  readonly store: SkillStore;
  readonly name: string;
  readonly task: TaskDefinition;
  readonly tier: TierSettings;
  readonly backend: SimBackend;
  readonly seed: number;
  readonly purpose: 'promotion' | 'test';
  readonly signal?: AbortSignal;
  /** Observers of the trial (the console's trace, twin and terminal). */
  readonly observe?: Pick<TrialOptions, 'onEvent' | 'onReady' | 'onPolicyRun' | 'limits'>;
}

/** Run the skill's example call on a seed of its task and record the trial. */
export async function trySkill(options: SkillTrialOptions): Promise<TrialOutcome> {
  const skill = options.store.get(options.name);
  if (!skill) throw new Error(`no skill named ${options.name}`);
  const outcome = await runTrial({
    task: options.task,
    seed: options.seed,
    tier: options.tier,
    backend: options.backend,
    programSource: `${skill.example}\n`,
    programName: `${skill.name}-example.py`,
    prelude: skillPrelude([skill])!,
    ...(options.signal ? { signal: options.signal } : {}),
    ...options.observe,
  });
  options.store.recordTrial(skill.name, {
    purpose: options.purpose,
    task: options.task.id,
    seed: options.seed,
    success: outcome.success,
    reason: outcome.reason,
  });
  return outcome;
}

/** Try a candidate skill on fresh seeds; promote it when every trial succeeds, else reject it. */
export async function promoteSkill(options: Omit<SkillTrialOptions, 'seed' | 'purpose'> & { seeds: readonly number[] }): Promise<{ promoted: boolean; outcomes: TrialOutcome[] }> {
  const outcomes: TrialOutcome[] = [];
  for (const seed of options.seeds) {
    const outcome = await trySkill({ ...options, seed, purpose: 'promotion' });
    outcomes.push(outcome);
    if (!outcome.success) break;
  }
  const promoted = outcomes.length === options.seeds.length && outcomes.every((o) => o.success);
  options.store.setStatus(options.name, promoted ? 'promoted' : 'rejected');
  return { promoted, outcomes };
}

function dedent(text: string): string {
  const lines = text.split('\n');
  const indents = lines.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}
