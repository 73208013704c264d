/**
 * A server's model list in both wire formats — OpenAI-compatible `GET {baseUrl}/models` (OpenAI,
 * Ollama, vLLM, llama.cpp, LM Studio, OpenRouter, NIM, the replay server) and Anthropic's
 * `GET {baseUrl}/v1/models` — and discovery: which local servers answer on their default ports.
 */
import { ModelError, errorForStatus } from './errors.ts';
import { serverMessage } from './http.ts';
import { redact } from './redact.ts';

/** Where a model list is asked for. */
export interface ModelEndpoint {
  readonly api: 'openai' | 'anthropic';
  /** As the chat clients take it: `…/v1` for OpenAI-compatible servers, the host for Anthropic. */
  readonly baseUrl: string;
  readonly apiKey?: string | undefined;
}

/** What a server listed. */
export interface ModelListing {
  /** Model ids as the server names them (the model half of `provider:model`). */
  readonly models: string[];
  /** `x-caplab-recording` when the server is Caplab's replay server (recordings, not a live model). */
  readonly label: string | null;
  readonly latencyMs: number;
}

/** How long a listing may take by default, ms (a local server answers in milliseconds). */
export const LIST_TIMEOUT_MS = 4000;

/** The URL a listing goes to. */
export function modelsUrl(endpoint: ModelEndpoint): string {
  const base = endpoint.baseUrl.replace(/\/+$/, '');
  return endpoint.api === 'anthropic' ? `${base}/v1/models?limit=1000` : `${base}/models`;
}

function listHeaders(endpoint: ModelEndpoint): Record<string, string> {
  if (endpoint.api === 'anthropic') return { 'anthropic-version': '2023-06-01', ...(endpoint.apiKey ? { 'x-api-key': endpoint.apiKey } : {}) };
  return endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {};
}

function modelIds(body: unknown, url: string): string[] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new ModelError('model_bad_response', `${url} did not answer a model list ({"data": [...]})`);
  return data.map((entry) => (entry as { id?: unknown }).id).filter((id): id is string => typeof id === 'string');
}

/** Ask `endpoint` for its models; fails with a `ModelError` saying what went wrong (no key in it). */
export async function listModels(endpoint: ModelEndpoint, timeoutMs = LIST_TIMEOUT_MS): Promise<ModelListing> {
  const url = modelsUrl(endpoint);
  const secrets = [endpoint.apiKey];
  const startedMs = performance.now();
  let response: Response;
  try {
    response = await fetch(url, { headers: listHeaders(endpoint), signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new ModelError('model_timeout', `${url} did not answer within ${timeoutMs} ms`, { retryable: true });
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new ModelError('model_http', redact(`could not reach ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, secrets), { retryable: true });
  }
  const text = await response.text();
  if (!response.ok) throw errorForStatus(response.status, redact(serverMessage(text), secrets), undefined);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ModelError('model_bad_response', `${url} answered something that is not JSON`);
  }
  return { models: modelIds(body, url), label: response.headers.get('x-caplab-recording'), latencyMs: performance.now() - startedMs };
}

/** A place a model server may listen, and the provider that would reach it. */
export interface DiscoveryTarget {
  readonly provider: string;
  readonly name: string;
  readonly endpoint: ModelEndpoint;
}

/** What discovery found at one target. */
export interface DiscoveredServer {
  readonly provider: string;
  readonly name: string;
  readonly baseUrl: string;
  readonly reachable: boolean;
  readonly models: string[];
  readonly label: string | null;
  /** Why it did not answer (connection refused, not a model server, …). */
  readonly error: string | null;
}

/** Probe every target at once; a target that does not answer is reported, not thrown. */
export function discoverServers(targets: readonly DiscoveryTarget[], timeoutMs = LIST_TIMEOUT_MS): Promise<DiscoveredServer[]> {
  return Promise.all(
    targets.map(async ({ provider, name, endpoint }): Promise<DiscoveredServer> => {
      const found = { provider, name, baseUrl: endpoint.baseUrl };
      try {
        const listing = await listModels(endpoint, timeoutMs);
        return { ...found, reachable: true, models: listing.models, label: listing.label, error: null };
      } catch (error) {
        return { ...found, reachable: false, models: [], label: null, error: (error as Error).message };
      }
    }),
  );
}
