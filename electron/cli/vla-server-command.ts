/**
 * `caplab vla-server --scripted [--port P] [--host H]`: the policy-server emulator, speaking
 * OpenPI's websocket protocol (and the HTTP JSON variant on the same port) with a SCRIPTED
 * policy — for tests and demos, not a model. Runs until Ctrl-C.
 */
import { SCRIPTED_METADATA } from '../../native/vla/scripted-policy.ts';
import { startVlaEmulator } from '../../native/vla/emulator.ts';
import { type CliIo, parseWholeNumber, UsageError } from './args.ts';

/** Parsed `vla-server` options. */
export interface VlaServerOptions {
  scripted?: boolean;
  port?: string;
  host?: string;
}

/** Execute `caplab vla-server`. */
export async function vlaServerCommand(options: VlaServerOptions, io: CliIo): Promise<number> {
  if (!options.scripted) throw new UsageError('vla-server needs --scripted (the only policy it has: a scripted one, not a model)');
  const port = parseWholeNumber('port', options.port, 8000, 0, 65535);
  const emulator = await startVlaEmulator({ port, ...(options.host ? { host: options.host } : {}) });
  io.out.write(
    [
      `Policy-server emulator — ${SCRIPTED_METADATA.note}`,
      `OpenPI websocket: ${emulator.url}   (caplab run --vla ${emulator.url}, or add it in the console's settings)`,
      `HTTP JSON:        ${emulator.httpUrl}/infer`,
      '(Ctrl-C to stop)',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => io.onInterrupt(resolve));
  io.out.write(`${emulator.requests} observations answered\n`);
  await emulator.close();
  return 0;
}
