/** Domains nobody serves in a console answer every call with not_available (never an undefined handler). */
import { CONTRACT } from '../../../../shared/ipc/contract.ts';
import type { Handlers } from '../../../../shared/ipc/dispatch.ts';
import { IpcError } from '../../../../shared/ipc/errors.ts';

/** The handlers given, plus not_available for every channel of the domains missing. */
export function withEveryDomain(partial: Partial<Handlers>): Handlers {
  const table: Record<string, unknown> = { ...partial };
  for (const [domain, entries] of Object.entries(CONTRACT)) {
    table[domain] ??= Object.fromEntries(
      Object.values(entries).map((d: { name: string; channel: string }) => [
        d.name,
        () => {
          throw new IpcError('not_available', `${d.channel}: not served by this console`);
        },
      ]),
    );
  }
  return table as Handlers;
}
