/** What both clients are configured with, and the pieces of a response they share. */
import type { ChatMessage, ContentPart } from '../../../shared/model.ts';
import { DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, type RetryPolicy } from './http.ts';

/** A configured chat model behind one HTTP endpoint. */
export interface ProviderConfig {
  /** The provider half of `provider:model` (`openai`, `ollama`, `openai-compatible`, …). */
  readonly provider: string;
  /** The model as the server names it. */
  readonly model: string;
  /** `https://api.openai.com/v1`-style for OpenAI-compatible servers, `https://api.anthropic.com` for Anthropic. */
  readonly baseUrl: string;
  /** Never logged, never stored; kept out of every error message. */
  readonly apiKey?: string | undefined;
  /** Whether images may be sent; guessed from the model name when not given. */
  readonly acceptsImages?: boolean | undefined;
  /** Ask for a streamed answer (default true). */
  readonly stream?: boolean | undefined;
  readonly retry?: Partial<RetryPolicy> | undefined;
  /** Whole-call budget when the call does not give one, ms. */
  readonly timeoutMs?: number | undefined;
  /** Extra request headers (OpenRouter's `HTTP-Referer`, …). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

/** Names of models known to take images (a guess; `acceptsImages` in the config overrides it). */
const VISION_MODEL = /gpt-4o|gpt-4\.1|gpt-5|\bo[34]\b|o4-mini|claude-(3|opus|sonnet|haiku)|vision|[-_.]vl\b|-vl-|llava|pixtral|gemma-?3|qwen2\.5vl|minicpm-v|moondream|llama-?4/i;

/** Whether `model` takes images, by name. */
export function guessAcceptsImages(model: string): boolean {
  return VISION_MODEL.test(model);
}

/** The retry policy with defaults filled in. */
export function retryPolicy(config: ProviderConfig): RetryPolicy {
  return { ...DEFAULT_RETRY, ...config.retry };
}

/** The call's time budget: the call's own, else the config's, else the default. */
export function timeoutFor(config: ProviderConfig, callTimeoutMs: number | undefined): number {
  return callTimeoutMs ?? config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
}

/** The text parts of a message's content, joined. */
export function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return content
    .filter((part): part is Extract<ContentPart, { type: 'text' }> => part.type === 'text')
    .map((part) => part.text)
    .join('\n');
}

/** Rough token count (4 characters a token) for servers that report no usage. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** An image part of a message. */
export type ImagePart = Extract<ContentPart, { type: 'image' }>;

/** `messages` in a wire shape: text parts as `{type:'text'}`, images as `image` makes them. */
export function wireMessages(messages: readonly ChatMessage[], image: (part: ImagePart) => unknown): Array<{ role: string; content: unknown }> {
  return messages.map((message) => ({
    role: message.role,
    content:
      typeof message.content === 'string'
        ? message.content
        : message.content.map((part) => (part.type === 'text' ? { type: 'text', text: part.text } : image(part))),
  }));
}
