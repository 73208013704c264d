/**
 * `caplab perf`: the performance suite. Prints each metric as it is measured and writes a flat
 * `{ name: number }` map with `--json` (names fixed in DESIGN.md; add, never rename). With
 * `--compare BASELINE.json` it prints each metric's ratio to the baseline and exits 1 when one got
 * worse than its tolerance (`perf-compare.ts`); `--results FILE` compares a stored run instead of
 * measuring; `--save-baseline FILE` writes this run as a baseline (on purpose, on a quiet machine).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import loadMujoco from '@mujoco/mujoco';
import { TIERS } from '../../shared/api/tiers.ts';
import { SimBackend } from '../../native/sim/sim-backend.ts';
import { measureRpcRoundTrip } from '../../native/runtime/rpc-bench.ts';
import { measureSandboxStart } from '../../native/runtime/sandbox-bench.ts';
import { detectSandbox } from '../../native/runtime/sandbox.ts';
import { measureOmx } from '../../native/drivers/omx/perf.ts';
import { measureSo101 } from '../../native/drivers/so101/perf.ts';
import { measureUrEstop } from '../../native/drivers/ur/perf.ts';
import { measurePipeRoundTrip } from '../../native/runtime/pipe-baseline.ts';
import { measurePhysics } from '../../native/sim/physics-perf.ts';
import { measureFrameMs, measureSensingCost } from '../../native/sim/camera-perf.ts';
import { loadTask } from '../services/trials/catalog.ts';
import { runBench, type TierOutcome } from '../services/trials/bench.ts';
import { RunStore } from '../services/storage/run-store.ts';
import { measureTaskThroughput, measureTrials } from '../services/trials/perf.ts';
import { measureAgentOverhead } from '../services/agents/perf.ts';
import { measureProviderCall } from '../services/providers/perf.ts';
import { UsageError, type CliIo } from './args.ts';
import { measureRigAgent, RIG_AGENT_SEEDS } from './perf-rig-agent.ts';
import { baselineFrom, comparePerf, formatComparison, parseBaseline, type PerfBaseline } from './perf-compare.ts';
import { measureVla } from '../services/trials/vla-perf.ts';
import { measureRewardServer } from '../services/rl/perf.ts';
import { median } from '../../shared/math/stats.ts';

/** Parsed `perf` options. */
export interface PerfCommandOptions {
  json?: string;
  /** Skip the slow bench-throughput metrics. */
  quick?: boolean;
  /** A baseline to compare with (exit 1 when a metric got worse than its tolerance). */
  compare?: string;
  /** Compare (or save) the metrics in this file instead of measuring. */
  results?: string;
  /** Write the metrics as a new baseline, keeping the directions and tolerances of `--compare`'s. */
  'save-baseline'?: string;
  /** Said in a saved baseline's `machine.note` (e.g. how quiet the machine was). */
  note?: string;
  /** Only these steps (comma-separated ids: sim, physics, trials, rpc, camera, drivers, rig, rig-agent, agent, model, ui, bench, vla, rl, tasks). */
  only?: string;
}

type Metrics = Record<string, number>;


async function measureSim(metrics: Metrics): Promise<void> {
  const backend = await SimBackend.start(loadTask('cube-lift'));
  try {
    await backend.reset(0);
    const runs: number[] = [];
    for (let i = 0; i < 5; i += 1) runs.push(await backend.stepsPerSecond(20_000));
    metrics['sim.stepsPerSecond'] = Math.round(median(runs));
  } finally {
    await backend.dispose();
  }
}

/** Bare `mj_step` against the workcell's stepping in this thread, and native MuJoCo (Python) where it imports. */
async function measurePhysicsRatios(metrics: Metrics, io: CliIo): Promise<void> {
  const speed = await measurePhysics(await loadMujoco(), loadTask('cube-lift'));
  metrics['sim.bareStepsPerSecond'] = speed.bareStepsPerSecond;
  metrics['sim.workcellStepRatio'] = round(speed.workcellStepsPerSecond / speed.bareStepsPerSecond);
  if (speed.nativeStepsPerSecond === null) {
    io.err.write(`  sim.nativeRatio skipped: ${speed.nativeSkipped}\n`);
    return;
  }
  metrics['sim.nativeStepsPerSecond'] = speed.nativeStepsPerSecond;
  metrics['sim.nativeRatio'] = round(speed.bareStepsPerSecond / speed.nativeStepsPerSecond);
}

/** Consecutive cube-lift S1 expert trials on one simulator: wall time and the physics share of it. */
async function measureTrialTimes(metrics: Metrics): Promise<void> {
  const trials = await measureTrials('cube-lift', 'S1');
  metrics['trial.wallMs.median'] = round(trials.wallMedianMs);
  metrics['trial.wallMs.p90'] = round(trials.wallP90Ms);
  metrics['trial.physicsMs.median'] = round(trials.physicsMedianMs);
  metrics['trial.physicsShare'] = round(trials.physicsShare);
}

/** Expert trials per minute of every task (one worker, the simulator's start included). */
async function measureTasks(metrics: Metrics): Promise<void> {
  for (const [taskId, perMinute] of Object.entries(await measureTaskThroughput())) metrics[`bench.trialsPerMinute.${taskId}`] = round(perMinute);
}

async function measureCamera(metrics: Metrics): Promise<void> {
  // cube-stack's frames at easy (perfect images) and at standard (its sensor model: noise, missing depth, lighting, a distractor).
  for (const [metric, level] of [['camera.frameMs', 'easy'], ['camera.frameMs.standard', 'standard']] as const) {
    const backend = await SimBackend.start(loadTask('cube-stack', undefined, level));
    try {
      metrics[metric] = round(await measureFrameMs(backend));
    } finally {
      await backend.dispose();
    }
  }
  Object.assign(metrics, measureSensingCost(await loadMujoco(), loadTask('cube-stack', undefined, 'standard')));
}

async function measureSo101Bus(metrics: Metrics): Promise<void> {
  const so101 = await measureSo101();
  metrics['estop.serialMs.median'] = round(so101.estopMedianMs);
  metrics['estop.serialMs.p99'] = round(so101.estopP99Ms);
  metrics['so101.loopHz'] = round(so101.loopHz);
  metrics['so101.loopHzLimit1Mbaud'] = round(so101.loopHzLimit);
  const omx = await measureOmx();
  metrics['estop.dynamixelMs.median'] = round(omx.estopMedianMs);
  metrics['estop.dynamixelMs.p99'] = round(omx.estopP99Ms);
  metrics['omx.loopHz'] = round(omx.loopHz);
  metrics['omx.loopHzLimit1Mbaud'] = round(omx.loopHzLimit);
  metrics['omx.loopTimeouts'] = omx.loopTimeouts;
  const ur = await measureUrEstop();
  metrics['estop.urMs.median'] = round(ur.medianMs);
  metrics['estop.urMs.p99'] = round(ur.p99Ms);
}

/** The sandbox's added policy start time (median with minus median without), where there is one. */
async function measureSandbox(metrics: Metrics, io: CliIo): Promise<void> {
  if (detectSandbox().kind === 'none') {
    io.err.write(`  runtime.sandboxStartMs skipped: ${detectSandbox().detail}\n`);
    return;
  }
  const start = await measureSandboxStart(15);
  metrics['runtime.policyStartMs'] = round(start.sandboxedMs);
  metrics['runtime.policyStartMs.unsandboxed'] = round(start.unsandboxedMs);
  metrics['runtime.sandboxStartMs'] = round(start.addedMs);
}

async function measureRpc(metrics: Metrics, io: CliIo): Promise<void> {
  await measureSandbox(metrics, io);
  const rpc = await measureRpcRoundTrip(5000);
  metrics['rpc.roundTripUs.median'] = round(rpc.medianUs);
  metrics['rpc.roundTripUs.p99'] = round(rpc.p99Us);
  const pipe = await measurePipeRoundTrip(5000);
  metrics['rpc.pipeBaselineUs.median'] = round(pipe.medianUs);
  metrics['rpc.overheadRatio'] = round(rpc.medianUs / pipe.medianUs);
}

/** Bench throughput as `caplab bench` runs it, 24 trials a worker (its simulator's ~0.45 s start amortised as in a real bench), each committed to a run store (`store.trialCommitMs`). */
async function measureBench(metrics: Metrics): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'caplab-perf-bench-'));
  const store = RunStore.open(join(dir, 'caplab.db'));
  const commitMs: number[] = [];
  try {
    for (const workers of [1, 2]) {
      const trials = 24 * workers;
      const matrixId = store.matrices.create('cli', { perf: true, workers }, trials);
      const onTrialDone = ({ tier, outcome }: TierOutcome): void => {
        const startMs = performance.now();
        store.matrices.commit(matrixId, 'agent', tier, outcome);
        commitMs.push(performance.now() - startMs);
      };
      const { reports } = await runBench({ taskIds: ['cube-lift'], trials, workers, seed: 1000, tiers: [TIERS.S1], agent: 'expert', onTrialDone });
      const report = reports[0]!;
      metrics[`bench.trialsPerMinute.workers${workers}`] = round((trials / report.wallSeconds) * 60);
    }
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  metrics['bench.scalingRatio'] = round((metrics['bench.trialsPerMinute.workers2'] ?? 0) / (metrics['bench.trialsPerMinute.workers1'] ?? 1));
  metrics['store.trialCommitMs'] = round(median(commitMs));
}

async function measureRl(metrics: Metrics): Promise<void> {
  const rl = await measureRewardServer();
  metrics['rl.rewardsPerMinute.workers1'] = round(rl.rewardsPerMinute[1]);
  metrics['rl.rewardsPerMinute.workers2'] = round(rl.rewardsPerMinute[2]);
  metrics['rl.scalingRatio'] = round(rl.rewardsPerMinute[2] / rl.rewardsPerMinute[1]);
  metrics['rl.rewardLatencyMs.p50'] = round(rl.latencyMs.p50);
  metrics['rl.rewardLatencyMs.p99'] = round(rl.latencyMs.p99);
  metrics['rl.rewardErrors'] = rl.latencyMs.errors;
}

async function measureAgent(metrics: Metrics): Promise<void> {
  const agent = await measureAgentOverhead();
  metrics['agent.hostOverheadMs'] = round(agent.hostMedianMs);
  metrics['agent.hostOverheadMs.max'] = round(agent.hostMaxMs);
  metrics['agent.modelMs.median'] = round(agent.modelMedianMs);
  metrics['agent.simMs.median'] = round(agent.simMedianMs);
  metrics['agent.turnsMeasured'] = agent.turns;
}

async function measureProvider(metrics: Metrics): Promise<void> {
  const call = await measureProviderCall();
  metrics['model.replayCallMs.median'] = round(call.medianMs);
  metrics['model.replayCallMs.p99'] = round(call.p99Ms);
}

async function measureVlaCalls(metrics: Metrics): Promise<void> {
  const vla = await measureVla();
  metrics['vla.chunkRoundTripMs.p50'] = vla.chunkRoundTripMsP50;
  metrics['vla.chunkRoundTripMs.p99'] = vla.chunkRoundTripMsP99;
  metrics['vla.controlHz'] = vla.controlHz;
  metrics['vla.controlHz.min'] = vla.controlHzMin;
  metrics['vla.controlHz.unpaced'] = vla.controlHzUnpaced;
  metrics['vla.robotMsPerStep'] = vla.robotMsPerStep;
}

/** UI metrics in headless Chromium (`electron/perf/ui-perf.ts`: playwright-core and Debian's Chromium). */
async function measureUiMetrics(metrics: Metrics, io: CliIo): Promise<void> {
  const uiPerf = await import('../perf/ui-perf.ts').catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  const missing = uiPerf instanceof Error ? uiPerf.message : uiPerf.chromiumMissing();
  if (missing !== null || uiPerf instanceof Error) {
    io.err.write(`  UI metrics skipped: ${missing}\n`);
    return;
  }
  const ui = await uiPerf.measureUi({ log: (line) => io.err.write(`${line}\n`) });
  metrics['estop.uiToSimMs.median'] = round(ui.estopMedianMs);
  metrics['estop.uiToSimMs.p99'] = round(ui.estopP99Ms);
  metrics['estop.uiToSimMs.presses'] = ui.estopPresses;
  metrics['ui.twinFps'] = round(ui.twinFps);
  metrics['ui.twinPixelRatio'] = ui.twinPixelRatio;
  metrics['ui.twinBodies'] = ui.twinBodies;
  metrics['ui.serveToInteractiveMs'] = round(ui.serveToInteractiveMedianMs);
  metrics['ui.serveToInteractiveMs.max'] = round(ui.serveToInteractiveMaxMs);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Execute `caplab perf`. */
export async function perfCommand(options: PerfCommandOptions, io: CliIo): Promise<number> {
  const baseline = options.compare ? parseBaseline(readFileSync(options.compare, 'utf8'), options.compare) : null;
  const metrics = options.results ? (JSON.parse(readFileSync(options.results, 'utf8')) as Metrics) : await measureAll(options, io);
  if (options.json) {
    writeFileSync(options.json, `${JSON.stringify(metrics, null, 2)}\n`);
    io.out.write(`wrote ${options.json}\n`);
  }
  if (options['save-baseline']) saveBaseline(options['save-baseline'], metrics, baseline, options.note ?? '', io);
  if (!baseline) return 0;
  const rows = comparePerf(baseline, metrics);
  io.out.write(`compared with ${options.compare} (measured on ${describe(baseline)}):\n${formatComparison(rows)}`);
  return rows.some((row) => row.verdict === 'worse') ? 1 : 0;
}

function describe(baseline: PerfBaseline): string {
  const { cpu, cores, measuredAt } = baseline.machine;
  return [cpu, cores !== undefined ? `${cores} cores` : null, measuredAt].filter(Boolean).join(', ');
}

function saveBaseline(path: string, metrics: Metrics, previous: PerfBaseline | null, note: string, io: CliIo): void {
  writeFileSync(path, `${JSON.stringify(baselineFrom(metrics, previous, note), null, 2)}\n`);
  io.out.write(`wrote the baseline ${path}\n`);
}

/** Run every step, printing each metric as it comes. */
/** The suite's steps: id (for `--only`), what it measures, how. */
function perfSteps(io: CliIo): Array<[string, string, (m: Metrics) => Promise<void>]> {
  return [
    ['sim', 'simulator stepping (cube-lift workcell)', measureSim],
    ['physics', 'physics: bare mj_step vs the workcell in this thread, and native MuJoCo (Python bindings) where installed', (m) => measurePhysicsRatios(m, io)],
    ['trials', 'trials: 12 cube-lift S1 expert trials on one simulator (wall time, physics share)', measureTrialTimes],
    ['rpc', 'policy start with and without the sandbox; RPC round trip (Python → host → Python), and a plain pipe for comparison', (m) => measureRpc(m, io)],
    ['camera', 'camera: one 640×480 RGB + depth + segmentation frame by ray casting', measureCamera],
    ['drivers', 'real-arm drivers against emulators: e-stop latency (SO-101 and OMX serial, UR TCP) and the SO-101 and OMX loops', measureSo101Bus],
    ['rig', 'virtual bench (SO-101 in MuJoCo behind its pty): the driver\'s control loop, STOP → the physical joints limp, camera frame → object poses, a rehearsal twin rebuilt from the camera', async (m) => {
      Object.assign(m, await (await import('../../native/rig/perf.ts')).measureRig(loadTask('cube-lift')));
      m['rig.rehearsalMs'] = round(await (await import('../services/robots/rehearsal-perf.ts')).measureRehearsal(loadTask('cube-lift')));
    }],
    ['rig-agent', `virtual bench, SO-101: a multi-turn agent (recorded exchanges) on cube-lift and cube-stack, ${RIG_AGENT_SEEDS} seeds each, camera-judged and compared with the physics (only with --only rig-agent: about half an hour)`, (m) => measureRigAgent(m, io)],
    ['agent', 'agent turns against the local replay server (multi-turn cube-stack, M3): host overhead per turn', measureAgent],
    ['model', 'model call: streamed 40-line answer from the local replay server (client + server, no model latency)', measureProvider],
    ['ui', 'UI in headless Chromium: serve → interactive, twin fps (2 arms, 10 objects), STOP click → simulator halt (30 runs)', (m) => measureUiMetrics(m, io)],
    ['bench', 'bench throughput, 1 and 2 workers (cube-lift expert), each trial committed to a run store as it finishes (its commit time)', measureBench],
    ['vla', 'run_vla: chunk round trips to the scripted OpenPI emulator, and the control rate (30 Hz asked, real-time and unpaced)', measureVlaCalls],
    ['rl', 'reward server over HTTP: rewards per minute with 1 and 2 worker slots (cube-lift expert), latency p50/p99 at 64 concurrent requests', measureRl],
    ['tasks', 'bench throughput per task (every task, S1 expert, 4 trials, 1 worker)', measureTasks],
  ];
}

/** Run the steps (`--only` ids, else all; `--quick` leaves out the bench steps), printing each metric as it comes. */
async function measureAll(options: PerfCommandOptions, io: CliIo): Promise<Metrics> {
  const metrics: Metrics = {};
  const all = perfSteps(io);
  const only = options.only?.split(',').map((id) => id.trim());
  const unknown = only?.filter((id) => !all.some(([known]) => known === id)) ?? [];
  if (unknown.length > 0) throw new UsageError(`--only ${options.only}: no step ${unknown.join(', ')}; steps: ${all.map(([id]) => id).join(', ')}`);
  const steps = all
    .filter(([id]) => (only ? only.includes(id) : id !== 'rig-agent' && !(options.quick && (id === 'bench' || id === 'tasks' || id === 'rl'))))
    .map(([, label, measure]) => [label, measure] as const);
  for (const [index, [label, measure]] of steps.entries()) {
    io.err.write(`[${index + 1}/${steps.length}] ${label}…\n`);
    const before = new Set(Object.keys(metrics));
    await measure(metrics);
    for (const [name, value] of Object.entries(metrics)) {
      if (!before.has(name)) io.out.write(`  ${name.padEnd(34)} ${value}\n`);
    }
  }
  return metrics;
}
