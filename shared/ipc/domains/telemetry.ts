/**
 * `telemetry`: a run's joint telemetry (`shared/telemetry.ts`) for the Plots panel — a stored
 * run's series, and the samples of the run in progress pushed as they are taken (about every
 * 50 ms, a few samples per arm each time), only to pages subscribed to `samples`.
 *
 * Errors: `not_found` (no run with that id).
 */
import { z } from 'zod';
import { call, push } from '../descriptor.ts';
import { RunId } from './common.ts';

/** One sample of one arm (see `JointSample`). */
export const JointSampleWire = z.object({
  tMs: z.number(),
  timeS: z.number(),
  joints: z.array(z.number()),
  targets: z.array(z.number()),
  velocities: z.array(z.number()),
  gripperM: z.number().nullable(),
  loads: z.array(z.number()).nullable(),
});

/** An arm's series of a run, without or with its samples. */
const SeriesHead = z.object({ runId: RunId, arm: z.string(), jointNames: z.array(z.string()), loadUnit: z.string().nullable() });

/** One arm's samples of a run (see `TelemetrySeries`). */
export const TelemetrySeriesWire = SeriesHead.extend({ samples: z.array(JointSampleWire) });

/** `telemetry:read`: every arm's series of the run (none for a run that recorded nothing). */
export const TelemetryRead = z.object({ runId: RunId, series: z.array(TelemetrySeriesWire) });

/** The `telemetry` channels. */
export const telemetry = {
  read: call(z.object({ runId: RunId }), TelemetryRead, "A run's joint telemetry: each arm's samples of joints, targets, velocities, gripper and loads."),
};

/** Telemetry pushes. */
export const telemetryEvents = {
  samples: push(SeriesHead.extend({ samples: z.array(JointSampleWire) }), "New samples of one arm of the run in progress (its joint names and load unit with them)."),
};
