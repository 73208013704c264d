// Perception and camera-judged outcomes on a connected arm, over the real transports: the virtual
// bench (MuJoCo physics behind the STS3215 emulator on a socat pty pair, its overhead camera as
// MJPEG on loopback HTTP), the calibration file it writes from its camera's known geometry, and
// the SO-101's S3 expert programs run dry run first, then on the arm through the supervisor, with
// every perception call answered from the camera's JPEG frames. The camera's verdict is compared
// with the physics' ground truth.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { TIERS } from '../../shared/api/tiers.ts';
import type { CameraView } from '../../shared/camera-judge.ts';
import { yawOf } from '../../shared/math/quat.ts';
import type { PolicyEvent } from '../../shared/run.ts';
import { saveCameraCalibration } from '../../native/drivers/camera/calibration-file.ts';
import { VirtualBench } from '../../native/rig/virtual-bench.ts';
import { withCameraPerception } from '../services/robots/camera-perception.ts';
import { runOnRobot } from '../services/robots/dry-run.ts';
import { connectSo101 } from '../services/robots/real-robot.ts';
import { fixedArming } from '../services/supervision/arming.ts';
import { loadTask, readRealArmProgram } from '../services/trials/catalog.ts';
import type { CliIo } from './args.ts';
import { openArmCamera } from './arm-camera.ts';
import { main } from './main.ts';

process.env['CAPLAB_SERIAL_TIMEOUT_MS'] = '250';

let bench: VirtualBench | null = null;
afterEach(async () => {
  await bench?.dispose();
  bench = null;
});

function calibrationFile(on: VirtualBench, withoutPose = false): string {
  const path = join(mkdtempSync(join(tmpdir(), 'caplab-rig-camera-')), 'camera.json');
  const { cameraInBase: _pose, ...rest } = on.cameraCalibration();
  saveCameraCalibration(path, withoutPose ? rest : on.cameraCalibration());
  return path;
}

/** The physics' true poses as a camera view (what a perfect camera would see). */
function truthView(on: VirtualBench): CameraView {
  const objects = Object.fromEntries(
    on.objects.map((o) => {
      const pose = on.objectPose(o.name);
      return [o.name, [{ centreM: pose.positionM, yawRad: yawOf(pose.quatWxyz), halfSizeM: o.halfSizeM as [number, number, number] }]];
    }),
  );
  return { objects, grippers: {} };
}

async function runExpert(taskId: 'cube-lift' | 'cube-stack', seed: number): Promise<{ outcome: Awaited<ReturnType<typeof runOnRobot>>; disagreements: string[]; output: string }> {
  bench = await VirtualBench.start({ arm: 'so101', task: loadTask(taskId), seed });
  const camera = await openArmCamera('so101', TIERS.S3, { task: taskId, camera: bench.cameraUrl, 'camera-calibration': calibrationFile(bench) });
  const robot = withCameraPerception(await connectSo101(bench.serialPath), camera!.eyes);
  const disagreements: string[] = [];
  const output: string[] = [];
  const on = bench;
  try {
    const { programSource, programName } = readRealArmProgram('so101', taskId);
    const outcome = await runOnRobot(robot, {
      taskId,
      tier: TIERS.S3,
      programSource,
      programName,
      arming: fixedArming(true),
      onEvent: (event: PolicyEvent) => {
        if (event.kind === 'stdout') output.push(event.text);
      },
      cameraJudge: { predicate: camera!.task.success, view: () => robot.view(), truth: async () => truthView(on), onDisagreement: (m) => disagreements.push(m) },
    });
    return { outcome, disagreements, output: output.join('') };
  } finally {
    await robot.backend.dispose();
    camera!.eyes.dispose();
  }
}

describe('the SO-101 with a calibrated camera on the virtual bench', () => {
  it('lifts the cube it finds in the camera image (tier S3), and the camera judges the lift as the physics does', async () => {
    const { outcome, disagreements, output } = await runExpert('cube-lift', 3);
    expect(output).toMatch(/cube covers \d+ pixels/);
    expect(outcome.reason).toMatch(/\(camera-judged\)/);
    expect(outcome.status).toBe('success');
    expect(outcome.cameraJudged).toMatchObject({ success: true, agrees: true });
    expect(disagreements).toEqual([]);
    // The physics: the cube is up in the jaws, more than the task's 2.4 cm (4 cm at the bench's 0.6 scale).
    expect(bench!.objectPose('cube').positionM[2]).toBeGreaterThan(0.015 + 0.024);
  });

  it('refuses a calibration without cameraInBase before the arm is connected: exit 2, the reason, and no servo moved', async () => {
    bench = await VirtualBench.start({ arm: 'so101', task: loadTask('cube-lift'), seed: 2 });
    const ctrlBefore = Array.from(bench.physics.data.ctrl as Float64Array);
    const out = new PassThrough();
    const err = new PassThrough();
    const said: string[] = [];
    err.on('data', (c: Buffer) => said.push(c.toString()));
    const io: CliIo = { out, err, onInterrupt: () => {}, offInterrupt: () => {} };
    const code = await main(['run', '--robot', 'so101', '--port', bench.serialPath, '--camera', bench.cameraUrl, '--camera-calibration', calibrationFile(bench, true), '--task', 'cube-lift', '--tier', 'S3', '--agent', 'expert', '--armed'], io);
    expect(code).toBe(2);
    expect(said.join('')).toMatch(/has no cameraInBase .*run caplab calibrate hand-eye first/);
    expect(Array.from(bench.physics.data.ctrl as Float64Array)).toEqual(ctrlBefore);
  });
});
