/**
 * The virtual bench's physics: one MuJoCo model (an arm on a table with the task's objects),
 * stepped in real time on this thread, and the plant behind the servo emulator. Each servo's goal
 * is its joint's position-actuator target; its torque limit scales the actuator's force range;
 * torque off zeroes the actuator's gain and bias, so the joint goes limp (only its damping and
 * friction loss are left, as in a back-driven gearbox). Present position, speed and load are read
 * from the joint and the actuator force. The simulated clock follows the wall clock: every read
 * first steps the physics up to now, and a timer keeps stepping between reads.
 */
import type { MainModule, MjData, MjModel } from '@mujoco/mujoco';
import type { ServoCommand, ServoPlant, ServoReading } from '../drivers/servo-plant.ts';
import { heapView, type HeapView } from '../sim/heap-view.ts';

/** Ticks per revolution and the tick of a joint's zero (the nominal calibration). */
const TICKS_PER_RAD = 4096 / (2 * Math.PI);
const ZERO_TICKS = 2048;
/** Behind the wall clock by more than this, the physics drops the time instead of racing to catch up, s. */
const MAX_LAG_S = 0.25;
/** A servo's joint angle at a position in ticks (the bench's servos read their joint's zero as 2048), rad. */
export function jointRadAtTicks(ticks: number): number {
  return (ticks - ZERO_TICKS) / TICKS_PER_RAD;
}

/** How often the timer steps between reads, ms. */
const STEP_TIMER_MS = 4;

/** One servo's joint and actuator in the model. */
interface ServoJointAddress {
  readonly qpos: number;
  readonly dof: number;
  readonly actuator: number;
  readonly kp: number;
  readonly maxTorqueNm: number;
}

/** What the bench physics is made of. */
export interface BenchPhysicsOptions {
  readonly mujoco: MainModule;
  readonly mjcf: string;
  /** Joint (and actuator) name of each servo id. */
  readonly servoJoints: ReadonlyMap<number, string>;
  /** Each servo's joint at the start, rad (and its actuator's target). */
  readonly startRad: ReadonlyMap<number, number>;
}

/** Counters of the real-time stepping. */
export interface BenchPhysicsStats {
  readonly steps: number;
  /** Simulated time dropped because the thread was busy, s. */
  readonly droppedS: number;
  readonly timeS: number;
}

/** The bench's MuJoCo model, stepped in real time, as the servos' plant. */
export class BenchPhysics implements ServoPlant {
  readonly model: MjModel;
  readonly data: MjData;
  private readonly servos = new Map<number, ServoJointAddress>();
  private readonly views: Record<'qpos' | 'qvel' | 'ctrl' | 'force' | 'gain' | 'bias' | 'forceRange', HeapView>;
  private wallStartMs = performance.now();
  private droppedS = 0;
  private steps = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly stepListeners = new Set<() => void>();

  constructor(readonly mujoco: MainModule, options: BenchPhysicsOptions) {
    this.model = mujoco.MjModel.from_xml_string(options.mjcf);
    this.data = new mujoco.MjData(this.model);
    const { model, data } = this;
    this.views = {
      qpos: heapView(() => data.qpos),
      qvel: heapView(() => data.qvel),
      ctrl: heapView(() => data.ctrl),
      force: heapView(() => data.actuator_force),
      gain: heapView(() => model.actuator_gainprm),
      bias: heapView(() => model.actuator_biasprm),
      forceRange: heapView(() => model.actuator_forcerange),
    };
    for (const [id, name] of options.servoJoints) {
      const joint = this.id(mujoco.mjtObj.mjOBJ_JOINT.value, name);
      const actuator = this.id(mujoco.mjtObj.mjOBJ_ACTUATOR.value, name);
      const address = {
        qpos: model.jnt_qposadr[joint] as number,
        dof: model.jnt_dofadr[joint] as number,
        actuator,
        kp: this.views.gain()[10 * actuator]!,
        maxTorqueNm: this.views.forceRange()[2 * actuator + 1]!,
      };
      this.servos.set(id, address);
      const q = options.startRad.get(id) ?? 0;
      this.views.qpos()[address.qpos] = q;
      this.views.ctrl()[address.actuator] = q;
    }
    mujoco.mj_forward(model, data);
  }

  /** Keep stepping on a timer (between the servo reads, which step it too). */
  start(): void {
    this.wallStartMs = performance.now() - this.data.time * 1000;
    this.timer ??= setInterval(() => this.advance(), STEP_TIMER_MS);
    this.timer.unref();
  }

  /** Step the physics up to the wall clock. */
  advance(): void {
    const targetS = (performance.now() - this.wallStartMs) / 1000;
    if (targetS - this.data.time > MAX_LAG_S) {
      const drop = targetS - this.data.time - MAX_LAG_S;
      this.droppedS += drop;
      this.wallStartMs += drop * 1000;
    }
    const timestep = this.model.opt.timestep;
    let stepped = false;
    while (this.data.time + timestep / 2 <= (performance.now() - this.wallStartMs) / 1000) {
      this.mujoco.mj_step(this.model, this.data);
      this.steps += 1;
      stepped = true;
    }
    if (stepped) for (const listener of this.stepListeners) listener();
  }

  /** Be told after the physics stepped (once per batch of steps); returns the function that stops telling. */
  onStepped(listener: () => void): () => void {
    this.stepListeners.add(listener);
    return () => this.stepListeners.delete(listener);
  }

  read(id: number): ServoReading {
    this.advance();
    const servo = this.servo(id);
    return {
      positionTicks: ZERO_TICKS + this.views.qpos()[servo.qpos]! * TICKS_PER_RAD,
      speedTicksPerS: this.views.qvel()[servo.dof]! * TICKS_PER_RAD,
      loadPermille: (1000 * this.views.force()[servo.actuator]!) / servo.maxTorqueNm,
    };
  }

  command(id: number, command: ServoCommand): void {
    this.advance();
    const servo = this.servo(id);
    const a = servo.actuator;
    const gain = command.torqueOn ? servo.kp : 0;
    // A position actuator: force = gain · ctrl + bias[1] · q (+ bias[2] · q̇): off, both are 0.
    this.views.gain()[10 * a] = gain;
    this.views.bias()[10 * a + 1] = -gain;
    const limit = (servo.maxTorqueNm * Math.min(1000, Math.max(0, command.torqueLimitPermille))) / 1000;
    this.views.forceRange()[2 * a] = -limit;
    this.views.forceRange()[2 * a + 1] = limit;
    this.views.ctrl()[a] = (command.goalTicks - ZERO_TICKS) / TICKS_PER_RAD;
  }

  /** Whether servo `id`'s actuator pushes at all (torque on with a torque limit above 0). */
  torqueOn(id: number): boolean {
    const a = this.servo(id).actuator;
    return this.views.gain()[10 * a] !== 0 && this.views.forceRange()[2 * a + 1]! > 0;
  }

  /** Joint angles of the servos in id order, rad (ground truth, no stepping). */
  jointAnglesRad(ids: readonly number[]): number[] {
    return ids.map((id) => this.views.qpos()[this.servo(id).qpos]!);
  }

  /** Joint speeds of the servos in id order, rad/s. */
  jointSpeedsRadS(ids: readonly number[]): number[] {
    return ids.map((id) => this.views.qvel()[this.servo(id).dof]!);
  }

  /** A free body's pose (ground truth), world frame: position (m) and orientation. */
  bodyPose(name: string): { positionM: [number, number, number]; quatWxyz: [number, number, number, number] } {
    const body = this.id(this.mujoco.mjtObj.mjOBJ_BODY.value, name);
    const p = (this.data.xpos as Float64Array).subarray(3 * body, 3 * body + 3);
    const q = (this.data.xquat as Float64Array).subarray(4 * body, 4 * body + 4);
    return { positionM: [p[0]!, p[1]!, p[2]!], quatWxyz: [q[0]!, q[1]!, q[2]!, q[3]!] };
  }

  /** A site's position (ground truth), world frame, m. */
  sitePosition(name: string): [number, number, number] {
    const site = this.id(this.mujoco.mjtObj.mjOBJ_SITE.value, name);
    const p = (this.data.site_xpos as Float64Array).subarray(3 * site, 3 * site + 3);
    return [p[0]!, p[1]!, p[2]!];
  }

  stats(): BenchPhysicsStats {
    return { steps: this.steps, droppedS: this.droppedS, timeS: this.data.time };
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stepListeners.clear();
    this.data.delete();
    this.model.delete();
  }

  private servo(id: number): ServoJointAddress {
    const servo = this.servos.get(id);
    if (!servo) throw new Error(`the bench has no servo ${id}`);
    return servo;
  }

  private id(type: number, name: string): number {
    const found = this.mujoco.mj_name2id(this.model, type, name);
    if (found < 0) throw new Error(`the bench model has no '${name}'`);
    return found;
  }
}
