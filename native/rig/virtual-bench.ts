/**
 * The virtual bench (`caplab rig`): an arm's physics on a table with a task's objects, the arm's
 * servo bus emulator on the device end of a socat pty pair driven by that physics, and an
 * overhead camera rendered from it, served as MJPEG on loopback HTTP. The host end of the pty
 * pair is the arm's serial port and the MJPEG URL its camera: the driver, the supervisor and the
 * console use them exactly as they would a real arm's USB adapter and a network camera.
 */
import type { MainModule } from '@mujoco/mujoco';
import type { TaskDefinition } from '../../shared/tasks.ts';
import type { CameraCalibration } from '../drivers/camera/calibration-file.ts';
import { MjpegEmulator } from '../drivers/camera/mjpeg-emulator.ts';
import { lookAtAxes } from '../sim/camera.ts';
import { quatFromMatrix } from '../../shared/math/quat.ts';
import { Sts3215Emulator } from '../drivers/feetech/emulator.ts';
import { openVirtualSerialPair, type VirtualSerialPair } from '../drivers/virtual-serial.ts';
import { loadMujocoFrom } from '../sim/mujoco-module.ts';
import { BenchPhysics } from './bench-physics.ts';
import { BenchRenderer } from './bench-renderer.ts';
import { objectBodiesMjcf, seatTaskObjects, type BenchObject } from './bench-scene.ts';
import { SO101_BENCH, type ArmBench } from './so101-bench.ts';

/** Arms the bench can hold. */
export const BENCH_ARMS = ['so101'] as const;
export type BenchArm = (typeof BENCH_ARMS)[number];

const ARM_BENCHES: Readonly<Record<BenchArm, ArmBench>> = { so101: SO101_BENCH };

/** An arm's bench: its model, sizing, posture and camera. */
export function armBench(arm: BenchArm): ArmBench {
  return ARM_BENCHES[arm];
}

/** The MJPEG stream's JPEG quality (the emulator's default). */
const JPEG_QUALITY = 80;

/** What to put on the bench. */
export interface VirtualBenchOptions {
  readonly arm: BenchArm;
  readonly task: TaskDefinition;
  readonly seed: number;
  /** MuJoCo already loaded (tests share one); loaded here when absent. */
  readonly mujoco?: MainModule;
  /** The camera's image size and frame period. */
  readonly camera?: { readonly widthPx?: number; readonly heightPx?: number; readonly frameIntervalMs?: number };
  /** The objects where they are (a twin rebuilt from a camera's view) instead of seated from `seed`. */
  readonly objects?: readonly BenchObject[];
  /** Servo id → joint angle at the start, rad (a twin starts where the arm is); default the bench's power-up posture. */
  readonly startRad?: ReadonlyMap<number, number>;
}

/** A running bench; `dispose()` stops the camera, the emulator, the cable and the physics. */
export class VirtualBench {
  private constructor(
    readonly arm: ArmBench,
    readonly objects: readonly BenchObject[],
    readonly physics: BenchPhysics,
    readonly camera: BenchRenderer,
    readonly emulator: Sts3215Emulator,
    private readonly cable: VirtualSerialPair,
    private readonly mjpeg: MjpegEmulator,
    /** The camera's image size, px. */
    readonly cameraSizePx: readonly [number, number],
  ) {}

  /** Build the physics, open the pty pair, put the emulator on its device end, serve the camera. */
  static async start(options: VirtualBenchOptions): Promise<VirtualBench> {
    const arm = armBench(options.arm);
    const objects = options.objects ?? seatTaskObjects(options.task, arm.sizing, options.seed);
    const mujoco = options.mujoco ?? (await loadMujocoFrom(null));
    const mjcf = arm.mjcf(objectBodiesMjcf(objects));
    const physics = new BenchPhysics(mujoco, { mujoco, mjcf, servoJoints: arm.servoJoints, startRad: options.startRad ?? arm.startRad });
    const opened: { close(): Promise<void> }[] = [];
    try {
      const camera = await BenchRenderer.start(physics, mjcf, arm.overheadCamera, objects.map((o) => o.name));
      opened.push({ close: () => camera.dispose() });
      const cable = await openVirtualSerialPair();
      opened.push(cable);
      const ids = [...arm.servoJoints.keys()];
      // The servos power up where the physics' joints are, holding there.
      const startTicks = Object.fromEntries(ids.map((id) => [id, Math.round(physics.read(id).positionTicks)]));
      const emulator = await Sts3215Emulator.open(cable.devicePath, { ids, startTicks, plant: physics, torqueOnAtStart: true });
      opened.push(emulator);
      // 640×480 for perception (a 3 cm cube is 22 px across), 5 frames a second; each frame rendered
      // and JPEG-encoded in the camera's worker (jpeg-js takes 100 ms and more a frame: on this
      // thread it held the servo emulator's replies past the driver's 50 ms reply timeout).
      const { widthPx = 640, heightPx = 480, frameIntervalMs = 200 } = options.camera ?? {};
      const mjpeg = await MjpegEmulator.start({ source: () => camera.render(widthPx, heightPx, JPEG_QUALITY), frameIntervalMs });
      physics.start();
      return new VirtualBench(arm, objects, physics, camera, emulator, cable, mjpeg, [widthPx, heightPx]);
    } catch (error) {
      for (const resource of opened.reverse()) await resource.close().catch(() => {});
      physics.dispose();
      throw error;
    }
  }

  /** The arm's serial port (the host end of the pty pair), for `--port`. */
  get serialPath(): string {
    return this.cable.hostPath;
  }

  /** The overhead camera's MJPEG stream, for `--camera` and the console's cameras. */
  get cameraUrl(): string {
    return this.mjpeg.url;
  }

  /**
   * The overhead camera's calibration file, from the bench's known geometry (the pose and field
   * of view it is rendered with; no lens distortion) — what `caplab calibrate` measures of a real
   * camera. Its `camera` field says so.
   */
  cameraCalibration(): CameraCalibration {
    const [widthPx, heightPx] = this.cameraSizePx;
    const { positionM, lookAtM, fovyDeg } = this.arm.overheadCamera;
    const f = heightPx / 2 / Math.tan((fovyDeg * Math.PI) / 360);
    const [right, down, forward] = lookAtAxes(positionM, lookAtM);
    const rotation = [0, 1, 2].flatMap((row) => [right[row]!, down[row]!, forward[row]!]);
    return {
      format: 'caplab-camera-calibration',
      version: 1,
      camera: `virtual bench overhead camera (${this.arm.name}): the rig's known geometry, not a measured calibration`,
      imageSizePx: [widthPx, heightPx],
      // Calibration puts pixel centres at integers; the renderer shoots rays through u + 0.5.
      intrinsics: { fx: f, fy: f, cx: widthPx / 2 - 0.5, cy: heightPx / 2 - 0.5 },
      distortion: { k1: 0, k2: 0 },
      rmsErrorPx: 0,
      cameraInBase: { positionM: [...positionM], quatWxyz: quatFromMatrix(rotation) as [number, number, number, number] },
      createdAt: new Date().toISOString(),
    };
  }

  /** An object's pose in the physics (ground truth), world frame = the arm's API frame. */
  objectPose(name: string): { positionM: [number, number, number]; quatWxyz: [number, number, number, number] } {
    this.physics.advance();
    return this.physics.bodyPose(name);
  }

  async dispose(): Promise<void> {
    await this.mjpeg.close().catch(() => {});
    await this.camera.dispose().catch(() => {});
    await this.emulator.close().catch(() => {});
    await this.cable.close().catch(() => {});
    this.physics.dispose();
  }
}
