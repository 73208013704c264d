/**
 * The console's provider settings: base URLs the operator set in the Models panel, kept in a small
 * JSON file beside the database (`providers.json`). Never a key: the file's schema has no place
 * for one (keys go to the OS keychain or stay in memory).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const SettingsFile = z
  .object({
    providers: z.record(z.string(), z.object({ baseUrl: z.url({ protocol: /^https?$/ }) }).strict()),
  })
  .strict();

type Settings = z.infer<typeof SettingsFile>;

/** Base URLs by provider, read once and written whenever one changes. */
export class ProviderSettings {
  #settings: Settings = { providers: {} };
  /** Why the file could not be read (it is then ignored and rewritten on the next change). */
  readonly problem: string | null = null;

  /** `path` null: kept in memory only. */
  constructor(private readonly path: string | null) {
    if (!path) return;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      return; // no file yet
    }
    const parsed = SettingsFile.safeParse(safeJson(text));
    if (parsed.success) this.#settings = parsed.data;
    else this.problem = `${path} is not a provider settings file; it is ignored`;
  }

  /** The base URL set for `provider`, if any. */
  baseUrl(provider: string): string | undefined {
    return this.#settings.providers[provider]?.baseUrl;
  }

  /** Every provider with a base URL set. */
  providersWithBaseUrl(): string[] {
    return Object.keys(this.#settings.providers);
  }

  /** Set (or with null, forget) the base URL of `provider`, and write the file. */
  setBaseUrl(provider: string, baseUrl: string | null): void {
    const providers = { ...this.#settings.providers };
    if (baseUrl === null) delete providers[provider];
    else providers[provider] = { baseUrl };
    this.#settings = SettingsFile.parse({ providers });
    if (!this.path) return;
    mkdirSync(dirname(this.path), { recursive: true });
    // Written beside and renamed, so a crash never leaves half a file.
    const partial = `${this.path}.partial`;
    writeFileSync(partial, `${JSON.stringify(this.#settings, null, 2)}\n`, { mode: 0o600 });
    renameSync(partial, this.path);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
