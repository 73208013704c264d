/**
 * The simulated workcells: which arms they have, where the arm bases stand, and the box the
 * gripper centres must stay in (the safety supervisor's workspace). World frame: origin at the
 * (left) robot base on the table top, z up, x towards the far side of the table.
 */

/** Workcell ids, as task definitions name them. */
export type WorkcellId = 'panda-table' | 'two-panda';

/** An arm of a workcell. */
export interface ArmMount {
  /** The name the API's `arm` argument uses. */
  readonly name: 'left' | 'right';
  /** Base position on the table top, m. */
  readonly basePositionM: readonly [number, number, number];
  /** Rotation of the base about world z, rad (0: the arm faces +x). */
  readonly baseYawRad: number;
}

/** A fixed camera: pinhole, square pixels, looking from `positionM` at `lookAtM`. */
export interface FixedCamera {
  readonly name: string;
  readonly positionM: readonly [number, number, number];
  readonly lookAtM: readonly [number, number, number];
  /** Vertical field of view, degrees. */
  readonly fovyDeg: number;
}

/** Every arm also carries a wrist camera named `<arm>_wrist`, looking along the fingers. */
export const WRIST_CAMERA_FOVY_DEG = 70;

/** One workcell's layout. */
export interface WorkcellLayout {
  readonly id: WorkcellId;
  readonly arms: readonly ArmMount[];
  /** Table top centre and half-extents in x and y, m (the top is at z = 0). */
  readonly tableCentreM: readonly [number, number];
  readonly tableHalfM: readonly [number, number];
  /** Fixed cameras; the first is the default for `get_observation()` and perception. */
  readonly cameras: readonly FixedCamera[];
  /** Axis-aligned box every gripper centre must stay in, m. */
  readonly workspace: { readonly minM: readonly [number, number, number]; readonly maxM: readonly [number, number, number] };
}

/** Every workcell. */
export const WORKCELLS: Readonly<Record<WorkcellId, WorkcellLayout>> = {
  'panda-table': {
    id: 'panda-table',
    arms: [{ name: 'left', basePositionM: [0, 0, 0], baseYawRad: 0 }],
    tableCentreM: [0.45, 0],
    tableHalfM: [0.6, 0.7],
    cameras: [
      { name: 'top', positionM: [0.55, 0, 1.3], lookAtM: [0.55, 0, 0], fovyDeg: 55 },
      { name: 'front', positionM: [1.35, 0, 0.75], lookAtM: [0.5, 0, 0.05], fovyDeg: 50 },
    ],
    workspace: { minM: [0.15, -0.55, 0.0], maxM: [0.85, 0.55, 0.8] },
  },
  'two-panda': {
    id: 'two-panda',
    arms: [
      { name: 'left', basePositionM: [0, 0, 0], baseYawRad: 0 },
      { name: 'right', basePositionM: [1.2, 0, 0], baseYawRad: Math.PI },
    ],
    tableCentreM: [0.6, 0],
    tableHalfM: [0.75, 0.7],
    cameras: [
      { name: 'top', positionM: [0.6, 0, 1.4], lookAtM: [0.6, 0, 0], fovyDeg: 55 },
      { name: 'front', positionM: [0.6, -1.2, 0.8], lookAtM: [0.6, 0, 0.05], fovyDeg: 50 },
    ],
    workspace: { minM: [0.15, -0.55, 0.0], maxM: [1.05, 0.55, 0.8] },
  },
};
