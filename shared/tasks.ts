/**
 * Task definitions: the data in `resources/tasks/<id>.json`. A task names its workcell, the
 * objects to place (with seeded randomisation ranges), the instruction given to the agent and
 * the success predicate the simulator checks. Parsed with zod so that a malformed file gives an
 * error naming the file and the field.
 */
import { z } from 'zod';

const range = z
  .tuple([z.number(), z.number()])
  .refine(([low, high]) => low <= high, { message: 'range must be [low, high] with low <= high' });

/** Where an object is placed at reset: uniform in each range, from the episode seed. */
export const PlacementSchema = z.object({
  /** World x range of the object centre, m. */
  xM: range,
  /** World y range of the object centre, m. */
  yM: range,
  /** Yaw range about world z, rad. */
  yawRad: range.default([0, 0]),
});

/** A free rigid object in the scene. */
export const TaskObjectSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'object names are lower_snake_case'),
  shape: z.enum(['box', 'cylinder', 'sphere']),
  /** Half-sizes as MuJoCo takes them (box: 3, cylinder: radius and half-height, sphere: radius), m. */
  halfSizeM: z.array(z.number().positive()).min(1).max(3),
  rgba: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  massKg: z.number().positive(),
  place: PlacementSchema,
});

/** Success when an object is raised a height above where it started and stays there. */
export const LiftedPredicateSchema = z.object({
  kind: z.literal('lifted'),
  object: z.string(),
  /** Required rise above the start height of the object centre, m. */
  heightM: z.number().positive(),
  /** The rise must hold for this long after the program ends, s of robot time. */
  holdS: z.number().nonnegative(),
});

export const SuccessPredicateSchema = z.discriminatedUnion('kind', [LiftedPredicateSchema]);

export const TaskDefinitionSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  title: z.string(),
  instruction: z.string().min(1),
  workcell: z.enum(['panda-table']),
  objects: z.array(TaskObjectSchema).min(1),
  success: SuccessPredicateSchema,
  /** Wall-clock limit for one policy program, s. */
  timeLimitS: z.number().positive(),
});

/** A parsed, validated task definition. */
export type TaskDefinition = z.infer<typeof TaskDefinitionSchema>;
/** A free object of a task. */
export type TaskObject = z.infer<typeof TaskObjectSchema>;
/** A success predicate of a task. */
export type SuccessPredicate = z.infer<typeof SuccessPredicateSchema>;

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
  if (!names.has(task.success.object)) {
    throw new TaskDefinitionError(source, [
      `success.object: '${task.success.object}' is not one of the objects (${[...names].join(', ')})`,
    ]);
  }
  return task;
}
