/**
 * The VLA policy servers of the console's settings (`vla` domain): `run_vla` is offered to
 * programs and agents only while at least one is configured, and the first is its default.
 * The API key of a server is kept but never sent back (`hasApiKey`).
 *
 * Errors: `invalid_request` (a configuration that does not check: the field named), `not_found`
 * (no such server), `refused` / `no_response` (a probe that could not reach the server, or that
 * got no metadata in time).
 */
import { z } from 'zod';
import { VlaServerConfig, VlaServerName } from '../../vla/config.ts';
import { call } from '../descriptor.ts';
import { Empty, Ok } from './common.ts';

/** A configured server as the console shows it (the API key left out). */
export const VlaServerView = VlaServerConfig.omit({ apiKey: true }).extend({
  hasApiKey: z.boolean(),
  /** The default server (the first). */
  isDefault: z.boolean(),
});

/** What a probe found: the server's metadata, and how long connecting and reading it took. */
export const VlaProbe = z.object({
  name: z.string(),
  connectMs: z.number(),
  metadata: z.record(z.string(), z.unknown()),
  /** The server says its policy is scripted (Caplab's emulator), not a model. */
  scripted: z.boolean(),
});

/** The `vla` channels. */
export const vla = {
  servers: call(Empty, z.array(VlaServerView), 'The configured policy servers, the default first.'),
  save: call(VlaServerConfig, VlaServerView, 'Add a server, or replace the one of that name; invalid_request when it does not check.'),
  remove: call(z.object({ name: VlaServerName }), Ok, 'Remove a server; not_found when there is none of that name.'),
  makeDefault: call(z.object({ name: VlaServerName }), Ok, "Make a server run_vla's default; not_found when there is none of that name."),
  probe: call(z.object({ name: VlaServerName }), VlaProbe, 'Connect and read the metadata; refused or no_response when the server is not there.'),
};
