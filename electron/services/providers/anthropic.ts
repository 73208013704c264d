/**
 * The Anthropic Messages API client: POST `{baseUrl}/v1/messages` with `x-api-key` and
 * `anthropic-version: 2023-06-01`; the system prompt travels separately; images are base64
 * `image` blocks. Streamed events: `message_start` (input tokens), `content_block_delta`
 * (`text_delta`), `message_delta` (output tokens, stop reason), `message_stop`.
 */
import type { ChatCallOptions, ChatMessage, ChatRequest, ChatResponse, ModelProvider } from '../../../shared/model.ts';
import { finishResponse, guessAcceptsImages, type ProviderConfig, retryPolicy, textOf, timeoutFor } from './config.ts';
import { ModelError } from './errors.ts';
import { parseJson, postWithRetries, readSse, snippet } from './http.ts';

/** `max_tokens` is required by the API; this is used when the request gives none. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

interface Usage {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}
interface StreamEvent {
  type?: string;
  message?: { model?: string; usage?: Usage };
  delta?: { type?: string; text?: string; stop_reason?: string | null };
  usage?: Usage;
  error?: { type?: string; message?: string };
}
interface Message {
  model?: string;
  content?: Array<{ type?: string; text?: string }>;
  stop_reason?: string | null;
  usage?: Usage;
}
interface Read {
  text: string;
  usage: { inputTokens: number; outputTokens: number };
  model: string;
  finishReason: string;
}

/** The system prompt and the message list in the Messages API shape. */
export function toAnthropicMessages(messages: readonly ChatMessage[]): { system: string; messages: unknown[] } {
  const system = messages.filter((m) => m.role === 'system').map((m) => textOf(m.content)).join('\n\n');
  const rest = messages
    .filter((m) => m.role !== 'system')
    .map((message) => ({
      role: message.role,
      content:
        typeof message.content === 'string'
          ? message.content
          : message.content.map((part) =>
              part.type === 'text'
                ? { type: 'text', text: part.text }
                : { type: 'image', source: { type: 'base64', media_type: part.mediaType, data: part.dataBase64 } },
            ),
    }));
  return { system, messages: rest };
}

function inputTokensOf(usage: Usage | undefined): number {
  return (usage?.input_tokens ?? 0) + (usage?.cache_creation_input_tokens ?? 0) + (usage?.cache_read_input_tokens ?? 0);
}

/** A Claude model behind the Anthropic Messages API. */
export class AnthropicProvider implements ModelProvider {
  readonly name: string;
  readonly acceptsImages: boolean;
  readonly #config: ProviderConfig;

  constructor(config: ProviderConfig) {
    this.#config = config;
    this.name = `${config.provider}:${config.model}`;
    this.acceptsImages = config.acceptsImages ?? guessAcceptsImages(config.model);
  }

  /** The request body for `request`. */
  requestBody(request: ChatRequest): Record<string, unknown> {
    const { system, messages } = toAnthropicMessages(request.messages);
    return {
      model: this.#config.model,
      ...(system ? { system } : {}),
      messages,
      max_tokens: request.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      stream: this.#config.stream !== false,
    };
  }

  async complete(request: ChatRequest, options: ChatCallOptions = {}): Promise<ChatResponse> {
    const config = this.#config;
    const body = this.requestBody(request);
    const base = config.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
    const result = await postWithRetries<Read>({
      url: `${base}/v1/messages`,
      headers: { ...(config.apiKey ? { 'x-api-key': config.apiKey } : {}), 'anthropic-version': '2023-06-01', ...config.headers },
      body,
      secrets: [config.apiKey],
      retry: retryPolicy(config),
      timeoutMs: timeoutFor(config, options.timeoutMs),
      signal: options.signal,
      read: async (response, signal, state) => {
        const type = response.headers.get('content-type') ?? '';
        if (type.includes('text/event-stream')) {
          return readStream(response, signal, (text) => {
            state.emitted = true;
            options.onDelta?.(text);
          });
        }
        return readWhole(await response.text(), type, body['stream'] === true);
      },
    });
    return finishResponse(config, result.value, result);
  }
}

async function readStream(response: Response, signal: AbortSignal, onDelta: (text: string) => void): Promise<Read> {
  const read: Read = { text: '', usage: { inputTokens: 0, outputTokens: 0 }, model: '', finishReason: '' };
  const stopped = await readSse(response, signal, (event) => {
    const data = parseJson<StreamEvent>(event.data, 'a stream event');
    switch (data.type ?? event.event) {
      case 'message_start':
        read.model = data.message?.model ?? '';
        read.usage = { inputTokens: inputTokensOf(data.message?.usage), outputTokens: data.message?.usage?.output_tokens ?? 0 };
        return false;
      case 'content_block_delta':
        if (data.delta?.type === 'text_delta' && typeof data.delta.text === 'string') {
          read.text += data.delta.text;
          onDelta(data.delta.text);
        }
        return false;
      case 'message_delta':
        if (data.delta?.stop_reason) read.finishReason = data.delta.stop_reason;
        if (data.usage?.output_tokens !== undefined) read.usage = { ...read.usage, outputTokens: data.usage.output_tokens };
        return false;
      case 'message_stop':
        return true;
      case 'error': {
        const kind = data.error?.type ?? 'error';
        const retryable = kind === 'overloaded_error' || kind === 'api_error';
        throw new ModelError('model_http', `the provider reported ${kind} mid-stream: ${snippet(data.error?.message ?? '')}`, { retryable });
      }
      default:
        return false; // ping, content_block_start/stop, and events added later
    }
  });
  if (!stopped) {
    throw new ModelError('model_bad_response', 'the stream ended before message_stop', { retryable: true });
  }
  return read;
}

function readWhole(text: string, contentType: string, askedToStream: boolean): Read {
  if (!contentType.includes('json') && askedToStream) {
    throw new ModelError('model_bad_response', `expected server-sent events, got ${contentType || 'no content type'}: ${snippet(text)}`);
  }
  const message = parseJson<Message>(text, 'a response');
  if (!Array.isArray(message.content)) throw new ModelError('model_bad_response', `the response has no content: ${snippet(text)}`);
  return {
    text: message.content.filter((block) => block.type === 'text').map((block) => block.text ?? '').join(''),
    usage: { inputTokens: inputTokensOf(message.usage), outputTokens: message.usage?.output_tokens ?? 0 },
    model: message.model ?? '',
    finishReason: message.stop_reason ?? '',
  };
}
