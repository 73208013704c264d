// A cube painted orange where its task says red, on the virtual bench (MuJoCo physics behind the
// STS3215 emulator on a socat pty pair, its overhead camera as MJPEG on loopback HTTP), through the
// CLI as an operator runs it: the words' red does not find it, so no twin can be rebuilt and the
// arm stays still; the operator points at it once (`caplab calibrate colour` on the camera's
// stream), and `caplab run --colours` then finds it where it is, rehearses on a twin whose cube
// wears the taught colour, and the program's perception call answers there.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poseFromRecord, saveCameraCalibration } from '../../native/drivers/camera/calibration-file.ts';
import { invert } from '../../native/drivers/camera/hand-eye.ts';
import { projectPoint } from '../../native/drivers/camera/intrinsics.ts';
import { VirtualBench } from '../../native/rig/virtual-bench.ts';
import { loadTask } from '../services/trials/catalog.ts';
import { main } from './main.ts';
import { capture as cli } from './test-io.ts';

// Replies cross socat on a loaded machine (the physics, the camera's JPEG encoding and the emulator share a thread).
process.env['CAPLAB_SERIAL_TIMEOUT_MS'] = '500';

const dir = mkdtempSync(join(tmpdir(), 'caplab-rig-colour-'));
let bench: VirtualBench;
let calibration: string;

beforeAll(async () => {
  const task = loadTask('cube-lift');
  // The cube as it is painted: orange (hue 26°; the task's red is at 2°, beyond the 18° a match allows).
  const painted = { ...task, objects: task.objects.map((o) => (o.name === 'cube' ? { ...o, rgba: [0.9, 0.45, 0.1, 1] as [number, number, number, number] } : o)) };
  bench = await VirtualBench.start({ arm: 'so101', task: painted, seed: 2 });
  calibration = join(dir, 'camera.json');
  saveCameraCalibration(calibration, bench.cameraCalibration());
});
afterAll(async () => {
  await bench?.dispose();
});

/** The physics' actuator targets: what the servos were told (unchanged: the arm did not move). */
const servoTargets = (): number[] => Array.from(bench.physics.data.ctrl as Float64Array);

/** Where the operator sees the cube's top face in the camera's image, as U,V. */
function cubePixel(): string {
  const c = bench.cameraCalibration();
  const [x, y, z] = bench.objectPose('cube').positionM;
  const half = bench.objects.find((o) => o.name === 'cube')!.halfSizeM[2]!;
  const [u, v] = projectPoint(c.intrinsics, c.distortion, invert(poseFromRecord(c.cameraInBase!)), [x, y, z + half]);
  return `${Math.round(u)},${Math.round(v)}`;
}

describe('colours taught on the virtual bench', () => {
  it("the words' red misses the orange cube; taught by pointing at it, the run finds it, rehearses on the twin, and the arm moves only as the rehearsal allows", async () => {
    const program = join(dir, 'program.py');
    writeFileSync(program, "print('seen', get_object_pose('cube'))\nmove_to_joints([0.5, -0.8, 0.9, 1.1, 0.3])\n");
    const run = ['run', '--robot', 'so101', '--port', bench.serialPath, '--camera', bench.cameraUrl, '--camera-calibration', calibration, '--task', 'cube-lift', '--tier', 'S2', '--program', program, '--armed'];
    const before = servoTargets();

    const untaught = cli();
    expect(await main(run, untaught.io)).toBe(2);
    expect(untaught.out().trimEnd().split('\n').at(-1)).toMatch(/^error: the twin run ended error \(no rehearsal: 'cube' is not seen by the camera: the twin cannot be rebuilt without it\); the real arm was not moved$/);
    expect(servoTargets()).toEqual(before);

    const book = join(dir, 'overhead.colours.json');
    const teach = cli();
    expect(await main(['calibrate', 'colour', '--url', bench.cameraUrl, '--object', 'cube', '--at', cubePixel(), '--out', book, '--camera', 'overhead'], teach.io), teach.err()).toBe(0);
    expect(teach.out()).toMatch(/^cube: hue (1[6-9]|2\d|3[0-5])\.\d°/m);
    // The yellow arm's shaded edges are within the 18° a match allows: named, with where they are.
    const warning = /^warning: (\d+) other patch(es)? of this colour in the image \(box(es)? ([\d,–, ]+)\): perception may take/m.exec(teach.out());
    if (warning) expect(warning[4]!.split(', ')).toHaveLength(Math.min(5, Number(warning[1])));

    const taught = cli();
    const code = await main([...run, '--colours', book], taught.io);
    const out = taught.out();
    expect(out).toMatch(/^colour taught on the camera · cube: hue \d+°, saturation 0\.\d\d \(taught from \d+ px(; \d+ lookalike patch(es)? then)?\)$/m);
    const seenAt = /rehearsal on a twin rebuilt from the camera: cube at \((-?[\d.]+), (-?[\d.]+), (-?[\d.]+)\) m/.exec(out);
    expect(seenAt, out).not.toBeNull();
    const truth = bench.objectPose('cube').positionM;
    expect(Math.hypot(Number(seenAt![1]) - truth[0], Number(seenAt![2]) - truth[1])).toBeLessThan(0.01);
    // The program ran to its end on the twin (its get_object_pose answered there: the twin's cube
    // wears the taught colour), never lifted the cube, and the real arm was not told to move.
    expect(code).toBe(1);
    expect(out).toMatch(/twin: failure: the rehearsal failed: cube raised -?0\.0\d\d m/);
    expect(out.trimEnd().split('\n').at(-1)).toMatch(/^failure: the twin run ended failure \(the rehearsal failed: .*\); the real arm was not moved$/);
    expect(servoTargets()).toEqual(before);
  });
});
