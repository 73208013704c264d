/**
 * The model-provider seam. Agents talk to any chat model through `ModelProvider`; the
 * OpenAI-compatible and Anthropic clients (electron/services/providers/) implement it. Kept in
 * `shared/` because the console names models and shows token counts too.
 */

/** A piece of a message: text, or an image for vision models. */
export type ContentPart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'image'; readonly mediaType: 'image/png' | 'image/jpeg'; readonly dataBase64: string };

/** One chat message. `system` messages are lifted out for APIs that want them separately. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string | readonly ContentPart[];
}

/** Token counts reported by the provider for one call. */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** One completion request. */
export interface ChatRequest {
  readonly messages: readonly ChatMessage[];
  readonly temperature?: number;
  readonly maxOutputTokens?: number;
}

/** Per-call controls: cancellation, streaming deltas, time budget. */
export interface ChatCallOptions {
  readonly signal?: AbortSignal;
  /** Called with each streamed text fragment, in order. */
  readonly onDelta?: (text: string) => void;
  /** Whole-call time budget; the call rejects with code `model_timeout` after it. */
  readonly timeoutMs?: number;
}

/** A finished completion. */
export interface ChatResponse {
  readonly text: string;
  readonly usage: TokenUsage;
  /** The model that answered, as the provider names it. */
  readonly model: string;
  /** Why generation ended, in the provider's words (`stop`, `length`, `end_turn`, …). */
  readonly finishReason: string;
  /** Wall time of the call including retries, ms. */
  readonly latencyMs: number;
  /** Retries that were needed (429 / 5xx / dropped connection). */
  readonly retries: number;
  /** Cost in US dollars when the model's price is known, else null. */
  readonly costUsd: number | null;
}

/** A chat model behind a provider. */
export interface ModelProvider {
  /** `provider:model`, as typed on the command line. */
  readonly name: string;
  /** Whether images may be sent (vision models). */
  readonly acceptsImages: boolean;
  complete(request: ChatRequest, options?: ChatCallOptions): Promise<ChatResponse>;
}

/** Whether `name` is written `provider:model` with a provider id the registry could know (`ollama:qwen2.5-coder:7b`). */
export function isModelName(name: string): boolean {
  return /^[a-z0-9-]+:\S+$/i.test(name);
}

/** Split `provider:model` at the first colon (`ollama:qwen2.5-coder:7b` → ollama, qwen2.5-coder:7b). */
export function parseModelName(name: string): { provider: string; model: string } {
  const colon = name.indexOf(':');
  if (colon <= 0 || colon === name.length - 1) {
    throw new Error(`model must be written provider:model (for example openai:gpt-4.1), got "${name}"`);
  }
  return { provider: name.slice(0, colon), model: name.slice(colon + 1) };
}
