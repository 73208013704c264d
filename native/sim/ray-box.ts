/**
 * MuJoCo's box intersection (`ray_box` and the `ray_sphere` test in it, engine_ray.c) in
 * TypeScript, in the C code's arithmetic order so that it gives the same bits (WebAssembly has no
 * fused multiply-add, and `Math.sqrt` is exact like `f64.sqrt`): the block ray caster answers the
 * pixels that can only reach boxes with it instead of `mj_multiRay`.
 */

/** MuJoCo's mjMINVAL. */
const MJMINVAL = 1e-15;

/**
 * MuJoCo's `ray_box` (engine_ray.c): the bounding-sphere test, the ray in the box frame, the
 * nearest face hit within its rectangle (the first face wins a tie), the normal rotated back.
 * Written in the C code's arithmetic order, so that it gives the same bits. Returns the distance (−1: no hit) and writes
 * the normal.
 */
export function rayBox(xpos: Float64Array, xmat: Float64Array, sizes: Float64Array, geom: number, pnt: readonly number[], vec: Float64Array, at: number, normal: Float64Array): number {
  const p = 3 * geom;
  const m = 9 * geom;
  const s0 = sizes[p]!;
  const s1 = sizes[p + 1]!;
  const s2 = sizes[p + 2]!;
  const v0 = vec[at]!;
  const v1 = vec[at + 1]!;
  const v2 = vec[at + 2]!;
  const d0 = pnt[0]! - xpos[p]!;
  const d1 = pnt[1]! - xpos[p + 1]!;
  const d2 = pnt[2]! - xpos[p + 2]!;
  if (raySphere(d0, d1, d2, s0 * s0 + s1 * s1 + s2 * s2, v0, v1, v2) < 0) return -1;
  const m0 = xmat[m]!, m1 = xmat[m + 1]!, m2 = xmat[m + 2]!, m3 = xmat[m + 3]!, m4 = xmat[m + 4]!;
  const m5 = xmat[m + 5]!, m6 = xmat[m + 6]!, m7 = xmat[m + 7]!, m8 = xmat[m + 8]!;
  const l0 = m0 * d0 + m3 * d1 + m6 * d2;
  const l1 = m1 * d0 + m4 * d1 + m7 * d2;
  const l2 = m2 * d0 + m5 * d1 + m8 * d2;
  const w0 = m0 * v0 + m3 * v1 + m6 * v2;
  const w1 = m1 * v0 + m4 * v1 + m7 * v2;
  const w2 = m2 * v0 + m5 * v1 + m8 * v2;
  let x = -1;
  let face = 0; // ±(axis + 1)
  // engine_ray.c's loop over axes (with a non-zero direction) and sides, in its order: the face
  // across an axis spans the other two (iface). Scalars picked per face, no arrays: this runs for
  // most pixels of an image.
  for (let f = 0; f < 6; f += 1) {
    const axis = f >> 1;
    const side = f & 1 ? 1 : -1;
    const w = axis === 0 ? w0 : axis === 1 ? w1 : w2;
    if (!(Math.abs(w) > MJMINVAL)) continue;
    const sol = (side * (axis === 0 ? s0 : axis === 1 ? s1 : s2) - (axis === 0 ? l0 : axis === 1 ? l1 : l2)) / w;
    if (!(sol >= 0)) continue;
    const inA = axis === 0 ? Math.abs(l1 + sol * w1) <= s1 : Math.abs(l0 + sol * w0) <= s0;
    const inB = axis === 2 ? Math.abs(l1 + sol * w1) <= s1 : Math.abs(l2 + sol * w2) <= s2;
    if (inA && inB && (x < 0 || sol < x)) {
      x = sol;
      face = side * (axis + 1);
    }
  }
  if (x < 0) return -1;
  // mju_mulMatVec3(normal, mat, n_local) with n_local = ±e(axis): the same sums of products.
  const n0 = Math.abs(face) === 1 ? Math.sign(face) : 0;
  const n1 = Math.abs(face) === 2 ? Math.sign(face) : 0;
  const n2 = Math.abs(face) === 3 ? Math.sign(face) : 0;
  normal[0] = m0 * n0 + m1 * n1 + m2 * n2;
  normal[1] = m3 * n0 + m4 * n1 + m5 * n2;
  normal[2] = m6 * n0 + m7 * n1 + m8 * n2;
  return x;
}

/** MuJoCo's `ray_sphere` without a normal, from dif = pnt − pos: the nearest non-negative hit (−1: none). */
function raySphere(dif0: number, dif1: number, dif2: number, distSqr: number, v0: number, v1: number, v2: number): number {
  const a = v0 * v0 + v1 * v1 + v2 * v2;
  const b = v0 * dif0 + v1 * dif1 + v2 * dif2;
  const c = dif0 * dif0 + dif1 * dif1 + dif2 * dif2 - distSqr;
  // ray_quad: a x² + 2 b x + c = 0
  let det = b * b - a * c;
  if (det < 0 || a < MJMINVAL) return -1;
  det = Math.sqrt(det);
  const near = (-b - det) / a;
  const far = (-b + det) / a;
  if (near >= 0) return near;
  if (far >= 0) return far;
  return -1;
}
