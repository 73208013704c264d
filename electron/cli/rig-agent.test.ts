// Coding agents on a connected arm, over the real transports: the virtual bench (MuJoCo physics
// behind the STS3215 emulator on a socat pty pair, its overhead camera as MJPEG on loopback HTTP),
// `caplab run --robot so101 --agent multi-turn|single-turn|agent0` against the replay server with the
// hand-written recording resources/recordings/arms/so101.json (a recording, never a live model).
// Each program is rehearsed on a twin rebuilt from the camera; one whose rehearsal fails never
// reaches the arm, and the model is told so; the episode is camera-judged and compared here with
// the bench's physics.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { judgeByCamera } from '../../shared/camera-judge.ts';
import { saveCameraCalibration } from '../../native/drivers/camera/calibration-file.ts';
import { benchTask } from '../../native/rig/bench-scene.ts';
import { twinTruth } from '../../native/rig/rehearsal-twin.ts';
import { SO101_BENCH } from '../../native/rig/so101-bench.ts';
import { VirtualBench } from '../../native/rig/virtual-bench.ts';
import { loadRecordings } from '../services/providers/recordings.ts';
import { ReplayServer } from '../services/providers/replay-server.ts';
import { RunStore } from '../services/storage/run-store.ts';
import { loadTask } from '../services/trials/catalog.ts';
import { main } from './main.ts';
import { capture } from './test-io.ts';

// Replies cross socat on a loaded machine (the physics and the emulator share a thread).
process.env['CAPLAB_SERIAL_TIMEOUT_MS'] = '500';

// An episode on the bench runs in real time: several rehearsals and a real run of the arm take
// 30-55 s on a loaded 2-core machine, near the suite's 60 s default, so an episode gets more.
const EPISODE_TIMEOUT_MS = 180_000;
const RECORDING = fileURLToPath(new URL('../../resources/recordings/arms/so101.json', import.meta.url));
let replay: ReplayServer;
let dir: string;
let bench: VirtualBench | null = null;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'caplab-rig-agent-'));
  replay = await ReplayServer.start({ recordings: loadRecordings(RECORDING) });
  vi.stubEnv('CAPLAB_OPENAI_COMPATIBLE_BASE_URL', replay.openaiBaseUrl);
  vi.stubEnv('CAPLAB_NO_KEYCHAIN', '1');
});
afterEach(async () => {
  await bench?.dispose();
  bench = null;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await replay.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The physics' actuator targets: what the servos were told (unchanged: the arm did not move). */
const servoTargets = (on: VirtualBench): number[] => Array.from(on.physics.data.ctrl as Float64Array);

function calibrationFile(on: VirtualBench): string {
  const path = join(dir, `camera-${Math.random().toString(36).slice(2)}.json`);
  saveCameraCalibration(path, on.cameraCalibration());
  return path;
}

const count = (text: string, pattern: RegExp): number => text.match(new RegExp(pattern.source, 'gm'))?.length ?? 0;

describe('an agent on the SO-101 with its camera (recorded exchanges)', () => {
  it('multi-turn: a program whose rehearsal fails never reaches the arm and becomes the feedback; the next one is rehearsed, approved and run, and the camera judges the episode as the physics does', async () => {
    bench = await VirtualBench.start({ arm: 'so101', task: loadTask('cube-lift'), seed: 3 });
    const on = bench;
    const truthBefore = twinTruth(on);
    const targetsBefore = servoTargets(on);
    const db = join(dir, 'multi-turn.db');
    const c = capture();
    // What the real arm's servos were told when turn 1 ended (its record is printed then).
    let targetsAfterTurn1: number[] | null = null;
    c.io.out.on('data', () => {
      if (targetsAfterTurn1 === null && /── decision: /.test(c.out())) targetsAfterTurn1 = servoTargets(on);
    });
    const code = await main(
      ['run', '--robot', 'so101', '--port', on.serialPath, '--camera', on.cameraUrl, '--camera-calibration', calibrationFile(on), '--task', 'cube-lift',
        '--agent', 'multi-turn', '--model', 'openai-compatible:replay', '--armed', '--approve', '--db', db],
      c.io,
    );
    const out = c.out();
    expect(out).toMatch(/^caplab run · so101 at .* · task cube-lift · tier M4 · agent multi-turn · model openai-compatible:replay · armed$/m);
    // Turn 1 (flawed on purpose: the jaws close 3 cm above the cube): the twin's physics says the
    // cube was not raised, nobody is asked, the real arm's servos were never told anything.
    const turn1 = out.slice(0, out.indexOf('── decision: '));
    expect(turn1).toMatch(/── rehearsal on a twin rebuilt from the camera: cube at \(0\.\d+, -?0\.\d+, 0\.\d+\) m/);
    expect(turn1).toMatch(/── twin: failure: the rehearsal failed: cube raised -?0\.0\d\d m \(needs 0\.024 m\) on the twin \(its physics\)/);
    expect(turn1).toMatch(/── program ended: failure \(the twin run ended failure \(the rehearsal failed: .*\); the real arm was not moved\)/);
    expect(turn1).not.toMatch(/now on the real arm/);
    expect(targetsAfterTurn1).toEqual(targetsBefore);
    // …and that is what the model was told.
    expect(turn1).toMatch(/── feedback to the model\n {3}## The real arm did not move\n {3}Your program was rehearsed on a twin of the scene rebuilt from the camera/);
    expect(turn1).toMatch(/## Result of your program on the twin\n {3}Status: completed/);
    // The arm moves only after a rehearsal that succeeded, with the operator's approval, each time.
    const rehearsed = count(out, /^── twin: completed: rehearsed: cube raised/);
    expect(count(out, /^approved \(--approve\): now on the real arm$/)).toBe(rehearsed);
    const store = RunStore.open(db);
    try {
      const [run] = store.listRuns({});
      expect(run).toMatchObject({ robot: 'so101', task: 'cube-lift', tier: 'M4', agent: 'multi-turn' });
      expect(store.getRun(run!.id)).toMatchObject({ model: 'openai-compatible:replay' });
      const turns = store.getRun(run!.id)!.turns;
      expect(turns.length).toBe(count(out, /^── decision: /));
      expect(turns[0]).toMatchObject({ decision: 'run', policy: { status: 'failure' }, feedback: expect.stringContaining('The real arm did not move') });
      // Each approval is in the safety log, with the arming and nothing else for this run.
      expect(store.safetyLog.recent(50).filter((e) => e.reason?.endsWith(`(run ${run!.id})`)).map((e) => e.action).sort()).toEqual(['arm', ...Array<string>(rehearsed).fill('approve')].sort());
      if (rehearsed === 0) {
        // Every rehearsal failed (the twin's physics, like the bench's, drops time on a loaded machine): the arm never moved.
        expect(code).toBe(1);
        expect(servoTargets(on)).toEqual(targetsBefore);
        return;
      }
      // The episode's verdict is the camera's, from the view before turn 1 to the view after the
      // last program, and it is the physics' verdict on the same span.
      const truth = judgeByCamera(benchTask(loadTask('cube-lift'), SO101_BENCH.sizing).success, truthBefore, twinTruth(on));
      const last = out.trimEnd().split('\n').at(-1)!;
      expect(last).toMatch(truth.success ? /^success: cube raised .*\(camera-judged\)$/ : /^failure: cube .*\(camera-judged\)/);
      expect(code).toBe(truth.success ? 0 : 1);
      expect(store.getRun(run!.id)).toMatchObject({ status: truth.success ? 'success' : 'failure' });
      // The recording's FINISH ends the episode once the camera saw the cube go (a success).
      if (truth.success) expect(turns.at(-1)).toMatchObject({ decision: 'finish' });
    } finally {
      store.close();
    }
  }, EPISODE_TIMEOUT_MS);

  it('single-turn: a program that fails on the twin ends the run with its error, and the arm stays still', async () => {
    bench = await VirtualBench.start({ arm: 'so101', task: loadTask('cube-stack'), seed: 4 });
    const targetsBefore = servoTargets(bench);
    const c = capture();
    const code = await main(
      ['run', '--robot', 'so101', '--port', bench.serialPath, '--camera', bench.cameraUrl, '--camera-calibration', calibrationFile(bench), '--task', 'cube-stack',
        '--agent', 'single-turn', '--model', 'openai-compatible:replay', '--armed', '--approve', '--db', join(dir, 'single-turn.db')],
      c.io,
    );
    expect(code).toBe(2);
    expect(c.out()).toMatch(/tier S3 · agent single-turn/);
    expect(c.out()).toMatch(/── twin: error: .*unexpected keyword argument 'approach'/);
    expect(c.out().trimEnd().split('\n').at(-1)).toMatch(/^error: the twin run ended error \(.*unexpected keyword argument 'approach'.*\); the real arm was not moved$/);
    expect(c.out()).not.toMatch(/now on the real arm/);
    expect(servoTargets(bench)).toEqual(targetsBefore);
  });

  it('agent0: its candidates are rehearsed on the twin only, the synthesis is rehearsed again, approved once and run on the arm, and the camera judges it', async () => {
    bench = await VirtualBench.start({ arm: 'so101', task: loadTask('cube-lift'), seed: 3 });
    const on = bench;
    const truthBefore = twinTruth(on);
    const targetsBefore = servoTargets(on);
    const db = join(dir, 'agent0.db');
    const c = capture();
    // What the real arm's servos were told when the synthesis came back (the candidates' rehearsals are over by then).
    let targetsAtSynthesis: number[] | null = null;
    c.io.out.on('data', () => {
      if (targetsAtSynthesis === null && /── rehearsal on /.test(c.out())) targetsAtSynthesis = servoTargets(on);
    });
    const code = await main(
      ['run', '--robot', 'so101', '--port', on.serialPath, '--camera', on.cameraUrl, '--camera-calibration', calibrationFile(on), '--task', 'cube-lift',
        '--agent', 'agent0', '--candidates', '3', '--rehearse', '--model', 'openai-compatible:replay', '--armed', '--approve', '--db', db],
      c.io,
    );
    const out = c.out();
    expect(out).toMatch(/^caplab run · so101 at .* · task cube-lift · tier M4 · agent agent0 · model openai-compatible:replay · 3 candidates rehearsed on a twin · armed$/m);
    // Three candidates were rehearsed before the synthesised program's own rehearsal: the arm had not been told anything.
    expect(targetsAtSynthesis).toEqual(targetsBefore);
    const store = RunStore.open(db);
    try {
      const [run] = store.listRuns({});
      expect(run).toMatchObject({ robot: 'so101', task: 'cube-lift', tier: 'M4', agent: 'agent0' });
      const turns = store.getRun(run!.id)!.turns;
      // The flawed candidate failed its rehearsal, the expert's did not (the twin's physics judged
      // both), the third gave no program and was not rehearsed.
      const rehearsals = turns[0]!.candidates.map((candidate) => candidate.rehearsal?.status ?? null);
      expect(rehearsals[0]).toBe('failure');
      expect(rehearsals[2]).toBeNull();
      expect(turns[0]).toMatchObject({ decision: 'run', code: expect.stringContaining('plan_grasp') });
      const rehearsed = count(out, /^── twin: completed: rehearsed: cube raised/);
      expect(count(out, /^approved \(--approve\): now on the real arm$/)).toBe(rehearsed);
      expect(store.safetyLog.recent(50).filter((e) => e.reason?.endsWith(`(run ${run!.id})`)).map((e) => e.action).sort()).toEqual(['arm', ...Array<string>(rehearsed).fill('approve')].sort());
      if (rehearsed === 0) {
        // The synthesis's rehearsal failed too (the twin's physics drops time on a loaded machine): the arm never moved.
        expect(code).toBe(1);
        expect(servoTargets(on)).toEqual(targetsBefore);
        return;
      }
      const truth = judgeByCamera(benchTask(loadTask('cube-lift'), SO101_BENCH.sizing).success, truthBefore, twinTruth(on));
      expect(out.trimEnd().split('\n').at(-1)).toMatch(truth.success ? /^success: cube raised .*\(camera-judged\)$/ : /^failure: cube .*\(camera-judged\)/);
      expect(code).toBe(truth.success ? 0 : 1);
      expect(store.getRun(run!.id)).toMatchObject({ status: truth.success ? 'success' : 'failure', programName: 'turn-1.py' });
    } finally {
      store.close();
    }
  }, EPISODE_TIMEOUT_MS);

  it('refuses an agent on a real arm without a camera, before the arm is connected', async () => {
    const c = capture();
    expect(await main(['run', '--robot', 'so101', '--port', '/dev/null', '--task', 'cube-lift', '--agent', 'multi-turn', '--model', 'openai-compatible:replay', '--armed'], c.io)).toBe(2);
    expect(c.err()).toMatch(/--agent multi-turn on a real arm needs its calibrated camera \(--camera URL --camera-calibration FILE\) and the physics twin/);
    const d = capture();
    expect(await main(['run', '--robot', 'so101', '--port', '/dev/null', '--task', 'cube-lift', '--agent', 'agent0', '--model', 'openai-compatible:replay', '--armed'], d.io)).toBe(2);
    expect(d.err()).toMatch(/--agent agent0 on a real arm needs its calibrated camera/);
  });
});
