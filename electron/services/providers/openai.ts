/**
 * The OpenAI-compatible Chat Completions client: one client for OpenAI, vLLM, Ollama, llama.cpp
 * server, LM Studio, OpenRouter and NVIDIA NIM. POST `{baseUrl}/chat/completions`, streamed as
 * SSE `data:` chunks ending with `[DONE]`; usage from the final chunk (`include_usage`).
 */
import type { ChatMessage, ChatRequest } from '../../../shared/model.ts';
import { type AnswerRead, emptyAnswer, HttpChatProvider } from './chat-provider.ts';
import { type ProviderConfig, wireMessages } from './config.ts';
import { ModelError } from './errors.ts';
import { parseJson, readSse, snippet } from './http.ts';

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

/** The message list in the Chat Completions shape; images become `image_url` data URLs. */
export function toOpenAiMessages(messages: readonly ChatMessage[]): unknown[] {
  return wireMessages(messages, (part) => ({ type: 'image_url', image_url: { url: `data:${part.mediaType};base64,${part.dataBase64}` } }));
}

/** Reasoning models on api.openai.com take `max_completion_tokens` and no temperature. */
function isOpenAiReasoningModel(config: ProviderConfig): boolean {
  return config.provider === 'openai' && /^(o\d|gpt-5)/.test(config.model);
}

/** A chat model behind an OpenAI-compatible endpoint. */
export class OpenAiCompatibleProvider extends HttpChatProvider {
  /** The request body for `request` (exposed for tests and the request log). */
  requestBody(request: ChatRequest): Record<string, unknown> {
    const config = this.config;
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

  protected endpoint(): string {
    return `${this.config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  }

  protected headers(): Record<string, string> {
    return this.config.apiKey ? { authorization: `Bearer ${this.config.apiKey}` } : {};
  }

  protected async readStream(response: Response, signal: AbortSignal, onDelta: (text: string) => void): Promise<AnswerRead> {
    const read = emptyAnswer();
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
      throw new ModelError('model_bad_response', 'the stream ended before the model finished (no finish_reason, no [DONE])', { retryable: true });
    }
    return read;
  }

  protected readWhole(text: string): AnswerRead {
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
}

function usageOf(usage: Usage): { inputTokens: number; outputTokens: number } {
  return { inputTokens: usage.prompt_tokens ?? 0, outputTokens: usage.completion_tokens ?? 0 };
}
