/**
 * A simulated workcell: MuJoCo physics, one or two Panda arms with joint-space motion on
 * position servos, IK for Cartesian targets, grippers, seeded episode resets and the task's
 * success check. Everything here is synchronous and runs inside the simulator's worker thread;
 * a blocking call steps the physics until it converges, times out or is halted.
 */
import type { MainModule, MjData, MjModel } from '@mujoco/mujoco';
import { serveCall, type ApiCall, type ApiHandlers, type PerceptionFunctionName } from '../../shared/api/calls.ts';
import { composedCalls, type PrimitiveFunctionName } from '../../shared/api/compose.ts';
import type { Grounding } from '../../shared/api/types.ts';
import { ApiError } from '../../shared/errors.ts';
import type { RobotState, WorldPose } from '../../shared/robot.ts';
import type { TaskDefinition } from '../../shared/tasks.ts';
import { WORKCELLS } from '../../shared/workcells.ts';
import { ArmRig, armNamed } from './arm-rig.ts';
import { IK_POSITION_TOLERANCE_M } from './ik.ts';
import { FINGER_TRAVEL_M, workcellMjcf } from './panda-mjcf.ts';
import { describeVector, solveIk, straightLine } from './motion.ts';
import { SeededRandom } from '../../shared/math/rng.ts';
import { Scene } from './scene.ts';
import { evaluateSuccess, type SuccessCheck } from './success.ts';
import { CameraRig, type Frame } from './camera.ts';
import { GroundTruth, type Grounder } from './grounding.ts';
import { Perception } from './perception.ts';
import type { StepObserver } from './twin-publisher.ts';
import { PhysicsClock } from './physics-clock.ts';
import { poseTuple, round, roundAll } from './api-values.ts';

/** Tells a running move to stop (the e-stop path); checked on every physics step. */
export interface HaltSignal {
  isHalted(): boolean;
}

/** After the trajectory ends, how long the servos get to converge before MotionError, s. */
const SETTLE_LIMIT_S = 2.0;
const GRIPPER_LIMIT_S = 1.5;
/** After a reset: step until no joint is faster than SETTLE_AT_REST (rad/s, m/s; checked every
 * SETTLE_CHECK_STEPS steps), at most RESET_SETTLE_S simulated: most scenes rest in ~30 of 150 steps. */
const RESET_SETTLE_S = 0.3;
const SETTLE_AT_REST = 1e-4;
const SETTLE_CHECK_STEPS = 10;

/** One simulated workcell with a task's objects. */
export class PandaWorkcell {
  readonly armJointCount = 7;
  readonly arms: ArmRig[];
  readonly scene: Scene;
  readonly cameras: CameraRig;
  private grounder: Grounder;
  private readonly handlers = this.apiHandlers();
  /** Every physics step, counted and timed. */
  readonly physics: PhysicsClock;

  private constructor(
    readonly mujoco: MainModule,
    readonly task: TaskDefinition,
    readonly model: MjModel,
    readonly data: MjData,
    private readonly halt: HaltSignal,
    private readonly observer: StepObserver | null,
  ) {
    this.arms = WORKCELLS[task.workcell].arms.map((mount) => new ArmRig(mujoco, model, data, mount.name));
    this.scene = new Scene(mujoco, model, data, task);
    this.cameras = new CameraRig(mujoco, model, data, task, this.scene);
    this.grounder = new GroundTruth(this.scene);
    this.physics = new PhysicsClock(mujoco, model, data);
  }

  /**
   * Build the workcell for a task; call `reset(seed)` before use. The observer (the twin's pose
   * publisher) hears about every physics step.
   */
  static create(mujoco: MainModule, task: TaskDefinition, halt: HaltSignal, observer: StepObserver | null = null): PandaWorkcell {
    const model = mujoco.MjModel.from_xml_string(workcellMjcf(task));
    return new PandaWorkcell(mujoco, task, model, new mujoco.MjData(model), halt, observer);
  }

  /** How object queries are answered from now on: ground truth, or from the cameras. */
  useGrounding(grounding: Grounding): void {
    if (grounding === this.grounder.grounding) return;
    this.grounder.dispose();
    this.grounder = grounding === 'privileged' ? new GroundTruth(this.scene) : new Perception(this.cameras, this.scene);
  }

  /** Render a camera image for display (RGB, depth, segmentation), bypassing the API. */
  renderForDisplay(camera: string, widthPx: number, heightPx: number): Frame {
    return this.cameras.render(camera, widthPx, heightPx);
  }

  /** Arms home, grippers open, objects placed from the seed; let the scene settle. */
  reset(seed: number): void {
    this.place(seed);
    this.settle();
  }

  /**
   * A twin rebuilt from estimates: placed from `seed`, then every object with an estimated pose
   * moved there, and settled. Used to rehearse programs without the trial's own scene.
   */
  rebuild(seed: number, poses: Readonly<Record<string, WorldPose | null>>): void {
    this.place(seed);
    for (const [name, pose] of Object.entries(poses)) {
      if (pose) this.scene.placeObject(this.scene.find(name), pose.positionM, pose.quatWxyz);
    }
    this.settle();
  }

  private place(seed: number): void {
    // Variation first: it writes the model and recomputes its constants, using the data as scratch.
    this.scene.vary(seed);
    this.mujoco.mj_resetData(this.model, this.data);
    for (const arm of this.arms) arm.home();
    this.scene.place(new SeededRandom(seed));
    this.cameras.reseed(seed);
  }

  private settle(): void {
    const { mujoco, model, data } = this;
    mujoco.mj_forward(model, data);
    const steps = Math.round(RESET_SETTLE_S / model.opt.timestep);
    for (let k = 1; k <= steps; k += 1) {
      this.physicsStep();
      if (k % SETTLE_CHECK_STEPS === 0 && (data.qvel as Float64Array).every((v) => Math.abs(v) < SETTLE_AT_REST)) break;
    }
    data.time = 0;
    this.grounder.reset();
    this.scene.recordStart();
  }

  /** The grounding the present grounder gives. */
  get grounding(): Grounding {
    return this.grounder.grounding;
  }

  /** Serve one validated API call; throws `ApiError`. The grounder serves the perception functions. */
  call(call: ApiCall): unknown {
    return serveCall(this.handlers, call, () => {
      if ('arm' in call.args) this.arm(call.fn, call.args.arm);
      return this.grounder.serve(call);
    });
  }

  /** The calls the workcell serves itself, typed from the spec, and the calls composed from them. */
  private apiHandlers() {
    const primitives = {
      get_observation: ({ arm }, fn) => this.observation(this.arm(fn, arm)),
      get_object_pose: ({ name }) => poseTuple(this.grounder.objectPose(name)),
      sample_grasp_pose: ({ name, arm }, fn) => poseTuple(this.grounder.graspPose(name, this.arm(fn, arm).name)),
      get_ee_pose: ({ arm }, fn) => poseTuple(this.arm(fn, arm).eePose()),
      solve_ik: ({ position_m, quat_wxyz, arm }, fn) => roundAll(solveIk(fn, this.arm(fn, arm), position_m, quat_wxyz)),
      move_to_pose: ({ position_m, quat_wxyz, arm, wait }, fn) => this.moveToPose(fn, this.arm(fn, arm), position_m, quat_wxyz, wait),
      move_to_joints: ({ q_rad, arm, wait }, fn) => this.moveToJoints(fn, this.arm(fn, arm), q_rad, wait),
      wait_for_motion: (_args, fn) => this.waitFor(fn, this.arms),
      open_gripper: ({ arm }, fn) => this.moveGripper(fn, this.arm(fn, arm), FINGER_TRAVEL_M),
      close_gripper: ({ arm }, fn) => this.moveGripper(fn, this.arm(fn, arm), 0),
      sleep: ({ seconds }, fn) => this.run(fn, Math.round(seconds / this.model.opt.timestep)),
      stream_joints: ({ q_rad, gripper_closure, seconds, arm }, fn) => this.streamJoints(fn, this.arm(fn, arm), q_rad, gripper_closure, seconds),
    } satisfies ApiHandlers<Exclude<PrimitiveFunctionName, PerceptionFunctionName>>;
    return { ...primitives, ...composedCalls(primitives) };
  }

  /** Snapshot for display and the run log (the first arm's joints and gripper). */
  state(): RobotState {
    const objects: Record<string, WorldPose> = {};
    for (const object of this.scene.objects) objects[object.name] = this.scene.pose(object.name);
    const arm = this.arms[0]!;
    return { timeS: this.data.time, jointAnglesRad: arm.jointAngles(), gripperWidthM: arm.gripperWidth(), objects };
  }

  /** Check the task's success predicate (lets the robot clock run for the hold time). */
  evaluate(): SuccessCheck {
    return evaluateSuccess(this.task.success, {
      scene: this.scene,
      arms: this.arms,
      step: () => this.physicsStep(),
      timestepS: this.model.opt.timestep,
    });
  }

  /** Physics steps per second of wall time, holding the present targets for `steps` steps. */
  stepsPerSecond(steps: number): number {
    const started = performance.now();
    for (let i = 0; i < steps; i += 1) this.physicsStep();
    return steps / ((performance.now() - started) / 1000);
  }

  dispose(): void {
    this.grounder.dispose();
    this.cameras.dispose();
    for (const arm of this.arms) arm.dispose();
    this.data.delete();
    this.model.delete();
  }

  /** The arm a call names (the first when it names none); invalid_argument naming the arms there are. */
  private arm(fn: string, name = this.arms[0]!.name): ArmRig {
    return armNamed(this.arms, fn, name);
  }

  private observation(arm: ArmRig): Record<string, unknown> {
    const pose = arm.eePose();
    return {
      q_rad: roundAll(arm.jointAngles()),
      ee_position_m: roundAll(pose.positionM),
      ee_quat_wxyz: roundAll(pose.quatWxyz),
      gripper_width_m: round(arm.gripperWidth()),
      time_s: round(this.data.time, 4),
      ...this.grounder.observe(),
    };
  }

  private moveToPose(fn: string, arm: ArmRig, positionM: readonly number[], quatWxyz: readonly number[], wait: boolean): unknown {
    arm.startPath(straightLine(fn, arm, positionM, quatWxyz));
    if (!wait) return [roundAll(positionM), roundAll(quatWxyz)];
    this.waitFor(fn, [arm]);
    const reached = arm.eePose();
    const missM = Math.hypot(...reached.positionM.map((v, i) => v - positionM[i]!));
    if (missM > IK_POSITION_TOLERANCE_M) {
      throw new ApiError(
        'motion_timeout',
        `${fn}(): the ${arm.name} gripper stopped ${missM.toFixed(3)} m from the target ${describeVector(positionM)} m ` +
          '(blocked by contact?)',
        { function: fn },
      );
    }
    return poseTuple(reached);
  }

  private moveToJoints(fn: string, arm: ArmRig, qRad: readonly number[], wait: boolean): number[] {
    arm.startMove(qRad);
    if (wait) this.waitFor(fn, [arm]);
    return roundAll(arm.jointAngles());
  }

  /** Step until every listed arm has finished its motion; MotionError when one does not settle. */
  private waitFor(fn: string, arms: readonly ArmRig[]): null {
    const deadline = Math.max(...arms.map((a) => a.motionEndS())) + SETTLE_LIMIT_S;
    while (!arms.every((a) => a.atRest(this.data.time))) {
      if (this.data.time > deadline) {
        const stuck = arms.find((a) => !a.atRest(this.data.time))!;
        const worst = stuck.worstJoint();
        throw new ApiError(
          'motion_timeout',
          `${fn}(): the ${stuck.name} arm did not converge in time; joint ${worst.joint} is ` +
            `${worst.errorRad.toFixed(3)} rad from its target (blocked by contact?)`,
          { function: fn },
        );
      }
      this.step(fn);
    }
    return null;
  }

  /** Drive the fingers and wait until they stop (on the object or at the end). */
  private moveGripper(fn: string, arm: ArmRig, travelM: number): number {
    arm.setFingers(travelM);
    const dt = this.model.opt.timestep;
    const minSteps = Math.ceil(0.1 / dt);
    let still = 0;
    for (let k = 0; k < Math.ceil(GRIPPER_LIMIT_S / dt); k += 1) {
      this.step(fn);
      still = arm.fingerSpeed() < 1e-3 ? still + 1 : 0;
      if (k >= minSteps && still >= 25) break;
    }
    return round(arm.gripperWidth());
  }

  /** run_vla's control step: joint and finger targets set directly, held for `seconds` of physics. */
  private streamJoints(fn: string, arm: ArmRig, qRad: readonly number[], closure: number, seconds: number): Record<string, unknown> {
    arm.setTargets(qRad, FINGER_TRAVEL_M * (1 - closure));
    // Steps end on whole periods of the robot clock: the rate is exact though a period is no whole number of timesteps.
    const endS = (Math.round(this.data.time / seconds) + 1) * seconds;
    this.run(fn, Math.max(1, Math.round((endS - this.data.time) / this.model.opt.timestep)));
    return { q_rad: roundAll(arm.jointAngles()), gripper_width_m: round(arm.gripperWidth()), time_s: round(this.data.time, 4) };
  }

  /** Hold the targets for `steps` physics steps (sleep). */
  private run(fn: string, steps: number): null {
    for (let k = 0; k < steps; k += 1) this.step(fn);
    return null;
  }

  /** One physics step, unless the e-stop asks us to stop: then hold still and fail the call. */
  private step(fn: string): void {
    if (this.halt.isHalted()) {
      for (const arm of this.arms) arm.hold();
      throw new ApiError('safety_stop', `${fn}() was stopped: the robot was halted`, { function: fn });
    }
    for (const arm of this.arms) arm.advance(this.data.time);
    this.physicsStep();
  }

  /** mj_step (timed), the stain's wipe check, then tell the observer (the twin's pose publisher). */
  private physicsStep(): void {
    this.physics.step();
    this.scene.wipe?.afterStep();
    this.observer?.afterStep();
  }
}
