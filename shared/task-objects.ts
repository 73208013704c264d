/**
 * The shapes and instances of a task's objects, apart from the schema in `tasks.ts`, so that the
 * simulator's worker threads can use them without loading zod (about 50 ms of CPU per worker).
 */
import type { ObjectPart, TaskObject } from './tasks.ts';

/** The primitives of an object (one for single-shape objects). */
export function objectParts(object: TaskObject): ObjectPart[] {
  if (object.parts) return object.parts;
  return [{ shape: object.shape!, halfSizeM: object.halfSizeM!, posM: [0, 0, 0] }];
}

/** Names of the bodies an object definition creates (`name`, or `name_0`… for a group). */
export function objectInstanceNames(object: TaskObject): string[] {
  return object.count === 1 ? [object.name] : Array.from({ length: object.count }, (_, i) => `${object.name}_${i}`);
}
