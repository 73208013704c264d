/**
 * `--vla scripted|URL[,URL…]` of `caplab run` and `caplab bench`: the policy servers `run_vla`
 * may use. `scripted` starts the scripted emulator (`native/vla/emulator.ts`) in this process for
 * the command's length; a `ws://` URL is an OpenPI websocket server, an `http://` URL the JSON
 * variant. The first is `run_vla`'s default; servers are named `scripted`, or `vla1`, `vla2`, ….
 */
import { protocolOfUrl, VlaServerConfig, type VlaServer } from '../../shared/vla/config.ts';
import { startVlaEmulator, type VlaEmulator } from '../../native/vla/emulator.ts';
import { type CliIo, UsageError } from './args.ts';

/** The servers of a `--vla` option, and what to close when the command ends. */
export interface VlaOption {
  readonly servers: VlaServer[];
  close(): Promise<void>;
}

/** Parse `--vla` (none: no servers, `run_vla` is not offered). */
export async function openVlaOption(value: string | undefined, io: CliIo): Promise<VlaOption> {
  if (!value) return { servers: [], close: async () => {} };
  const emulators: VlaEmulator[] = [];
  const servers: VlaServer[] = [];
  for (const [index, item] of value.split(',').map((part) => part.trim()).entries()) {
    if (item === 'scripted') {
      const emulator = await startVlaEmulator();
      emulators.push(emulator);
      io.err.write(`vla: the scripted policy-server emulator at ${emulator.url} (a scripted policy, NOT a model)\n`);
      servers.push(VlaServerConfig.parse({ name: 'scripted', url: emulator.url }));
      continue;
    }
    const parsed = VlaServerConfig.safeParse({ name: `vla${index + 1}`, url: item, protocol: protocolOfUrl(item) });
    if (!parsed.success) throw new UsageError(`--vla ${item}: expected scripted, a ws:// URL (OpenPI) or an http:// URL (JSON)`);
    servers.push(parsed.data);
  }
  return { servers, close: async () => void (await Promise.all(emulators.map((e) => e.close()))) };
}
