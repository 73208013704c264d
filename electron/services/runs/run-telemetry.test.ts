// A simulated trial records joint telemetry through the real parts: python3 in a pty, the
// supervisor, MuJoCo in its worker (the sampler), and the telemetry store on a real SQLite file.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIERS } from '../../../shared/api/tiers.ts';
import { createEmitter } from '../../../shared/ipc/dispatch.ts';
import { TELEMETRY_BATCH_SAMPLES, TelemetryBuffer, type JointSample } from '../../../shared/telemetry.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { openDatabase } from '../storage/database.ts';
import { RunStore } from '../storage/run-store.ts';
import { TelemetryStore } from '../storage/telemetry-store.ts';
import { consoleTelemetry } from './run-telemetry.ts';
import { expertProgramPath, loadTask } from '../trials/catalog.ts';
import { runTrial } from '../trials/trial.ts';

const task = loadTask('cube-lift');
const expert = readFileSync(expertProgramPath('cube-lift', 'S1'), 'utf8');
let backend: SimBackend;

beforeAll(async () => {
  backend = await SimBackend.start(task);
});
afterAll(async () => {
  await backend?.dispose();
});

describe('simulated run telemetry', () => {
  it("records every arm's joints, targets, velocities, gripper and actuator torques at 50 Hz of simulated time", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'caplab-trial-telemetry-')), 'caplab.db');
    const db = openDatabase(path);
    const store = new TelemetryStore(db);
    const live: JointSample[] = [];
    const outcome = await runTrial({
      task,
      seed: 4,
      programSource: expert,
      programName: 'expert.py',
      tier: TIERS.S1,
      backend,
      telemetry: { runId: 21, sink: store, onSamples: (series, samples) => series.arm === 'left' && live.push(...samples) },
    });
    expect(outcome.status).toBe('success');
    db.close();

    const [series, ...others] = new TelemetryStore(openDatabase(path)).read(21);
    expect(others).toEqual([]);
    expect(series!.arm).toBe('left');
    expect(series!.loadUnit).toBe('Nm');
    expect(series!.jointNames).toEqual(['left_joint1', 'left_joint2', 'left_joint3', 'left_joint4', 'left_joint5', 'left_joint6', 'left_joint7']);
    const samples = series!.samples;
    // From the reset (t = 0) to the policy's end; the success check's hold afterwards is not sampled.
    expect(samples[0]!.timeS).toBe(0);
    const lastS = samples.at(-1)!.timeS;
    expect(lastS).toBeLessThan(outcome.robotSeconds);
    expect(samples.length).toBeGreaterThanOrEqual(Math.floor(lastS / 0.02));
    expect(samples.length).toBeLessThanOrEqual(Math.ceil(lastS / 0.02) + 2);
    expect(samples.every((s, i) => i === 0 || (s.timeS > samples[i - 1]!.timeS && s.tMs >= samples[i - 1]!.tMs))).toBe(true);
    // The arm moved, following its targets; its joints had speed and torque; the gripper closed on the cube (~5 cm).
    const travel = Math.max(...samples.map((s) => Math.abs(s.joints[1]! - samples[0]!.joints[1]!)));
    expect(travel).toBeGreaterThan(0.2);
    const worstLagRad = Math.max(...samples.map((s) => Math.max(...s.joints.map((q, i) => Math.abs(q - s.targets[i]!)))));
    expect(worstLagRad).toBeLessThan(0.5);
    expect(Math.max(...samples.map((s) => Math.max(...s.velocities.map(Math.abs))))).toBeGreaterThan(0.3);
    expect(Math.max(...samples.map((s) => Math.max(...s.loads!.map(Math.abs))))).toBeGreaterThan(1);
    expect(samples[0]!.gripperM).toBeCloseTo(0.08, 2);
    expect(samples.at(-1)!.gripperM!).toBeLessThan(0.06);
    // What was shown live is what was stored.
    expect(live.map((s) => Math.round(s.timeS * 1e6) / 1e6)).toEqual(samples.map((s) => s.timeS));
  });

  it('gives a page that starts watching mid-run every sample so far, the written batches and what is not written yet', () => {
    const store = RunStore.open(join(mkdtempSync(join(tmpdir(), 'caplab-live-telemetry-')), 'caplab.db'));
    try {
      const pushed: number[] = [];
      const telemetry = consoleTelemetry(store, createEmitter((_, payload) => pushed.push(...(payload as { samples: JointSample[] }).samples.map((s) => s.timeS))));
      const buffer = new TelemetryBuffer(telemetry.recordingFor(7));
      buffer.begin('left', ['j1', 'j2'], 'Nm');
      const sample = (i: number): JointSample => ({ tMs: 20 * i, timeS: i / 50, joints: [i, -i], targets: [i, -i], velocities: [0, 0], gripperM: 0.05, loads: [0.1, 0.2] });
      const times = (): number[] => telemetry.read(7).flatMap((s) => s.samples.map((x) => x.timeS));
      const expected = (n: number): number[] => Array.from({ length: n }, (_, i) => sample(i).timeS);
      // Before the first batch is written, the store has none of the run's samples: the read has all shown so far.
      buffer.push('left', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(sample));
      expect(telemetry.store.read(7)[0]!.samples).toEqual([]);
      expect(times()).toEqual(expected(10));
      // A full batch is written; what comes after it is read from the tail again, once.
      buffer.push('left', Array.from({ length: TELEMETRY_BATCH_SAMPLES }, (_, i) => sample(10 + i)));
      expect(telemetry.store.read(7)[0]!.samples).toHaveLength(10 + TELEMETRY_BATCH_SAMPLES);
      expect(times()).toEqual(expected(10 + TELEMETRY_BATCH_SAMPLES));
      buffer.push('left', [35, 36, 37].map(sample));
      expect(times()).toEqual(expected(38));
      buffer.flush();
      expect(telemetry.store.read(7)[0]!.samples.map((s) => s.timeS)).toEqual(expected(38));
      expect(times()).toEqual(expected(38));
      expect(pushed).toEqual(expected(38));
      expect(telemetry.read(8)).toEqual([]);
    } finally {
      store.close();
    }
  });
});
