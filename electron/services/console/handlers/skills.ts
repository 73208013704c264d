/** The `skills` channels: list, search, read, edit (a new version), delete and test a skill. */
import type { z } from 'zod';
import type { Skill as SkillSchema, SkillSummary } from '../../../../shared/ipc/contract.ts';
import type { Handlers } from '../../../../shared/ipc/dispatch.ts';
import { IpcError } from '../../../../shared/ipc/errors.ts';
import { skillTestJob } from '../../runs/run-jobs.ts';
import type { RunService } from '../../runs/run-service.ts';
import type { Skill, SkillStore } from '../../storage/skill-store.ts';

/** Handlers of `skills`. */
export function skillHandlers(skills: SkillStore, runs: RunService): Pick<Handlers, 'skills'> {
  return {
    skills: {
      list: () => skills.list().map(skillSummary),
      search: ({ query }) => skills.search(query, { limit: 50 }).map(skillSummary),
      get: ({ name }) => skillDetail(skillOrNotFound(skills, name)),
      update: ({ name, source, description }) => skillDetail(updateSkill(skills, name, source, description)),
      delete: ({ name }) => {
        if (!skills.delete(name)) throw new IpcError('not_found', `no skill named ${name}`);
        return { ok: true };
      },
      test: async ({ name, seed }) => ({ runId: await runs.start(skillTestJob(skills, name, seed ?? freshSeed())) }),
    },
  };
}

function skillOrNotFound(skills: SkillStore, name: string): Skill {
  const skill = skills.get(name);
  if (!skill) throw new IpcError('not_found', `no skill named ${name}`);
  return skill;
}

/** A new version of a skill (or a new skill) from edited source. */
function updateSkill(skills: SkillStore, name: string, source: string, description: string | undefined): Skill {
  const existing = skills.get(name);
  const signature = new RegExp(`def\\s+(${name}\\s*\\([^)]*\\))`).exec(source)?.[1]?.replace(/\s+/g, ' ');
  if (!signature) throw new IpcError('invalid_request', `the source must define ${name}()`, `def ${name}(...): with a docstring`);
  try {
    return skills.save({
      name,
      description: description ?? existing?.description ?? '',
      signature,
      source,
      example: existing?.example ?? `${name}()`,
      ...(existing?.task ? { task: existing.task } : {}),
      ...(existing?.model ? { model: existing.model } : {}),
    });
  } catch (error) {
    throw new IpcError('invalid_request', (error as Error).message, 'a Python function named like the skill');
  }
}

function skillSummary(skill: Skill): z.input<typeof SkillSummary> {
  return { name: skill.name, description: skill.description, successes: skill.successes, trials: skill.trials, updatedAt: skill.updatedAt };
}

function skillDetail(skill: Skill): z.input<typeof SkillSchema> {
  return { ...skillSummary(skill), source: skill.source, taskId: skill.task, version: skill.version };
}

/** A seed no bench uses (benches count up from small numbers). */
function freshSeed(): number {
  return 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
}
