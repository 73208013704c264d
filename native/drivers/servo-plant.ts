/**
 * What drives a servo emulator's present readings when it is not kinematic: a plant (the virtual
 * bench's physics) takes each servo's torque switch, goal and torque limit as the driver writes
 * them, and answers the present position, speed and load from its joints. Protocol-neutral: the
 * Feetech emulator uses it, and a Dynamixel or UR emulator can.
 */

/** What a servo's registers command, as the plant takes it. */
export interface ServoCommand {
  readonly torqueOn: boolean;
  /** Goal position, ticks (4096 per revolution, 2048 mid-range). */
  readonly goalTicks: number;
  /** Torque limit, per mille of the servo's stall torque. */
  readonly torqueLimitPermille: number;
}

/** A servo's present readings from the plant. */
export interface ServoReading {
  readonly positionTicks: number;
  /** Signed, ticks/s. */
  readonly speedTicksPerS: number;
  /** Signed, per mille of the stall torque. */
  readonly loadPermille: number;
}

/** The physics behind an emulated servo bus. */
export interface ServoPlant {
  /** Servo `id`'s readings now (the plant brings itself up to the present first). */
  read(id: number): ServoReading;
  /** Servo `id`'s registers changed: apply them from now on. */
  command(id: number, command: ServoCommand): void;
}
