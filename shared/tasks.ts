/**
 * Task definitions: the data in `resources/tasks/<id>.json`. A task names its workcell, the
 * objects to place (with seeded randomisation ranges), the instruction given to the agent and
 * the success predicate the simulator checks. Parsed with zod so that a malformed file gives an
 * error naming the file and the field.
 */
import { z } from 'zod';
import { SensorsSchema } from './sensors.ts';
import { SuccessPredicateSchema } from './task-predicates.ts';

const range = z
  .tuple([z.number(), z.number()])
  .refine(([low, high]) => low <= high, { message: 'range must be [low, high] with low <= high' });

/** Where an object is placed at reset: uniform in each range, from the episode seed. */
export const PlacementSchema = z.object({
  /** World x range of the object centre, m (relative to the supporting object when `on` is set). */
  xM: range,
  /** World y range of the object centre, m (relative to the supporting object when `on` is set). */
  yM: range,
  /** Yaw range about world z, rad. */
  yawRad: range.default([0, 0]),
  /** Name of an object placed earlier in the list that this one is stacked on. */
  on: z.string().optional(),
  /** Objects of a group are kept at least this far apart (centre to centre), m. */
  minSeparationM: z.number().nonnegative().default(0),
  /** A group is scattered in a square of this half-extent around its centre, m (twice `minSeparationM` when absent). */
  spreadM: z.number().positive().optional(),
});

/** One primitive of an object's shape, in the object's frame. */
export const ObjectPartSchema = z.object({
  shape: z.enum(['box', 'cylinder', 'sphere']),
  /** Half-sizes as MuJoCo takes them (box: 3, cylinder: radius and half-height, sphere: radius), m. */
  halfSizeM: z.array(z.number().positive()).min(1).max(3),
  /** Offset of the part from the object's origin, m. */
  posM: z.tuple([z.number(), z.number(), z.number()]).default([0, 0, 0]),
  /** Colour of this part; the object's colour when absent. */
  rgba: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
  /** Perception name of this part (e.g. 'handle'); the part is then findable as '<object> <label>'. */
  label: z.string().optional(),
});

/** A rigid object in the scene (free unless `fixed`), made of one or more primitives. */
export const TaskObjectSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'object names are lower_snake_case'),
    /** Words a perception query may use for it besides its name, e.g. ['red', 'cube']. */
    words: z.array(z.string()).default([]),
    /** Single-primitive objects give `shape` and `halfSizeM`; compound ones give `parts`. */
    shape: z.enum(['box', 'cylinder', 'sphere']).optional(),
    halfSizeM: z.array(z.number().positive()).min(1).max(3).optional(),
    parts: z.array(ObjectPartSchema).min(1).optional(),
    rgba: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    massKg: z.number().positive(),
    /** Fixed objects (a peg, a fixture) are welded to the table. */
    fixed: z.boolean().default(false),
    /** Sliding friction coefficient against other objects; 1.2 when absent. */
    friction: z.number().positive().default(1.2),
    /** A flat mark on the table (a stain spot): fixed, never collides, removed when wiped (`wiped`). */
    marker: z.boolean().optional(),
    /** How many copies (named `<name>_0`, `<name>_1`, …), e.g. the markers of a stain. */
    count: z.number().int().positive().default(1),
    place: PlacementSchema,
  })
  .refine((o) => (o.parts !== undefined) !== (o.shape !== undefined && o.halfSizeM !== undefined), {
    message: 'give either shape and halfSizeM, or parts',
  });

export { ClearedPredicateSchema, LiftedPredicateSchema, OverPegPredicateSchema, StackedPredicateSchema, SuccessPredicateSchema } from './task-predicates.ts';

// ---- Difficulty (w4-physics): per-level overrides, contact profiles and per-seed variation. ----

/** The levels of a task: `easy` is the scene as it was before levels existed, `standard` the default. */
export const DIFFICULTIES = ['easy', 'standard', 'hard'] as const;
/** One of `DIFFICULTIES`. */
export type Difficulty = (typeof DIFFICULTIES)[number];
/** The level a bench runs at when none is asked for. */
export const DEFAULT_DIFFICULTY: Difficulty = 'standard';

/**
 * Contact models (numbers in `native/sim/contact-profiles.ts`, sources in `resources/tasks/README.md`):
 * `caplab` is the stiff, grippy model of `easy`; `robosuite` takes the Panda fingertip pads and
 * object defaults of robosuite's XMLs; `rounded` puts those numbers on a rounded pad with a small
 * contact patch, so that an object held off its centre turns in the grasp (hard).
 */
export const ContactProfileSchema = z.enum(['caplab', 'robosuite', 'rounded']);

/** Per-seed variation of the objects, drawn at reset from a stream of its own (placement is not disturbed). */
export const VariationSchema = z.object({
  /** Scale of every size of an object (one draw per object definition), e.g. [0.92, 1.08]. */
  sizeScale: range.default([1, 1]),
  /** Scale of an object's mass. */
  massScale: range.default([1, 1]),
  /** Sliding friction of free objects, drawn per object (replaces the file's `friction`). */
  friction: range.optional(),
  /** Largest darkening of each colour channel (each drawn in [-rgbJitter, 0]). */
  rgbJitter: z.number().min(0).max(0.5).default(0),
});

/** A level's sensor model (`shared/sensors.ts`) and its distractors: fixed, non-target objects (often of a target's colour). */
export const LevelSensorsSchema = SensorsSchema.extend({ distractors: z.array(TaskObjectSchema).default([]) });
/** Sensor settings of a level. */
export type LevelSensors = z.infer<typeof LevelSensorsSchema>;

/** What a level changes in the task file: objects (by name, shallow), the success predicate, contacts, variation. */
export const DifficultyLevelSchema = z.object({
  contacts: ContactProfileSchema.default('caplab'),
  variation: VariationSchema.optional(),
  /** Per object name, fields that replace the file's (e.g. a thicker peg: less clearance). */
  objects: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  /** Fields that replace the success predicate's (e.g. a tighter tolerance). */
  success: z.record(z.string(), z.unknown()).default({}),
  /** The instruction at this level, where its physics asks for something else (a stain that comes off only under pressure). */
  instruction: z.string().min(1).optional(),
  /** How the cameras sense at this level (S2–S4), and distractor objects added to the scene. */
  sensors: LevelSensorsSchema.optional(),
});

/** The `difficulty` block of a task file: `standard` and `hard` (easy is the file itself). */
export const DifficultyBlockSchema = z.object({
  standard: DifficultyLevelSchema.optional(),
  hard: DifficultyLevelSchema.optional(),
});

/** Settings of one difficulty level. */
export type DifficultyLevel = z.infer<typeof DifficultyLevelSchema>;
/** Per-seed variation settings. */
export type Variation = z.infer<typeof VariationSchema>;
/** A contact model name. */
export type ContactProfile = z.infer<typeof ContactProfileSchema>;

/**
 * The task at a level: the level's object and predicate fields merged over the file's, its contact
 * profile and variation set, `level` recorded. `easy` returns the file's task unchanged (bar `level`).
 */
export function taskAtDifficulty(task: TaskDefinition, level: Difficulty): TaskDefinition {
  const settings = level === 'easy' ? undefined : task.difficulty[level];
  if (!settings) return { ...task, level };
  const objects = task.objects.map((object) => {
    const override = settings.objects[object.name];
    return override ? TaskObjectSchema.parse({ ...object, ...override }) : object;
  });
  const success = SuccessPredicateSchema.parse({ ...task.success, ...settings.success });
  const instruction = settings.instruction ?? task.instruction;
  const sensors = settings.sensors;
  // Distractors come after the task's objects: the placement and variation draws of those stay as they were.
  if (sensors) objects.push(...sensors.distractors.map((d) => ({ ...d, fixed: true })));
  const extra = { ...(settings.variation ? { variation: settings.variation } : {}), ...(sensors ? { sensors } : {}) };
  return { ...task, instruction, objects, success, level, contacts: settings.contacts, ...extra };
}

/** `--difficulty` text to a level; throws naming the levels. */
export function parseDifficulty(text: string): Difficulty {
  const level = DIFFICULTIES.find((d) => d === text);
  if (!level) throw new Error(`unknown difficulty '${text}'; difficulties: ${DIFFICULTIES.join(', ')}`);
  return level;
}
// ---- end of the difficulty block ----

export const TaskDefinitionSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  title: z.string(),
  instruction: z.string().min(1),
  /** `panda-table`: one arm ('left'); `two-panda`: two arms facing each other across the table. */
  workcell: z.enum(['panda-table', 'two-panda']),
  objects: z.array(TaskObjectSchema).min(1),
  success: SuccessPredicateSchema,
  /** Wall-clock limit for one policy program, s. */
  timeLimitS: z.number().positive(),
  /** Per-level settings (w4-physics); `easy` is the file as written. */
  difficulty: DifficultyBlockSchema.default({}),
  /** The level this definition is at (set by `taskAtDifficulty`; a file as read is `easy`). */
  level: z.enum(DIFFICULTIES).default('easy'),
  /** Contact model of the level (`caplab` for easy). */
  contacts: ContactProfileSchema.default('caplab'),
  /** Per-seed variation of the level; none for easy. */
  variation: VariationSchema.optional(),
  /** Sensor model of the level (its distractors are in `objects`); none for easy: perfect cameras. */
  sensors: LevelSensorsSchema.optional(),
});

/** A parsed, validated task definition. */
export type TaskDefinition = z.infer<typeof TaskDefinitionSchema>;
/** A free object of a task. */
export type TaskObject = z.infer<typeof TaskObjectSchema>;
/** One primitive of an object. */
export type ObjectPart = z.infer<typeof ObjectPartSchema>;
/** A success predicate of a task. */
export type SuccessPredicate = z.infer<typeof SuccessPredicateSchema>;

export { objectInstanceNames, objectParts } from './task-objects.ts';

/** Objects a predicate refers to. */
function predicateObjects(predicate: SuccessPredicate): string[] {
  switch (predicate.kind) {
    case 'lifted':
    case 'cleared':
      return [predicate.object];
    case 'stacked':
      return predicate.order;
    case 'over-peg':
      return [predicate.object, predicate.peg];
    case 'wiped':
      return [predicate.object, predicate.tool];
  }
}

/** Thrown for a task file that does not parse or does not match the schema. */
export class TaskDefinitionError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly string[],
  ) {
    super(`invalid task definition ${source}:\n  ${issues.join('\n  ')}`);
    this.name = 'TaskDefinitionError';
  }
}

/** Parse task JSON text; `source` (a file name) appears in errors. */
export function parseTaskDefinition(text: string, source: string): TaskDefinition {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TaskDefinitionError(source, [`not valid JSON: ${(error as Error).message}`]);
  }
  const result = TaskDefinitionSchema.safeParse(data);
  if (!result.success) {
    throw new TaskDefinitionError(
      source,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const task = result.data;
  const names = new Set(task.objects.map((o) => o.name));
  const problems = predicateObjects(task.success)
    .filter((name) => !names.has(name))
    .map((name) => `success: '${name}' is not one of the objects (${[...names].join(', ')})`);
  task.objects.forEach((object, index) => {
    const on = object.place.on;
    if (on !== undefined && !task.objects.slice(0, index).some((o) => o.name === on)) {
      problems.push(`objects.${index}.place.on: '${on}' must name an object listed before '${object.name}'`);
    }
  });
  if (problems.length > 0) throw new TaskDefinitionError(source, problems);
  return task;
}

