/** Shared setup for the provider tests: the replay server loaded with the provider recordings. */
import { fileURLToPath } from 'node:url';
import type { ChatRequest } from '../../../shared/model.ts';
import { ModelError } from './errors.ts';
import { loadRecordings } from './recordings.ts';
import { ReplayServer } from './replay-server.ts';

/** The hand-written wire-format recordings the provider tests replay. */
export const PROVIDER_RECORDINGS = fileURLToPath(new URL('../../../resources/recordings/provider-tests.json', import.meta.url));

/** A replay server with the provider recordings, on a free port. */
export function startProviderReplay(): Promise<ReplayServer> {
  return ReplayServer.start({ recordings: loadRecordings(PROVIDER_RECORDINGS) });
}

/** A request whose user message carries `marker` (the recordings match on it). */
export function ask(marker: string, system = 'You write Python robot programs.'): ChatRequest {
  return { messages: [{ role: 'system', content: system }, { role: 'user', content: `${marker} please` }], temperature: 0.2 };
}

/** Fast retries for tests. */
export const FAST_RETRY = { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 2000 };

/** The `ModelError` the promise rejects with; throws if it resolves or fails otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<ModelError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ModelError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
