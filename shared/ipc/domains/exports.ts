/**
 * `exports`: runs leaving Caplab for the tools the field uses — a run's MCAP file (Foxglove,
 * Lichtblick) as a download from the console's own HTTP server, and the live Foxglove WebSocket
 * bridge, started and stopped from the console.
 *
 * Errors: `not_found` (no such run), `invalid_request` (a port that is not free: the reason
 * given), `not_available` (a console without an HTTP server).
 */
import { z } from 'zod';
import { call } from '../descriptor.ts';
import { Empty, RunId } from './common.ts';

/** Where the browser downloads a run's MCAP (a loopback URL with the console's token). */
export const ExportLink = z.object({
  url: z.string(),
  /** The name the file is saved under (`caplab-run-12.mcap`). */
  fileName: z.string(),
});

/** The Foxglove bridge: off, or listening at `url` (open it in Foxglove or Lichtblick). */
export const FoxgloveStatus = z.object({
  running: z.boolean(),
  /** `ws://127.0.0.1:PORT` while running. */
  url: z.string().nullable(),
  port: z.number().int().nullable(),
  /** Clients connected now. */
  clients: z.number().int().min(0),
});

/** The `exports` channels. */
export const exportCalls = {
  mcapLink: call(z.object({ runId: RunId }), ExportLink, "A download link of the run's MCAP (written when the link is opened); not_found for no such run."),
  foxglove: call(Empty, FoxgloveStatus, 'The Foxglove WebSocket bridge: running or not, and where.'),
  setFoxglove: call(
    z.object({ port: z.number().int().min(0).max(65535).nullable() }),
    FoxgloveStatus,
    'Start the Foxglove bridge on a loopback port (0: any free one; a running bridge moves), or stop it (null).',
  ),
};
