/**
 * The twin during real runs: expert cube-lift trials followed by a `TwinService`, counting the
 * pose frames the simulator wrote, the frames pushed to the console and the frames recorded,
 * with and without real-time pacing.
 *
 * Run: `npx tsx electron/services/viewer/twin-perf.ts [--paced] [--runs N]` (one JSON line per run).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TIERS } from '../../../shared/api/tiers.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { expertProgramPath, loadTask } from '../trials/catalog.ts';
import { RunStore } from '../storage/run-store.ts';
import { runTrial } from '../trials/trial.ts';
import { TwinService } from './twin-service.ts';

/** One followed run. */
export interface FollowedRunNumbers {
  readonly status: string;
  readonly wallS: number;
  readonly robotS: number;
  readonly framesWritten: number;
  readonly pushes: number;
  readonly pushesPerS: number;
  readonly recordedFrames: number;
}

/** Follow `runs` expert cube-lift trials (seeds 0, 1, …). */
export async function measureFollowedRuns(runs: number, paced: boolean): Promise<FollowedRunNumbers[]> {
  const folder = mkdtempSync(join(tmpdir(), 'caplab-twin-perf-'));
  const store = RunStore.open(join(folder, 'runs.db'));
  let pushes = 0;
  const twin = new TwinService(store, { loaded: () => {}, poses: () => void (pushes += 1) }, { realTimeRuns: paced });
  const task = loadTask('cube-lift');
  const programSource = readFileSync(expertProgramPath('cube-lift', 'S1'), 'utf8');
  const backend = await SimBackend.start(task);
  const results: FollowedRunNumbers[] = [];
  try {
    for (let seed = 0; seed < runs; seed += 1) {
      const run = store.startRun({ robot: 'sim', task: task.id, tier: 'S1', agent: 'expert', seed, programName: 'S1.py', programSource });
      pushes = 0;
      const seqBefore = backend.poses.seq;
      const started = performance.now();
      const stop = await twin.follow(run.id, backend);
      const outcome = await runTrial({ task, seed, programSource, programName: 'S1.py', tier: TIERS.S1, backend });
      await stop();
      const wallS = (performance.now() - started) / 1000;
      const recording = await twin.recording(run.id);
      const round = (value: number): number => Number(value.toFixed(2));
      results.push({
        status: outcome.status,
        wallS: round(wallS),
        robotS: round(outcome.robotSeconds),
        framesWritten: backend.poses.seq - seqBefore,
        pushes,
        pushesPerS: round(pushes / wallS),
        recordedFrames: recording.frames.length,
      });
    }
  } finally {
    await backend.dispose();
    await twin.dispose();
    store.close();
    rmSync(folder, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const runsAt = argv.indexOf('--runs');
  for (const numbers of await measureFollowedRuns(runsAt >= 0 ? Number(argv[runsAt + 1]) : 3, argv.includes('--paced'))) {
    console.log(JSON.stringify(numbers));
  }
}
