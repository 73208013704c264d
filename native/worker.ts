/**
 * Start a worker thread whose entry is a TypeScript module. The entry and the repository's
 * modules it imports are bundled with esbuild into one ES module (packages stay outside, imported
 * from their own files; kept on disk until the sources change), and the worker runs that: no
 * TypeScript loader in the worker. Registering tsx in a worker cost about 300 ms of CPU per start under Node 20 (a
 * loader-hooks thread of its own, then a transform of every file), more than loading MuJoCo.
 * The worker receives `data` as `workerData.data`.
 */
import { builtinModules } from 'node:module';
import { Worker } from 'node:worker_threads';
import { build, version as esbuildVersion, type Plugin } from 'esbuild';
import { cachedBundle } from './bundle-cache.ts';
import { packageUrl } from './package-url.ts';

const bundles = new Map<string, Promise<URL>>();

/** Start `entryUrl` (a `file:` URL of a .ts module) in a new worker thread. */
export async function startTsWorker(entryUrl: URL, data: unknown): Promise<Worker> {
  let bundle = bundles.get(entryUrl.href);
  if (!bundle) {
    bundle = bundleEntry(entryUrl);
    bundles.set(entryUrl.href, bundle);
    // A failed bundle is tried again by the next start.
    bundle.catch(() => bundles.delete(entryUrl.href));
  }
  return new Worker(await bundle, { workerData: { data } });
}

/**
 * The entry bundled as a `data:` module (it has no folder of its own, so packages are imported by
 * URL), kept on disk (`bundle-cache.ts`) under a key of native/ and shared/, the locked packages,
 * this checkout and where MuJoCo resolves from, so that a process after no change skips esbuild.
 */
async function bundleEntry(entryUrl: URL): Promise<URL> {
  const entry = new URL(entryUrl).pathname;
  const sources = { folders: ['native', 'shared'], salt: `esbuild ${esbuildVersion}\n${entry}\n${packageUrl('@mujoco/mujoco')}` };
  const { mjs } = await cachedBundle('workers', sources, ['mjs'], async () => ({ mjs: await buildEntry(entry) }));
  return new URL(`data:text/javascript;base64,${Buffer.from(mjs).toString('base64')}`);
}

async function buildEntry(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [packagesByUrl],
    logLevel: 'silent',
  });
  // Named for stack traces and profiles (a data: URL would be named by its whole text).
  const name = `${entry.split('/').slice(-2).join('-').replace(/\.ts$/, '')}.bundle.mjs`;
  return `${result.outputFiles[0]!.text}\n//# sourceURL=${name}\n`;
}

/** Leave packages (and Node's modules) out of the bundle, imported from where they resolve here. */
const packagesByUrl: Plugin = {
  name: 'packages-by-url',
  setup(builder) {
    // A bare specifier: a package name (scoped or not), maybe with a subpath; not `./x`, `/x`, `C:\x`.
    builder.onResolve({ filter: /^(@[\w.-]+\/)?\w[\w.-]*(\/[\w./-]*)?$/ }, ({ path }) => {
      if (builtinModules.includes(path)) return { path, external: true };
      return { path: packageUrl(path), external: true };
    });
  },
};
