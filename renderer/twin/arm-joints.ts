/**
 * Pure parts of the arm twin: what the Twin panel can show (the simulator's workcell or a
 * connected arm), and how an arm's joint angles map onto its URDF's joints.
 */
import type { z } from 'zod';
import type { ArmJoints, ConnectedDevice } from '../../shared/ipc/contract.ts';

type Device = z.output<typeof ConnectedDevice>;
type Joints = z.output<typeof ArmJoints>;

/** What the twin shows: the simulator's workcell, or a connected arm by device id. */
export type TwinSource = { readonly kind: 'workcell' } | { readonly kind: 'arm'; readonly deviceId: string };

/** The simulator's workcell. */
export const WORKCELL: TwinSource = { kind: 'workcell' };

/** One entry of the source selector. */
export interface SourceOption {
  readonly value: string;
  readonly label: string;
  readonly disabled: boolean;
}

/** The selector's value for a source. */
export function sourceValue(source: TwinSource): string {
  return source.kind === 'workcell' ? 'workcell' : `arm:${source.deviceId}`;
}

/** The source a selector value names (unknown values mean the workcell). */
export function parseSource(value: string): TwinSource {
  return value.startsWith('arm:') && value.length > 4 ? { kind: 'arm', deviceId: value.slice(4) } : WORKCELL;
}

/** The workcell, then every connected arm (a lost one shown but not selectable). */
export function sourceOptions(devices: readonly Device[]): SourceOption[] {
  return [
    { value: 'workcell', label: 'Simulator workcell', disabled: false },
    ...devices.map((d) => ({ value: sourceValue({ kind: 'arm', deviceId: d.id }), label: d.state === 'lost' ? `${d.name} (lost)` : d.name, disabled: d.state === 'lost' })),
  ];
}

/** The source still makes sense with these devices connected; else the workcell. */
export function keepSource(source: TwinSource, devices: readonly Device[]): TwinSource {
  if (source.kind === 'workcell') return source;
  return devices.some((d) => d.id === source.deviceId && d.state === 'connected') ? source : WORKCELL;
}

/** URDF joint name → angle, rad; angles past the names (or names past the angles) are left out. */
export function urdfJointValues(jointNames: readonly string[], jointAnglesRad: readonly number[]): Record<string, number> {
  const values: Record<string, number> = {};
  const count = Math.min(jointNames.length, jointAnglesRad.length);
  for (let i = 0; i < count; i += 1) {
    const angle = jointAnglesRad[i]!;
    if (Number.isFinite(angle)) values[jointNames[i]!] = angle;
  }
  return values;
}

/** This arm's reading from a push, when it is newer than `current` (pushes may arrive late). */
export function newerReading(current: Joints | null, arms: readonly Joints[], deviceId: string): Joints | null {
  const reading = arms.find((a) => a.deviceId === deviceId);
  if (!reading) return null;
  if (current && current.deviceId === deviceId && current.seq >= reading.seq) return null;
  return reading;
}

/** Joint angles as the page exposes them (data attribute, info line): rad, 3 decimals. */
export function formatJoints(values: Readonly<Record<string, number>>): string {
  return Object.entries(values)
    .map(([name, rad]) => `${name}=${rad.toFixed(3)}`)
    .join(' ');
}
