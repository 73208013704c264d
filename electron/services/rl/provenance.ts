/**
 * Where a model's answers come from, for the provenance of rollouts and evaluations: the replay
 * server says so in `x-caplab-recording` (its recordings' labels) on its model list; anything
 * else is taken for a live server at its base URL.
 */
import { parseModelName } from '../../../shared/model.ts';
import { envName, PROVIDERS } from '../providers/registry.ts';

/** `recording: …` or `live: <base URL>` (or `live: <provider>` when the base URL is unknown). */
export async function modelSource(modelName: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { provider } = parseModelName(modelName);
  const baseUrl = env[envName(provider, 'BASE_URL')] || PROVIDERS[provider]?.defaultBaseUrl;
  if (!baseUrl) return `live: ${provider}`;
  try {
    const response = await fetch(`${baseUrl.replace(/\/$/, '')}/models`, { signal: AbortSignal.timeout(5000) });
    await response.arrayBuffer();
    const label = response.headers.get('x-caplab-recording');
    if (label) return label.startsWith('recording') ? label : `recording: ${label}`;
  } catch {
    // A server without a model list (or not reachable yet) is still a live server; sampling will say if it is down.
  }
  return `live: ${baseUrl}`;
}
