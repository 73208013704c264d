/**
 * The success predicates a task file can name (`success`), each a zod schema: lifted, stacked,
 * over-peg, cleared and wiped (`wipe-predicate.ts`). Re-exported by `tasks.ts`.
 */
import { z } from 'zod';
import { WipedPredicateSchema } from './wipe-predicate.ts';

/** Which arm of the workcell, where a predicate needs to know. */
const armName = z.enum(['left', 'right']);

/** Success when an object is raised a height above where it started and stays there. */
export const LiftedPredicateSchema = z.object({
  kind: z.literal('lifted'),
  object: z.string(),
  /** Required rise above the start height of the object centre, m. */
  heightM: z.number().positive(),
  /** The rise must hold for this long after the program ends, s of robot time. */
  holdS: z.number().nonnegative(),
  /** Largest tilt of the object from its start orientation while held, rad (e.g. a pot kept level). */
  maxTiltRad: z.number().positive().optional(),
  /** The object must then be held by this arm only (a handover). */
  heldBy: armName.optional(),
});

/** Success when one object rests on another (and the gripper has let go). */
export const StackedPredicateSchema = z.object({
  kind: z.literal('stacked'),
  /** Objects from the top down, e.g. ['cube_red', 'cube_green']. */
  order: z.array(z.string()).min(2),
  /** Horizontal misalignment allowed between neighbours, m. */
  toleranceM: z.number().positive(),
  holdS: z.number().nonnegative(),
});

/** Success when an object (a nut) sits around a fixed peg, down at its base. */
export const OverPegPredicateSchema = z.object({
  kind: z.literal('over-peg'),
  object: z.string(),
  peg: z.string(),
  /** Offset of the object's hole centre from its origin, m (object frame). */
  holeOffsetM: z.tuple([z.number(), z.number(), z.number()]),
  /** Largest horizontal distance of the hole centre from the peg axis, m. */
  radiusM: z.number().positive(),
  /** The object's origin must be below this height, m (down at the base, not on the top). */
  maxHeightM: z.number().positive(),
  holdS: z.number().nonnegative(),
});

/** Success when (a fraction of) a group of markers has left a region: a wiped stain. */
export const ClearedPredicateSchema = z.object({
  kind: z.literal('cleared'),
  /** Group name (an object with `count`). */
  object: z.string(),
  /** Half-extent of the stain region around the group's placement centre, m. */
  regionHalfM: z.number().positive(),
  /** Fraction of markers that must be outside the region. */
  fraction: z.number().min(0).max(1),
});

export const SuccessPredicateSchema = z.discriminatedUnion('kind', [
  LiftedPredicateSchema,
  StackedPredicateSchema,
  OverPegPredicateSchema,
  ClearedPredicateSchema,
  WipedPredicateSchema,
]);
