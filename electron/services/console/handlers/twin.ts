/** The `twin` and `cameras` channels: the viewer's scene, poses and replays, the simulated and the network cameras. */
import type { Handlers } from '../../../../shared/ipc/dispatch.ts';
import { IpcError } from '../../../../shared/ipc/errors.ts';
import { networkCameraHandlers, type NetworkCameraService } from '../../cameras/network-cameras.ts';
import { taskOrNotFound } from '../../runs/run-jobs.ts';
import type { RunService } from '../../runs/run-service.ts';
import type { TwinPort } from '../../viewer/twin-port.ts';

/** Handlers of `twin` and `cameras`. */
export function twinHandlers(twin: TwinPort, runs: RunService, networkCameras: NetworkCameraService): Pick<Handlers, 'twin' | 'cameras'> {
  return {
    twin: {
      scene: () => twin.scene(),
      load: ({ taskId, seed }) => {
        if (runs.running) throw new IpcError('busy', 'the twin follows the run in progress; load another task when it has ended');
        return twin.load(taskOrNotFound(taskId).id, seed);
      },
      recording: ({ runId }) => twin.recording(runId),
    },
    cameras: {
      list: () => twin.cameraNames(),
      render: ({ camera, widthPx, heightPx }) => {
        const names = twin.cameraNames();
        if (names.length > 0 && !names.includes(camera)) throw new IpcError('not_found', `no camera '${camera}' in the scene now shown; cameras: ${names.join(', ')}`);
        return twin.render(camera, widthPx, heightPx);
      },
      ...networkCameraHandlers(networkCameras),
    },
  };
}
