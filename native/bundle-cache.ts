/**
 * esbuild bundles kept on disk under a key of everything they are built from: the source folders'
 * files (tests left out), the locked package versions, and a salt (esbuild's version, the build
 * options). A start after no change reads the bundle in milliseconds instead of building it. Used
 * for the console's renderer and the simulator's worker entry.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Dirent } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const ROOT_DIR = fileURLToPath(new URL('../', import.meta.url));

/** Bundles kept per kind (several checkouts of the sources may share the cache). */
const KEPT_BUNDLES = 4;

/** Where bundles are kept: `CAPLAB_CACHE`, else `$XDG_CACHE_HOME/caplab`, else `~/.cache/caplab`. */
export function defaultCacheDir(): string {
  return process.env['CAPLAB_CACHE'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'caplab');
}

/** What a bundle is built from. */
export interface BundleSources {
  /** Folders under the repository root whose files go into the key (`renderer`, `shared`). */
  readonly folders: readonly string[];
  /** Anything else the output depends on (esbuild's version, the build options). */
  readonly salt: string;
}

/** A hash of everything the bundle is built from. */
export function sourceKey(sources: BundleSources): string {
  const hash = createHash('sha256');
  hash.update(`${sources.salt}\n`);
  hash.update(readFileSync(join(ROOT_DIR, 'package-lock.json')));
  for (const folder of sources.folders) {
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

/**
 * The outputs (by file extension: `js`, `css`) from `<cacheDir>/<kind>/` when built from these
 * sources, else built now and kept. `cacheDir` null: always build, keep nothing.
 */
export async function cachedBundle<T extends Record<string, string>>(kind: string, sources: BundleSources, extensions: readonly (keyof T & string)[], build: () => Promise<T>, cacheDir: string | null = defaultCacheDir()): Promise<T> {
  if (cacheDir === null) return build();
  const dir = join(cacheDir, kind);
  const key = sourceKey(sources);
  const cached = readCached<T>(dir, key, extensions);
  if (cached) return cached;
  const outputs = await build();
  writeCached(dir, key, extensions, outputs);
  return outputs;
}

function readCached<T extends Record<string, string>>(dir: string, key: string, extensions: readonly (keyof T & string)[]): T | null {
  try {
    return Object.fromEntries(extensions.map((extension) => [extension, readFileSync(join(dir, `${key}.${extension}`), 'utf8')])) as T;
  } catch {
    return null;
  }
}

/**
 * Keep the outputs (written aside, then renamed: a reader never sees half a file; the first
 * extension last, so that it on disk means the others are too) and drop the oldest bundles.
 */
function writeCached(dir: string, key: string, extensions: readonly string[], outputs: Record<string, string>): void {
  try {
    mkdirSync(dir, { recursive: true });
    pruneCache(dir, extensions[0]!, KEPT_BUNDLES - 1);
    const temporary = `.${process.pid}-${Date.now()}`;
    for (const extension of extensions) writeFileSync(join(dir, `${key}.${extension}${temporary}`), outputs[extension]!);
    for (const extension of [...extensions].reverse()) renameSync(join(dir, `${key}.${extension}${temporary}`), join(dir, `${key}.${extension}`));
  } catch {
    // A cache that cannot be written only means the next start bundles again.
  }
}

/** Remove all but the `keep` newest bundles (by their `first` output's time). */
function pruneCache(dir: string, first: string, keep: number): void {
  const bundles = readdirSync(dir)
    .filter((name) => name.endsWith(`.${first}`))
    .map((name) => ({ key: name.slice(0, -(first.length + 1)), mtimeMs: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { key } of bundles.slice(keep)) {
    for (const name of readdirSync(dir)) if (name.startsWith(`${key}.`)) rmSync(join(dir, name), { force: true });
  }
}
