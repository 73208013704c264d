/**
 * The `wiped` success predicate: a field of flat stain markers (a task object with `marker` and a
 * `count`) is wiped by a tool (the sponge) pressed on the table, as in robosuite's Wipe. A marker
 * is wiped when the tool's lowest face covers it (its centre inside the face, at most 2 cm above
 * the face's plane: robosuite's `_get_active_markers`) while the tool has pressed on the table
 * with at least `pressN` for `sustainS`. Wiped markers leave the table for good (the cameras no
 * longer see them); the fraction wiped is the progress.
 */
import { z } from 'zod';

export const WipedPredicateSchema = z.object({
  kind: z.literal('wiped'),
  /** The marker group (an object with `marker: true` and a `count`). */
  object: z.string(),
  /** The object that wipes (held by the gripper and pressed on the table). */
  tool: z.string(),
  /** Fraction of the markers that must be wiped. */
  fraction: z.number().min(0).max(1),
  /** The sum of the tool's contact normal forces on the table that wipes, N. */
  pressN: z.number().positive(),
  /** How long the press must have lasted before it wipes, s of robot time. */
  sustainS: z.number().nonnegative(),
});

/** A parsed `wiped` predicate. */
export type WipedPredicate = z.infer<typeof WipedPredicateSchema>;
