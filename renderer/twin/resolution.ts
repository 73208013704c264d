/**
 * Adaptive render resolution. Software WebGL (SwiftShader, no GPU at the bench PC or in CI) is
 * bound by pixels filled, not by draw calls; when the measured frame rate falls below the target
 * the twin renders fewer pixels (CSS scales the canvas back up) and climbs back when there is
 * headroom. With a GPU the ratio stays at its maximum.
 */

/** Bounds and target for the adaptation. */
export interface ResolutionPolicy {
  readonly targetFps: number;
  /** Lowest fraction of CSS pixels rendered per axis. */
  readonly minRatio: number;
  /** Highest (the display's devicePixelRatio, capped). */
  readonly maxRatio: number;
}

/** 55 fps target (above the 50 fps goal with margin), 0.25–1× per axis. */
export const DEFAULT_RESOLUTION_POLICY: ResolutionPolicy = { targetFps: 55, minRatio: 0.25, maxRatio: 1 };

const round = (ratio: number): number => Math.round(ratio * 100) / 100;

/**
 * The pixel ratio for the next second, from this second's frame rate. Frame time scales with
 * pixel count (ratio²), so a shortfall is corrected in one step; recovery is gradual so the
 * view does not oscillate. Display-rate caps (60 Hz) count as headroom only above 58 fps.
 */
export function nextPixelRatio(current: number, fps: number, policy: ResolutionPolicy = DEFAULT_RESOLUTION_POLICY): number {
  if (!Number.isFinite(fps) || fps <= 0) return current;
  if (fps < policy.targetFps) {
    const scaled = current * Math.sqrt(fps / policy.targetFps) * 0.95;
    return round(Math.max(policy.minRatio, Math.min(current, scaled)));
  }
  if (fps >= 58 && current < policy.maxRatio) return round(Math.min(policy.maxRatio, current + 0.05));
  return current;
}
