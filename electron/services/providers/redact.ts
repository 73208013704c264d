/**
 * Keys never reach error messages, logs or the run store. `redact` removes the secrets it is
 * given and anything that looks like a provider key or an Authorization value.
 */

const MARK = '[redacted]';

/** Shapes of well-known keys: OpenAI/OpenRouter `sk-…`, Anthropic `sk-ant-…`, NVIDIA `nvapi-…`. */
const KEY_PATTERNS: readonly RegExp[] = [
  /\b(?:sk|nvapi|rk)-[A-Za-z0-9_-]{8,}/g,
  /\b(Bearer\s+)[^\s"',]+/gi,
  /\b(x-api-key["']?\s*[:=]\s*["']?)[^\s"',]+/gi,
];

/** `text` with every given secret (4+ characters) and every key-shaped token replaced. */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(MARK);
  }
  for (const pattern of KEY_PATTERNS) {
    out = out.replace(pattern, (_match, prefix?: string) => (typeof prefix === 'string' ? `${prefix}${MARK}` : MARK));
  }
  return out;
}
