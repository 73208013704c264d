/**
 * One decision of an agent: ask a model (single-turn / multi-turn) or, for CaP-Agent0, K
 * candidates at a spread of temperatures (optionally several models) combined by a synthesis
 * call that sees them all, with each candidate's rehearsal outcome on a twin when rehearsal is on.
 */
import { addUsage, NO_USAGE, type CandidateRecord } from '../../../shared/agent.ts';
import type { ChatMessage, ChatResponse, ModelProvider, TokenUsage } from '../../../shared/model.ts';
import { readAnswer, type Answer } from './answer.ts';

/** What a decision produced. */
export interface Decision {
  readonly responseText: string;
  readonly answer: Answer;
  readonly candidates: readonly CandidateRecord[];
  readonly usage: TokenUsage;
  readonly costUsd: number | null;
  /** Wall time spent waiting for models, ms. */
  readonly modelMs: number;
  /** Wall time spent rehearsing candidates on the twin, ms (simulation). */
  readonly rehearsalMs: number;
  /** The model call failed; `responseText` holds the error. */
  readonly error: string | null;
}

/** Rehearse a program on a twin rebuilt from perception; resolves with how it ended. */
export type Rehearse = (code: string) => Promise<{ status: string; reason: string }>;

/** How to decide. */
export interface DecideOptions {
  readonly messages: readonly ChatMessage[];
  readonly signal?: AbortSignal;
  readonly onDelta?: (text: string) => void;
  readonly timeoutMs?: number;
}

/** Temperatures 0.1 … 0.9 spread over `count` candidates (CaP-X uses 9 at 0.1–0.9). */
export function candidateTemperatures(count: number): number[] {
  if (count === 1) return [0.5];
  return Array.from({ length: count }, (_, i) => Math.round((0.1 + (0.8 * i) / (count - 1)) * 100) / 100);
}

/** Ask one model for the next program. */
export async function decideSingle(provider: ModelProvider, options: DecideOptions, temperature = 0.2): Promise<Decision> {
  const started = performance.now();
  try {
    const response = await call(provider, options.messages, temperature, options);
    return {
      responseText: response.text,
      answer: readAnswer(response.text),
      candidates: [],
      usage: response.usage,
      costUsd: response.costUsd,
      modelMs: performance.now() - started,
      rehearsalMs: 0,
      error: null,
    };
  } catch (error) {
    return failed(error, started);
  }
}

/** CaP-Agent0: K candidates in parallel, rehearsed when asked, then one synthesis call. */
export async function decideAgent0(
  providers: readonly ModelProvider[],
  options: DecideOptions & { readonly candidates: number; readonly rehearse?: Rehearse },
): Promise<Decision> {
  const started = performance.now();
  const temperatures = candidateTemperatures(options.candidates);
  const settled = await Promise.allSettled(
    temperatures.map((t, i) => call(providers[i % providers.length]!, options.messages, t, { ...options, onDelta: undefined })),
  );
  let modelMs = performance.now() - started;
  const candidates: CandidateRecord[] = settled.map((s, index) => {
    const provider = providers[index % providers.length]!;
    const temperature = temperatures[index]!;
    if (s.status === 'rejected') {
      const message = (s.reason as Error).message;
      return { index, model: provider.name, temperature, responseText: '', code: null, finish: false, usage: NO_USAGE, latencyMs: 0, error: message, rehearsal: null };
    }
    const answer = readAnswer(s.value.text);
    return {
      index,
      model: provider.name,
      temperature,
      responseText: s.value.text,
      code: answer.kind === 'program' ? answer.code : null,
      finish: answer.kind === 'finish',
      usage: s.value.usage,
      latencyMs: s.value.latencyMs,
      error: null,
      rehearsal: null,
    };
  });
  if (options.signal?.aborted) return failed(new Error('cancelled'), started);
  const rehearsalStarted = performance.now();
  const rehearsed = options.rehearse ? await rehearseAll(candidates, options.rehearse) : candidates;
  const rehearsalMs = options.rehearse ? performance.now() - rehearsalStarted : 0;
  const usable = rehearsed.filter((c) => c.code !== null || c.finish);
  let usage = rehearsed.reduce((sum, c) => addUsage(sum, c.usage), NO_USAGE);
  let costUsd = sumCost(settled.map((s) => (s.status === 'fulfilled' ? s.value.costUsd : null)));
  if (usable.length === 0) {
    const reasons = rehearsed.map((c) => c.error ?? 'no program').join('; ');
    return { ...failed(new Error(`no candidate gave a program or FINISH (${reasons})`), started), candidates: rehearsed, usage };
  }
  const synthesisStarted = performance.now();
  try {
    const response = await call(providers[0]!, [...options.messages, { role: 'user', content: synthesisRequest(rehearsed) }], 0, options);
    modelMs += performance.now() - synthesisStarted;
    usage = addUsage(usage, response.usage);
    costUsd = sumCost([costUsd, response.costUsd]);
    return { responseText: response.text, answer: readAnswer(response.text), candidates: rehearsed, usage, costUsd, modelMs, rehearsalMs, error: null };
  } catch (error) {
    return { ...failed(error, started), candidates: rehearsed, usage };
  }
}

/** The synthesis request: every candidate (program or FINISH) with its rehearsal outcome. */
export function synthesisRequest(candidates: readonly CandidateRecord[]): string {
  const shown = candidates.map((c) => {
    const head = `### Candidate ${c.index + 1} (temperature ${c.temperature}, ${c.model})`;
    if (c.error) return `${head}\nFailed: ${c.error}`;
    const body = c.finish ? 'FINISH' : c.code ? `\`\`\`python\n${c.code.trimEnd()}\n\`\`\`` : '(no program)';
    const rehearsal = c.rehearsal ? `\nRehearsal on a twin rebuilt from perception: ${c.rehearsal.status} (${c.rehearsal.reason})` : '';
    return `${head}\n${body}${rehearsal}`;
  });
  return [
    '## SYNTHESIS',
    `Independent attempts at your next answer (${candidates.length} candidates). Combine them into the single best answer: ` +
      'keep what the candidates agree on, fix what any of them gets wrong, prefer programs whose rehearsal succeeded. ' +
      'Answer with one complete ```python program, or FINISH if the task is done.',
    ...shown,
  ].join('\n\n');
}

async function rehearseAll(candidates: readonly CandidateRecord[], rehearse: Rehearse): Promise<CandidateRecord[]> {
  const out: CandidateRecord[] = [];
  // One twin: candidates are rehearsed one after another, each from the rebuilt scene.
  for (const c of candidates) {
    if (!c.code) {
      out.push(c);
      continue;
    }
    try {
      out.push({ ...c, rehearsal: await rehearse(c.code) });
    } catch (error) {
      out.push({ ...c, rehearsal: { status: 'error', reason: (error as Error).message } });
    }
  }
  return out;
}

function call(provider: ModelProvider, messages: readonly ChatMessage[], temperature: number, options: DecideOptions): Promise<ChatResponse> {
  return provider.complete(
    { messages, temperature },
    {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onDelta ? { onDelta: options.onDelta } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    },
  );
}

function failed(error: unknown, started: number): Decision {
  const message = error instanceof Error ? error.message : String(error);
  return {
    responseText: message,
    answer: { kind: 'none', reason: `the model call failed: ${message}` },
    candidates: [],
    usage: NO_USAGE,
    costUsd: null,
    modelMs: performance.now() - started,
    rehearsalMs: 0,
    error: message,
  };
}

function sumCost(costs: readonly (number | null)[]): number | null {
  const known = costs.filter((c): c is number => c !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) : null;
}
