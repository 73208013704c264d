// Caplab's calibration against OpenCV's WebAssembly build on rendered boards with known ground
// truth: the claims README.md ("Cameras and calibration") makes about the comparison.
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPARE_BOARD, COMPARE_CAMERA, COMPARE_CONDITIONS, COMPARE_IMAGE_PX, compareCondition, type ConditionReport, type IntrinsicsScore, type Scored } from './calibration-compare.ts';
import { formatComparison } from './calibration-compare-report.ts';
import { loadOpenCv, type OpenCv } from './opencv-calibration.ts';

const VIEWS = 6;
const SEED = 3;
let cv: OpenCv;

beforeAll(async () => {
  ({ cv } = await loadOpenCv());
});

const run = (name: string): ConditionReport => compareCondition(cv, COMPARE_CONDITIONS.find((c) => c.name === name)!, VIEWS, SEED);

function solved(score: Scored<IntrinsicsScore>): IntrinsicsScore {
  if ('problem' in score) throw new Error(score.problem);
  return score;
}

/** Both solvers recover the camera within `fPercent` of the focal lengths and `cPx` of the principal point. */
function expectNearTruth(report: ConditionReport, fPercent: number, cPx: number): void {
  for (const solver of ['caplab', 'opencv'] as const) {
    const s = solved(report.intrinsicsFromDetected[solver]);
    expect(Math.abs(s.fxErrorPx) / COMPARE_CAMERA.intrinsics.fx, `${solver} fx`).toBeLessThan(fPercent / 100);
    expect(Math.abs(s.fyErrorPx) / COMPARE_CAMERA.intrinsics.fy, `${solver} fy`).toBeLessThan(fPercent / 100);
    expect(Math.abs(s.cxErrorPx), `${solver} cx`).toBeLessThan(cPx);
    expect(Math.abs(s.cyErrorPx), `${solver} cy`).toBeLessThan(cPx);
  }
}

/**
 * Caplab's steps (kept) are at least as accurate as OpenCV's on these boards: each intrinsic no
 * further from the truth than OpenCV's + 0.01 px (both minimise the same reprojection error, so
 * they meet at the same minimum to within their stopping rules), the same RMS, and board poses
 * no worse by more than a micrometre.
 */
function expectCaplabAtLeastAsAccurate(report: ConditionReport): void {
  const [ours, theirs] = [solved(report.intrinsicsFromDetected.caplab), solved(report.intrinsicsFromDetected.opencv)];
  for (const key of ['fxErrorPx', 'fyErrorPx', 'cxErrorPx', 'cyErrorPx'] as const) {
    expect(Math.abs(ours[key]), key).toBeLessThanOrEqual(Math.abs(theirs[key]) + 0.01);
  }
  expect(ours.rmsReprojectionPx).toBeLessThanOrEqual(theirs.rmsReprojectionPx + 1e-4);
  const [pose, pnp] = [report.boardPose.caplab, report.boardPose.opencv];
  if ('problem' in pose || 'problem' in pnp) throw new Error('a board pose failed');
  expect(pose.errorMm.median).toBeLessThanOrEqual(pnp.errorMm.median + 0.001);
  expect(pose.errorDeg.median).toBeLessThanOrEqual(pnp.errorDeg.median + 0.0001);
}

describe('calibration: Caplab against OpenCV on rendered boards', () => {
  it('clean renders: every board found to 0.1 px, both intrinsics within 0.3 % and 1.5 px of the truth', () => {
    const report = run('clean');
    expect(report.detected).toBe(VIEWS);
    expect(report.mislabelled).toBe(0);
    expect(report.cornerErrorPx!.median).toBeLessThan(0.1);
    expectNearTruth(report, 0.3, 1.5);
    expectCaplabAtLeastAsAccurate(report);
    // On the exact corners Caplab's double-precision fit is exact; OpenCV.js takes float32 points.
    const [ours, theirs] = [solved(report.intrinsicsFromTruth.caplab), solved(report.intrinsicsFromTruth.opencv)];
    expect(Math.abs(ours.fxErrorPx)).toBeLessThan(1e-6);
    expect(Math.abs(theirs.fxErrorPx)).toBeLessThan(0.01);
    expect(ours.rmsReprojectionPx).toBeLessThanOrEqual(theirs.rmsReprojectionPx);
  });

  it('noise σ 12: corners stay within 0.15 px (median) and 0.35 px (p95)', () => {
    const report = run('noise');
    expect(report.detected).toBe(VIEWS);
    expect(report.cornerErrorPx!.median).toBeLessThan(0.15);
    expect(report.cornerErrorPx!.p95).toBeLessThan(0.35);
    expectNearTruth(report, 0.5, 2);
    expectCaplabAtLeastAsAccurate(report);
  });

  it('blur σ 1.5 px: corners within 0.1 px (median)', () => {
    const report = run('blur');
    expect(report.detected).toBe(VIEWS);
    expect(report.cornerErrorPx!.median).toBeLessThan(0.1);
    expectCaplabAtLeastAsAccurate(report);
  });

  it('boards tilted up to 1 rad per axis are found and numbered right (all but one at 75°)', () => {
    const report = run('tilted');
    // Seed 3's sixth board faces the camera at 75°: its far squares are too thin for corners.
    expect(report.detected).toBe(VIEWS - 1);
    expect(report.mislabelled).toBe(0);
    expect(report.cornerErrorPx!.p95).toBeLessThan(0.3);
    expectCaplabAtLeastAsAccurate(report);
  });

  it('real-looking images (blur, noise, uneven light, JPEG): hand-eye within 1 mm and 0.1° either way', () => {
    const report = run('real-looking');
    expect(report.detected).toBe(VIEWS);
    expect(report.cornerErrorPx!.p95).toBeLessThan(0.35);
    expectNearTruth(report, 0.5, 2.5);
    expectCaplabAtLeastAsAccurate(report);
    for (const solver of ['caplab', 'opencv'] as const) {
      const handEye = report.handEye[solver];
      if ('problem' in handEye) throw new Error(handEye.problem);
      expect(handEye.cameraErrorMm, solver).toBeLessThan(1);
      expect(handEye.cameraErrorDeg, solver).toBeLessThan(0.1);
    }
    const text = formatComparison({ seed: SEED, viewsPerCondition: VIEWS, camera: COMPARE_CAMERA, imageSizePx: COMPARE_IMAGE_PX, board: COMPARE_BOARD, conditions: [report] });
    expect(text).toMatch(/real-looking\s+Caplab\s+[+-]\d/);
    expect(text).toMatch(/real-looking\s+OpenCV\s+[+-]\d/);
  });
});
