/**
 * What a servo arm needs from its bus, whatever the protocol: the Feetech STS bus (SO-101) and
 * the Dynamixel Protocol 2.0 bus (OpenMANIPULATOR-X) both satisfy it.
 */
import type { ServoHealth } from '../../../shared/robot.ts';
import type { BusStats } from '../serial-bus.ts';

export type { ServoHealth } from '../../../shared/robot.ts';

/** A bus of position-controlled servos. */
export interface ServoArmBus {
  readonly stats: BusStats;
  readonly isDisconnected: boolean;
  /** Be told when the port closes; returns the function that stops telling. */
  onDisconnected(listener: (reason: string) => void): () => void;
  /** The servo's model number, or null when it does not answer a ping. */
  modelNumber(id: number): Promise<number | null>;
  /** Present positions, ticks, in the order of `ids` (one sync read). */
  presentPositions(ids: readonly number[]): Promise<number[]>;
  /** Goal positions, ticks (one sync write, no replies). */
  writeGoalPositions(goals: ReadonlyArray<readonly [number, number]>): Promise<void>;
  /** Torque on or off for several servos (one sync write). */
  setTorque(ids: readonly number[], on: boolean): Promise<void>;
  /** Torque off on every servo, ahead of anything queued (the e-stop). */
  torqueOffNow(): Promise<void>;
  /** Temperature, voltage and load of several servos. */
  readHealth(ids: readonly number[]): Promise<ServoHealth[]>;
  close(): Promise<void>;
}
