/**
 * Downloads of the console's HTTP server (token checked by the caller): `/export/runs/<id>.mcap`
 * writes the run's MCAP (`export/mcap-export.ts`) to a private temporary folder and sends it as
 * an attachment, and the `exports` calls that hand the page the link and the Foxglove setting.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Handlers } from '../../../shared/ipc/dispatch.ts';
import { IpcError } from '../../../shared/ipc/errors.ts';
import { exportMcap } from '../export/mcap-export.ts';
import { ExportError, loadRunData } from '../export/run-data.ts';
import type { RunStore } from '../storage/run-store.ts';
import type { FoxgloveControl } from './foxglove-control.ts';

const MCAP_ROUTE = /^\/export\/runs\/(\d+)\.mcap$/;

/** The name a run's MCAP is saved under. */
export const mcapFileName = (runId: number): string => `caplab-run-${runId}.mcap`;

/** The path of a run's MCAP download on the console's server. */
export const mcapPath = (runId: number): string => `/export/runs/${runId}.mcap`;

/** Serve an export route; false when `pathname` is not one (the caller answers 404). */
export async function serveExport(pathname: string, store: RunStore, response: ServerResponse): Promise<boolean> {
  const match = MCAP_ROUTE.exec(pathname);
  if (!match) return false;
  const runId = Number(match[1]);
  const dir = await mkdtemp(join(tmpdir(), 'caplab-export-'));
  try {
    const path = join(dir, mcapFileName(runId));
    await exportMcap(loadRunData(store, runId), path);
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${mcapFileName(runId)}"`, 'cache-control': 'no-store' });
    await pipeline(createReadStream(path), response);
  } catch (error) {
    const status = error instanceof ExportError && error.code === 'not_found' ? 404 : 500;
    if (!response.headersSent) response.writeHead(status, { 'content-type': 'text/plain' });
    response.end(`${(error as Error).message}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return true;
}

/** The `exports` handlers: the download link (on `origin`, with the token) and the Foxglove setting. */
export function exportHandlers(options: { store: RunStore; link: (path: string) => string; foxglove: FoxgloveControl }): Pick<Handlers, 'exports'> {
  return {
    exports: {
      mcapLink: ({ runId }) => {
        if (!options.store.getRun(runId)) throw new IpcError('not_found', `there is no run ${runId}`);
        return { url: options.link(mcapPath(runId)), fileName: mcapFileName(runId) };
      },
      foxglove: () => options.foxglove.status(),
      setFoxglove: ({ port }) => options.foxglove.set(port),
    },
  };
}
