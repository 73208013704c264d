/**
 * Model providers: `createProvider('provider:model')` gives a `ModelProvider` (shared/model.ts);
 * failures are `ModelError`s with a `code`. `ReplayServer` answers both wire formats from
 * recordings for tests and demos.
 */
export { AnthropicProvider } from './anthropic.ts';
export { type ModelErrorCode, ModelError, isModelError } from './errors.ts';
export { OpenAiCompatibleProvider } from './openai.ts';
export { costUsd, priceOf } from './pricing.ts';
export { redact } from './redact.ts';
export { createProvider, PROVIDERS, redactKeys } from './registry.ts';
export { loadRecordings, parseRecording, type Recording } from './recordings.ts';
export { ReplayServer, type ReplayLogEntry } from './replay-server.ts';
