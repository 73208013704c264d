/**
 * Host-side cost of one streamed model call: the OpenAI-compatible client against the replay
 * server on loopback, answering a 40-line program in ~80 SSE events with no model latency. It
 * bounds what the provider layer adds to an agent turn (client and local server together).
 */
import { parseRecording } from './recordings.ts';
import { OpenAiCompatibleProvider } from './openai.ts';
import { ReplayServer } from './replay-server.ts';

/** Per-call wall times, ms. */
export interface ProviderPerf {
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly eventsPerCall: number;
}

const PROGRAM = Array.from({ length: 40 }, (_, line) => `pose_${line} = get_object_pose("cube")  # step ${line} of the plan\n`).join('');

/** Make `calls` streamed calls (after a warm-up) and report the spread. */
export async function measureProviderCall(calls = 200): Promise<ProviderPerf> {
  const recording = parseRecording(
    { label: 'recording: synthetic 40-line program for the perf suite (not a model)', exchanges: [{ response: { text: PROGRAM, usage: { inputTokens: 3000, outputTokens: 600 } } }] },
    'perf',
  );
  const server = await ReplayServer.start({ recordings: [recording] });
  try {
    const model = new OpenAiCompatibleProvider({ provider: 'openai-compatible', model: 'replay', baseUrl: server.openaiBaseUrl });
    const request = { messages: [{ role: 'system' as const, content: 'You write Python.' }, { role: 'user' as const, content: 'Stack the cubes.' }] };
    let events = 0;
    for (let warm = 0; warm < 10; warm += 1) await model.complete(request);
    const times: number[] = [];
    for (let call = 0; call < calls; call += 1) {
      events = 0;
      const started = performance.now();
      await model.complete(request, { onDelta: () => (events += 1) });
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return {
      medianMs: times[Math.floor(times.length / 2)] ?? Number.NaN,
      p99Ms: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] ?? Number.NaN,
      eventsPerCall: events,
    };
  } finally {
    await server.close();
  }
}
