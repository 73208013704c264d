/**
 * A twin that shows nothing: no scene, empty recordings, no cameras. For contract tests and for
 * a console started without the twin service.
 */
import { IpcError } from '../../../shared/ipc/errors.ts';
import type { TwinPort } from './twin-port.ts';

/** A `TwinPort` with nothing to show. */
export function nullTwin(): TwinPort {
  return {
    scene: () => null,
    load: () => Promise.reject(new IpcError('not_available', 'this console has no twin')),
    follow: () => Promise.resolve(() => Promise.resolve()),
    recording: (runId) => Promise.resolve({ runId, scene: null, frames: [] }),
    showChunkGhost: () => {},
    clearChunkGhosts: () => {},
    cameraNames: () => [],
    render: () => Promise.reject(new IpcError('not_available', 'this console has no twin')),
    dispose: () => Promise.resolve(),
  };
}
