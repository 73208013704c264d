/**
 * The sensor model of a task's difficulty level (`sensors` in a level of the task file): how far
 * the simulated RGB-D cameras are from perfect. Numbers and their sources are in
 * `resources/tasks/README.md` ("Sensing"); the model is `native/sim/sensing.ts`. `easy` has none.
 */
import { z } from 'zod';

const range = z
  .tuple([z.number(), z.number()])
  .refine(([low, high]) => low <= high, { message: 'range must be [low, high] with low <= high' });

/** Depth as an active stereo camera (Intel RealSense D4xx) measures it. */
export const DepthSensorSchema = z.object({
  /** Stereo baseline, m (D435: 50 mm). */
  baselineM: z.number().positive().default(0.05),
  /** Subpixel disparity error, px (RealSense's depth white paper: ~0.08 for a well-textured scene). */
  subpixel: z.number().nonnegative().default(0.08),
  /** A step in true depth to a 4-neighbour larger than this makes a pixel an edge (a discontinuity), m. */
  edgeJumpM: z.number().positive().default(0.01),
  /** Fraction of edge pixels that read 0 (no depth). */
  edgeDropFraction: z.number().min(0).max(1).default(0),
  /** Surfaces whose brightest colour channel is below this are dark (IR absorbed). */
  darkBelow: z.number().min(0).max(1).default(0),
  /** Fraction of dark-surface pixels that read 0. */
  darkDropFraction: z.number().min(0).max(1).default(0),
  /** Names of shiny (metal) objects: where their surface faces the camera within `shinyConeDeg`, the IR pattern is lost. */
  shiny: z.array(z.string()).default([]),
  shinyConeDeg: z.number().min(0).max(90).default(20),
  /** Fraction of pixels in a shiny surface's specular cone that read 0. */
  shinyDropFraction: z.number().min(0).max(1).default(0),
});

/** Colour noise and lighting. */
export const RgbSensorSchema = z.object({
  /** Per pixel and channel Gaussian noise, 8-bit counts (standard deviation). */
  noiseStd: z.number().nonnegative().default(0),
  /** Exposure gain of the whole image, drawn per seed. */
  gain: range.default([1, 1]),
  /** Gain of each channel about the image gain (white balance), drawn per seed and channel, e.g. [0.98, 1.02]. */
  channelGain: range.default([1, 1]),
  /** Black-level offset added to every channel, counts, drawn per seed. */
  offset: range.default([0, 0]),
});

/** How far the extrinsics perception assumes are from the camera's true pose (a calibration tolerance). */
export const ExtrinsicsErrorSchema = z.object({
  /** Largest translation error, m (drawn per seed and camera, uniform in the ball). */
  translationM: z.number().nonnegative().default(0),
  /** Largest rotation error, degrees (random axis, angle uniform up to it). */
  rotationDeg: z.number().nonnegative().default(0),
});

/** The sensor settings of a level (distractor objects are added in `shared/tasks.ts`, which knows objects). */
export const SensorsSchema = z.object({
  depth: DepthSensorSchema.optional(),
  rgb: RgbSensorSchema.optional(),
  extrinsics: ExtrinsicsErrorSchema.optional(),
});

/** Parsed sensor settings. */
export type Sensors = z.infer<typeof SensorsSchema>;
export type DepthSensor = z.infer<typeof DepthSensorSchema>;
export type RgbSensor = z.infer<typeof RgbSensorSchema>;
