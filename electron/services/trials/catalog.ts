/**
 * The catalogue of tasks, expert and naive baseline programs shipped in `resources/`. Task files are parsed with
 * the shared schema, so a malformed file is reported with its name and the failing field.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { parseTaskDefinition, taskAtDifficulty, type Difficulty, type TaskDefinition } from '../../../shared/tasks.ts';
import { TIERS, type TierId } from '../../../shared/api/tiers.ts';
import type { ProgramAgent } from '../../../shared/agent.ts';

/** Folder of the shipped resources. */
export const RESOURCES_DIR = fileURLToPath(new URL('../../../resources/', import.meta.url));

/** Thrown when a task, tier program or other catalogue entry does not exist. */
export class CatalogError extends Error {
  override readonly name = 'CatalogError';
}

/** Ids of every task in `resources/tasks/`, sorted. */
export function listTaskIds(tasksDir = join(RESOURCES_DIR, 'tasks')): string[] {
  return readdirSync(tasksDir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** Load and validate one task definition, as the file has it (`easy`) or at a difficulty level. */
export function loadTask(taskId: string, tasksDir = join(RESOURCES_DIR, 'tasks'), level?: Difficulty): TaskDefinition {
  const path = join(tasksDir, `${taskId}.json`);
  if (!/^[a-z][a-z0-9-]*$/.test(taskId) || !existsSync(path)) {
    throw new CatalogError(`unknown task '${taskId}'; known tasks: ${listTaskIds(tasksDir).join(', ')}`);
  }
  // Parsed and levelled once per file version (a bench plans, the reward server scores and the
  // console lists tasks over and over; the schema checks cost ~25 ms a task on a first call);
  // each caller gets its own copy.
  const { mtimeMs, size } = statSync(path);
  const key = `${path}\n${mtimeMs}\n${size}\n${level ?? ''}`;
  let known = parsedTasks.get(key);
  if (!known) {
    const task = parseTaskDefinition(readFileSync(path, 'utf8'), path);
    if (task.id !== taskId) throw new CatalogError(`${path}: id '${task.id}' does not match the file name`);
    known = level ? taskAtDifficulty(task, level) : task;
    if (parsedTasks.size >= PARSED_TASKS_KEPT) parsedTasks.clear();
    parsedTasks.set(key, known);
  }
  return structuredClone(known);
}

/** Parsed tasks by file, version and level (`loadTask`). */
const parsedTasks = new Map<string, TaskDefinition>();
const PARSED_TASKS_KEPT = 256;

/** Parse every task of the catalogue ahead of the first request for them (the console, at start); a bad file is reported when it is asked for. */
export function warmTaskCatalog(tasksDir = join(RESOURCES_DIR, 'tasks')): void {
  for (const id of listTaskIds(tasksDir)) {
    try {
      loadTask(id, tasksDir);
    } catch {
      // Reported to whoever asks for it.
    }
  }
}

/** Resolve `--tasks all|a,b` to task ids, checking each exists. */
export function resolveTaskList(spec: string): string[] {
  const known = listTaskIds();
  if (spec === 'all') return known;
  const ids = spec.split(',').map((id) => id.trim()).filter(Boolean);
  for (const id of ids) {
    if (!known.includes(id)) throw new CatalogError(`unknown task '${id}'; known tasks: ${known.join(', ')}`);
  }
  if (ids.length === 0) throw new CatalogError('no tasks given; use --tasks all or a comma-separated list');
  return ids;
}

/**
 * Tier whose expert program serves a tier that has none of its own: S4 differs from S3 only in
 * the docs (no examples), and S2 answers S1's calls from the cameras, so one program often serves both.
 */
const EXPERT_FALLBACK: Readonly<Partial<Record<TierId, TierId>>> = { S4: 'S3', S2: 'S1' };

/** Where each program agent's programs live under `resources/`: the experts and the naive baselines. */
const PROGRAM_FOLDERS: Readonly<Record<ProgramAgent, string>> = { expert: 'experts', baseline: 'baselines' };

/**
 * Path of a program agent's program for a task at a tier (`resources/experts/<task>/<tier>.py` for
 * the expert, `resources/baselines/…` for the naive baseline): multi-turn tiers use their base
 * tier's; S4 and S2 fall back to S3 and S1 when the task has no program of their own.
 */
export function agentProgramPath(agent: ProgramAgent, taskId: string, tier: TierId): string {
  const base = TIERS[tier].base;
  const tried: string[] = [];
  for (let id: TierId | undefined = base; id; id = EXPERT_FALLBACK[id]) {
    const path = join(RESOURCES_DIR, PROGRAM_FOLDERS[agent], taskId, `${id}.py`);
    if (existsSync(path)) return path;
    tried.push(path);
  }
  throw new CatalogError(`no ${agent} program for task '${taskId}' at tier ${tier} (looked for ${tried.join(', ')})`);
}

/** Path of the human-expert reference program for a task at a tier (see `agentProgramPath`). */
export function expertProgramPath(taskId: string, tier: TierId): string {
  return agentProgramPath('expert', taskId, tier);
}

/** A program as a trial takes it: its text and the name tracebacks show (`cube-lift/S1.py`). */
export interface ProgramText {
  readonly programSource: string;
  readonly programName: string;
}

/** A program agent's program of a task at a tier, read from `resources/experts/` or `resources/baselines/`. */
export function readAgentProgram(agent: ProgramAgent, taskId: string, tier: TierId): ProgramText {
  const path = agentProgramPath(agent, taskId, tier);
  return { programSource: readFileSync(path, 'utf8'), programName: relative(RESOURCES_DIR, path) };
}

/** The human-expert program of a task at a tier, read from `resources/experts/`. */
export function readExpertProgram(taskId: string, tier: TierId): ProgramText {
  return readAgentProgram('expert', taskId, tier);
}

/** Real arms with programs of their own in `resources/experts/<arm>/` (their tasks are not the sim workcell's). */
export const REAL_ARMS = ['so101', 'omx', 'ur5e'] as const;

/** One of `REAL_ARMS`. */
export type RealArm = (typeof REAL_ARMS)[number];

/** A real arm's program: its text and the tier it is written for. */
export interface RealArmProgram extends ProgramText {
  /** From the header's "tier S3" (S1 when it names none): S2–S4 programs need a calibrated camera. */
  readonly tier: TierId;
}

/** The tier a real arm's program names in its first comment line ("…, tier S3 …"), else S1. */
function headerTier(source: string): TierId {
  const first = source.split('\n', 1)[0] ?? '';
  const named = /\btier (S[1-4])\b/.exec(first)?.[1];
  return (named as TierId | undefined) ?? 'S1';
}

/** Tasks a real arm has an expert program for (`pick-place`, `cube-lift`, …), sorted, with the program's name and tier. */
export function listRealArmTasks(arm: RealArm): { id: string; programName: string; tier: TierId }[] {
  const dir = join(RESOURCES_DIR, 'experts', arm);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.py'))
    .sort()
    .map((name) => ({ id: name.slice(0, -3), programName: relative(RESOURCES_DIR, join(dir, name)), tier: headerTier(readFileSync(join(dir, name), 'utf8')) }));
}

/** The expert program of a real arm's task, read from `resources/experts/<arm>/<task>.py`. */
export function readRealArmProgram(arm: RealArm, taskId: string): RealArmProgram {
  const path = join(RESOURCES_DIR, 'experts', arm, `${taskId}.py`);
  if (!existsSync(path)) {
    const known = listRealArmTasks(arm).map((t) => t.id);
    throw new CatalogError(`no ${arm} program for task '${taskId}' (looked for ${path}; the ${arm} has ${known.length ? known.join(', ') : 'none'})`);
  }
  const programSource = readFileSync(path, 'utf8');
  return { programSource, programName: relative(RESOURCES_DIR, path), tier: headerTier(programSource) };
}
