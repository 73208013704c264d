/**
 * Visual differencing: a text description of what changed in the scene between two perception
 * snapshots (poses estimated from the cameras), for models that cannot see: which objects moved
 * and by how much, which were lifted, what rests on what, what could not be seen.
 */
import type { WorldPose } from '../../../shared/robot.ts';

/** Estimated poses by object name; null when perception could not find the object. */
export type SceneSnapshot = Readonly<Record<string, WorldPose | null>>;

/** Below this the object is said not to have moved, m (perception noise is a few mm). */
const MOVE_THRESHOLD_M = 0.01;
/** Horizontal distance under which one object counts as on top of another, m. */
const ON_TOP_XY_M = 0.035;

/** Describe the change from `before` to `after`. */
export function describeSceneChange(before: SceneSnapshot, after: SceneSnapshot): string {
  const lines: string[] = [];
  for (const name of Object.keys(after)) {
    const was = before[name] ?? null;
    const now = after[name] ?? null;
    if (!was && !now) lines.push(`- ${name}: not seen before or after.`);
    else if (!now) lines.push(`- ${name}: no longer seen by the cameras (was at ${fmt(was!.positionM)}).`);
    else if (!was) lines.push(`- ${name}: now seen at ${fmt(now.positionM)}.`);
    else {
      const d = sub(now.positionM, was.positionM);
      const dist = Math.hypot(...d);
      if (dist < MOVE_THRESHOLD_M) lines.push(`- ${name}: did not move (at ${fmt(now.positionM)}).`);
      else {
        const rise = d[2];
        lines.push(
          `- ${name}: moved ${(dist * 100).toFixed(1)} cm, from ${fmt(was.positionM)} to ${fmt(now.positionM)}` +
            (Math.abs(rise) >= MOVE_THRESHOLD_M ? ` (${rise > 0 ? 'up' : 'down'} ${(Math.abs(rise) * 100).toFixed(1)} cm)` : '') +
            '.',
        );
      }
    }
  }
  const relations = onTopRelations(after);
  const earlier = new Set(onTopRelations(before));
  lines.push(relations.length ? `Now resting on one another: ${relations.map((r) => (earlier.has(r) ? r : `${r} (new)`)).join('; ')}.` : 'No object rests on another.');
  const gone = [...earlier].filter((r) => !relations.includes(r));
  if (gone.length) lines.push(`No longer: ${gone.join('; ')}.`);
  return lines.join('\n');
}

/** "a on b" for each object whose centre is over another's and higher. */
function onTopRelations(snapshot: SceneSnapshot): string[] {
  const seen = Object.entries(snapshot).filter((e): e is [string, WorldPose] => e[1] !== null);
  const relations: string[] = [];
  for (const [upper, u] of seen) {
    for (const [lower, l] of seen) {
      if (upper === lower) continue;
      const xy = Math.hypot(u.positionM[0] - l.positionM[0], u.positionM[1] - l.positionM[1]);
      if (xy < ON_TOP_XY_M && u.positionM[2] > l.positionM[2] + 0.01) relations.push(`${upper} on ${lower}`);
    }
  }
  return relations;
}

function sub(a: readonly number[], b: readonly number[]): [number, number, number] {
  return [(a[0] ?? 0) - (b[0] ?? 0), (a[1] ?? 0) - (b[1] ?? 0), (a[2] ?? 0) - (b[2] ?? 0)];
}

function fmt(p: readonly number[]): string {
  return `[${p.map((v) => v.toFixed(3)).join(', ')}]`;
}
