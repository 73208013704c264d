/**
 * The console's Foxglove bridge setting: at most one bridge (`export/foxglove-bridge.ts`), started
 * by `caplab serve --foxglove-port` or from the console (`exports:setFoxglove`), moved to another
 * port or stopped there, and closed with the console.
 */
import type { z } from 'zod';
import type { FoxgloveStatus } from '../../../shared/ipc/contract.ts';
import { IpcError } from '../../../shared/ipc/errors.ts';
import { FoxgloveBridge, type FoxgloveBridgeOptions } from '../export/foxglove-bridge.ts';

type Status = z.infer<typeof FoxgloveStatus>;

/** Starts, moves and stops the console's one bridge. */
export class FoxgloveControl {
  private bridge: FoxgloveBridge | null = null;
  /** Changes one at a time (a start while another is under way waits for it). */
  private changing: Promise<unknown> = Promise.resolve();

  constructor(private readonly feed: Omit<FoxgloveBridgeOptions, 'port'>) {}

  status(): Status {
    const bridge = this.bridge;
    return { running: bridge !== null, url: bridge?.url ?? null, port: bridge?.port ?? null, clients: bridge?.clients ?? 0 };
  }

  /** Listen on `port` (0: any free one), or stop (null); a port that is taken is an invalid request. */
  set(port: number | null): Promise<Status> {
    const next = this.changing.then(async () => {
      if (port !== null && this.bridge && (port === 0 || port === this.bridge.port)) return this.status();
      await this.bridge?.close();
      this.bridge = null;
      if (port === null) return this.status();
      try {
        this.bridge = await FoxgloveBridge.start({ ...this.feed, port });
      } catch (error) {
        throw new IpcError('invalid_request', `the Foxglove bridge cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`, 'a free TCP port (0: any)');
      }
      return this.status();
    });
    this.changing = next.catch(() => {});
    return next;
  }

  /** Stop the bridge (with the console). */
  async dispose(): Promise<void> {
    await this.set(null);
  }
}
