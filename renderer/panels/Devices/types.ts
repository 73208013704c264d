/** The Devices panel's types: the connect form and the marks on health values. */
import type { z } from 'zod';
import type { ConnectRequest, DeviceHealth, JointHealth } from '../../../shared/ipc/contract.ts';

/** One arm's health as pushed. */
export type Health = z.output<typeof DeviceHealth>;
/** One servo's or joint's health. */
export type Joint = z.output<typeof JointHealth>;
/** What `devices:connect` takes. */
export type ConnectRequestInput = z.input<typeof ConnectRequest>;

/** What the operator typed: a serial port to add, a UR host to connect. */
export interface DevicesForm {
  readonly port: string;
  readonly host: string;
}

/** Form edits. */
export type DevicesFormAction = { readonly type: 'set'; readonly field: keyof DevicesForm; readonly value: string } | { readonly type: 'clear'; readonly field: keyof DevicesForm };

/** Why a value is marked (null: in range). */
export interface JointMarks {
  readonly temperature: 'hot' | null;
  readonly voltage: 'low' | null;
  readonly load: 'high' | null;
  /** `silent`: did not answer the last read; `rising`: more errors than the reading before. */
  readonly comms: 'silent' | 'rising' | 'some' | null;
}

/** A device's marks: per joint, and one line per problem for the operator. */
export interface DeviceAssessment {
  readonly joints: readonly JointMarks[];
  readonly alerts: readonly string[];
  /** Bus counters (timeouts + checksum errors + garbage bytes) rose since the reading before. */
  readonly busErrorsRising: boolean;
}
