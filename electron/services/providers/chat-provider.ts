/**
 * What the OpenAI-compatible and Anthropic clients share: one `complete` that posts the body
 * through the retrying transport, reads a streamed or whole answer, fills in usage when the
 * server reported none, and prices it. Subclasses say where to post and how to read.
 */
import type { ChatCallOptions, ChatRequest, ChatResponse, ModelProvider } from '../../../shared/model.ts';
import { estimateTokens, guessAcceptsImages, type ProviderConfig, retryPolicy, textOf, timeoutFor } from './config.ts';
import { ModelError } from './errors.ts';
import { postWithRetries, snippet } from './http.ts';
import { costUsd } from './pricing.ts';

/** What reading one answer produced. */
export interface AnswerRead {
  text: string;
  usage: { inputTokens: number; outputTokens: number };
  model: string;
  finishReason: string;
}

/** An empty answer to fill while reading a stream. */
export function emptyAnswer(): AnswerRead {
  return { text: '', usage: { inputTokens: 0, outputTokens: 0 }, model: '', finishReason: '' };
}

/** A chat model behind one HTTP endpoint. */
export abstract class HttpChatProvider implements ModelProvider {
  readonly name: string;
  readonly acceptsImages: boolean;
  protected readonly config: ProviderConfig;

  constructor(config: ProviderConfig) {
    this.config = config;
    this.name = `${config.provider}:${config.model}`;
    this.acceptsImages = config.acceptsImages ?? guessAcceptsImages(config.model);
  }

  /** The request body for `request` in this provider's wire format. */
  abstract requestBody(request: ChatRequest): Record<string, unknown>;
  /** The URL to post to. */
  protected abstract endpoint(): string;
  /** Authentication and version headers. */
  protected abstract headers(): Record<string, string>;
  /** Read a streamed (SSE) answer, handing each text fragment to `onDelta`. */
  protected abstract readStream(response: Response, signal: AbortSignal, onDelta: (text: string) => void): Promise<AnswerRead>;
  /** Read a whole JSON answer. */
  protected abstract readWhole(text: string): AnswerRead;

  async complete(request: ChatRequest, options: ChatCallOptions = {}): Promise<ChatResponse> {
    const config = this.config;
    const body = this.requestBody(request);
    const result = await postWithRetries<AnswerRead>({
      url: this.endpoint(),
      headers: { ...this.headers(), ...config.headers },
      body,
      secrets: [config.apiKey],
      retry: retryPolicy(config),
      timeoutMs: timeoutFor(config, options.timeoutMs),
      signal: options.signal,
      read: async (response, signal, state) => {
        const type = response.headers.get('content-type') ?? '';
        if (type.includes('text/event-stream')) {
          return this.readStream(response, signal, (text) => {
            state.emitted = true;
            options.onDelta?.(text);
          });
        }
        const text = await response.text();
        if (!type.includes('json') && body['stream'] === true) {
          throw new ModelError('model_bad_response', `expected server-sent events, got ${type || 'no content type'}: ${snippet(text)}`);
        }
        return this.readWhole(text);
      },
    });
    const read = result.value;
    const usage =
      read.usage.inputTokens === 0 && read.usage.outputTokens === 0
        ? { inputTokens: estimateTokens(request.messages.map((m) => textOf(m.content)).join('\n')), outputTokens: estimateTokens(read.text) }
        : read.usage;
    return {
      text: read.text,
      usage,
      model: read.model || config.model,
      finishReason: read.finishReason,
      latencyMs: result.latencyMs,
      retries: result.retries,
      costUsd: costUsd(config.provider, config.model, usage),
    };
  }
}
