/** `caplab rl reward-server`: score completions over HTTP until Ctrl-C. */
import { cpus } from 'node:os';
import { RewardServer } from '../services/rl/reward-server.ts';
import { REWARD_PRESETS, type RewardPreset } from '../services/rl/scoring.ts';
import { type CliIo, UsageError, parseWholeNumber } from './args.ts';
import type { RlCommandOptions } from './rl-command.ts';

/** `--preset capx|dense`. */
export function parsePreset(value: string | undefined): RewardPreset {
  const preset = value ?? 'capx';
  if (!(REWARD_PRESETS as readonly string[]).includes(preset)) throw new UsageError(`--preset ${preset}: expected ${REWARD_PRESETS.join(' or ')}`);
  return preset as RewardPreset;
}

/** `--timeout-s S` as milliseconds, or undefined for the task's own limit. */
export function parseTimeoutMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) throw new UsageError(`--timeout-s ${value}: expected seconds above 0, at most 3600`);
  return seconds * 1000;
}

/** Execute `caplab rl reward-server`; runs until interrupted. */
export async function rlRewardServerCommand(options: RlCommandOptions, io: CliIo): Promise<number> {
  const host = options.host ?? '127.0.0.1';
  const timeoutMs = parseTimeoutMs(options['timeout-s']);
  const server = await RewardServer.start({
    port: parseWholeNumber('port', options.port, 5190, 0, 65_535),
    host,
    workers: parseWholeNumber('workers', options.workers, Math.max(1, cpus().length), 1, 64),
    maxQueue: parseWholeNumber('queue', options.queue, 256, 0, 100_000),
    preset: parsePreset(options.preset),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  const { workers, maxQueue, preset } = server.options;
  io.out.write(`caplab reward server on ${server.url} · preset ${preset} · ${workers} worker slots · queue ${maxQueue}\n`);
  io.out.write('POST /score, POST /score/batch, GET /health, GET /metrics; Ctrl-C (or SIGTERM) stops it\n');
  await new Promise<void>((resolve) => {
    // Ctrl-C, or SIGTERM from a process manager (systemd, a Ray job, a container stop).
    const stop = (): void => {
      io.offInterrupt(stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    io.onInterrupt(stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  io.out.write('reward server stopped\n');
  return 0;
}
