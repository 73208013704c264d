/**
 * A Universal Robots e-Series arm (UR5e kinematics) as a `RobotBackend`, over Ethernet: RTDE
 * (port 30004) for the state at up to 500 Hz, URScript over the secondary interface (30002) for
 * motion, and the dashboard server (29999) for power, brakes and protective stops. The stop is
 * `stopj` written at once on the secondary socket. A protective stop or a dropped connection ends
 * the motion in progress with the reason.
 */
import type { Socket } from 'node:net';
import { serveCall, type ApiHandlers, type BoundCall } from '../../../shared/api/calls.ts';
import { composedCalls } from '../../../shared/api/compose.ts';
import { ApiError, DeviceError } from '../../../shared/errors.ts';
import type { ArmKinematics, ControllerHealth, ControllerStatus, DriverTelemetry, MotionLimits, RobotBackend, RobotState } from '../../../shared/robot.ts';
import { quatFromMatrix } from '../../../shared/math/quat.ts';
import { DashboardClient, openSocket, RtdeClient, type RtdeSample } from './clients.ts';
import { UR5E_HOME_RAD, UR5E_JOINT_NAMES, UR5E_LIMITS_RAD, ur5eIk, ur5ePose } from './kinematics.ts';

/** Where the controller's services listen. */
export interface UrAddress {
  readonly host: string;
  readonly dashboardPort?: number;
  readonly secondaryPort?: number;
  readonly rtdePort?: number;
}

const RUNNING = 7;
const PROTECTIVE_STOP = 3;
const JOINT_SPEED_RAD_S = 1.0;
const JOINT_ACCELERATION = 1.4;
const ARRIVED_RAD = 0.002;
const IK_POSITION_TOLERANCE_M = 0.005;
const IK_ORIENTATION_TOLERANCE_RAD = 0.05;
const OUTPUTS = ['timestamp', 'actual_q', 'actual_qd', 'robot_mode', 'safety_mode', 'joint_temperatures', 'actual_current', 'actual_joint_voltage'];

/** RTDE `robot_mode` values as the controller names them. */
const ROBOT_MODES: Readonly<Record<number, string>> = {
  [-1]: 'NO_CONTROLLER', 0: 'DISCONNECTED', 1: 'CONFIRM_SAFETY', 2: 'BOOTING', 3: 'POWER_OFF', 4: 'POWER_ON', 5: 'IDLE', 6: 'BACKDRIVE', 7: 'RUNNING', 8: 'UPDATING_FIRMWARE',
};
/** RTDE `safety_mode` values as the controller names them. */
const SAFETY_MODES: Readonly<Record<number, string>> = {
  1: 'NORMAL', 2: 'REDUCED', 3: 'PROTECTIVE_STOP', 4: 'RECOVERY', 5: 'SAFEGUARD_STOP', 6: 'SYSTEM_EMERGENCY_STOP', 7: 'ROBOT_EMERGENCY_STOP', 8: 'VIOLATION', 9: 'FAULT',
};

/** The calls a UR serves (no gripper or camera is configured). */
type UrFunction = 'get_observation' | 'get_ee_pose' | 'solve_ik' | 'move_to_joints' | 'move_to_pose' | 'sleep' | 'stream_joints';

/** A connected UR arm. */
export class UrBackend implements RobotBackend {
  readonly armJointCount = 6;
  /** Speed limit of every move (the supervisor's); the controller plans the acceleration itself. */
  readonly motionLimits: MotionLimits = {
    setJointSpeedLimit: (radPerS) => {
      this.speedRadS = Math.min(JOINT_SPEED_RAD_S, radPerS);
    },
  };
  /** Modes, joint temperatures, currents and voltages from the latest RTDE sample. */
  readonly health: ControllerHealth = { kind: 'controller', status: () => this.status() };
  /** The last movej/servoj target; velocities and currents from the RTDE stream the driver reads anyway. */
  readonly telemetry: DriverTelemetry = { jointNames: UR5E_JOINT_NAMES, loadUnit: 'A', latest: () => ({ targetsRad: this.lastTarget, velocitiesRadS: this.rtdeVector('actual_qd'), loads: this.rtdeVector('actual_current') }) };
  private lastTarget: readonly number[] | null = null;
  private readonly rtdeVector = (name: string): number[] | null => (this.sample?.[name] as number[] | undefined) ?? null;
  /** The UR5e's kinematics (the flange; no gripper is configured). */
  readonly kinematics: ArmKinematics = {
    gripperPose: (q) => {
      const pose = ur5ePose(q);
      return { positionM: pose.positionM, quatWxyz: quatFromMatrix(pose.rotation) };
    },
    jointLimitsRad: () => UR5E_LIMITS_RAD,
    gripperOpeningM: () => 0,
  };
  /** When the present streamed step ends (performance.now() ms). */
  private streamDeadlineMs = -Infinity;
  private sample: RtdeSample | null = null;
  private haltReason: string | null = null;
  private lost: string | null = null;
  private speedRadS = JOINT_SPEED_RAD_S;
  /** Power on and release the brakes when the first motion call arrives (connected to watch). */
  private powerOnAtFirstMove = false;
  private readonly waiters = new Set<() => void>();
  private readonly handlers = this.apiHandlers();

  private constructor(
    private readonly dashboard: DashboardClient,
    private readonly rtde: { client: RtdeClient | null },
    private readonly secondary: Socket,
  ) {
    secondary.on('error', () => {});
    secondary.on('close', () => this.connectionLost('the secondary interface closed (network cable pulled?)'));
  }

  /**
   * Connect to all three services; power on and release the brakes when needed. With `powerOn`
   * 'first-move' the arm stays as it is until the first motion call reaches it (the console
   * connects to watch; an armed run that the supervisor lets move powers it on). Fails with a
   * `DeviceError` (`wrong_device` when the dashboard port greets as something else), or an
   * `ApiError` flagged as a device `timeout` when the controller does not stream or power on in time.
   */
  static async connect(address: UrAddress, options: { powerOn?: boolean | 'first-move' } = {}): Promise<UrBackend> {
    const { host } = address;
    const { client: dashboard, greeting } = await DashboardClient.open(host, address.dashboardPort ?? 29999);
    if (!greeting.includes('Dashboard Server')) {
      dashboard.close();
      throw new DeviceError('wrong_device', `${host} does not look like a UR dashboard server: '${greeting}'`);
    }
    const secondary = await openSocket(host, address.secondaryPort ?? 30002);
    const holder: { client: RtdeClient | null } = { client: null };
    const backend = new UrBackend(dashboard, holder, secondary);
    holder.client = await RtdeClient.open(host, address.rtdePort ?? 30004, OUTPUTS, 500, (s) => backend.onSample(s));
    holder.client.onClose(() => backend.connectionLost('RTDE closed (network cable pulled?)'));
    await backend.until('the first RTDE sample', 2000, () => backend.sample !== null);
    if (options.powerOn === 'first-move') backend.powerOnAtFirstMove = true;
    else if (options.powerOn !== false) await backend.powerOn();
    return backend;
  }

  /** Power the arm on and release its brakes, unless it is running already. */
  async powerOn(): Promise<void> {
    if ((await this.dashboard.command('robotmode')).includes('RUNNING')) return;
    await this.dashboard.command('power on');
    await this.dashboard.command('brake release');
    await this.until('the arm to power on and release its brakes', 10_000, () => this.sample?.['robot_mode'] === RUNNING);
  }

  async invoke(call: BoundCall): Promise<unknown> {
    if (this.lost) throw new ApiError('backend_error', `${call.fn}(): ${this.lost}`, { function: call.fn });
    if (call.spec.moves && this.haltReason !== null) {
      throw new ApiError('safety_stop', `${call.fn}() refused: the robot is halted (${this.haltReason})`, { function: call.fn });
    }
    if (call.spec.moves && this.powerOnAtFirstMove) {
      await this.powerOn();
      this.powerOnAtFirstMove = false;
    }
    return serveCall(this.handlers, call, (fn) => {
      throw new ApiError('unknown_function', `${fn}() is not available on this UR arm (no gripper or camera is configured)`, { function: fn });
    });
  }

  /** The calls the arm serves, typed from the spec, and the calls composed from them. */
  private apiHandlers() {
    const rounded = (q: readonly number[]): number[] => q.map((v) => Number(v.toFixed(5)));
    const primitives = {
      get_observation: () => ({ q_rad: rounded(this.q()), qd_rad_s: rounded(this.sample!['actual_qd'] as number[]), time_s: this.sample!['timestamp'] }),
      get_ee_pose: () => this.pose(this.q()),
      solve_ik: ({ position_m, quat_wxyz }, fn) => this.solveIk(fn, position_m, quat_wxyz),
      move_to_joints: async ({ q_rad, wait }, fn) => {
        await this.movej(fn, q_rad, wait);
        return rounded(this.q());
      },
      move_to_pose: async ({ position_m, quat_wxyz, wait }, fn) => {
        await this.movej(fn, this.solveIk(fn, position_m, quat_wxyz), wait);
        return this.pose(this.q());
      },
      sleep: async ({ seconds }) => {
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
        return null;
      },
      stream_joints: async ({ q_rad, seconds }, fn) => {
        await this.servoj(fn, q_rad, seconds);
        return { q_rad: rounded(this.q()), gripper_width_m: 0, time_s: this.sample!['timestamp'] };
      },
    } satisfies ApiHandlers<UrFunction>;
    return { ...primitives, ...composedCalls(primitives) };
  }

  /** `stopj` now, on the secondary interface (Cat 2 style: decelerate and hold). */
  halt(reason: string): void {
    this.haltReason ??= reason;
    if (!this.secondary.destroyed) this.secondary.write('stopj(4.0)\n');
    this.wake();
  }

  resume(): void {
    this.haltReason = null;
  }

  /** Ask the controller to release a protective stop (after the operator has inspected the cause). */
  async unlockProtectiveStop(): Promise<string> {
    return this.dashboard.command('unlock protective stop');
  }

  /** Modes, joint temperatures, currents and voltages from the latest RTDE sample. */
  status(): ControllerStatus {
    const vector = (name: string): number[] => (this.sample?.[name] as number[] | undefined) ?? [];
    const mode = (names: Readonly<Record<number, string>>, value: unknown): string => (typeof value === 'number' ? (names[value] ?? `MODE_${value}`) : 'UNKNOWN');
    return {
      robotMode: mode(ROBOT_MODES, this.sample?.['robot_mode']),
      safetyMode: mode(SAFETY_MODES, this.sample?.['safety_mode']),
      jointTemperaturesC: vector('joint_temperatures'),
      jointCurrentsA: vector('actual_current'),
      jointVoltagesV: vector('actual_joint_voltage'),
      lost: this.lost,
    };
  }

  async state(): Promise<RobotState> {
    return { timeS: Number(this.sample?.['timestamp'] ?? 0), jointAnglesRad: this.q(), gripperWidthM: 0, objects: {} };
  }

  async dispose(): Promise<void> {
    this.rtde.client?.close();
    this.dashboard.close();
    this.secondary.destroy();
  }

  private q(): number[] {
    return (this.sample?.['actual_q'] as number[] | undefined) ?? [...UR5E_HOME_RAD];
  }

  private pose(q: readonly number[]): [number[], number[]] {
    const pose = ur5ePose(q);
    return [pose.positionM.map((v) => Number(v.toFixed(5))), quatFromMatrix(pose.rotation).map((v) => Number(v.toFixed(5)))];
  }

  private solveIk(fn: string, positionM: readonly number[], quatWxyz: readonly number[]): number[] {
    let best = ur5eIk(positionM, quatWxyz, this.q());
    if (best.positionErrorM > IK_POSITION_TOLERANCE_M || best.orientationErrorRad > IK_ORIENTATION_TOLERANCE_RAD) {
      const fromHome = ur5eIk(positionM, quatWxyz, UR5E_HOME_RAD);
      if (fromHome.positionErrorM < best.positionErrorM) best = fromHome;
    }
    if (best.positionErrorM > IK_POSITION_TOLERANCE_M || best.orientationErrorRad > IK_ORIENTATION_TOLERANCE_RAD) {
      throw new ApiError('ik_failed', `${fn}(): no joint angles put the UR5e flange at [${positionM.map((v) => v.toFixed(3)).join(', ')}] m (closest ${best.positionErrorM.toFixed(3)} m away)`, {
        function: fn,
      });
    }
    return best.jointAnglesRad;
  }

  private async movej(fn: string, q: readonly number[], wait: boolean): Promise<void> {
    if (this.sample?.['safety_mode'] === PROTECTIVE_STOP) {
      throw new ApiError('safety_stop', `${fn}() refused: the controller is in a protective stop (inspect, then unlock it on the dashboard)`, { function: fn });
    }
    this.lastTarget = q;
    this.secondary.write(`movej([${q.map((v) => v.toFixed(6)).join(', ')}], a=${JOINT_ACCELERATION}, v=${this.speedRadS})\n`);
    if (!wait) return;
    const furthest = Math.max(...q.map((v, i) => Math.abs(v - (this.q()[i] ?? v))));
    await this.until(`${fn}() to arrive`, (furthest / this.speedRadS + 3) * 1000, () => {
      if (this.haltReason !== null) throw new ApiError('safety_stop', `${fn}() was stopped: ${this.haltReason}`, { function: fn });
      if (this.lost) throw new ApiError('backend_error', `${fn}(): ${this.lost}`, { function: fn });
      if (this.sample?.['safety_mode'] === PROTECTIVE_STOP) {
        throw new ApiError('safety_stop', `${fn}() was stopped by the controller: protective stop (collision or limit)`, { function: fn });
      }
      return this.q().every((v, i) => Math.abs(v - q[i]!) < ARRIVED_RAD);
    });
  }

  /** run_vla's control step: `servoj` to the (supervisor-clipped) target over `seconds`, held until the step's end in real time. */
  private async servoj(fn: string, q: readonly number[], seconds: number): Promise<void> {
    if (this.sample?.['safety_mode'] === PROTECTIVE_STOP) throw new ApiError('safety_stop', `${fn}() refused: the controller is in a protective stop`, { function: fn });
    this.lastTarget = q;
    this.secondary.write(`servoj([${q.map((v) => v.toFixed(6)).join(', ')}], a=0, v=0, t=${seconds.toFixed(4)}, lookahead_time=0.1, gain=300)\n`);
    const now = performance.now();
    // Continuing a stream, this step ends a period after the last one did; after a pause, a period from now.
    this.streamDeadlineMs = (now - this.streamDeadlineMs < seconds * 1000 ? this.streamDeadlineMs : now) + seconds * 1000;
    await new Promise((resolve) => setTimeout(resolve, this.streamDeadlineMs - now));
    if (this.haltReason !== null) throw new ApiError('safety_stop', `${fn}() was stopped: ${this.haltReason}`, { function: fn });
  }

  /**
   * Resolve when `done()` holds, re-checked on every RTDE sample; MotionError after `timeoutMs`,
   * flagged as a device `timeout` (connecting, it is what the operator is told).
   */
  private until(what: string, timeoutMs: number, done: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        try {
          if (!done()) return;
        } catch (error) {
          finish();
          reject(error);
          return;
        }
        finish();
        resolve();
      };
      const timer = setTimeout(() => {
        finish();
        reject(new ApiError('motion_timeout', `timed out after ${(timeoutMs / 1000).toFixed(1)} s waiting for ${what}`, { device: 'timeout' }));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  private onSample(sample: RtdeSample): void {
    this.sample = sample;
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private connectionLost(reason: string): void {
    this.lost ??= reason;
    this.wake();
  }
}
