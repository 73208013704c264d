/**
 * Cost of a call from a small table of list prices (US dollars per million tokens, input and
 * output). Unknown models cost `null`, never a guess. Local servers charge nothing per token.
 */
import type { TokenUsage } from '../../../shared/model.ts';

/** Price per million tokens. */
export interface Price {
  readonly inputPerMillionUsd: number;
  readonly outputPerMillionUsd: number;
}

/** List prices of well-known models; a dated variant (`gpt-4.1-2025-04-14`) matches by prefix. */
export const PRICES: Readonly<Record<string, Price>> = {
  'gpt-5': { inputPerMillionUsd: 1.25, outputPerMillionUsd: 10 },
  'gpt-5-mini': { inputPerMillionUsd: 0.25, outputPerMillionUsd: 2 },
  'gpt-5-nano': { inputPerMillionUsd: 0.05, outputPerMillionUsd: 0.4 },
  'gpt-4.1': { inputPerMillionUsd: 2, outputPerMillionUsd: 8 },
  'gpt-4.1-mini': { inputPerMillionUsd: 0.4, outputPerMillionUsd: 1.6 },
  'gpt-4.1-nano': { inputPerMillionUsd: 0.1, outputPerMillionUsd: 0.4 },
  'gpt-4o': { inputPerMillionUsd: 2.5, outputPerMillionUsd: 10 },
  'gpt-4o-mini': { inputPerMillionUsd: 0.15, outputPerMillionUsd: 0.6 },
  o3: { inputPerMillionUsd: 2, outputPerMillionUsd: 8 },
  'o3-mini': { inputPerMillionUsd: 1.1, outputPerMillionUsd: 4.4 },
  'o4-mini': { inputPerMillionUsd: 1.1, outputPerMillionUsd: 4.4 },
  'claude-opus-4': { inputPerMillionUsd: 15, outputPerMillionUsd: 75 },
  'claude-opus-4-5': { inputPerMillionUsd: 5, outputPerMillionUsd: 25 },
  'claude-sonnet-4': { inputPerMillionUsd: 3, outputPerMillionUsd: 15 },
  'claude-haiku-4-5': { inputPerMillionUsd: 1, outputPerMillionUsd: 5 },
  'claude-3-7-sonnet': { inputPerMillionUsd: 3, outputPerMillionUsd: 15 },
  'claude-3-5-haiku': { inputPerMillionUsd: 0.8, outputPerMillionUsd: 4 },
};

/** Providers that run on the lab's own machine: no per-token charge. */
export const LOCAL_PROVIDERS: ReadonlySet<string> = new Set(['ollama', 'vllm', 'llamacpp', 'lmstudio']);

/** The price of `model` (a `vendor/` prefix as OpenRouter writes it is ignored), or undefined. */
export function priceOf(model: string): Price | undefined {
  const bare = model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model;
  let best: string | undefined;
  for (const name of Object.keys(PRICES)) {
    const matches = bare === name || bare.startsWith(`${name}-`) || bare.startsWith(`${name}@`);
    if (matches && (best === undefined || name.length > best.length)) best = name;
  }
  return best === undefined ? undefined : PRICES[best];
}

/** Dollars for `usage` on `provider`'s `model`: 0 on local servers, null when the price is unknown. */
export function costUsd(provider: string, model: string, usage: TokenUsage): number | null {
  if (LOCAL_PROVIDERS.has(provider)) return 0;
  const price = priceOf(model);
  if (!price) return null;
  return (usage.inputTokens * price.inputPerMillionUsd + usage.outputTokens * price.outputPerMillionUsd) / 1_000_000;
}
