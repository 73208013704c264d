/**
 * The renderer as browser mode serves it: `renderer/main.tsx` bundled once with esbuild into one
 * script and one stylesheet (the console's styles and xterm's, imported by the modules), kept in
 * memory. The page's asset links carry the per-launch token.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Folder of the renderer sources. */
export const RENDERER_DIR = fileURLToPath(new URL('../../../renderer/', import.meta.url));

/** The bundled renderer. */
export interface RendererBundle {
  readonly script: string;
  readonly stylesheet: string;
}

/** Bundle `renderer/main.tsx` (JSX automatic, CSS imports collected into one stylesheet). */
export async function bundleRenderer(): Promise<RendererBundle> {
  const result = await build({
    entryPoints: { main: `${RENDERER_DIR}main.tsx` },
    bundle: true,
    write: false,
    outdir: '/caplab-renderer',
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    minify: true,
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const text = (extension: string): string => result.outputFiles.find((file) => file.path.endsWith(extension))?.text ?? '';
  return { script: text('.js'), stylesheet: text('.css') };
}

/** The page, with its script and stylesheet links carrying the token. */
export function pageHtml(token: string): string {
  const query = `?token=${encodeURIComponent(token)}`;
  return readFileSync(`${RENDERER_DIR}index.html`, 'utf8')
    .replace('href="./main.css"', `href="./main.css${query}"`)
    .replace('src="./main.js"', `src="./main.js${query}"`);
}
