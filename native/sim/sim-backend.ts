/**
 * The simulator as a `RobotBackend`: a MuJoCo workcell in its own worker thread, one per
 * backend, so that several trials run in parallel. Calls are messages; the halt is a shared
 * memory flag that the worker reads on every physics step.
 */
import type { Worker } from 'node:worker_threads';
import { ApiError, type WireError } from '../../shared/errors.ts';
import { withoutSpec, type BoundCall } from '../../shared/api/calls.ts';
import type { Grounding } from '../../shared/api/types.ts';
import type { ArmKinematics, Cameras, ObjectPerception, RobotBackend, RobotState, WorldPose } from '../../shared/robot.ts';
import type { TaskDefinition } from '../../shared/tasks.ts';
import type { CameraView } from '../../shared/camera-judge.ts';
import { startTsWorker } from '../worker.ts';
import { HALT_INDEX, type SimReady, type SimReply, type SimRequest, type SimWorkerData } from './protocol.ts';
import type { Frame } from './camera.ts';
import { FrameRingReader } from './frame-ring.ts';
import { compiledMujoco } from './mujoco-module.ts';
import { workcellKinematics } from './panda-kinematics.ts';
import { PoseReader } from './pose-buffer.ts';
import type { TwinBodyDescription } from './twin-bodies.ts';
import { TelemetryReader, type TelemetryLayout } from './telemetry-sampler.ts';
import type { SuccessCheck } from './success.ts';
import type { PhysicsStats } from './physics-clock.ts';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type RequestBody = SimRequest extends infer R ? (R extends SimRequest ? Omit<R, 'id'> : never) : never;

function errorFromWire(wire: WireError): ApiError {
  return new ApiError(wire.code, wire.message, wire);
}

/** A simulated workcell for one task, served from a worker thread. */
export class SimBackend implements RobotBackend {
  readonly armJointCount = 7;
  private readonly pending = new Map<number, Pending>();
  private readonly haltFlag: Int32Array;
  private nextId = 1;
  private haltReason: string | null = null;
  private failure: Error | null = null;
  private ready: SimReady | null = null;
  private poseReader: PoseReader | null = null;
  /** How the last reset (or rebuild) chose to answer object queries; the worker starts with ground truth. */
  private grounding: Grounding = 'privileged';

  /** The workcell's cameras, rendered by ray casting. */
  readonly cameras: Cameras = {
    names: () => this.twin.cameraNames,
    render: (camera, widthPx, heightPx) => this.render(camera, widthPx, heightPx),
  };

  /** Whether the worker still serves requests (it has not crashed or been disposed). */
  get usable(): boolean {
    return this.failure === null;
  }

  /** Object queries are answered from ground truth or from the cameras, as the last reset chose. */
  readonly perception: ObjectPerception = { grounding: () => this.grounding };

  /** The arms' forward kinematics on this thread (the chain the worker's model is written from). */
  readonly kinematics: ArmKinematics;

  private constructor(
    readonly task: TaskDefinition,
    private readonly worker: Worker,
    haltBuffer: SharedArrayBuffer,
  ) {
    this.haltFlag = new Int32Array(haltBuffer);
    this.kinematics = workcellKinematics(task.workcell);
    worker.on('message', (reply: SimReply) => this.settle(reply));
    worker.on('error', (error) => this.fail(new Error(`simulator worker crashed: ${error.message}`)));
    worker.on('exit', (code) => this.fail(new Error(`simulator worker exited (code ${code})`)));
  }

  /** Start a worker with the task's workcell; resolves once MuJoCo has loaded the model. */
  static async start(task: TaskDefinition): Promise<SimBackend> {
    const haltBuffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const data: SimWorkerData = { task, haltBuffer, mujocoModule: await compiledMujoco() };
    const worker = await startTsWorker(new URL('./worker-main.ts', import.meta.url), data);
    const backend = new SimBackend(task, worker, haltBuffer);
    const ready = (await new Promise<unknown>((resolve, reject) => backend.pending.set(0, { resolve, reject }))) as SimReady;
    backend.ready = ready;
    backend.poseReader = new PoseReader(ready.poseBuffer);
    return backend;
  }

  /**
   * What the console's twin draws: the bodies (in the order of the published poses), the arms
   * (in the order of the published targets) and the camera names.
   */
  get twin(): { readonly bodies: readonly TwinBodyDescription[]; readonly arms: readonly string[]; readonly cameraNames: readonly string[] } {
    return this.ready!;
  }

  /**
   * Body poses the worker publishes while it steps (at most every 16 ms of wall time, and when a
   * request ends), once `publish(true)` asked for them: read them at display rate without waiting
   * for a motion to finish.
   */
  get poses(): PoseReader {
    return this.poseReader!;
  }

  /**
   * A reader of the frames the worker records every 40 ms of simulated time (while publishing is
   * on), starting with the next one: for recording a run's replay.
   */
  recordedFrames(): FrameRingReader {
    return new FrameRingReader(this.ready!.frameRing);
  }

  /**
   * Publish poses and record frames from now on (the present state at once), or stop. Off from
   * the start: a simulator nobody watches (a bench's) spends nothing on the twin.
   */
  async publish(on: boolean): Promise<void> {
    await this.request({ op: 'publish', on });
  }

  /** The arms' joint telemetry: per arm its joint names and the unit of its loads. */
  get telemetryArms(): TelemetryLayout['arms'] {
    return this.ready!.telemetry.arms;
  }

  /**
   * A reader of the joint samples the worker takes every 20 ms of simulated time while
   * `sampleTelemetry(true)` is on, starting with the next one (see `telemetry-sampler.ts`).
   */
  telemetrySamples(): TelemetryReader {
    return new TelemetryReader(this.ready!.telemetry);
  }

  /** Sample joint telemetry from now on (the present state at once), or stop after a last sample. Off from the start. */
  async sampleTelemetry(on: boolean): Promise<void> {
    await this.request({ op: 'telemetry', on });
  }

  /**
   * Reset the episode to a seed: arms home, grippers open, objects placed from the seed. The
   * grounding decides how object queries are answered (ground truth, or from the cameras).
   */
  async reset(seed: number, grounding: Grounding = 'privileged'): Promise<void> {
    await this.request({ op: 'reset', seed, grounding });
    this.grounding = grounding;
  }

  /**
   * Rebuild the scene from estimated object poses (placed from `seed`, then moved to the
   * estimates): a twin for rehearsing programs that knows only what perception reported.
   */
  async rebuild(seed: number, poses: Readonly<Record<string, WorldPose | null>>, grounding: Grounding = 'perception'): Promise<void> {
    await this.request({ op: 'rebuild', seed, grounding, poses });
    this.grounding = grounding;
  }

  async invoke(call: BoundCall): Promise<unknown> {
    if (call.spec.moves && this.haltReason !== null) {
      throw new ApiError('safety_stop', `${call.fn}() refused: the robot is halted (${this.haltReason})`, {
        function: call.fn,
      });
    }
    try {
      return await this.request({ op: 'call', call: withoutSpec(call) });
    } catch (error) {
      // The worker only knows that it was halted; the reason lives here.
      if (error instanceof ApiError && error.code === 'safety_stop' && this.haltReason !== null) {
        throw new ApiError('safety_stop', `${call.fn}() was stopped: ${this.haltReason}`, { function: call.fn });
      }
      throw error;
    }
  }

  halt(reason: string): void {
    this.haltReason ??= reason;
    Atomics.store(this.haltFlag, HALT_INDEX, 1);
  }

  resume(): void {
    this.haltReason = null;
    Atomics.store(this.haltFlag, HALT_INDEX, 0);
  }

  async state(): Promise<RobotState> {
    return (await this.request({ op: 'state' })) as RobotState;
  }

  /** Check the task's success predicate in the present scene. */
  async evaluate(): Promise<SuccessCheck> {
    return (await this.request({ op: 'evaluate' })) as SuccessCheck;
  }

  /** What the cameras see of the task's objects now, and the grippers' tool points: for judging by camera. */
  async cameraView(): Promise<CameraView> {
    return (await this.request({ op: 'cameraView' })) as CameraView;
  }

  /** Render a camera (RGB, depth, segmentation) at the present state, for display and perf. */
  async render(camera: string, widthPx = 640, heightPx = 480): Promise<Frame> {
    return (await this.request({ op: 'render', camera, widthPx, heightPx })) as Frame;
  }

  /** Physics steps the worker has taken and the time they took (for `trial.physicsShare`). */
  async physicsStats(): Promise<PhysicsStats> {
    return (await this.request({ op: 'physicsStats' })) as PhysicsStats;
  }

  /** Physics steps per wall-clock second, measured inside the worker over `steps` steps. */
  async stepsPerSecond(steps: number): Promise<number> {
    return (await this.request({ op: 'stepsPerSecond', steps })) as number;
  }

  async dispose(): Promise<void> {
    this.failure ??= new Error('simulator disposed');
    await this.worker.terminate();
  }

  private request(body: RequestBody): Promise<unknown> {
    if (this.failure) return Promise.reject(new ApiError('backend_error', this.failure.message));
    const id = this.nextId;
    this.nextId += 1;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...body, id } as SimRequest);
    });
  }

  private settle(reply: SimReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(errorFromWire(reply.error));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(new ApiError('backend_error', error.message));
    this.pending.clear();
  }
}
