/**
 * `caplab perf --only rig-agent`: a multi-turn coding agent on the virtual bench's SO-101 over its
 * real transports (the STS3215 emulator behind a socat pty pair, the overhead camera as MJPEG on
 * loopback HTTP), one bench per seed, the model the local replay server replaying the hand-written
 * recording `resources/recordings/arms/so101.json` (a recording, not a live model). Each episode
 * runs as `caplab run --robot so101 --camera … --agent multi-turn --approve` does (every program
 * rehearsed on a twin rebuilt from the camera, approved, run through the supervisor) and is judged
 * by camera; the bench's physics judges the same span, and the two are compared.
 */
import { fileURLToPath } from 'node:url';
import { TIERS } from '../../../shared/api/tiers.ts';
import { judgeByCamera } from '../../../shared/camera-judge.ts';
import { CameraEyes } from '../../../native/perception/camera-eyes.ts';
import { benchTask } from '../../../native/rig/bench-scene.ts';
import { twinTruth } from '../../../native/rig/rehearsal-twin.ts';
import { VirtualBench } from '../../../native/rig/virtual-bench.ts';
import { loadRecordings } from '../providers/recordings.ts';
import { createProvider } from '../providers/registry.ts';
import { ReplayServer } from '../providers/replay-server.ts';
import { withCameraPerception } from '../robots/camera-perception.ts';
import { connectSo101 } from '../robots/real-robot.ts';
import { fixedArming } from '../supervision/arming.ts';
import { loadTask } from '../trials/catalog.ts';
import { runArmAgent } from './arm-episode.ts';

const RECORDING = fileURLToPath(new URL('../../../resources/recordings/arms/so101.json', import.meta.url));

/** One episode: how the camera and the physics judged it, and the turns it took. */
export interface ArmAgentEpisode {
  readonly taskId: string;
  readonly seed: number;
  readonly status: string;
  readonly reason: string;
  /** A program ran on the arm and the camera judged the episode (else every rehearsal failed, or a program failed on the twin: the arm never moved). */
  readonly cameraJudged: boolean;
  readonly cameraSuccess: boolean;
  readonly physicsSuccess: boolean;
  readonly turns: number;
  readonly wallS: number;
}

/** Run the multi-turn agent on `tasks` × `seeds`, one bench each; `onEpisode` hears each as it ends. */
export async function measureArmAgent(tasks: readonly string[], seeds: readonly number[], onEpisode?: (episode: ArmAgentEpisode) => void): Promise<ArmAgentEpisode[]> {
  const server = await ReplayServer.start({ recordings: loadRecordings(RECORDING) });
  const model = createProvider('openai-compatible:replay', { CAPLAB_OPENAI_COMPATIBLE_BASE_URL: server.openaiBaseUrl });
  const episodes: ArmAgentEpisode[] = [];
  try {
    for (const taskId of tasks) {
      const task = loadTask(taskId);
      for (const seed of seeds) {
        const episode = await oneEpisode(task, seed, model);
        episodes.push(episode);
        onEpisode?.(episode);
      }
    }
  } finally {
    await server.close();
  }
  return episodes;
}

async function oneEpisode(task: ReturnType<typeof loadTask>, seed: number, model: ReturnType<typeof createProvider>): Promise<ArmAgentEpisode> {
  const started = performance.now();
  const bench = await VirtualBench.start({ arm: 'so101', task, seed });
  const sized = benchTask(task, bench.arm.sizing);
  const eyes = await CameraEyes.open({ url: bench.cameraUrl, calibration: bench.cameraCalibration(), objects: sized.objects });
  const robot = withCameraPerception(await connectSo101(bench.serialPath), eyes, { task });
  try {
    const truthBefore = twinTruth(bench);
    const result = await runArmAgent({ agent: 'multi-turn', robot, task, predicate: sized.success, tier: TIERS.M4, models: [model], arming: fixedArming(true), approve: async () => true });
    const physics = judgeByCamera(sized.success, truthBefore, twinTruth(bench));
    const { outcome } = result;
    return {
      taskId: task.id,
      seed,
      status: outcome.status,
      reason: outcome.reason,
      cameraJudged: outcome.cameraJudged !== undefined,
      cameraSuccess: outcome.cameraJudged?.success ?? false,
      physicsSuccess: physics.success,
      turns: result.turns.length,
      wallS: (performance.now() - started) / 1000,
    };
  } finally {
    await robot.backend.dispose();
    eyes.dispose();
    await bench.dispose();
  }
}

/** The metrics of a sweep: per task the camera-judged success rate, and how often the camera agreed with the physics (over camera-judged episodes). */
export function armAgentMetrics(episodes: readonly ArmAgentEpisode[]): Record<string, number> {
  const metrics: Record<string, number> = {};
  const round = (v: number): number => Math.round(v * 1000) / 1000;
  for (const taskId of new Set(episodes.map((e) => e.taskId))) {
    const mine = episodes.filter((e) => e.taskId === taskId);
    metrics[`rig.agent.${taskId}.successRate`] = round(mine.filter((e) => e.cameraSuccess).length / mine.length);
    metrics[`rig.agent.${taskId}.physicsSuccessRate`] = round(mine.filter((e) => e.physicsSuccess).length / mine.length);
  }
  const judged = episodes.filter((e) => e.cameraJudged);
  metrics['rig.agent.cameraAgreement'] = judged.length ? round(judged.filter((e) => e.cameraSuccess === e.physicsSuccess).length / judged.length) : Number.NaN;
  metrics['rig.agent.episodes'] = episodes.length;
  return metrics;
}
