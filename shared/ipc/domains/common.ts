/** Schemas several domains share: ids, vectors, poses, tiers. */
import { z } from 'zod';
import { REAL_ARM_KINDS, TIER_IDS } from '../vocabulary.ts';

/** An empty request. */
export const Empty = z.object({}).strict();

/** A run id (the run store's row id). */
export const RunId = z.number().int().min(1);

/** A task id as in `resources/tasks/`. */
export const TaskId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a task id like cube-lift');

/** One of the tiers S1–S4, M1–M4. */
export const Tier = z.enum(TIER_IDS);

/** [x, y, z], m. */
export const Vec3 = z.tuple([z.number(), z.number(), z.number()]);

/** [w, x, y, z]. */
export const QuatWxyz = z.tuple([z.number(), z.number(), z.number(), z.number()]);

/** An acknowledgement with nothing to return. */
export const Ok = z.object({ ok: z.literal(true) });

/** Real arms the console can run programs on (connected in Devices). */
export const RealArmKind = z.enum(REAL_ARM_KINDS);
