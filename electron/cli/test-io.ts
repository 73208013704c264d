/** Test support: a `CliIo` whose output is captured. */
import { PassThrough } from 'node:stream';
import type { CliIo } from './args.ts';

/** Captured output of a command. */
export interface Captured {
  readonly io: CliIo;
  out(): string;
  err(): string;
}

/** An io whose stdout and stderr are collected as text. */
export function capture(): Captured {
  const out = new PassThrough();
  const err = new PassThrough();
  const outChunks: string[] = [];
  const errChunks: string[] = [];
  out.on('data', (c: Buffer) => outChunks.push(c.toString()));
  err.on('data', (c: Buffer) => errChunks.push(c.toString()));
  return {
    io: { out, err, onInterrupt: () => {}, offInterrupt: () => {} },
    out: () => outChunks.join(''),
    err: () => errChunks.join(''),
  };
}
