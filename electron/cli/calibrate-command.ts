/**
 * `caplab calibrate`: camera calibration from JPEG images of a printed checkerboard.
 *   intrinsics IMAGE.jpg … --board 9x6 --square-mm 25 --out FILE [--camera NAME]
 *   hand-eye --calibration FILE --samples SAMPLES.json --board 9x6 --square-mm 25 [--out FILE]
 *   check FILE
 *   capture --url URL --board 9x6 --count N --dir DIR [--timeout-s S]
 *   import-lerobot FILE.json --device NAME [--out FILE]   (an SO-101's joints, from LeRobot)
 *   compare [--views N] [--seed S] [--conditions A,B] [--json]   (Caplab's calibration against OpenCV's)
 * The file format is documented in native/drivers/camera/calibration-file.ts.
 */
import { addHandEye, calibrateIntrinsicsFromImages, type BoardSpec, type RejectedImage } from '../../native/drivers/camera/calibrate-images.ts';
import { loadCameraCalibration, saveCameraCalibration, type CameraCalibration } from '../../native/drivers/camera/calibration-file.ts';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { saveCalibration } from '../../native/drivers/so101/calibration.ts';
import { fromLerobotCalibration, readLerobotCalibration } from '../../native/drivers/so101/lerobot-calibration.ts';
import { captureBoardImages } from '../../native/drivers/camera/capture.ts';
import { type CliIo, UsageError, parseWholeNumber } from './args.ts';
import { calibrateCompare, type CalibrateCompareOptions } from './calibrate-compare-command.ts';

/** Parsed `calibrate` options. */
export interface CalibrateCommandOptions extends CalibrateCompareOptions {
  positionals?: string[];
  board?: string;
  'square-mm'?: string;
  out?: string;
  camera?: string;
  calibration?: string;
  samples?: string;
  url?: string;
  count?: string;
  dir?: string;
  'timeout-s'?: string;
  device?: string;
}

/** `--board 9x6`: inner corners along x and y. */
function parseCorners(options: CalibrateCommandOptions): { innerColumns: number; innerRows: number } {
  const match = /^(\d+)x(\d+)$/i.exec(options.board ?? '');
  if (!match) throw new UsageError(`--board ${options.board ?? '(missing)'}: expected the inner corners as COLUMNSxROWS, e.g. 9x6`);
  const [innerColumns, innerRows] = [Number(match[1]), Number(match[2])];
  if (innerColumns < 3 || innerRows < 2) throw new UsageError(`--board ${options.board}: at least 3x2 inner corners`);
  return { innerColumns, innerRows };
}

/** `--board 9x6` and `--square-mm 25`. */
function parseBoard(options: CalibrateCommandOptions): BoardSpec {
  const corners = parseCorners(options);
  const squareMm = Number(options['square-mm']);
  if (!(squareMm > 0)) throw new UsageError(`--square-mm ${options['square-mm'] ?? '(missing)'}: expected the printed square side in millimetres`);
  return { ...corners, squareM: squareMm / 1000 };
}

function describe(calibration: CameraCalibration): string {
  const { fx, fy, cx, cy } = calibration.intrinsics;
  const lines = [
    `camera ${calibration.camera}: ${calibration.imageSizePx.join('×')} px`,
    `  fx ${fx.toFixed(2)}  fy ${fy.toFixed(2)}  cx ${cx.toFixed(2)}  cy ${cy.toFixed(2)}  k1 ${calibration.distortion.k1.toFixed(4)}  k2 ${calibration.distortion.k2.toFixed(4)}`,
    `  reprojection error ${calibration.rmsErrorPx.toFixed(3)} px (rms)`,
  ];
  if (calibration.cameraInBase) {
    const p = calibration.cameraInBase.positionM.map((v) => v.toFixed(4)).join(', ');
    lines.push(`  camera in robot base: position [${p}] m, quat_wxyz [${calibration.cameraInBase.quatWxyz.map((v) => v.toFixed(4)).join(', ')}]`);
    lines.push(`  hand-eye consistency ${((calibration.handEyeRmsErrorM ?? 0) * 1000).toFixed(2)} mm (rms)`);
  }
  return `${lines.join('\n')}\n`;
}

function reportRejected(rejected: readonly RejectedImage[], io: CliIo): void {
  for (const r of rejected) io.err.write(`skipped ${r.path}: ${r.problem}\n`);
}

/** Execute `caplab calibrate`. */
export async function calibrateCommand(options: CalibrateCommandOptions, io: CliIo): Promise<number> {
  const [action, ...files] = options.positionals ?? [];
  if (action === 'check') {
    if (files.length !== 1) throw new UsageError('calibrate check needs one FILE');
    io.out.write(describe(loadCameraCalibration(files[0]!)));
    return 0;
  }
  if (action === 'intrinsics') {
    if (files.length === 0) throw new UsageError('calibrate intrinsics needs the images (JPEG) as arguments');
    if (!options.out) throw new UsageError('calibrate intrinsics needs --out FILE');
    const { calibration, rejected } = calibrateIntrinsicsFromImages(files, parseBoard(options), options.camera ?? 'camera');
    reportRejected(rejected, io);
    saveCameraCalibration(options.out, calibration);
    io.out.write(`${describe(calibration)}wrote ${options.out}\n`);
    return 0;
  }
  if (action === 'hand-eye') {
    if (!options.calibration || !options.samples) throw new UsageError('calibrate hand-eye needs --calibration FILE and --samples FILE');
    const { calibration, rejected } = addHandEye(loadCameraCalibration(options.calibration), options.samples, parseBoard(options));
    reportRejected(rejected, io);
    const out = options.out ?? options.calibration;
    saveCameraCalibration(out, calibration);
    io.out.write(`${describe(calibration)}wrote ${out}\n`);
    return 0;
  }
  if (action === 'capture') return capture(options, io);
  if (action === 'import-lerobot') return importLerobot(files, options, io);
  if (action === 'compare') return calibrateCompare(options, io);
  throw new UsageError(`calibrate ${action ?? ''}: expected intrinsics, hand-eye, check, capture, import-lerobot or compare`);
}

/** Where an SO-101's calibration goes by default: one file per arm beside the run store. */
export function defaultSo101CalibrationPath(device: string): string {
  return join(homedir(), '.caplab', 'calibration', `so101-${device}.json`);
}

/** `calibrate import-lerobot`: LeRobot's SO-101 calibration as Caplab's (for `--calibration` and the Devices panel). */
function importLerobot(files: readonly string[], options: CalibrateCommandOptions, io: CliIo): number {
  if (files.length !== 1) throw new UsageError('calibrate import-lerobot needs one FILE.json (LeRobot\'s calibration of the arm)');
  if (!options.device || !/^[\w.-]+$/.test(options.device)) throw new UsageError(`--device ${options.device ?? '(missing)'}: name the arm (letters, digits, . _ -), e.g. --device ttyACM0`);
  let calibration;
  try {
    calibration = fromLerobotCalibration(readLerobotCalibration(files[0]!), options.device);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const out = options.out ?? defaultSo101CalibrationPath(options.device);
  if (existsSync(out)) throw new UsageError(`${out} exists; move it away or choose --out FILE (nothing was written)`);
  mkdirSync(dirname(out), { recursive: true });
  saveCalibration(out, calibration);
  for (const joint of calibration.joints) {
    const degrees = (ticks: number) => ((joint.direction * (ticks - joint.zeroTicks) * 360) / 4096).toFixed(1);
    io.out.write(`  ${joint.name.padEnd(14)} id ${joint.id}  zero ${joint.zeroTicks}  range ${joint.minTicks}..${joint.maxTicks} (${degrees(joint.minTicks)}° .. ${degrees(joint.maxTicks)}°)${joint.direction === -1 ? '  reversed' : ''}\n`);
  }
  io.out.write(`wrote ${out}; use it with caplab run --robot so101 --calibration ${out}\n`);
  return 0;
}

/** `calibrate capture`: distinct board views from a live MJPEG camera, saved as JPEG files. */
async function capture(options: CalibrateCommandOptions, io: CliIo): Promise<number> {
  if (!options.url || !options.dir) throw new UsageError('calibrate capture needs --url URL and --dir DIR');
  const count = parseWholeNumber('count', options.count, 12, 3, 200);
  const timeoutMs = parseWholeNumber('timeout-s', options['timeout-s'], 120, 1, 3600) * 1000;
  mkdirSync(options.dir, { recursive: true });
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  io.onInterrupt(stop);
  try {
    const board = parseCorners(options);
    io.out.write(`watching ${options.url} for ${count} views of a ${board.innerColumns}x${board.innerRows} board; move it between views\n`);
    const saved = await captureBoardImages({ url: options.url, board, count, dir: options.dir, timeoutMs, signal: controller.signal, onSaved: (path) => io.out.write(`saved ${path}\n`) });
    io.out.write(`captured ${saved.length} views in ${options.dir}\n`);
    return 0;
  } finally {
    io.offInterrupt(stop);
  }
}
