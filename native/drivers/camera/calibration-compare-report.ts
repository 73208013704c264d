/**
 * `caplab calibrate compare` as text: one table per step (corners, intrinsics, board pose and
 * hand-eye), a row per condition and solver. Errors are signed for the intrinsics (estimate −
 * truth) and magnitudes elsewhere.
 */
import type { CalibrationComparison, ConditionReport, HandEyeScore, IntrinsicsScore, PoseScore, Scored, Versus } from './calibration-compare.ts';

const SOLVERS = [['caplab', 'Caplab'], ['opencv', 'OpenCV']] as const;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]): string => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const signed = (value: number, digits: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;

const failed = <T extends object>(score: Scored<T>): score is { readonly problem: string } => 'problem' in score;

function versusRows<T extends object>(report: ConditionReport, versus: Versus<T>, cells: (score: T) => string[], width: number): string[][] {
  return SOLVERS.map(([solver, label]) => {
    const score = versus[solver];
    const body = failed(score) ? [`failed: ${score.problem}`, ...Array<string>(width - 1).fill('')] : cells(score);
    return [report.condition.name, label, ...body];
  });
}

const intrinsicsCells = (s: IntrinsicsScore): string[] => [
  signed(s.fxErrorPx, 3), signed(s.fyErrorPx, 3), signed(s.cxErrorPx, 3), signed(s.cyErrorPx, 3), signed(s.k1Error, 4), fixed(s.rmsReprojectionPx, 4), fixed(s.durationMs, 0),
];
const INTRINSICS_HEADER = ['condition', 'solver', 'fx err', 'fy err', 'cx err', 'cy err', 'k1 err', 'rms px', 'ms'];
const poseCells = (s: PoseScore): string[] => [fixed(s.errorMm.median, 3), fixed(s.errorMm.p95, 3), fixed(s.errorDeg.median, 4), fixed(s.errorDeg.p95, 4)];
const handEyeCells = (s: HandEyeScore): string[] => [fixed(s.cameraErrorMm, 3), fixed(s.cameraErrorDeg, 4)];

/** The comparison as the tables `caplab calibrate compare` prints. */
export function formatComparison(result: CalibrationComparison): string {
  const { fx, fy, cx, cy } = result.camera.intrinsics;
  const reports = result.conditions;
  const sections = [
    `camera ${result.imageSizePx.join('×')} px, fx ${fx} fy ${fy} cx ${cx} cy ${cy}, k1 ${result.camera.distortion.k1} k2 ${result.camera.distortion.k2}; ` +
      `board ${result.board.innerColumns}x${result.board.innerRows} inner corners, ${result.board.squareM * 1000} mm squares; ${result.viewsPerCondition} views per condition, seed ${result.seed}`,
    `conditions:\n${reports.map((r) => `  ${r.condition.name.padEnd(13)} ${r.condition.description}`).join('\n')}`,
    'corners (Caplab\'s detector; OpenCV.js has none), px from the true projection:\n' +
      table(['condition', 'found', 'mislabelled', 'median', 'p95', 'max'], reports.map((r) => [
        r.condition.name, `${r.detected}/${r.views}`, String(r.mislabelled),
        fixed(r.cornerErrorPx?.median ?? Number.NaN, 3), fixed(r.cornerErrorPx?.p95 ?? Number.NaN, 3), fixed(r.cornerErrorPx?.max ?? Number.NaN, 3),
      ])),
    'intrinsics from the detected corners (estimate − truth, px; rms: reprojection per point):\n' +
      table(INTRINSICS_HEADER, reports.flatMap((r) => versusRows(r, r.intrinsicsFromDetected, intrinsicsCells, 7))),
    'intrinsics from the true corners of the same views:\n' + table(INTRINSICS_HEADER, reports.flatMap((r) => versusRows(r, r.intrinsicsFromTruth, intrinsicsCells, 7))),
    'board pose from the detected corners, true camera (Caplab estimatePose, OpenCV solvePnP):\n' +
      table(['condition', 'solver', 'mm median', 'mm p95', '° median', '° p95'], reports.flatMap((r) => versusRows(r, r.boardPose, poseCells, 4))),
    "hand-eye (Caplab's solver; OpenCV.js has no calibrateHandEye) from each one's board poses, camera-in-base error:\n" +
      table(['condition', 'poses', 'mm', '°'], reports.flatMap((r) => versusRows(r, r.handEye, handEyeCells, 2))),
  ];
  return `${sections.join('\n\n')}\n`;
}
