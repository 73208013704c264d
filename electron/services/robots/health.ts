/**
 * Health readers for connected arms, one per kind: what the console's health table shows
 * (temperature, voltage, load or current, comms errors per servo or joint, controller modes) and
 * the joint angles the twin follows. A reader never throws: what it could not read is reported in
 * the reading (`answering: false`, `message`).
 */
import type { z } from 'zod';
import type { DeviceHealth, DeviceKind, JointHealth } from '../../../shared/ipc/contract.ts';
import type { ControllerHealth, RobotBackend, ServoBusHealth, ServoHealth } from '../../../shared/robot.ts';
import { BusError } from '../../../native/drivers/serial-bus.ts';

type Health = z.input<typeof DeviceHealth>;
type Joint = z.input<typeof JointHealth>;
/** A reading without the fields the service fills in (which device, when, whether it is lost). */
export type HealthReading = Omit<Health, 'deviceId' | 'kind' | 'timeEpochMs' | 'state'>;

/** Reads one arm's health; `lost` says why the arm went away (null while it is there). */
export interface HealthReader {
  read(): Promise<HealthReading>;
  lost(): string | null;
  /** Be told when the arm goes away, where the driver can tell at once. */
  onLost(listener: (reason: string) => void): void;
}

/**
 * Where a servo's temperature is marked, by servo: the STS3215's protection starts at 70 °C, the
 * XM430's default temperature limit is 80 °C; mark them well before.
 */
const SERVO_MAX_TEMPERATURE_C: Readonly<Record<string, number>> = { STS3215: 60, 'XM430-W350': 70 };
const DEFAULT_SERVO_MAX_TEMPERATURE_C = 60;
const SERVO_MAX_LOAD = 0.8;
/** UR joints run at 30–50 °C; above this something works them too hard. */
const UR_MAX_TEMPERATURE_C = 65;
/** The UR joint supply is 48 V nominal. */
const UR_MIN_VOLTAGE_V = 42;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The reader for an arm's backend, from the health it declares. */
export function healthReaderFor(kind: z.output<typeof DeviceKind>, backend: RobotBackend): HealthReader {
  const health = backend.health;
  if (kind !== 'ur5e' && health?.kind === 'servo-bus') return new ServoArmHealthReader(health, backend);
  if (kind === 'ur5e' && health?.kind === 'controller') return new UrHealthReader(health, backend);
  throw new Error(`no health reader for a ${kind} on ${backend.constructor.name}`);
}

/**
 * Servo arms (SO-101 on Feetech servos, OpenMANIPULATOR-X on Dynamixels): one sync read of load,
 * voltage and temperature; servo by servo when one does not answer, so the others still show.
 */
export class ServoArmHealthReader implements HealthReader {
  private readonly missed = new Map<number, number>();
  private lostReason: string | null = null;
  /** 12 V or 7.4 V servos: decided from the first voltage read. */
  private nominalVoltageV: number | null = null;

  constructor(
    private readonly health: ServoBusHealth,
    private readonly arm: RobotBackend,
  ) {
    health.onDisconnected((reason) => (this.lostReason ??= reason));
  }

  lost(): string | null {
    return this.lostReason ?? (this.health.isDisconnected() ? 'the serial port closed' : null);
  }

  onLost(listener: (reason: string) => void): void {
    this.health.onDisconnected(listener);
  }

  async read(): Promise<HealthReading> {
    const { values, problem } = await this.readServos();
    const state = await this.arm.state();
    const joints: Joint[] = this.health.servos.map(({ id, name }) => {
      const servo = values.get(id);
      if (!servo) this.missed.set(id, (this.missed.get(id) ?? 0) + 1);
      return {
        id,
        name,
        temperatureC: servo?.temperatureC ?? null,
        voltageV: servo?.voltageV ?? null,
        load: servo?.load ?? null,
        currentA: null,
        commsErrors: this.missed.get(id) ?? 0,
        answering: servo !== undefined,
      };
    });
    const firstVoltage = joints.find((j) => j.voltageV !== null)?.voltageV;
    if (this.nominalVoltageV === null && firstVoltage != null) this.nominalVoltageV = firstVoltage > 9 ? 12 : 7.4;
    const { framesOut, framesIn, timeouts, checksumErrors, garbageBytes } = this.health.counters();
    return {
      jointAnglesRad: [...state.jointAnglesRad],
      gripperWidthM: state.gripperWidthM,
      joints,
      limits: {
        maxTemperatureC: SERVO_MAX_TEMPERATURE_C[this.health.servoModel] ?? DEFAULT_SERVO_MAX_TEMPERATURE_C,
        minVoltageV: this.nominalVoltageV === null ? null : this.nominalVoltageV * 0.85,
        maxLoad: SERVO_MAX_LOAD,
      },
      bus: { framesOut, framesIn, timeouts, checksumErrors, garbageBytes },
      controller: null,
      message: problem,
    };
  }

  private async readServos(): Promise<{ values: Map<number, ServoHealth>; problem: string | null }> {
    const ids = this.health.servos.map((servo) => servo.id);
    const byId = (list: readonly ServoHealth[]): Map<number, ServoHealth> => new Map(list.map((h) => [h.id, h]));
    try {
      return { values: byId(await this.health.readServos(ids)), problem: null };
    } catch (error) {
      if (!(error instanceof BusError) || error.flags.disconnected) return { values: new Map(), problem: message(error) };
    }
    const values = new Map<number, ServoHealth>();
    const silent: number[] = [];
    for (const id of ids) {
      try {
        for (const [key, value] of byId(await this.health.readServos([id]))) values.set(key, value);
      } catch (error) {
        if (error instanceof BusError && error.flags.disconnected) return { values, problem: message(error) };
        silent.push(id);
      }
    }
    return { values, problem: silent.length > 0 ? `no reply from servo${silent.length > 1 ? 's' : ''} ${silent.join(', ')}` : null };
  }
}

/** UR: everything comes with the 500 Hz RTDE stream; the reading is the latest sample. */
export class UrHealthReader implements HealthReader {
  private static readonly JOINT_NAMES = ['base', 'shoulder', 'elbow', 'wrist 1', 'wrist 2', 'wrist 3'];

  constructor(
    private readonly health: ControllerHealth,
    private readonly arm: RobotBackend,
  ) {}

  lost(): string | null {
    return this.health.status().lost;
  }

  onLost(): void {
    // The UR driver has no event for it; the service sees `lost()` on the next reading.
  }

  async read(): Promise<HealthReading> {
    const status = this.health.status();
    const state = await this.arm.state();
    const joints: Joint[] = UrHealthReader.JOINT_NAMES.map((name, i) => ({
      id: i,
      name,
      temperatureC: status.jointTemperaturesC[i] ?? null,
      voltageV: status.jointVoltagesV[i] ?? null,
      load: null,
      currentA: status.jointCurrentsA[i] ?? null,
      commsErrors: 0,
      answering: status.lost === null,
    }));
    return {
      jointAnglesRad: [...state.jointAnglesRad],
      gripperWidthM: null,
      joints,
      limits: { maxTemperatureC: UR_MAX_TEMPERATURE_C, minVoltageV: UR_MIN_VOLTAGE_V, maxLoad: null },
      bus: null,
      controller: { robotMode: status.robotMode, safetyMode: status.safetyMode },
      message: status.lost,
    };
  }
}
