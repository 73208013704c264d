/** LeRobotDataset v3 export (being written). */
import type { RunExportData } from './run-data.ts';

/** How to export. */
export interface LerobotOptions {
  readonly fps: number;
  readonly video?: 'auto' | 'images';
}

/** What was written. */
export interface LerobotSummary {
  readonly episodes: number;
  readonly frames: number;
  readonly notes: readonly string[];
}

/** Not yet written. */
export async function exportLerobot(_runs: readonly RunExportData[], _dir: string, _options: LerobotOptions): Promise<LerobotSummary> {
  throw new Error('not yet');
}
