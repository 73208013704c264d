// The virtual bench end to end: `caplab rig` (MuJoCo physics behind the STS3215 emulator on a
// socat pty pair, an MJPEG camera on loopback) and `caplab run --robot so101 --port` on it — the
// CLI, the policy runtime, the safety supervisor and the SO-101 driver, with the physics' joints
// and the cube as the judge.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { fingersDown, yawOf } from '../../shared/math/quat.ts';
import { VirtualBench } from '../../native/rig/virtual-bench.ts';
import { loadTask } from '../services/trials/catalog.ts';
import { RunStore } from '../services/storage/run-store.ts';
import type { CliIo } from './args.ts';
import { main } from './main.ts';

// Replies cross socat on a loaded machine: a generous reply timeout (a silent servo still fails).
process.env['CAPLAB_SERIAL_TIMEOUT_MS'] = '250';

const IDS = [1, 2, 3, 4, 5, 6];
let bench: VirtualBench | null = null;
afterEach(async () => {
  await bench?.dispose();
  bench = null;
});

function io(): { io: CliIo; out: () => string; interrupt: () => void; outputMatching: (pattern: RegExp) => Promise<RegExpExecArray> } {
  const out = new PassThrough();
  const chunks: string[] = [];
  const waiting: Array<() => void> = [];
  out.on('data', (c: Buffer) => {
    chunks.push(c.toString());
    for (const check of waiting.splice(0)) check();
  });
  let listener: (() => void) | null = null;
  const outputMatching = (pattern: RegExp): Promise<RegExpExecArray> =>
    new Promise((resolve) => {
      const check = (): void => {
        const match = pattern.exec(chunks.join(''));
        if (match) resolve(match);
        else waiting.push(check);
      };
      check();
    });
  return {
    io: { out, err: new PassThrough(), onInterrupt: (l) => (listener = l), offInterrupt: () => (listener = null) },
    out: () => chunks.join(''),
    interrupt: () => listener?.(),
    outputMatching,
  };
}

function program(source: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'caplab-rig-')), 'program.py');
  writeFileSync(path, source);
  return path;
}

/** Resolve at the first physics step for which `test` holds. */
function physicsUntil(on: VirtualBench, test: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const off = on.physics.onStepped(() => {
      if (!test()) return;
      off();
      resolve();
    });
  });
}

describe('caplab rig --arm so101', () => {
  it('prints a serial port the driver finds six servos on and a camera URL that streams JPEG frames, and stops at Ctrl-C', async () => {
    const rig = io();
    const running = main(['rig', '--arm', 'so101', '--task', 'cube-lift', '--seed', '3'], rig.io);
    const [, port] = await rig.outputMatching(/^serial port: (\S+)$/m);
    const [, url] = await rig.outputMatching(/^camera: +(\S+)$/m);
    expect(rig.out()).toMatch(/^ {2}cube: \[0\.\d+, -?0\.\d+, 0\.015\] m, yaw -?\d\.\d+ rad, box \[0\.030, 0\.030, 0\.030\] m$/m);
    const devices = io();
    expect(await main(['devices', '--port', port!], devices.io)).toBe(0);
    expect(devices.out()).toContain('Feetech servos at 1 Mbaud: 1, 2, 3, 4, 5, 6');
    // The load comes from the physics: the shoulder holds the arm up against gravity, the wrist roll carries nothing.
    expect(devices.out()).toMatch(/servo 2: [^\n]*load -?[1-9]\d*%/);
    expect(devices.out()).toMatch(/servo 5: [^\n]*load -?0%/);
    const response = await fetch(url!);
    expect(response.headers.get('content-type')).toMatch(/^multipart\/x-mixed-replace/);
    const reader = response.body!.getReader();
    let bytes = Buffer.alloc(0);
    while (bytes.indexOf(Buffer.from([0xff, 0xd9])) < 0) bytes = Buffer.concat([bytes, Buffer.from((await reader.read()).value!)]);
    await reader.cancel();
    expect(bytes.indexOf(Buffer.from([0xff, 0xd8, 0xff]))).toBeGreaterThan(0); // a JPEG after the part's headers
    rig.interrupt();
    expect(await running).toBe(0);
    expect(rig.out()).toMatch(/^stopped: \d+\.\d s simulated/m);
  });

  it('refuses an arm it does not hold and a task it cannot seat, with the reason', async () => {
    const c = io();
    expect(await main(['rig', '--arm', 'panda', '--task', 'cube-lift'], c.io)).toBe(2);
    const err: string[] = [];
    const d = io();
    d.io.err.on('data', (chunk: Buffer) => err.push(chunk.toString()));
    expect(await main(['rig', '--task', 'nut-assembly'], d.io)).toBe(2);
    expect(err.join('')).toMatch(/the bench seats single free objects only/);
  });
});

describe('caplab run --robot so101 on the virtual bench', () => {
  it('moves the physical joints: the physics follows the program through the supervisor and the driver', async () => {
    bench = await VirtualBench.start({ arm: 'so101', task: loadTask('cube-lift'), seed: 1 });
    const startRad = bench.physics.jointAnglesRad(IDS);
    const target = [0.5, -0.8, 0.9, 1.1, 0.3];
    const c = io();
    const code = await main(['run', '--robot', 'so101', '--port', bench.serialPath, '--task', 'cube-lift', '--program', program(`move_to_joints(${JSON.stringify(target)})\nprint('at', get_observation()['q_rad'])\n`), '--armed'], c.io);
    expect(c.out().trimEnd().split('\n').at(-1)).toMatch(/^completed: program finished on the SO-101/);
    expect(code).toBe(0);
    const physical = bench.physics.jointAnglesRad(IDS.slice(0, 5));
    physical.forEach((q, i) => expect(Math.abs(q - target[i]!)).toBeLessThan(0.03));
    expect(Math.abs(physical[0]! - startRad[0]!)).toBeGreaterThan(0.4);
  });

  it('e-stop while carrying the cube: torque off, the cube falls in the physics, and the safety log keeps the stop', async () => {
    bench = await VirtualBench.start({ arm: 'so101', task: loadTask('cube-lift'), seed: 3 });
    const cube = bench.objectPose('cube');
    const yaw = yawOf(cube.quatWxyz);
    const down = fingersDown(yaw);
    const [cx, cy, z] = cube.positionM;
    // The grasp aims 5 mm off the cube's centre, away from the fixed jaw. The tool frame is midway
    // between the pads on a 3 cm object, so aimed at this 3 cm cube's centre the open gripper's
    // fixed jaw comes down flush with the cube's face: the arm lagging its goals on the way down
    // (a few degrees at the wrist, more on a loaded machine) put that jaw on the cube, and closing
    // then pushed it out in 11 of 44 runs on a loaded machine. Aimed off, the descent never touched it (20 of 20).
    const [x, y] = [cx - 0.005 * Math.sin(yaw), cy + 0.005 * Math.cos(yaw)];
    const source = [
      `DOWN = ${JSON.stringify(down)}`,
      'open_gripper()',
      `goto_pose([${x}, ${y}, ${z}], DOWN, z_approach_m=0.06)`,
      'close_gripper()',
      `move_to_pose([${x}, ${y}, 0.09], DOWN)`,
      'sleep(3)',
    ].join('\n');
    const c = io();
    // Ctrl-C (the CLI's e-stop) once the real run has lifted the cube 2 cm off the table (carried
    // to z 0.09, it would end about 7 cm above where it rests).
    const lifted = physicsUntil(bench, () => bench!.objectPose('cube').positionM[2] > z + 0.02);
    void lifted.then(() => c.interrupt());
    const code = await main(['run', '--robot', 'so101', '--port', bench.serialPath, '--task', 'cube-lift', '--program', program(source), '--armed'], c.io);
    expect(code).toBe(2);
    await lifted;
    expect(c.out()).toMatch(/^twin: completed/m);
    expect(c.out().trimEnd().split('\n').at(-1)).toMatch(/^cancelled: stopped by operator/);
    expect(IDS.map((id) => bench!.physics.torqueOn(id))).toEqual([false, false, false, false, false, false]);
    // Limp jaws let go: the cube drops back to the table.
    await physicsUntil(bench, () => bench!.objectPose('cube').positionM[2] < z + 0.005);
    const runId = Number(/run (\d+) saved in/.exec(c.out())![1]);
    const store = RunStore.open();
    try {
      const mine = store.safetyLog.recent(500).filter((e) => e.reason?.endsWith(`(run ${runId})`));
      expect(mine.map((e) => [e.action, e.reason, e.origin])).toEqual([
        ['stop', `Ctrl-C (run ${runId})`, 'cli'],
        ['arm', `caplab run --robot so101 --armed (run ${runId})`, 'cli'],
      ]);
    } finally {
      store.close();
    }
  });
});
