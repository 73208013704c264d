/** Shared pieces of the CLI: its I/O seam, usage errors, and option parsers with clear messages. */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { isTierId, TIERS, type TierSettings } from '../../shared/api/tiers.ts';

/** Where a command writes and how it hears Ctrl-C; injected so tests can drive commands. */
export interface CliIo {
  readonly out: Writable & { isTTY?: boolean };
  readonly err: Writable & { isTTY?: boolean };
  /** The operator's answers (a terminal's stdin); absent or not a TTY: nobody to ask. */
  readonly in?: Readable & { isTTY?: boolean };
  onInterrupt(listener: () => void): void;
  offInterrupt(listener: () => void): void;
}

/** A mistake in the command line; printed with the usage and exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parse `--tier`, default S1. */
export function parseTier(value: string | undefined): TierSettings {
  const id = (value ?? 'S1').toUpperCase();
  if (!isTierId(id)) throw new UsageError(`--tier ${value}: expected one of ${Object.keys(TIERS).join(', ')}`);
  return TIERS[id];
}

/** Parse a whole number option within bounds. */
export function parseWholeNumber(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new UsageError(`--${name} ${value}: expected a whole number from ${min} to ${max}`);
  }
  return parsed;
}

/** Parse `--seed`, default 0. */
export function parseSeed(value: string | undefined): number {
  return parseWholeNumber('seed', value, 0, 0, 2 ** 31 - 1);
}

/** A `--program FILE`: its text and name (a clear error when there is no such file). */
export function programFile(path: string): { programSource: string; programName: string } {
  if (!existsSync(path)) throw new UsageError(`--program ${path}: no such file`);
  return { programSource: readFileSync(path, 'utf8'), programName: basename(path) };
}

/**
 * Ask the operator a yes/no question on the terminal: true only for an answer starting with y.
 * Null when nobody can answer (no input, or not a terminal).
 */
export async function askYesNo(io: CliIo, question: string, signal?: AbortSignal): Promise<boolean | null> {
  const input = io.in;
  if (!input?.isTTY) return null;
  const { createInterface } = await import('node:readline/promises');
  const prompt = createInterface({ input, output: io.out, terminal: false });
  try {
    // Ctrl-C (the e-stop) while the question waits: no answer, which is a no.
    return /^\s*y/i.test(await prompt.question(question, signal ? { signal } : {}));
  } catch (error) {
    if (signal?.aborted) return false;
    throw error;
  } finally {
    prompt.close();
  }
}
