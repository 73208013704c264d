/** Numbers as the simulator's API returns them: rounded (5 decimals), poses as `[position, quat]` tuples. */

/** A number rounded to `digits` decimals. */
export const round = (value: number, digits = 5): number => Number(value.toFixed(digits));

/** Every number rounded to 5 decimals. */
export const roundAll = (values: readonly number[]): number[] => values.map((v) => round(v));

/** A pose as the API returns it: `[position_m, quat_wxyz]`, rounded. */
export function poseTuple(pose: { positionM: readonly number[]; quatWxyz: readonly number[] }): [number[], number[]] {
  return [roundAll(pose.positionM), roundAll(pose.quatWxyz)];
}
