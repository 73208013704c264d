/** `tasks`: the bench tasks and their expert programs. */
import { z } from 'zod';
import { call } from '../descriptor.ts';
import { Empty, RealArmKind, TaskId, Tier } from './common.ts';

/** A task as the Task panel lists it. */
export const TaskSummary = z.object({
  id: z.string(),
  title: z.string(),
  instruction: z.string(),
  workcell: z.string(),
  /** Names of the arms (`left`, `right`). */
  arms: z.array(z.string()),
  /** Object instance names in the scene. */
  objects: z.array(z.string()),
  timeLimitS: z.number(),
});

/** A program text with the name tracebacks show. */
export const Program = z.object({ programName: z.string(), source: z.string() });

/** The `tasks` channels. */
export const tasks = {
  list: call(Empty, z.array(TaskSummary), 'Every bench task, sorted by id.'),
  get: call(z.object({ id: TaskId }), TaskSummary, 'One task; not_found when there is none.'),
  forArm: call(
    /** `camera`: the tasks of its camera programs (perception tiers, a calibrated camera), not those written for S1. */
    z.object({ robot: RealArmKind, camera: z.boolean().default(false) }),
    z.array(z.object({ id: z.string(), programName: z.string() })),
    "A real arm's tasks: the ones it has an expert program for (its own tasks, not the sim workcell's), without a camera (S1) or with one.",
  ),
  expert: call(z.object({ taskId: TaskId, tier: Tier.default('S1') }), Program, "The human-expert program of a task at a tier."),
};
