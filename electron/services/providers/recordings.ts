/**
 * Recorded exchanges for the replay server: the file format (validated with zod), loading from a
 * file or a folder, and matching a request to the first exchange whose rules all hold.
 *
 * A recording is never a live model: every file carries a `label` starting with "recording"
 * that says what it is and who made it, and the server sends it with every response.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const matchSchema = z
  .object({
    /** Which wire format the request came in. */
    api: z.enum(['openai', 'anthropic']).optional(),
    /** The model name in the request, exactly. */
    model: z.string().optional(),
    /** A substring of the system prompt. */
    system: z.string().optional(),
    /** A substring of the last user message. */
    user: z.string().optional(),
    /** A substring of any part of the conversation (a `candidate` / `synthesis` marker, …). */
    contains: z.string().optional(),
    /** A regular expression tested against the whole conversation (`role: text` lines). */
    regex: z.string().optional(),
    /** The number of user messages so far (1 = the first turn). */
    turn: z.number().int().min(1).optional(),
    temperature: z.number().optional(),
    /** Whether the request carries at least one image. */
    hasImage: z.boolean().optional(),
  })
  .strict();

const exchangeSchema = z
  .object({
    match: matchSchema.default({}),
    /** What the model says (for an error status: the error message). */
    response: z
      .object({
        text: z.string(),
        usage: z.object({ inputTokens: z.number().int().min(0), outputTokens: z.number().int().min(0) }).strict().optional(),
        finishReason: z.string().optional(),
      })
      .strict()
      .optional(),
    /** Answer with this HTTP error status instead (429, 500, 401, …). */
    status: z.number().int().min(400).max(599).optional(),
    /** Sent as `retry-after` (whole seconds, rounded up) and `retry-after-ms`. */
    retryAfterS: z.number().min(0).optional(),
    /** Never answer (until the client gives up). */
    hang: z.boolean().optional(),
    /** Wait before the first byte, ms. */
    delayMs: z.number().int().min(0).optional(),
    /** Wait between streamed events, ms (default: one event-loop turn). */
    chunkDelayMs: z.number().int().min(0).optional(),
    /** Serve this body verbatim (for malformed-response tests). */
    raw: z.object({ body: z.string(), contentType: z.string().default('text/plain') }).strict().optional(),
    /** How many requests this exchange answers before it is used up (default: unlimited). */
    times: z.number().int().min(1).optional(),
    /** Free text for people reading the file. */
    note: z.string().optional(),
  })
  .strict()
  .refine((e) => [e.response !== undefined || e.status !== undefined, e.hang === true, e.raw !== undefined].filter(Boolean).length === 1, {
    message: 'an exchange needs exactly one of: response (or status), hang: true, raw',
  });

const recordingSchema = z
  .object({
    label: z.string().regex(/^recording\b/i, 'the label must start with "recording" (e.g. "recording: hand-written …")'),
    exchanges: z.array(exchangeSchema).min(1),
  })
  .strict();

/** One exchange: when it applies and what the server answers. */
export type Exchange = z.infer<typeof exchangeSchema>;
/** One recording file. */
export type Recording = z.infer<typeof recordingSchema> & { readonly source: string };
/** The rules of `match`. */
export type ExchangeMatch = z.infer<typeof matchSchema>;

/** A request reduced to what matching looks at, whatever the wire format. */
export interface NormalisedRequest {
  readonly api: 'openai' | 'anthropic';
  readonly model: string;
  readonly system: string;
  readonly messages: ReadonlyArray<{ readonly role: string; readonly text: string; readonly images: number }>;
  readonly temperature: number | undefined;
  readonly stream: boolean;
  readonly includeUsage: boolean;
}

/** Validate a parsed recording; `source` names it in errors. */
export function parseRecording(value: unknown, source: string): Recording {
  const parsed = recordingSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top)'}: ${issue.message}`).join('; ');
    throw new Error(`recording ${source} is not valid: ${issues}`);
  }
  parsed.data.exchanges.forEach((exchange, index) => {
    if (exchange.match.regex === undefined) return;
    try {
      new RegExp(exchange.match.regex);
    } catch (error) {
      throw new Error(`recording ${source} is not valid: exchanges.${index}.match.regex: ${(error as Error).message}`);
    }
  });
  return { ...parsed.data, source };
}

/** Load a recording file, or every `*.json` in a folder (sorted by name). */
export function loadRecordings(fileOrDir: string): Recording[] {
  const files = statSync(fileOrDir).isDirectory()
    ? readdirSync(fileOrDir)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .map((name) => join(fileOrDir, name))
    : [fileOrDir];
  if (files.length === 0) throw new Error(`no recordings (*.json) in ${fileOrDir}`);
  return files.map((file) => {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`recording ${file} is not JSON: ${(error as Error).message}`);
    }
    return parseRecording(value, file);
  });
}

/** The conversation as one text: `system: …`, then `user: …` / `assistant: …`, one per block. */
export function conversationText(request: NormalisedRequest): string {
  const head = request.system ? [`system: ${request.system}`] : [];
  return [...head, ...request.messages.map((m) => `${m.role}: ${m.text}`)].join('\n\n');
}

/** Whether every rule of `match` holds for `request`. */
export function matches(match: ExchangeMatch, request: NormalisedRequest): boolean {
  const users = request.messages.filter((m) => m.role === 'user');
  const lastUser = users.at(-1)?.text ?? '';
  const whole = conversationText(request);
  return (
    (match.api === undefined || match.api === request.api) &&
    (match.model === undefined || match.model === request.model) &&
    (match.system === undefined || request.system.includes(match.system)) &&
    (match.user === undefined || lastUser.includes(match.user)) &&
    (match.contains === undefined || whole.includes(match.contains)) &&
    (match.regex === undefined || new RegExp(match.regex).test(whole)) &&
    (match.turn === undefined || match.turn === users.length) &&
    (match.temperature === undefined || match.temperature === request.temperature) &&
    (match.hasImage === undefined || match.hasImage === request.messages.some((m) => m.images > 0))
  );
}

/** A stock of exchanges that counts down `times`. */
export class ExchangeBook {
  readonly #entries: Array<{ recording: Recording; index: number; exchange: Exchange; left: number }>;

  constructor(recordings: readonly Recording[]) {
    this.#entries = recordings.flatMap((recording) =>
      recording.exchanges.map((exchange, index) => ({ recording, index, exchange, left: exchange.times ?? Infinity })),
    );
  }

  /** The first unused exchange matching `request`, consumed once; undefined when none. */
  take(request: NormalisedRequest): { recording: Recording; index: number; exchange: Exchange } | undefined {
    const entry = this.#entries.find((e) => e.left > 0 && matches(e.exchange.match, request));
    if (!entry) return undefined;
    entry.left -= 1;
    return entry;
  }

  /** How many exchanges are in the book. */
  get size(): number {
    return this.#entries.length;
  }
}
