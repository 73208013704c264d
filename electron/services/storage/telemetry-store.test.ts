// Joint telemetry on a real SQLite file: samples round-trip (float32, null gripper and loads), two
// arms keep their own series, bad samples are refused without losing what was written, and a
// process killed mid-run keeps every batch it appended.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';
import { type JointSample, TelemetryStore } from './telemetry-store.ts';

const dbPath = (): string => join(mkdtempSync(join(tmpdir(), 'caplab-telemetry-')), 'caplab.db');
const sample = (i: number, withLoads: boolean): JointSample => ({
  tMs: i * 20,
  timeS: i * 0.02,
  joints: [0.1 * i, -0.5, 1.25],
  targets: [0.1 * i + 0.01, -0.5, 1.25],
  velocities: [0.5, 0, -0.125],
  gripperM: withLoads ? 0.04 - i * 0.001 : null,
  loads: withLoads ? [1.5, -2.25, 0] : null,
});

describe('telemetry store', () => {
  it('reads back what was appended, per arm, in order', () => {
    const path = dbPath();
    const db = openDatabase(path);
    const store = new TelemetryStore(db);
    store.begin(4, 'left', ['j1', 'j2', 'j3'], 'Nm');
    store.begin(4, 'right', ['j1', 'j2', 'j3'], null);
    store.append(4, 'left', [sample(0, true), sample(1, true)]);
    store.append(4, 'right', [sample(0, false)]);
    store.append(4, 'left', [sample(2, true)]);
    db.close();

    const again = new TelemetryStore(openDatabase(path));
    const series = again.read(4);
    expect(series.map((s) => [s.arm, s.loadUnit, s.samples.length])).toEqual([
      ['left', 'Nm', 3],
      ['right', null, 1],
    ]);
    expect(series[0]!.jointNames).toEqual(['j1', 'j2', 'j3']);
    const third = series[0]!.samples[2]!;
    expect(third.tMs).toBe(40);
    expect(third.joints[0]).toBeCloseTo(0.2, 6);
    expect(third.targets[0]).toBeCloseTo(0.21, 6);
    expect(third.velocities).toEqual([0.5, 0, -0.125]);
    expect(third.gripperM).toBeCloseTo(0.038, 6);
    expect(third.loads).toEqual([1.5, -2.25, 0]);
    expect(series[1]!.samples[0]!.gripperM).toBeNull();
    expect(series[1]!.samples[0]!.loads).toBeNull();
    expect(again.read(5)).toEqual([]);
    expect(again.has(4)).toBe(true);
    expect(again.has(5)).toBe(false);
    // Appending after a reopen continues the numbering.
    again.append(4, 'right', [sample(1, false)]);
    expect(again.read(4)[1]!.samples.map((s) => s.tMs)).toEqual([0, 20]);
  });

  it('refuses a sample of the wrong width or an undeclared arm, and keeps what it had', () => {
    const store = new TelemetryStore(openDatabase(dbPath()));
    store.begin(1, 'panda', ['a', 'b', 'c'], 'Nm');
    store.append(1, 'panda', [sample(0, true)]);
    const short = { ...sample(1, true), targets: [0, 0] };
    expect(() => store.append(1, 'panda', [sample(1, true), short])).toThrow(/targets has 2 values, the arm has 3 joints/);
    expect(() => store.append(1, 'ghost', [sample(1, true)])).toThrow(/no series for arm 'ghost'/);
    expect(store.read(1)[0]!.samples).toHaveLength(1);
  });

  it('keeps every appended batch of a process that is killed', async () => {
    const path = dbPath();
    const batches = 5;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { openDatabase } from ${JSON.stringify(fileURLToPath(new URL('./database.ts', import.meta.url)))};
         import { TelemetryStore } from ${JSON.stringify(fileURLToPath(new URL('./telemetry-store.ts', import.meta.url)))};
         const store = new TelemetryStore(openDatabase(${JSON.stringify(path)}));
         store.begin(9, 'panda', ['a', 'b', 'c'], 'Nm');
         const s = (i) => ({ tMs: i, timeS: i / 1000, joints: [i, 0, 0], targets: [i, 0, 0], velocities: [0, 0, 0], gripperM: 0.01, loads: [0, 0, 0] });
         for (let b = 0; b < ${batches}; b += 1) store.append(9, 'panda', Array.from({ length: 10 }, (_, i) => s(b * 10 + i)));
         process.stdout.write('appended\\n');
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('appended')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the child ended first (code ${code})`)));
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const [series] = new TelemetryStore(openDatabase(path)).read(9);
    expect(series!.samples.map((s) => s.joints[0])).toEqual(Array.from({ length: batches * 10 }, (_, i) => i));
  });
});
