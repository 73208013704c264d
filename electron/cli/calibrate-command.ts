/**
 * `caplab calibrate`: camera calibration from JPEG images of a printed checkerboard.
 *   intrinsics IMAGE.jpg … --board 9x6 --square-mm 25 --out FILE [--camera NAME]
 *   hand-eye --calibration FILE --samples SAMPLES.json --board 9x6 --square-mm 25 [--out FILE]
 *   check FILE
 *   capture --url URL --board 9x6 --count N --dir DIR [--timeout-s S]
 *   import-lerobot FILE.json --device NAME [--out FILE]   (an SO-101's joints, from LeRobot)
 *   compare [--views N] [--seed S] [--conditions A,B] [--json]   (Caplab's calibration against OpenCV's)
 *   colour (--url URL | --image FILE.jpg) --object NAME --at U,V --out FILE [--camera NAME]
 *                                  (an object's colour as this camera sees it, taught by pointing at it)
 * The file format is documented in native/drivers/camera/calibration-file.ts.
 */
import { addHandEye, calibrateIntrinsicsFromImages, type BoardSpec, type RejectedImage } from '../../native/drivers/camera/calibrate-images.ts';
import { loadCameraCalibration, saveCameraCalibration, type CameraCalibration } from '../../native/drivers/camera/calibration-file.ts';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { saveCalibration } from '../../native/drivers/so101/calibration.ts';
import { fromLerobotCalibration, readLerobotCalibration } from '../../native/drivers/so101/lerobot-calibration.ts';
import { captureBoardImages } from '../../native/drivers/camera/capture.ts';
import { MjpegCamera, type CameraError, type RgbImage } from '../../native/drivers/camera/mjpeg-client.ts';
import { emptyColourBook, loadColourBook, saveColourBook, teachColour, TeachError, type ColourBook } from '../../native/perception/colour-teach.ts';
import { decodeJpeg } from '../../native/perception/jpeg-image.ts';
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
  object?: string;
  at?: string;
  image?: string;
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
  if (action === 'colour' || action === 'color') return teachColourCommand(options, io);
  throw new UsageError(`calibrate ${action ?? ''}: expected intrinsics, hand-eye, check, capture, import-lerobot, compare or colour`);
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

/** `--at U,V`: a pixel of the camera's image. */
function parsePixel(text: string | undefined): [number, number] {
  const match = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(text ?? '');
  if (!match) throw new UsageError(`--at ${text ?? '(missing)'}: expected the pixel the object is at, as U,V (column, row from the image's top left), e.g. 320,240`);
  return [Number(match[1]), Number(match[2])];
}

/** The camera's next frame, or an Error saying why there is none. */
function nextFrame(url: string, timeoutMs: number): Promise<RgbImage> {
  const camera = new MjpegCamera({ url, stallTimeoutMs: timeoutMs });
  return new Promise<RgbImage>((resolve, reject) => {
    const finish = (done: () => void): void => {
      clearTimeout(timer);
      camera.dispose();
      done();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`no frame from ${url} within ${timeoutMs} ms${camera.lastError ? ` (${camera.lastError.message})` : ''}`))), timeoutMs);
    camera.once('frame', (frame: RgbImage) => finish(() => resolve(frame)));
    camera.on('fault', (error: CameraError) => {
      if (!error.flags.badFrame) finish(() => reject(new Error(`the camera at ${url}: ${error.message}`)));
    });
    camera.start();
  });
}

/** `calibrate colour`: teach an object's colour from one image of the camera, into a colour book. */
async function teachColourCommand(options: CalibrateCommandOptions, io: CliIo): Promise<number> {
  if (!options.object) throw new UsageError('calibrate colour needs --object NAME (the task\'s object, e.g. cube or cube_red)');
  if (!/^[a-z][a-z0-9_]*$/.test(options.object)) throw new UsageError(`--object ${options.object}: a task's object name (lower_snake_case, e.g. cube_red)`);
  if (!options.out) throw new UsageError('calibrate colour needs --out FILE (the colour book; taught colours are added to it)');
  if (Boolean(options.url) === Boolean(options.image)) throw new UsageError('calibrate colour needs the image: --url URL (the camera\'s next frame) or --image FILE.jpg (a frame saved from it)');
  const at = parsePixel(options.at);
  let book: ColourBook = emptyColourBook(options.camera ?? null);
  if (existsSync(options.out)) {
    try {
      book = loadColourBook(options.out);
    } catch (error) {
      throw new UsageError(`--out: ${(error as Error).message}; it is left as it is`);
    }
  }
  let image: RgbImage;
  try {
    image = options.url ? await nextFrame(options.url, parseWholeNumber('timeout-s', options['timeout-s'], 5, 1, 600) * 1000) : decodeJpeg(readFileSync(options.image!));
  } catch (error) {
    io.err.write(`calibrate colour: ${(error as Error).message}\n`);
    return 1;
  }
  let taught;
  try {
    taught = teachColour(image, at, options.object);
  } catch (error) {
    if (!(error instanceof TeachError)) throw error;
    io.err.write(`calibrate colour: nothing taught: ${error.message}\n`);
    return 1;
  }
  const before = book.colours[options.object];
  const saved: ColourBook = { ...book, camera: options.camera ?? book.camera, colours: { ...book.colours, [options.object]: taught } };
  saveColourBook(options.out, saved);
  const count = Object.keys(saved.colours).length;
  const [u0, v0, u1, v1] = taught.boxPx;
  io.out.write(`${options.object}: hue ${taught.hueDeg.toFixed(1)}°, saturation ${taught.saturation.toFixed(2)} from ${taught.pixels} px at (${at.join(', ')}), box ${u0},${v0}–${u1},${v1}${before ? ` (was hue ${before.hueDeg.toFixed(1)}°)` : ''}\n`);
  if (taught.lookalikes > 0) {
    const where = taught.lookalikeBoxesPx.map(([a, b, c, d]) => `${a},${b}–${c},${d}`).join(', ');
    io.out.write(`warning: ${taught.lookalikes} other patch${taught.lookalikes === 1 ? '' : 'es'} of this colour in the image (box${taught.lookalikes === 1 ? '' : 'es'} ${where}${taught.lookalikes > 5 ? ', …' : ''}): perception may take ${taught.lookalikes === 1 ? 'it' : 'them'} for ${options.object} where ${taught.lookalikes === 1 ? 'it is' : 'they are'} larger than what it sees of it\n`);
  }
  io.out.write(`wrote ${options.out} (${count} colour${count === 1 ? '' : 's'}); use it with caplab run --camera … --colours ${options.out}\n`);
  return 0;
}
