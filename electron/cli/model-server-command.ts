/**
 * `caplab model-server --recordings FILE|DIR [--port P]`: the replay server on loopback, for
 * demos and for pointing `--model openai-compatible:replay` (or `anthropic:…`) at recorded
 * exchanges. Prints the base URLs and one line per request; runs until Ctrl-C.
 */
import { loadRecordings } from '../services/providers/recordings.ts';
import { REPLAY_DEFAULT_PORT, type ReplayLogEntry, ReplayServer } from '../services/providers/replay-server.ts';
import { type CliIo, parseWholeNumber, UsageError } from './args.ts';

/** Parsed `model-server` options. */
export interface ModelServerOptions {
  recordings?: string;
  port?: string;
}

/** One log line per request: route, model, what answered. */
export function describeRequest(entry: ReplayLogEntry): string {
  const model = (entry.body as { model?: unknown } | undefined)?.model;
  const answered = entry.matched ? `exchange ${entry.matched.exchange} of ${entry.matched.source}` : 'no recorded exchange';
  const outcome = entry.clientClosedEarly ? 'client hung up' : `HTTP ${entry.status}`;
  return `${entry.method} ${entry.path} model=${typeof model === 'string' ? model : '?'} → ${answered} (${outcome})`;
}

/** Execute `caplab model-server`. */
export async function modelServerCommand(options: ModelServerOptions, io: CliIo): Promise<number> {
  if (!options.recordings) throw new UsageError('model-server needs --recordings FILE|DIR (recorded exchanges, e.g. resources/recordings)');
  const port = parseWholeNumber('port', options.port, REPLAY_DEFAULT_PORT, 0, 65535);
  const recordings = loadRecordings(options.recordings);
  const server = await ReplayServer.start({ recordings, port, onRequest: (entry) => io.out.write(`${describeRequest(entry)}\n`) });
  const exchanges = recordings.reduce((sum, r) => sum + r.exchanges.length, 0);
  io.out.write(
    [
      `Replaying ${exchanges} recorded exchanges from ${recordings.length} file(s) — recordings, not a live model:`,
      ...recordings.map((r) => `  ${r.source}: ${r.label}`),
      `Models (GET /v1/models): ${server.models.join(', ')}`,
      `OpenAI-compatible base URL: ${server.openaiBaseUrl}`,
      `  export CAPLAB_OPENAI_COMPATIBLE_BASE_URL=${server.openaiBaseUrl}   # then --model openai-compatible:replay`,
      `Anthropic base URL:         ${server.anthropicBaseUrl}`,
      `  export CAPLAB_ANTHROPIC_BASE_URL=${server.anthropicBaseUrl} ANTHROPIC_API_KEY=replay   # then --model anthropic:<model>`,
      '(Ctrl-C to stop)',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => io.onInterrupt(resolve));
  await server.close();
  return 0;
}
