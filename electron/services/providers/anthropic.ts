/**
 * The Anthropic Messages API client: POST `{baseUrl}/v1/messages` with `x-api-key` and
 * `anthropic-version: 2023-06-01`; the system prompt travels separately; images are base64
 * `image` blocks. Streamed events: `message_start` (input tokens), `content_block_delta`
 * (`text_delta`), `message_delta` (output tokens, stop reason), `message_stop`.
 */
import type { ChatMessage, ChatRequest } from '../../../shared/model.ts';
import { type AnswerRead, emptyAnswer, HttpChatProvider } from './chat-provider.ts';
import { textOf, wireMessages } from './config.ts';
import { ModelError } from './errors.ts';
import { parseJson, readSse, snippet } from './http.ts';

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
/** The system prompt and the message list in the Messages API shape. */
export function toAnthropicMessages(messages: readonly ChatMessage[]): { system: string; messages: unknown[] } {
  const system = messages.filter((m) => m.role === 'system').map((m) => textOf(m.content)).join('\n\n');
  const rest = wireMessages(
    messages.filter((m) => m.role !== 'system'),
    (part) => ({ type: 'image', source: { type: 'base64', media_type: part.mediaType, data: part.dataBase64 } }),
  );
  return { system, messages: rest };
}

function inputTokensOf(usage: Usage | undefined): number {
  return (usage?.input_tokens ?? 0) + (usage?.cache_creation_input_tokens ?? 0) + (usage?.cache_read_input_tokens ?? 0);
}

/** A Claude model behind the Anthropic Messages API. */
export class AnthropicProvider extends HttpChatProvider {
  /** The request body for `request`. */
  requestBody(request: ChatRequest): Record<string, unknown> {
    const { system, messages } = toAnthropicMessages(request.messages);
    return {
      model: this.config.model,
      ...(system ? { system } : {}),
      messages,
      max_tokens: request.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      stream: this.config.stream !== false,
    };
  }

  /** `{baseUrl}/v1/messages`; a base URL given with `/v1` already works too. */
  protected endpoint(): string {
    return `${this.config.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/v1/messages`;
  }

  protected headers(): Record<string, string> {
    return { ...(this.config.apiKey ? { 'x-api-key': this.config.apiKey } : {}), 'anthropic-version': '2023-06-01' };
  }

  protected async readStream(response: Response, signal: AbortSignal, onDelta: (text: string) => void): Promise<AnswerRead> {
    const read = emptyAnswer();
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
    if (!stopped) throw new ModelError('model_bad_response', 'the stream ended before message_stop', { retryable: true });
    return read;
  }

  protected readWhole(text: string): AnswerRead {
    const message = parseJson<Message>(text, 'a response');
    if (!Array.isArray(message.content)) throw new ModelError('model_bad_response', `the response has no content: ${snippet(text)}`);
    return {
      text: message.content.filter((block) => block.type === 'text').map((block) => block.text ?? '').join(''),
      usage: { inputTokens: inputTokensOf(message.usage), outputTokens: message.usage?.output_tokens ?? 0 },
      model: message.model ?? '',
      finishReason: message.stop_reason ?? '',
    };
  }
}
