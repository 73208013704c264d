/**
 * `caplab calibrate compare [--views N] [--seed S] [--conditions A,B] [--json]`: Caplab's
 * checkerboard detection, Zhang intrinsics, board pose and hand-eye against OpenCV's WebAssembly
 * build on rendered boards with known ground truth (`native/drivers/camera/calibration-compare.ts`).
 */
import { COMPARE_CONDITIONS, compareCalibration } from '../../native/drivers/camera/calibration-compare.ts';
import { formatComparison } from '../../native/drivers/camera/calibration-compare-report.ts';
import { type CliIo, UsageError, parseSeed, parseWholeNumber } from './args.ts';

/** The options `calibrate compare` reads. */
export interface CalibrateCompareOptions {
  views?: string;
  seed?: string;
  conditions?: string;
  json?: boolean;
}

function parseConditions(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  const known = COMPARE_CONDITIONS.map((c) => c.name);
  const unknown = names.filter((name) => !known.includes(name));
  if (names.length === 0 || unknown.length > 0) throw new UsageError(`--conditions ${value}: expected some of ${known.join(', ')}`);
  return names;
}

/** Run the comparison and print its tables (or one JSON document). */
export async function calibrateCompare(options: CalibrateCompareOptions, io: CliIo): Promise<number> {
  const views = parseWholeNumber('views', options.views, 12, 3, 200);
  const seed = parseSeed(options.seed);
  const conditions = parseConditions(options.conditions);
  if (!options.json) io.out.write(`rendering ${views} boards per condition and calibrating each way (about a second per view)…\n`);
  const result = await compareCalibration({ views, seed, conditions });
  io.out.write(options.json ? `${JSON.stringify(result)}\n` : formatComparison(result));
  return 0;
}
