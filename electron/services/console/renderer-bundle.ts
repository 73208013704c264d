/**
 * The renderer as browser mode serves it: `renderer/main.tsx` bundled with esbuild into one
 * script and one stylesheet (the console's styles and xterm's, imported by the modules), kept in
 * memory. The page's asset links carry the per-launch token.
 *
 * Bundling takes most of a second (2 MB of React, three.js, CodeMirror, xterm, minified), and the
 * page can do nothing until it has its script, so a bundle is kept on disk under a key made of
 * everything it is built from (the renderer's and shared/'s sources, the locked package versions,
 * esbuild's version and options): the first start after a change builds it, every other start
 * reads it (a few milliseconds).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Dirent } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, version as esbuildVersion, type BuildOptions } from 'esbuild';

/** Folder of the renderer sources. */
export const RENDERER_DIR = fileURLToPath(new URL('../../../renderer/', import.meta.url));
const ROOT_DIR = fileURLToPath(new URL('../../../', import.meta.url));

/** The bundled renderer. */
export interface RendererBundle {
  readonly script: string;
  readonly stylesheet: string;
}

const BUILD_OPTIONS = {
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
} satisfies BuildOptions;

/** Where bundles are kept: `CAPLAB_CACHE`, else `$XDG_CACHE_HOME/caplab`, else `~/.cache/caplab`. */
export function defaultCacheDir(): string {
  return process.env['CAPLAB_CACHE'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'caplab');
}

/**
 * The renderer bundle: from the cache when one was built from these very sources, else built
 * (and kept). `cacheDir` null: always build, keep nothing.
 */
export async function bundleRenderer(cacheDir: string | null = defaultCacheDir()): Promise<RendererBundle> {
  if (cacheDir === null) return buildBundle();
  const dir = join(cacheDir, 'renderer');
  const key = sourceKey();
  const cached = readCached(dir, key);
  if (cached) return cached;
  const bundle = await buildBundle();
  writeCached(dir, key, bundle);
  return bundle;
}

async function buildBundle(): Promise<RendererBundle> {
  const result = await build(BUILD_OPTIONS);
  const text = (extension: string): string => result.outputFiles.find((file) => file.path.endsWith(extension))?.text ?? '';
  return { script: text('.js'), stylesheet: text('.css') };
}

/** A hash of everything the bundle is built from. */
export function sourceKey(): string {
  const hash = createHash('sha256');
  hash.update(`esbuild ${esbuildVersion}\n${JSON.stringify(BUILD_OPTIONS)}\n`);
  hash.update(readFileSync(join(ROOT_DIR, 'package-lock.json')));
  for (const folder of ['renderer', 'shared']) {
    for (const file of sourceFiles(join(ROOT_DIR, folder))) {
      hash.update(`\n${file.slice(ROOT_DIR.length)}\n`);
      hash.update(readFileSync(file));
    }
  }
  return hash.digest('hex').slice(0, 32);
}

/** The folder's files, sorted, tests left out (they are not bundled). */
function sourceFiles(folder: string): string[] {
  return (readdirSync(folder, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile() && !/\.test\.tsx?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function readCached(dir: string, key: string): RendererBundle | null {
  try {
    return { script: readFileSync(join(dir, `${key}.js`), 'utf8'), stylesheet: readFileSync(join(dir, `${key}.css`), 'utf8') };
  } catch {
    return null;
  }
}

/** Bundles kept (several checkouts of the sources may share the cache). */
const KEPT_BUNDLES = 4;

/** Keep the bundle (written aside, then renamed: a reader never sees half a file) and drop the oldest. */
function writeCached(dir: string, key: string, bundle: RendererBundle): void {
  try {
    mkdirSync(dir, { recursive: true });
    pruneCache(dir, KEPT_BUNDLES - 1);
    const temporary = `.${process.pid}-${Date.now()}`;
    writeFileSync(join(dir, `${key}.css${temporary}`), bundle.stylesheet);
    writeFileSync(join(dir, `${key}.js${temporary}`), bundle.script);
    // The stylesheet first: a script on disk means its stylesheet is there too.
    renameSync(join(dir, `${key}.css${temporary}`), join(dir, `${key}.css`));
    renameSync(join(dir, `${key}.js${temporary}`), join(dir, `${key}.js`));
  } catch {
    // A cache that cannot be written only means the next start bundles again.
  }
}

/** Remove all but the `keep` newest bundles. */
function pruneCache(dir: string, keep: number): void {
  const scripts = readdirSync(dir)
    .filter((name) => name.endsWith('.js'))
    .map((name) => ({ key: name.slice(0, -'.js'.length), mtimeMs: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { key } of scripts.slice(keep)) {
    rmSync(join(dir, `${key}.js`), { force: true });
    rmSync(join(dir, `${key}.css`), { force: true });
  }
}

/** The page, with its script and stylesheet links carrying the token. */
export function pageHtml(token: string): string {
  const query = `?token=${encodeURIComponent(token)}`;
  return readFileSync(`${RENDERER_DIR}index.html`, 'utf8')
    .replace('href="./main.css"', `href="./main.css${query}"`)
    .replace('src="./main.js"', `src="./main.js${query}"`);
}
