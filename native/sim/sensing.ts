/**
 * The sensor model of a difficulty level (`sensors`, `shared/sensors.ts`): what a rendered frame
 * becomes when a real RGB-D camera (an Intel RealSense D4xx) takes it. Depth gets stereo noise
 * that grows with the square of the distance and goes missing (0) at depth discontinuities, on
 * dark surfaces and where a shiny one faces the camera; colour gets per-pixel noise and a per-seed
 * exposure, white balance and black level; and the camera pose perception is told differs from the
 * true one by a per-seed calibration error. Everything is drawn from the episode seed (and, for
 * the per-pixel noise, the camera and the frame's instant), so an episode stays deterministic.
 * Per-pixel Gaussian draws are lookups into a table made once, picked by one xorshift32 draw per
 * pixel, not Box–Muller per pixel: a 640×480 frame costs ~9 ms more (`caplab perf --only camera`:
 * `camera.sensingMs`, `camera.sensingShare`), not ~35 ms.
 */
import type { MjModel } from '@mujoco/mujoco';
import type { LevelSensors } from '../../shared/tasks.ts';
import { SeededRandom } from '../../shared/math/rng.ts';

/** 2^16 standard normal draws (Box–Muller from a fixed seed), indexed by 16 random bits. */
const NORMALS = ((): Float32Array => {
  const random = new SeededRandom(0x2545f491);
  const table = new Float32Array(1 << 16);
  for (let i = 0; i < table.length; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random.next()));
    const angle = 2 * Math.PI * random.next();
    table[i] = radius * Math.cos(angle);
    table[i + 1] = radius * Math.sin(angle);
  }
  return table;
})();

/** Mixed into the episode seed so that the sensor draws follow neither the placement's nor the variation's. */
const SENSOR_STREAM = 0x68e31da4;

/** A 32-bit hash of a few integers (murmur3's finaliser over a running mix). */
export function hash32(...values: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const value of values) {
    h = Math.imul(h ^ (value | 0), 0x01000193);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
  }
  return h >>> 0;
}

function textHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h, 31) + text.charCodeAt(i);
  return h;
}

/** What the model changes in a frame: its image arrays (in place), and the ray hits it needs. */
export interface SensedImage {
  readonly rgb: Uint8Array;
  readonly depthM: Float32Array;
  readonly widthPx: number;
  readonly heightPx: number;
  /** Focal length, px (the depth noise scales with 1 / focal length). */
  readonly focalPx: number;
  readonly geomid: Int32Array;
  readonly normal: Float64Array;
  readonly directions: Float64Array;
}

/** A camera's calibration error: a rotation (camera frame, row-major) and a translation (camera frame), m. */
export interface ExtrinsicsError {
  readonly rotation: readonly number[];
  readonly translationM: readonly [number, number, number];
}

/** The sensor model of one workcell's cameras. */
export class SensorModel {
  private seed = 0;
  private trueDepth = new Float32Array(0);

  /** `shinyBodies`: body ids of the objects the settings call shiny. */
  constructor(
    readonly settings: LevelSensors | undefined,
    private readonly model: MjModel,
    private readonly shinyBodies: ReadonlySet<number>,
  ) {}

  /** False at `easy`: frames are left exactly as rendered. */
  get active(): boolean {
    return this.settings !== undefined && (this.settings.depth !== undefined || this.settings.rgb !== undefined || this.settings.extrinsics !== undefined);
  }

  /** The episode's seed: every draw follows from it. */
  reseed(seed: number): void {
    this.seed = seed >>> 0;
  }

  /** This episode's calibration error of a camera (the same for every frame of the episode). */
  extrinsicsError(camera: string): ExtrinsicsError {
    const tolerance = this.settings?.extrinsics;
    const random = new SeededRandom(hash32(this.seed ^ SENSOR_STREAM, textHash(camera), 1));
    const direction = (): [number, number, number] => {
      const z = random.uniform(-1, 1);
      const phi = random.uniform(0, 2 * Math.PI);
      const r = Math.sqrt(1 - z * z);
      return [r * Math.cos(phi), r * Math.sin(phi), z];
    };
    const t = direction();
    const tLength = (tolerance?.translationM ?? 0) * Math.cbrt(random.next());
    const [ax, ay, az] = direction();
    const angle = (((tolerance?.rotationDeg ?? 0) * Math.PI) / 180) * random.next();
    // Rodrigues: R = I cos θ + sin θ [a]× + (1 − cos θ) a aᵀ.
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    const v = 1 - c;
    const rotation = [
      c + ax * ax * v, ax * ay * v - az * s, ax * az * v + ay * s,
      ay * ax * v + az * s, c + ay * ay * v, ay * az * v - ax * s,
      az * ax * v - ay * s, az * ay * v + ax * s, c + az * az * v,
    ];
    return { rotation, translationM: [t[0] * tLength, t[1] * tLength, t[2] * tLength] };
  }

  /** The pose perception is told for a camera at a true pose (axes right, down, forward): the true one with the calibration error. */
  assumedPose(camera: string, positionM: readonly number[], axes: readonly (readonly number[])[]): { positionM: [number, number, number]; axes: [number[], number[], number[]] } {
    const { rotation: e, translationM: t } = this.extrinsicsError(camera);
    const world = (k: number): number[] => [0, 1, 2].map((w) => e[k]! * axes[0]![w]! + e[3 + k]! * axes[1]![w]! + e[6 + k]! * axes[2]![w]!);
    const moved = [0, 1, 2].map((w) => positionM[w]! + t[0] * axes[0]![w]! + t[1] * axes[1]![w]! + t[2] * axes[2]![w]!);
    return { positionM: moved as [number, number, number], axes: [world(0), world(1), world(2)] };
  }

  /** Sense a rendered image in place: its depth and colour as the camera would give them at `timeS`. */
  sense(image: SensedImage, camera: string, timeS: number): void {
    const frameSeed = hash32(this.seed ^ SENSOR_STREAM, textHash(camera), Math.round(timeS * 1e4), image.widthPx);
    if (this.settings?.depth) this.senseDepth(image, frameSeed | 1);
    if (this.settings?.rgb) this.senseColour(image, camera, hash32(frameSeed, 3) | 1);
  }

  private senseColour(image: SensedImage, camera: string, stream: number): void {
    const rgb = this.settings!.rgb!;
    // Lighting of this episode's camera: exposure, white balance, black level.
    const random = new SeededRandom(hash32(this.seed ^ SENSOR_STREAM, textHash(camera), 2));
    const gain = random.uniform(...rgb.gain);
    const [g0, g1, g2] = [0, 1, 2].map(() => gain * random.uniform(...rgb.channelGain)) as [number, number, number];
    const offset = random.uniform(...rgb.offset) + 0.5;
    const std = rgb.noiseStd;
    const pixels = image.rgb;
    const normals = NORMALS;
    let x = stream;
    // One xorshift32 draw per pixel: three 16-bit windows of it index the table (independent draws unless two indices meet).
    for (let i = 0; i < pixels.length; i += 3) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const r = pixels[i]! * g0 + offset + std * normals[x & 0xffff]!;
      const g = pixels[i + 1]! * g1 + offset + std * normals[(x >>> 16) & 0xffff]!;
      const b = pixels[i + 2]! * g2 + offset + std * normals[((x >>> 8) ^ (x << 3)) & 0xffff]!;
      pixels[i] = r <= 0 ? 0 : r >= 255 ? 255 : r | 0;
      pixels[i + 1] = g <= 0 ? 0 : g >= 255 ? 255 : g | 0;
      pixels[i + 2] = b <= 0 ? 0 : b >= 255 ? 255 : b | 0;
    }
  }

  private senseDepth(image: SensedImage, stream: number): void {
    const depth = this.settings!.depth!;
    const { depthM, widthPx, heightPx, geomid, normal, directions } = image;
    if (this.trueDepth.length !== depthM.length) this.trueDepth = new Float32Array(depthM.length);
    const truth = this.trueDepth;
    truth.set(depthM);
    // Which geoms are dark (their colour as this seed has it) and which are shiny.
    const rgba = this.model.geom_rgba as Float32Array;
    const bodies = this.model.geom_bodyid as Int32Array;
    const kind = new Uint8Array(this.model.ngeom);
    for (let g = 0; g < kind.length; g += 1) {
      if (Math.max(rgba[4 * g]!, rgba[4 * g + 1]!, rgba[4 * g + 2]!) < depth.darkBelow) kind[g] = 1;
      else if (this.shinyBodies.has(bodies[g]!)) kind[g] = 2;
    }
    // σz = z² · subpixel / (focal · baseline): the RealSense D4xx RMS depth error.
    const k = depth.subpixel / (image.focalPx * depth.baselineM);
    const cosCone = Math.cos((depth.shinyConeDeg * Math.PI) / 180);
    // Drop decisions take the draw's high 16 bits, the noise its low 16: one xorshift32 draw per pixel.
    const edgeP = depth.edgeDropFraction * 65536;
    const darkP = depth.darkDropFraction * 65536;
    const shinyP = depth.shinyDropFraction * 65536;
    const jump = depth.edgeJumpM;
    const normals = NORMALS;
    let x = stream;
    for (let v = 0; v < heightPx; v += 1) {
      for (let u = 0; u < widthPx; u += 1) {
        const i = v * widthPx + u;
        const d = truth[i]!;
        if (d <= 0) continue;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        const high = x >>> 16;
        if (high < edgeP) {
          const left = u > 0 ? truth[i - 1]! : d;
          const right = u < widthPx - 1 ? truth[i + 1]! : d;
          const up = v > 0 ? truth[i - widthPx]! : d;
          const down = v < heightPx - 1 ? truth[i + widthPx]! : d;
          if (Math.abs(left - d) > jump || Math.abs(right - d) > jump || Math.abs(up - d) > jump || Math.abs(down - d) > jump) {
            depthM[i] = 0;
            continue;
          }
        }
        const surface = kind[geomid[i]!]!;
        if (surface !== 0) {
          // A second, independent draw for the surface's decision (the first one decided the edge).
          const second = Math.imul(x, 0x9e3779b1) >>> 16;
          const facing = surface === 2 ? Math.abs(normal[3 * i]! * directions[3 * i]! + normal[3 * i + 1]! * directions[3 * i + 1]! + normal[3 * i + 2]! * directions[3 * i + 2]!) : 0;
          if ((surface === 1 && second < darkP) || (surface === 2 && facing > cosCone && second < shinyP)) {
            depthM[i] = 0;
            continue;
          }
        }
        depthM[i] = d + d * d * k * normals[x & 0xffff]!;
      }
    }
  }
}
