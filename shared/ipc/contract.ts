/**
 * The console contract: every channel between the main process and the renderer, declared once.
 * Channel names (`caplab:<domain>:<verb>`) come from where a channel is declared here; the
 * Electron preload, the IPC handlers, the WebSocket server and client are all generated from
 * `CONTRACT` and `EVENTS`, so no channel string is written anywhere else.
 */
import { channelsOf, nameChannels, type CallSpec, type EventSpec, type Named } from './descriptor.ts';
import { tasks } from './domains/tasks.ts';
import { agentEvents, runEvents, runs, terminal, terminalEvents, traceEvents } from './domains/runs.ts';
import { cameras, twin, twinEvents } from './domains/twin.ts';
import { app, bench, benchEvents, safety, safetyEvents, skills } from './domains/tools.ts';
import { deviceEvents, devices } from './domains/devices.ts';
import { cameraEvents, networkCameras } from './domains/cameras.ts';
import { models } from './domains/models.ts';
import { vla } from './domains/vla.ts';
import { telemetry, telemetryEvents } from './domains/telemetry.ts';
import { exportCalls } from './domains/exports.ts';

/** Request/response channels by domain and verb. */
export const CONTRACT = nameChannels({ app, tasks, runs, terminal, twin, cameras: { ...cameras, ...networkCameras }, skills, bench, safety, devices, models, vla, telemetry, exports: exportCalls });

/** Push channels (main → renderer) by domain and event. */
export const EVENTS = nameChannels({
  runs: runEvents,
  trace: traceEvents,
  agent: agentEvents,
  terminal: terminalEvents,
  twin: twinEvents,
  bench: benchEvents,
  safety: safetyEvents,
  devices: deviceEvents,
  cameras: cameraEvents,
  telemetry: telemetryEvents,
});

/** The contract's type. */
export type Contract = typeof CONTRACT;
/** The events' type. */
export type Events = typeof EVENTS;

/** Every request/response channel, flat. */
export const CALL_CHANNELS: readonly Named<CallSpec>[] = channelsOf<CallSpec>(CONTRACT);
/** Every push channel, flat. */
export const EVENT_CHANNELS: readonly Named<EventSpec>[] = channelsOf<EventSpec>(EVENTS);

const byName = new Map<string, Named<CallSpec> | Named<EventSpec>>([...CALL_CHANNELS, ...EVENT_CHANNELS].map((c) => [c.channel, c]));

/** Look a channel up by its name (undefined when the contract has no such channel). */
export function channelByName(channel: string): Named<CallSpec> | Named<EventSpec> | undefined {
  return byName.get(channel);
}

export * from './domains/common.ts';
export * from './domains/tasks.ts';
export * from './domains/runs.ts';
export * from './domains/twin.ts';
export * from './domains/tools.ts';
export * from './domains/devices.ts';
export * from './domains/cameras.ts';
export * from './domains/models.ts';
export * from './domains/vla.ts';
export * from './domains/telemetry.ts';
export * from './domains/exports.ts';
