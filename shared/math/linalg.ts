/**
 * The small linear algebra that calibration and IK need, on plain `number[][]` matrices: products,
 * a linear solve, symmetric eigen-decomposition by cyclic Jacobi rotations (hence null vectors
 * and 3×3 SVD), rotations as Rodrigues vectors, and a Levenberg–Marquardt least-squares solver
 * with a numerical Jacobian. Sizes here are tiny (≤ 100 unknowns), so clarity wins over speed.
 */

/** A dense matrix as rows. */
export type Matrix = number[][];
/** A 3-vector. */
export type Vector3 = [number, number, number];

/** The n × n identity. */
export const identity = (n: number): Matrix => Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => (r === c ? 1 : 0)));

/** Aᵀ. */
export const transpose = (a: Matrix): Matrix => a[0]!.map((_, c) => a.map((row) => row[c]!));

/** The product A · B. */
export function matMul(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0]!.map((_, c) => row.reduce((sum, value, k) => sum + value * b[k]![c]!, 0)));
}

/** The vector A · v. */
export const matVec = (a: Matrix, v: readonly number[]): number[] => a.map((row) => row.reduce((sum, value, k) => sum + value * v[k]!, 0));

/** The cross product a × b of two 3-vectors. */
export const cross = (a: readonly number[], b: readonly number[]): Vector3 => [
  a[1]! * b[2]! - a[2]! * b[1]!,
  a[2]! * b[0]! - a[0]! * b[2]!,
  a[0]! * b[1]! - a[1]! * b[0]!,
];

/** Euclidean length. */
export const norm = (v: readonly number[]): number => Math.hypot(...v);

/** Gaussian elimination with partial pivoting for a small dense system (non-finite entries in the result when singular). */
export function solveLinear(a: number[][], b: number[]): number[] {
  const n = b.length;
  const augmented = new Float64Array(n * (n + 1));
  for (let r = 0; r < n; r += 1) {
    for (let c = 0; c < n; c += 1) augmented[r * (n + 1) + c] = a[r]![c]!;
    augmented[r * (n + 1) + n] = b[r]!;
  }
  const x = new Float64Array(n);
  solveAugmented(augmented, n, x);
  return Array.from(x);
}

/**
 * `solveLinear` without allocating, for hot loops (IK): `augmented` is the n × (n + 1) matrix
 * [A | b] row-major, overwritten; the solution goes to `x`. The arithmetic is the same, so both
 * give the same bits.
 */
export function solveAugmented(augmented: Float64Array, n: number, x: Float64Array): void {
  const m = augmented;
  const width = n + 1;
  for (let col = 0; col < n; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < n; r += 1) if (Math.abs(m[r * width + col]!) > Math.abs(m[pivot * width + col]!)) pivot = r;
    // Columns left of `col` are never read again: swapping from `col` on is swapping the rows.
    if (pivot !== col) {
      for (let c = col; c <= n; c += 1) {
        const held = m[col * width + c]!;
        m[col * width + c] = m[pivot * width + c]!;
        m[pivot * width + c] = held;
      }
    }
    const p = m[col * width + col]!;
    for (let r = col + 1; r < n; r += 1) {
      const f = m[r * width + col]! / p;
      for (let c = col; c <= n; c += 1) m[r * width + c]! -= f * m[col * width + c]!;
    }
  }
  for (let r = n - 1; r >= 0; r -= 1) {
    let sum = m[r * width + n]!;
    for (let c = r + 1; c < n; c += 1) sum -= m[r * width + c]! * x[c]!;
    x[r] = sum / m[r * width + r]!;
  }
}

/** Solve A x = b (square A) by Gaussian elimination with partial pivoting; throws when singular. */
export function solve(a: Matrix, b: readonly number[]): number[] {
  const x = solveLinear(a, [...b]);
  if (!x.every(Number.isFinite)) throw new Error('singular linear system');
  return x;
}

/** A⁻¹ of a square matrix; throws when singular. */
export const inverse = (a: Matrix): Matrix => transpose(identity(a.length).map((column) => solve(a, column)));

/** Least squares: x minimising |A x − b| (normal equations; fine for the well-posed systems here). */
export function leastSquares(a: Matrix, b: readonly number[]): number[] {
  const at = transpose(a);
  return solve(matMul(at, a), matVec(at, b));
}

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations: eigenvalues ascending,
 * eigenvectors as the matching columns of `vectors`.
 */
export function symmetricEigen(a: Matrix): { values: number[]; vectors: Matrix } {
  const n = a.length;
  const m = a.map((row) => [...row]);
  const v = identity(n);
  for (let sweep = 0; sweep < 100; sweep += 1) {
    let off = 0;
    for (let p = 0; p < n; p += 1) for (let q = p + 1; q < n; q += 1) off += m[p]![q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p += 1) for (let q = p + 1; q < n; q += 1) rotate(m, v, p, q);
  }
  const order = m.map((row, i) => [row[i]!, i] as const).sort((x, y) => x[0] - y[0]);
  return { values: order.map(([value]) => value), vectors: v.map((row) => order.map(([, i]) => row[i]!)) };
}

/** One Jacobi rotation zeroing m[p][q]. */
function rotate(m: Matrix, v: Matrix, p: number, q: number): void {
  const apq = m[p]![q]!;
  if (Math.abs(apq) < 1e-300) return;
  const theta = (m[q]![q]! - m[p]![p]!) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < m.length; k += 1) {
    const [mkp, mkq] = [m[k]![p]!, m[k]![q]!];
    m[k]![p] = c * mkp - s * mkq;
    m[k]![q] = s * mkp + c * mkq;
  }
  for (let k = 0; k < m.length; k += 1) {
    const [mpk, mqk] = [m[p]![k]!, m[q]![k]!];
    m[p]![k] = c * mpk - s * mqk;
    m[q]![k] = s * mpk + c * mqk;
  }
  for (let k = 0; k < v.length; k += 1) {
    const [vkp, vkq] = [v[k]![p]!, v[k]![q]!];
    v[k]![p] = c * vkp - s * vkq;
    v[k]![q] = s * vkp + c * vkq;
  }
}

/** The unit x minimising |A x| (the right singular vector of the smallest singular value). */
export function nullVector(a: Matrix): number[] {
  const { vectors } = symmetricEigen(matMul(transpose(a), a));
  return vectors.map((row) => row[0]!);
}

/** The rotation nearest to a 3×3 matrix (Frobenius), through its SVD M = U S Vᵀ → U diag(1, 1, ±1) Vᵀ. */
export function nearestRotation(m: Matrix): Matrix {
  const { vectors } = symmetricEigen(matMul(transpose(m), m));
  // Columns of V by descending singular value; U's columns are M v normalised (made orthogonal), the last by cross product.
  const v = [2, 1, 0].map((i) => vectors.map((row) => row[i]!));
  const u0 = unit(matVec(m, v[0]!));
  const along = matVec(m, v[1]!);
  const u1 = unit(along.map((x, i) => x - u0[i]! * dot(u0, along)));
  const v2 = cross(v[0]!, v[1]!);
  const u2 = cross(u0, u1);
  // R = Σ u_i v_iᵀ with v2 = v0 × v1 and u2 = u0 × u1, so det R = +1.
  return [0, 1, 2].map((r) => [0, 1, 2].map((c) => u0[r]! * v[0]![c]! + u1[r]! * v[1]![c]! + u2[r]! * v2[c]!));
}

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((sum, x, i) => sum + x * b[i]!, 0);
function unit(a: readonly number[]): number[] {
  const length = norm(a);
  return a.map((x) => x / length);
}

/** Rotation matrix of a Rodrigues vector (axis × angle, rad). */
export function rodrigues(w: readonly number[]): Matrix {
  const angle = norm(w);
  if (angle < 1e-12) return [[1, -w[2]!, w[1]!], [w[2]!, 1, -w[0]!], [-w[1]!, w[0]!, 1]];
  const [x, y, z] = [w[0]! / angle, w[1]! / angle, w[2]! / angle];
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const k = 1 - c;
  return [
    [c + x * x * k, x * y * k - z * s, x * z * k + y * s],
    [y * x * k + z * s, c + y * y * k, y * z * k - x * s],
    [z * x * k - y * s, z * y * k + x * s, c + z * z * k],
  ];
}

/** Rodrigues vector of a rotation matrix (angle in [0, π]). */
export function rotationLog(r: Matrix): Vector3 {
  const cos = Math.min(1, Math.max(-1, (r[0]![0]! + r[1]![1]! + r[2]![2]! - 1) / 2));
  const angle = Math.acos(cos);
  const skew: Vector3 = [r[2]![1]! - r[1]![2]!, r[0]![2]! - r[2]![0]!, r[1]![0]! - r[0]![1]!];
  if (angle < 1e-9) return [skew[0] / 2, skew[1] / 2, skew[2] / 2];
  if (Math.PI - angle > 1e-4) {
    const k = angle / (2 * Math.sin(angle));
    return [skew[0] * k, skew[1] * k, skew[2] * k];
  }
  // Near π: the axis from the diagonal of (R + I) / 2 = a aᵀ.
  const i = [0, 1, 2].reduce((best, j) => (r[j]![j]! > r[best]![best]! ? j : best), 0);
  const axis = [0, 1, 2].map((j) => (r[i]![j]! + r[j]![i]! + (i === j ? 2 : 0)) / 2);
  const n = norm(axis);
  const sign = dot(axis, skew) < 0 ? -1 : 1;
  return axis.map((x) => (sign * x * angle) / n) as Vector3;
}

/**
 * Levenberg–Marquardt: parameters minimising Σ residual², with a forward-difference Jacobian.
 * Returns the parameters and the final root-mean-square residual.
 */
export function levenbergMarquardt(
  residuals: (params: readonly number[]) => number[],
  start: readonly number[],
  { iterations = 50, step = 1e-6 }: { iterations?: number; step?: number } = {},
): { params: number[]; rms: number } {
  let params = [...start];
  let current = residuals(params);
  let cost = dot(current, current);
  let lambda = 1e-3;
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    const jacobian = params.map((_, k) => {
      const h = step * Math.max(1, Math.abs(params[k]!));
      const moved = [...params];
      moved[k] = moved[k]! + h;
      return residuals(moved).map((value, i) => (value - current[i]!) / h);
    });
    const { normal, gradient } = normalEquations(jacobian, current);
    let improved = false;
    for (let attempt = 0; attempt < 10 && !improved; attempt += 1) {
      const damped = normal.map((row, r) => row.map((value, c) => (r === c ? value * (1 + lambda) + 1e-12 : value)));
      const delta = solve(damped, gradient.map((g) => -g));
      const trial = params.map((p, k) => p + delta[k]!);
      const trialResiduals = residuals(trial);
      const trialCost = dot(trialResiduals, trialResiduals);
      if (trialCost < cost) {
        improved = true;
        const converged = cost - trialCost < 1e-12 * cost;
        [params, current, cost, lambda] = [trial, trialResiduals, trialCost, Math.max(lambda / 10, 1e-12)];
        if (converged) return { params, rms: Math.sqrt(cost / current.length) };
      } else {
        lambda *= 10;
      }
    }
    if (!improved) break;
  }
  return { params, rms: Math.sqrt(cost / current.length) };
}

/** JᵀJ and Jᵀr from the Jacobian stored by columns (one array per parameter); zeros skipped. */
function normalEquations(columns: number[][], r: number[]): { normal: Matrix; gradient: number[] } {
  const n = columns.length;
  const normal = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const gradient = new Array<number>(n).fill(0);
  const rowEntries: [number, number][][] = r.map(() => []);
  columns.forEach((column, k) => column.forEach((value, i) => value !== 0 && rowEntries[i]!.push([k, value])));
  rowEntries.forEach((entries, i) => {
    for (const [a, va] of entries) {
      gradient[a]! += va * r[i]!;
      for (const [b, vb] of entries) normal[a]![b]! += va * vb;
    }
  });
  return { normal, gradient };
}
