/** The skill library: search, one skill's code, save, test on a fresh seed, delete. */
import { create } from 'zustand';
import type { z } from 'zod';
import type { Skill, SkillSummary } from '../../shared/ipc/contract.ts';
import { getCaplab } from '../ipc/client.ts';
import { describeError } from './errors.ts';

interface SkillsStore {
  readonly skills: readonly z.output<typeof SkillSummary>[];
  readonly selected: z.output<typeof Skill> | null;
  readonly error: string | null;
  /** The last action's outcome (saved, deleted, test run started). */
  readonly notice: string | null;
  readonly testRunId: number | null;
}

export const useSkills = create<SkillsStore>(() => ({ skills: [], selected: null, error: null, notice: null, testRunId: null }));

export const selectSkills = (s: SkillsStore): SkillsStore['skills'] => s.skills;
export const selectSelectedSkill = (s: SkillsStore): SkillsStore['selected'] => s.selected;
export const selectSkillsError = (s: SkillsStore): string | null => s.error;
export const selectSkillsNotice = (s: SkillsStore): string | null => s.notice;

let generation = 0;

async function attempt(work: () => Promise<Partial<SkillsStore>>): Promise<boolean> {
  try {
    useSkills.setState({ ...(await work()), error: null });
    return true;
  } catch (error) {
    useSkills.setState({ error: describeError(error), notice: null });
    return false;
  }
}

/** A seed nobody chose: the skill is tested where it has not been tuned. */
export function freshSeed(random: () => number = Math.random): number {
  return Math.floor(random() * 1_000_000);
}

export const skillsActions = {
  /** List (empty query) or full-text search; late answers to older queries are dropped. */
  async search(query: string): Promise<void> {
    generation += 1;
    const mine = generation;
    const api = getCaplab();
    const trimmed = query.trim();
    await attempt(async () => {
      const skills = trimmed ? await api.skills.search({ query: trimmed }) : await api.skills.list({});
      return mine === generation ? { skills } : {};
    });
  },

  open(name: string): Promise<boolean> {
    return attempt(async () => ({ selected: await getCaplab().skills.get({ name }), notice: null }));
  },

  save(name: string, source: string, description: string): Promise<boolean> {
    return attempt(async () => {
      const selected = await getCaplab().skills.update({ name, source, description });
      return { selected, notice: `Saved ${name} as version ${selected.version}.` };
    });
  },

  test(name: string): Promise<boolean> {
    const seed = freshSeed();
    return attempt(async () => {
      const { runId } = await getCaplab().skills.test({ name, seed });
      return { testRunId: runId, notice: `Testing ${name} on seed ${seed}: run ${runId} (see Task, Code and Runs).` };
    });
  },

  remove(name: string): Promise<boolean> {
    return attempt(async () => {
      await getCaplab().skills.delete({ name });
      return { selected: null, skills: useSkills.getState().skills.filter((s) => s.name !== name), notice: `Deleted ${name}.` };
    });
  },
} as const;
