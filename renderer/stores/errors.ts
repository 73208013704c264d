/** One line for the operator from anything a contract call rejected with. */
export function describeError(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { code, message, expected } = error as { code?: unknown; message: unknown; expected?: unknown };
    const prefix = typeof code === 'string' && code !== 'internal' ? `${code}: ` : '';
    const hint = typeof expected === 'string' && expected ? ` (expected ${expected})` : '';
    return `${prefix}${String(message)}${hint}`;
  }
  return String(error);
}

/** The error code of a contract rejection, when it has one. */
export function errorCode(error: unknown): string | null {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code } = error as { code: unknown };
    return typeof code === 'string' ? code : null;
  }
  return null;
}
