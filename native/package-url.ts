/** Where a package (or a file it exports) resolves from this repository, as a `file:` URL. */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** `import.meta.resolve` where the runtime has it (Node, tsx), `require.resolve` otherwise (vitest's module runner). */
export function packageUrl(specifier: string): string {
  const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve;
  if (typeof resolve === 'function') {
    try {
      return resolve(specifier);
    } catch {
      // fall through to the CommonJS resolver
    }
  }
  return pathToFileURL(createRequire(import.meta.url).resolve(specifier)).href;
}
