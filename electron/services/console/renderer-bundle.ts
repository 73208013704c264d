/**
 * The renderer as browser mode serves it: `renderer/main.tsx` bundled with esbuild into one
 * script and one stylesheet (the console's styles and xterm's, imported by the modules), kept in
 * memory. The page's asset links carry the per-launch token.
 *
 * Bundling takes most of a second (2 MB of React, three.js, CodeMirror, xterm, minified), and the
 * page can do nothing until it has its script, so a bundle is kept on disk under a key made of
 * everything it is built from (`native/bundle-cache.ts`: the renderer's and shared/'s sources, the
 * locked package versions, esbuild's version and options): the first start after a change builds
 * it, every other start reads it (a few milliseconds).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, version as esbuildVersion, type BuildOptions, type Plugin } from 'esbuild';
import { cachedBundle, defaultCacheDir } from '../../../native/bundle-cache.ts';
import { CONTRACT, EVENTS } from '../../../shared/ipc/contract.ts';

/** Folder of the renderer sources. */
export const RENDERER_DIR = fileURLToPath(new URL('../../../renderer/', import.meta.url));

/** The bundled renderer. */
export interface RendererBundle {
  readonly script: string;
  readonly stylesheet: string;
  /** The chunks the script imports when a panel first mounts (`lazyView`), by file name (`chunks/<name>-<hash>.js`). */
  readonly chunks: Readonly<Record<string, string>>;
  /** The chunks the script imports statically: the page preloads them beside it (no wait for the script's parse to find them). */
  readonly preload: readonly string[];
}

/** The contract module, which the page gets without its schemas (`pageContract`). */
const CONTRACT_FILE = fileURLToPath(new URL('../../../shared/ipc/contract.ts', import.meta.url));

/**
 * The contract as the page has it: every channel's kind, name, domain and verb, and none of its
 * zod schemas. The page only names channels (the generated client, `shared/ipc/client.ts`); the
 * main process validates what arrives. So the schemas and zod (half a megabyte, minified, and most
 * of a second to compile and build on a loaded machine) stay out of the page's first script. A
 * page module importing anything else from the contract fails the build (no such export).
 */
export function pageContractModule(): string {
  const names = (domains: Readonly<Record<string, Readonly<Record<string, { kind: string; channel: string; domain: string; name: string }>>>>): unknown =>
    Object.fromEntries(Object.entries(domains).map(([domain, entries]) => [domain, Object.fromEntries(Object.entries(entries).map(([verb, c]) => [verb, { kind: c.kind, channel: c.channel, domain: c.domain, name: c.name }]))]));
  return `export const CONTRACT = ${JSON.stringify(names(CONTRACT))};\nexport const EVENTS = ${JSON.stringify(names(EVENTS))};\n`;
}

const pageContract: Plugin = {
  name: 'page-contract',
  setup(build) {
    build.onLoad({ filter: /[\\/]shared[\\/]ipc[\\/]contract\.ts$/ }, (args) => (args.path === CONTRACT_FILE ? { contents: pageContractModule(), loader: 'js' } : undefined));
  },
};

/** Where the chunks are served (`main.js` imports them relative to itself: `./chunks/…`). */
export const CHUNK_PREFIX = 'chunks/';

const BUILD_OPTIONS = {
  entryPoints: { main: `${RENDERER_DIR}main.tsx` },
  bundle: true,
  write: false,
  outdir: '/caplab-renderer',
  format: 'esm',
  // Panels' views as chunks of their own, loaded when they mount: the first script holds the shell.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  target: 'es2022',
  jsx: 'automatic',
  minify: true,
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'silent',
  metafile: true,
  plugins: [pageContract],
} satisfies BuildOptions;

/**
 * The renderer bundle: from the cache (`native/bundle-cache.ts`) when one was built from these
 * very sources, else built (and kept). `cacheDir` null: always build, keep nothing.
 */
export async function bundleRenderer(cacheDir: string | null = defaultCacheDir()): Promise<RendererBundle> {
  const { js, css, chunks } = await cachedBundle('renderer', RENDERER_SOURCES, ['js', 'css', 'chunks'], buildBundle, cacheDir);
  const kept = JSON.parse(chunks) as { files: Record<string, string>; preload: string[] };
  return { script: js, stylesheet: css, chunks: kept.files, preload: kept.preload };
}

/**
 * What the renderer bundle is built from: the sources, esbuild and its options, and this file (how
 * the outputs are split into what is kept: a bundle kept by other code here is not reused).
 */
export const RENDERER_SOURCES = {
  folders: ['renderer', 'shared'],
  salt: `esbuild ${esbuildVersion}\n${JSON.stringify(BUILD_OPTIONS)}\n${readFileSync(fileURLToPath(import.meta.url), 'utf8')}`,
} as const;

async function buildBundle(): Promise<{ js: string; css: string; chunks: string }> {
  const result = await build(BUILD_OPTIONS);
  const root = `${BUILD_OPTIONS.outdir}/`;
  const text = (name: string): string => result.outputFiles.find((file) => file.path === `${root}${name}`)?.text ?? '';
  const chunks: Record<string, string> = {};
  for (const file of result.outputFiles) {
    const name = file.path.slice(root.length);
    if (name.startsWith(CHUNK_PREFIX) && name.endsWith('.js')) chunks[name] = file.text;
    else if (name !== 'main.js' && name !== 'main.css') throw new Error(`the renderer bundle has an output it cannot serve: ${name}`);
  }
  // The metafile names outputs relative to the working folder (…/caplab-renderer/chunks/x.js).
  const served = (path: string): string => path.slice(path.lastIndexOf(root) + root.length);
  const main = Object.entries(result.metafile.outputs).find(([path]) => served(path) === 'main.js')?.[1];
  const preload = (main?.imports ?? []).filter((i) => i.kind === 'import-statement').map((i) => served(i.path)).filter((name) => name in chunks);
  return { js: text('main.js'), css: text('main.css'), chunks: JSON.stringify({ files: chunks, preload }) };
}

/** The page, with its script and stylesheet links carrying the token, and the script's static chunks preloaded. */
export function pageHtml(token: string, preload: readonly string[] = []): string {
  const query = `?token=${encodeURIComponent(token)}`;
  const links = preload.map((name) => `<link rel="modulepreload" href="./${name}" />`).join('\n    ');
  return readFileSync(`${RENDERER_DIR}index.html`, 'utf8')
    .replace('href="./main.css"', `href="./main.css${query}"`)
    .replace('src="./main.js"', `src="./main.js${query}"`)
    .replace('</head>', `${links ? `  ${links}\n  ` : ''}</head>`);
}
