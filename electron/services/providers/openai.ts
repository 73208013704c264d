/**
 * The OpenAI-compatible Chat Completions client: one client for OpenAI, vLLM, Ollama, llama.cpp
 * server, LM Studio, OpenRouter and NVIDIA NIM. POST `{baseUrl}/chat/completions`, streamed as
 * SSE `data:` chunks ending with `[DONE]`; usage from the final chunk (`include_usage`).
 */
import type { ChatCallOptions, ChatMessage, ChatRequest, ChatResponse, ModelProvider } from '../../../shared/model.ts';
import { estimateTokens, finishResponse, guessAcceptsImages, type ProviderConfig, retryPolicy, textOf, timeoutFor } from './config.ts';
import { ModelError } from './errors.ts';
import { parseJson, postWithRetries, readSse, snippet } from './http.ts';

interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
}
interface StreamChunk {
  model?: string;
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: Usage | null;
  error?: { message?: string } | string;
}
interface Completion {
  model?: string;
  choices?: Array<{ message?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: Usage;
}

/** What one read of a response produced. */
interface Read {
  text: string;
  usage: { inputTokens: number; outputTokens: number };
  model: string;
  finishReason: string;
}

/** The message list in the Chat Completions shape; images become `image_url` data URLs. */
export function toOpenAiMessages(messages: readonly ChatMessage[]): unknown[] {
  return messages.map((message) => ({
    role: message.role,
    content:
      typeof message.content === 'string'
        ? message.content
        : message.content.map((part) =>
            part.type === 'text'
              ? { type: 'text', text: part.text }
              : { type: 'image_url', image_url: { url: `data:${part.mediaType};base64,${part.dataBase64}` } },
          ),
  }));
}

/** Reasoning models on api.openai.com take `max_completion_tokens` and no temperature. */
function isOpenAiReasoningModel(config: ProviderConfig): boolean {
  return config.provider === 'openai' && /^(o\d|gpt-5)/.test(config.model);
}

/** A chat model behind an OpenAI-compatible endpoint. */
export class OpenAiCompatibleProvider implements ModelProvider {
  readonly name: string;
  readonly acceptsImages: boolean;
  readonly #config: ProviderConfig;

  constructor(config: ProviderConfig) {
    this.#config = config;
    this.name = `${config.provider}:${config.model}`;
    this.acceptsImages = config.acceptsImages ?? guessAcceptsImages(config.model);
  }

  /** The request body for `request` (exposed for tests and the request log). */
  requestBody(request: ChatRequest): Record<string, unknown> {
    const config = this.#config;
    const stream = config.stream !== false;
    const reasoning = isOpenAiReasoningModel(config);
    return {
      model: config.model,
      messages: toOpenAiMessages(request.messages),
      ...(request.temperature === undefined || reasoning ? {} : { temperature: request.temperature }),
      ...(request.maxOutputTokens === undefined ? {} : { [reasoning ? 'max_completion_tokens' : 'max_tokens']: request.maxOutputTokens }),
      stream,
      ...(stream ? { stream_options: { include_usage: true } } : {}),
    };
  }

  async complete(request: ChatRequest, options: ChatCallOptions = {}): Promise<ChatResponse> {
    const config = this.#config;
    const body = this.requestBody(request);
    const promptText = request.messages.map((m) => textOf(m.content)).join('\n');
    const result = await postWithRetries<Read>({
      url: `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`,
      headers: { ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}), ...config.headers },
      body,
      secrets: [config.apiKey],
      retry: retryPolicy(config),
      timeoutMs: timeoutFor(config, options.timeoutMs),
      signal: options.signal,
      read: async (response, signal, state) => {
        const type = response.headers.get('content-type') ?? '';
        const read = type.includes('text/event-stream')
          ? await readStream(response, signal, (text) => {
              state.emitted = true;
              options.onDelta?.(text);
            })
          : readWhole(await response.text(), type, body['stream'] === true);
        if (read.usage.inputTokens === 0 && read.usage.outputTokens === 0) {
          read.usage = { inputTokens: estimateTokens(promptText), outputTokens: estimateTokens(read.text) };
        }
        return read;
      },
    });
    return finishResponse(config, result.value, result);
  }
}

async function readStream(response: Response, signal: AbortSignal, onDelta: (text: string) => void): Promise<Read> {
  const read: Read = { text: '', usage: { inputTokens: 0, outputTokens: 0 }, model: '', finishReason: '' };
  const sawDone = await readSse(response, signal, (event) => {
    if (event.data === '[DONE]') return true;
    const chunk = parseJson<StreamChunk>(event.data, 'a stream chunk');
    if (chunk.error) {
      const message = typeof chunk.error === 'string' ? chunk.error : (chunk.error.message ?? 'unknown error');
      throw new ModelError('model_http', `the provider reported an error mid-stream: ${snippet(message)}`, { retryable: true });
    }
    if (chunk.model) read.model = chunk.model;
    const choice = chunk.choices?.[0];
    const piece = choice?.delta?.content;
    if (typeof piece === 'string' && piece.length > 0) {
      read.text += piece;
      onDelta(piece);
    }
    if (choice?.finish_reason) read.finishReason = choice.finish_reason;
    if (chunk.usage) read.usage = usageOf(chunk.usage);
    return false;
  });
  if (!sawDone && !read.finishReason) {
    throw new ModelError('model_bad_response', 'the stream ended before the model finished (no finish_reason, no [DONE])', {
      retryable: true,
    });
  }
  return read;
}

function readWhole(text: string, contentType: string, askedToStream: boolean): Read {
  if (!contentType.includes('json') && askedToStream) {
    throw new ModelError('model_bad_response', `expected server-sent events, got ${contentType || 'no content type'}: ${snippet(text)}`);
  }
  const completion = parseJson<Completion>(text, 'a response');
  const choice = completion.choices?.[0];
  if (!choice || (typeof choice.message?.content !== 'string' && choice.message?.content !== null)) {
    throw new ModelError('model_bad_response', `the response has no message: ${snippet(text)}`);
  }
  return {
    text: choice.message?.content ?? '',
    usage: usageOf(completion.usage ?? {}),
    model: completion.model ?? '',
    finishReason: choice.finish_reason ?? '',
  };
}

function usageOf(usage: Usage): { inputTokens: number; outputTokens: number } {
  return { inputTokens: usage.prompt_tokens ?? 0, outputTokens: usage.completion_tokens ?? 0 };
}
