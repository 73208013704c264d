/**
 * `run_vla` on the simulator against the scripted emulator over a real websocket: each chunk's
 * round trip (observation out — joints, gripper, two 224 × 224 camera images — and the chunk
 * back), and the control rate held while actions are applied: with the simulator paced to real
 * time (as the console runs it, and as a real arm goes), and unpaced (what the host could do).
 * `caplab perf` reports `vla.chunkRoundTripMs.p50`/`.p99` and `vla.controlHz`.
 *
 * Run alone: `npx tsx electron/services/trials/vla-perf.ts [--runs N]` (one JSON line).
 */
import { pathToFileURL } from 'node:url';
import { TIERS } from '../../../shared/api/tiers.ts';
import { VlaServerConfig } from '../../../shared/vla/config.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { startVlaEmulator } from '../../../native/vla/emulator.ts';
import { loadTask } from './catalog.ts';
import { runTrial } from './trial.ts';
import type { VlaOutcome } from '../vla/vla-loop.ts';

/** What one measurement gives. */
export interface VlaNumbers {
  readonly chunkRoundTripMsP50: number;
  readonly chunkRoundTripMsP99: number;
  /** Actions applied per wall-clock second with the simulator paced to real time (the median of the runs; 30 is the rate asked for). */
  readonly controlHz: number;
  /** The lowest of the paced runs (a loaded machine's stalls of over 50 ms make the simulator's pacing start over, a little behind). */
  readonly controlHzMin: number;
  /** The same, unpaced (the median of the runs). */
  readonly controlHzUnpaced: number;
  /** Robot time per applied action, ms (33.33 at 30 Hz: the robot clock's rate is steady). */
  readonly robotMsPerStep: number;
  readonly chunks: number;
}

const PROGRAM = "import json\nprint('VLA', json.dumps(run_vla('pick up the red cube', 10)))";

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** `runs` cube-stack picks paced to real time and `runs` unpaced (seeds 0, 1, …). */
export async function measureVla(runs = 3): Promise<VlaNumbers> {
  const task = loadTask('cube-stack');
  const [backend, emulator] = await Promise.all([SimBackend.start(task), startVlaEmulator()]);
  const vlaServers = [VlaServerConfig.parse({ name: 'scripted', url: emulator.url })];
  const outcomes: { paced: boolean; vla: VlaOutcome }[] = [];
  try {
    for (const paced of [true, false]) {
      backend.poses.realTime = paced;
      for (let seed = 0; seed < runs; seed += 1) {
        const trial = await runTrial({ task, seed, tier: TIERS.S1, backend, programSource: PROGRAM, programName: 'vla-perf.py', vlaServers });
        const line = /^VLA (.*)$/m.exec(trial.policy.stdout);
        if (!line) throw new Error(`the run_vla measurement did not run: ${trial.reason}`);
        outcomes.push({ paced, vla: JSON.parse(line[1]!) as VlaOutcome });
      }
    }
  } finally {
    backend.poses.realTime = false;
    await Promise.all([backend.dispose(), emulator.close()]);
  }
  const roundTrips = outcomes.flatMap((o) => o.vla.round_trips_ms);
  const round = (value: number): number => Number(value.toFixed(2));
  return {
    chunkRoundTripMsP50: round(quantile(roundTrips, 0.5)),
    chunkRoundTripMsP99: round(quantile(roundTrips, 0.99)),
    controlHz: round(quantile(outcomes.filter((o) => o.paced).map((o) => o.vla.control_hz), 0.5)),
    controlHzMin: round(Math.min(...outcomes.filter((o) => o.paced).map((o) => o.vla.control_hz))),
    controlHzUnpaced: round(quantile(outcomes.filter((o) => !o.paced).map((o) => o.vla.control_hz), 0.5)),
    robotMsPerStep: round((1000 * outcomes.reduce((sum, o) => sum + o.vla.robot_time_s, 0)) / outcomes.reduce((sum, o) => sum + o.vla.steps, 0)),
    chunks: roundTrips.length,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runsAt = process.argv.indexOf('--runs');
  console.log(JSON.stringify(await measureVla(runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 3)));
}
