/**
 * The robot backend seam: the simulator and the real-arm drivers implement this one interface;
 * the safety supervisor wraps it; the policy runtime calls it.
 *
 * Beyond the API calls, a backend declares what else it can do as optional capability members,
 * in the spirit of Lichtblick's `Player` (a capability list, with optional methods tied to each
 * capability). Here the member is the declaration: a capability and its methods come and go
 * together, so a caller asks `backend.motionLimits` and finds the methods there, and never
 * tests the concrete class (`instanceof`) or casts to look for a method.
 */
import type { BoundCall } from './api/calls.ts';
import type { Grounding } from './api/types.ts';

/** Pose of a body, world frame. */
export interface WorldPose {
  readonly positionM: readonly [number, number, number];
  readonly quatWxyz: readonly [number, number, number, number];
}

/** A snapshot of the robot and scene, for display and for the run log. */
export interface RobotState {
  readonly timeS: number;
  readonly jointAnglesRad: readonly number[];
  readonly gripperWidthM: number;
  readonly objects: Readonly<Record<string, WorldPose>>;
}

/** The backend keeps speed (and acceleration) limits on every move; the supervisor sets them. */
export interface MotionLimits {
  /** Cap the joint speed of every move, rad/s (never above the arm's own limit). */
  setJointSpeedLimit(radPerS: number): void;
  /**
   * Cap the joint acceleration of every move, rad/s²; present where the backend plans the speed
   * profile itself (servo arms stream trapezoids), absent where the controller plans it (UR).
   */
  setJointAccelerationLimit?(radPerS2: number): void;
}

/**
 * The arm's forward kinematics on the host, without a call to the robot: the supervisor checks
 * streamed joint targets (`run_vla`'s actions) against the workspace box before they are sent.
 */
export interface ArmKinematics {
  /** The gripper-centre pose at joint angles, world frame. */
  gripperPose(qRad: readonly number[], arm: string): WorldPose;
  /** The arm model's own joint limits, rad (low, high per joint). */
  jointLimitsRad(arm: string): readonly (readonly [number, number])[];
  /** The gripper's widest opening, m (a VLA observation gives the gripper as a fraction of it). */
  gripperOpeningM(arm: string): number;
}

/** The latest joint reading the driver took anyway, without a bus transaction. */
export interface DriverJointStream {
  /** The state as last read (a streamed move reads every cycle) and its age, ms; null before the first read. */
  latest(): { readonly state: RobotState; readonly ageMs: number } | null;
}

/**
 * A real arm's telemetry beyond the joint angles, from what the driver already commanded or read
 * (never a bus transaction of its own: a servo bus is shared with the moves).
 */
export interface DriverTelemetry {
  /** The arm joints' names, in the order of `jointAnglesRad`. */
  readonly jointNames: readonly string[];
  /** Unit of `loads`: 'A' (a UR's joint currents), '%' (Feetech load), 'mA' (Dynamixel current); null when it reads none. */
  readonly loadUnit: string | null;
  /** Joint targets last commanded (rad; null before any), velocities (rad/s; null when not measured), loads (null when not read). */
  latest(): { readonly targetsRad: readonly number[] | null; readonly velocitiesRadS: readonly number[] | null; readonly loads: readonly number[] | null };
}

/** One servo's health reading. */
export interface ServoHealth {
  readonly id: number;
  readonly temperatureC: number;
  readonly voltageV: number;
  /** Load as a fraction of the maximum, signed. */
  readonly load: number;
}

/** The transaction counters of a serial bus. */
export interface BusCounters {
  readonly framesOut: number;
  readonly framesIn: number;
  readonly timeouts: number;
  readonly checksumErrors: number;
  readonly garbageBytes: number;
}

/** Health as a bus of servos reports it (SO-101, OpenMANIPULATOR-X): servo by servo. */
export interface ServoBusHealth {
  readonly kind: 'servo-bus';
  /** The servo model's name, e.g. `STS3215` (temperature limits differ by model). */
  readonly servoModel: string;
  /** The servos in joint order (the arm joints, then the gripper). */
  readonly servos: readonly { readonly id: number; readonly name: string }[];
  /** Temperature, voltage and load of several servos in one read; rejects with the bus's error (its flags say whether the bus is gone). */
  readServos(ids: readonly number[]): Promise<ServoHealth[]>;
  /** The bus's counters so far. */
  counters(): BusCounters;
  /** True once the port has closed. */
  isDisconnected(): boolean;
  /** Be told at once when the port closes (the cable was pulled); returns the function that stops telling. */
  onDisconnected(listener: (reason: string) => void): () => void;
}

/** The controller's view of the arm (UR, from its RTDE stream). */
export interface ControllerStatus {
  readonly robotMode: string;
  readonly safetyMode: string;
  readonly jointTemperaturesC: readonly number[];
  readonly jointCurrentsA: readonly number[];
  readonly jointVoltagesV: readonly number[];
  /** Why the connection was lost, or null. */
  readonly lost: string | null;
}

/** Health as a robot controller reports it (UR): modes, and temperature, current and voltage per joint. */
export interface ControllerHealth {
  readonly kind: 'controller';
  /** From the latest sample; no transaction. */
  status(): ControllerStatus;
}

/** Where an arm's health (the console's health table) comes from. */
export type HealthSource = ServoBusHealth | ControllerHealth;

/** Pinhole intrinsics of a rendered or captured image, pixels. */
export interface CameraIntrinsics {
  readonly fx: number;
  readonly fy: number;
  readonly cx: number;
  readonly cy: number;
  readonly widthPx: number;
  readonly heightPx: number;
}

/** One camera image with its depth and where it was taken from, world frame. */
export interface CameraFrame {
  readonly camera: string;
  /** Robot clock when taken, s. */
  readonly timeS: number;
  readonly intrinsics: CameraIntrinsics;
  readonly positionM: readonly [number, number, number];
  readonly quatWxyz: readonly number[];
  /** Row-major, 3 bytes per pixel. */
  readonly rgb: Uint8Array;
  /** Row-major depth along the camera axis, m; 0 where nothing was seen. */
  readonly depthM: Float32Array;
}

/** Cameras the backend can show (only the simulator's rendered ones today). */
export interface Cameras {
  /** The camera names, fixed ones first. */
  names(): readonly string[];
  /** An image of the present scene. */
  render(camera: string, widthPx: number, heightPx: number): Promise<CameraFrame>;
}

/**
 * The backend answers object queries (`get_object_pose`, `sample_grasp_pose` and, under perception
 * grounding, the reduced API's perception functions); only the simulator does today. Without it
 * those calls fail with `unknown_function` (the real arms have no calibrated camera).
 */
export interface ObjectPerception {
  /** How object queries are answered now: the simulator's ground truth, or from the cameras. */
  grounding(): Grounding;
}

/** Anything that can serve robot-API calls. */
export interface RobotBackend {
  /** Number of arm joints, for validating joint vectors. */
  readonly armJointCount: number;
  /** Serve one validated call; rejects with `ApiError` (codes in `errors.ts`). */
  invoke(call: BoundCall): Promise<unknown>;
  /**
   * Stop all motion now and hold the present position. Must take effect even while a blocking
   * move is in progress (that move then rejects with `safety_stop`).
   */
  halt(reason: string): void;
  /** Clear a previous halt so that motion calls are served again. */
  resume(): void;
  /** Current state, for display. */
  state(): Promise<RobotState>;
  /** Release everything the backend owns (workers, ports, sockets). */
  dispose(): Promise<void>;
  /** Speed and acceleration limits it keeps (real arms); the supervisor refuses limits a backend cannot keep. */
  readonly motionLimits?: MotionLimits;
  /** Its health for the console (real arms). */
  readonly health?: HealthSource;
  /** Forward kinematics on the host (every arm whose model is known); without it streamed targets cannot be held to the workspace box. */
  readonly kinematics?: ArmKinematics;
  /** Joint readings without a bus transaction (servo arms, whose bus is shared with the moves). */
  readonly jointStream?: DriverJointStream;
  /** What it commanded and measured besides the angles, for a run's telemetry (real arms). */
  readonly telemetry?: DriverTelemetry;
  /** Cameras it can show (the simulator). */
  readonly cameras?: Cameras;
  /** It answers object queries (the simulator). */
  readonly perception?: ObjectPerception;
}
