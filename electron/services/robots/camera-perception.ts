/**
 * A connected arm with a calibrated camera: its backend gains the object queries and perception
 * calls of tiers S2–S4 (`get_object_pose`, `sample_grasp_pose`, `segment`, `detect_objects`,
 * `mask_to_points`, `get_oriented_bounding_box`, `plan_grasp`, and the camera's images in
 * `get_observation()`), answered from the camera's frames by the same perception code as the
 * simulator's (`FramePerception` over `CameraEyes`). None of those calls moves anything; every
 * motion call passes straight to the arm's own backend, under the safety supervisor that wraps
 * this one, so the supervisor stays the only path to motion. The dry-run arm gets the same eyes.
 */
import type { BoundCall } from '../../../shared/api/calls.ts';
import { withoutSpec } from '../../../shared/api/calls.ts';
import type { CameraView } from '../../../shared/camera-judge.ts';
import type { ObjectPerception, RobotBackend, RobotState } from '../../../shared/robot.ts';
import { CameraEyes } from '../../../native/perception/camera-eyes.ts';
import { withTaughtColours } from '../../../native/perception/colour-teach.ts';
import { seenObjects } from '../../../native/perception/seen-scene.ts';
import { FramePerception } from '../../../native/sim/perception.ts';
import type { DryRunArm, RealRobot, RehearsalArm } from './real-robot.ts';
import type { TaskDefinition } from '../../../shared/tasks.ts';

const poseTuple = (pose: { positionM: readonly number[]; quatWxyz: readonly number[] }): number[][] => [
  pose.positionM.map((v) => Number(v.toFixed(5))),
  pose.quatWxyz.map((v) => Number(v.toFixed(5))),
];

/** A backend that answers perception from the camera and passes everything else to the arm. */
class PerceivingBackend implements RobotBackend {
  readonly perception: ObjectPerception = { grounding: () => 'perception' };
  readonly armJointCount: number;
  readonly motionLimits;
  readonly health;
  readonly kinematics;
  readonly jointStream;
  readonly telemetry;

  constructor(
    private readonly arm: RobotBackend,
    private readonly eyes: CameraEyes,
    private readonly seeing: FramePerception,
  ) {
    this.armJointCount = arm.armJointCount;
    this.motionLimits = arm.motionLimits;
    this.health = arm.health;
    this.kinematics = arm.kinematics;
    this.jointStream = arm.jointStream;
    this.telemetry = arm.telemetry;
  }

  async invoke(call: BoundCall): Promise<unknown> {
    if (call.spec.moves) return this.arm.invoke(call);
    switch (call.fn) {
      case 'get_observation': {
        const own = (await this.arm.invoke(call)) as Record<string, unknown>;
        await this.eyes.refresh();
        return { ...own, ...this.seeing.observe() };
      }
      case 'get_object_pose':
        await this.eyes.refresh();
        return poseTuple(this.seeing.objectPose(call.args.name));
      case 'sample_grasp_pose':
        await this.eyes.refresh();
        return poseTuple(this.seeing.graspPose(call.args.name, call.args.arm));
      // A new image is taken by get_observation(); these read the one they are given.
      case 'segment':
      case 'detect_objects':
      case 'mask_to_points':
      case 'get_oriented_bounding_box':
      case 'plan_grasp':
        return this.seeing.serve(withoutSpec(call));
      default:
        return this.arm.invoke(call);
    }
  }

  halt(reason: string): void {
    this.arm.halt(reason);
  }

  resume(): void {
    this.arm.resume();
  }

  state(): Promise<RobotState> {
    return this.arm.state();
  }

  /** The arm only: the eyes belong to the robot (shared with the dry-run arm). */
  dispose(): Promise<void> {
    return this.arm.dispose();
  }
}

/** A connected arm and its calibrated camera as one robot; `view()` is what the camera sees now (for judging). */
export interface SeeingRobot extends RealRobot {
  view(): Promise<CameraView>;
}

/**
 * The robot with camera perception; the caller keeps owning `eyes` (dispose it after the arm).
 * With `rehearse` (the task as the catalogue has it) and an arm that has a bench model, the dry run
 * is a rehearsal on a twin rebuilt from what the camera sees (`RealRobot.rehearsalTwin`), with its
 * own camera and perception and judged on its physics; otherwise the dry-run arm is the device
 * emulator, seeing through the real camera.
 */
export function withCameraPerception(robot: RealRobot, eyes: CameraEyes, rehearse?: { readonly task: TaskDefinition }): SeeingRobot {
  const seeing = new FramePerception(eyes);
  const backend = new PerceivingBackend(robot.backend, eyes, seeing);
  const view = async (): Promise<CameraView> => {
    const state = await robot.backend.state();
    const kinematics = robot.backend.kinematics;
    const grippers: Record<string, CameraView['grippers'][string]> = kinematics
      ? { left: { tcpM: kinematics.gripperPose(state.jointAnglesRad, 'left').positionM, widthM: state.gripperWidthM, openWidthM: kinematics.gripperOpeningM('left') } }
      : {};
    return { objects: await seenObjects(new FramePerception(eyes), eyes, grippers), grippers };
  };
  return {
    ...robot,
    backend,
    async dryRunArm() {
      if (rehearse && robot.rehearsalTwin) {
        // The twin's objects wear the colours the camera was taught (its camera then sees them as the real one does).
        const task = { ...rehearse.task, objects: withTaughtColours(rehearse.task.objects, eyes.colours) };
        return rehearsalOn(await robot.rehearsalTwin(task, (await view()).objects), eyes);
      }
      const twin = await robot.dryRunArm();
      return { backend: new PerceivingBackend(twin.backend, eyes, new FramePerception(eyes)), dispose: () => twin.dispose() };
    },
    view,
  };
}

/** The rehearsal twin with perception from its own camera (the same objects, the twin's calibration). */
async function rehearsalOn(twin: RehearsalArm, eyes: CameraEyes): Promise<DryRunArm> {
  let twinEyes: CameraEyes;
  try {
    twinEyes = await CameraEyes.open({ url: twin.cameraUrl, calibration: twin.cameraCalibration, objects: eyes.objects });
  } catch (error) {
    await twin.dispose();
    throw error;
  }
  return {
    backend: new PerceivingBackend(twin.backend, twinEyes, new FramePerception(twinEyes)),
    truth: () => twin.truth(),
    ...(twin.description ? { description: twin.description } : {}),
    dispose: async () => {
      twinEyes.dispose();
      await twin.dispose();
    },
  };
}
