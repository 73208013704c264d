/**
 * Start a worker thread whose entry is a TypeScript module. The entry and the repository's
 * modules it imports are bundled once per process with esbuild into one ES module (packages stay
 * outside, imported from their own files), and the worker runs that: no TypeScript loader in the
 * worker. Registering tsx in a worker cost about 300 ms of CPU per start under Node 20 (a
 * loader-hooks thread of its own, then a transform of every file), more than loading MuJoCo.
 * The worker receives `data` as `workerData.data`.
 */
import { builtinModules } from 'node:module';
import { Worker } from 'node:worker_threads';
import { build, type Plugin } from 'esbuild';
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

/** The entry bundled as a `data:` module (it has no folder of its own, so packages are imported by URL). */
async function bundleEntry(entryUrl: URL): Promise<URL> {
  const result = await build({
    entryPoints: [new URL(entryUrl).pathname],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [packagesByUrl],
    logLevel: 'silent',
  });
  // Named for stack traces and profiles (a data: URL would be named by its whole text).
  const name = `${entryUrl.pathname.split('/').slice(-2).join('-').replace(/\.ts$/, '')}.bundle.mjs`;
  const code = `${result.outputFiles[0]!.text}\n//# sourceURL=${name}\n`;
  return new URL(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
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
