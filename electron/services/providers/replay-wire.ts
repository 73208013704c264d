/**
 * The two wire formats as the replay server speaks them: requests reduced to what matching needs,
 * and answers (whole, streamed as SSE events, or errors) in each provider's own shape.
 */
import type { NormalisedRequest } from './recordings.ts';

/** Which wire format. */
export type WireApi = 'openai' | 'anthropic';

/** An SSE event to write: `event:` line (Anthropic) and the JSON or literal data. */
export interface WireEvent {
  readonly event?: string;
  readonly data: string;
}

/** A finished answer to encode. */
export interface WireAnswer {
  readonly id: string;
  readonly model: string;
  readonly text: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly finishReason: string | undefined;
}

type Body = Record<string, unknown>;
type Part = { type?: string; text?: string };

function textAndImages(content: unknown): { text: string; images: number } {
  if (typeof content === 'string') return { text: content, images: 0 };
  if (!Array.isArray(content)) return { text: '', images: 0 };
  const parts = content as Part[];
  return {
    text: parts.filter((p) => p.type === 'text' && typeof p.text === 'string').map((p) => p.text).join('\n'),
    images: parts.filter((p) => p.type === 'image_url' || p.type === 'image').length,
  };
}

/** Reduce a request body in `api`'s format; throws with a clear message when it is not one. */
export function normaliseRequest(api: WireApi, body: Body): NormalisedRequest {
  if (typeof body['model'] !== 'string') throw new Error('the request has no "model"');
  if (!Array.isArray(body['messages'])) throw new Error('the request has no "messages" array');
  const raw = body['messages'] as Array<{ role?: unknown; content?: unknown }>;
  const systemParts: string[] = [];
  if (api === 'anthropic' && body['system'] !== undefined) systemParts.push(textAndImages(body['system']).text);
  const messages: Array<{ role: string; text: string; images: number }> = [];
  for (const message of raw) {
    const role = String(message.role);
    const { text, images } = textAndImages(message.content);
    if (role === 'system' || role === 'developer') systemParts.push(text);
    else messages.push({ role, text, images });
  }
  const options = body['stream_options'] as { include_usage?: unknown } | undefined;
  return {
    api,
    model: body['model'],
    system: systemParts.join('\n\n'),
    messages,
    temperature: typeof body['temperature'] === 'number' ? body['temperature'] : undefined,
    stream: body['stream'] === true,
    includeUsage: api === 'anthropic' || options?.include_usage === true,
  };
}

/** Pieces to stream: one per line, long lines cut at 32 characters, so a program is many events. */
export function streamPieces(text: string): string[] {
  const pieces: string[] = [];
  for (const line of text.split(/(?<=\n)/)) {
    for (let start = 0; start < line.length; start += 32) pieces.push(line.slice(start, start + 32));
  }
  return pieces;
}

/** A non-streamed answer body. */
export function wholeAnswer(api: WireApi, answer: WireAnswer): Body {
  if (api === 'anthropic') {
    return {
      id: answer.id,
      type: 'message',
      role: 'assistant',
      model: answer.model,
      content: [{ type: 'text', text: answer.text }],
      stop_reason: answer.finishReason ?? 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: answer.inputTokens, output_tokens: answer.outputTokens },
    };
  }
  return {
    id: answer.id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: answer.model,
    choices: [{ index: 0, message: { role: 'assistant', content: answer.text }, finish_reason: answer.finishReason ?? 'stop' }],
    usage: { prompt_tokens: answer.inputTokens, completion_tokens: answer.outputTokens, total_tokens: answer.inputTokens + answer.outputTokens },
  };
}

/** The SSE events of a streamed answer, in order. */
export function streamedAnswer(api: WireApi, answer: WireAnswer, includeUsage: boolean): WireEvent[] {
  const pieces = streamPieces(answer.text);
  if (api === 'anthropic') {
    const event = (name: string, data: Body): WireEvent => ({ event: name, data: JSON.stringify({ type: name, ...data }) });
    return [
      event('message_start', {
        message: {
          id: answer.id, type: 'message', role: 'assistant', model: answer.model, content: [], stop_reason: null, stop_sequence: null,
          usage: { input_tokens: answer.inputTokens, output_tokens: 1 },
        },
      }),
      event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      event('ping', {}),
      ...pieces.map((text) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })),
      event('content_block_stop', { index: 0 }),
      event('message_delta', { delta: { stop_reason: answer.finishReason ?? 'end_turn', stop_sequence: null }, usage: { output_tokens: answer.outputTokens } }),
      event('message_stop', {}),
    ];
  }
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: unknown[], usage?: Body): WireEvent => ({
    data: JSON.stringify({ id: answer.id, object: 'chat.completion.chunk', created, model: answer.model, choices, ...(includeUsage ? { usage: usage ?? null } : {}) }),
  });
  return [
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
    ...pieces.map((content) => chunk([{ index: 0, delta: { content }, finish_reason: null }])),
    chunk([{ index: 0, delta: {}, finish_reason: answer.finishReason ?? 'stop' }]),
    ...(includeUsage
      ? [chunk([], { prompt_tokens: answer.inputTokens, completion_tokens: answer.outputTokens, total_tokens: answer.inputTokens + answer.outputTokens })]
      : []),
    { data: '[DONE]' },
  ];
}

const ANTHROPIC_ERROR_TYPE: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** An error body in `api`'s shape. */
export function errorBody(api: WireApi | undefined, status: number, message: string): Body {
  if (api === 'anthropic') {
    return { type: 'error', error: { type: ANTHROPIC_ERROR_TYPE[status] ?? 'api_error', message } };
  }
  const type = status === 401 ? 'invalid_api_key' : status === 429 ? 'rate_limit_exceeded' : status === 404 ? 'no_recorded_exchange' : 'server_error';
  return { error: { message, type, code: type } };
}

/**
 * The models list in `api`'s shape: OpenAI's `{object: 'list', data: [{id, object: 'model', …}]}`
 * or Anthropic's `{data: [{type: 'model', id, display_name, created_at}], has_more, first_id, last_id}`.
 */
export function modelList(api: WireApi, ids: readonly string[], createdAtS: number): Body {
  if (api === 'anthropic') {
    const createdAt = new Date(createdAtS * 1000).toISOString();
    return {
      data: ids.map((id) => ({ type: 'model', id, display_name: `${id} (recording)`, created_at: createdAt })),
      has_more: false,
      first_id: ids[0] ?? null,
      last_id: ids.at(-1) ?? null,
    };
  }
  return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: createdAtS, owned_by: 'caplab-replay' })) };
}
