/**
 * A network camera's first frame, awaited when it is added: a URL where nothing listens, or one
 * that serves something other than MJPEG, fails at once with the error the operator can act on.
 */
import { IpcError } from '../../../shared/ipc/errors.ts';
import type { CameraError, CameraFrame, MjpegCamera } from '../../../native/drivers/camera/mjpeg-client.ts';

/** Resolves on the camera's first frame; rejects on its first fault (bad frames aside) or the timeout. */
export function firstFrame(camera: MjpegCamera, url: string, timeoutMs: number): Promise<CameraFrame> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      const why = camera.lastError ? `: ${camera.lastError.message}` : '';
      settle(() => reject(new IpcError('no_response', `no frame from ${url} within ${timeoutMs} ms${why}`)));
    }, timeoutMs);
    const settle = (done: () => void): void => {
      clearTimeout(timer);
      camera.off('frame', onFrame);
      camera.off('fault', onFault);
      done();
    };
    const onFrame = (frame: CameraFrame): void => settle(() => resolve(frame));
    const onFault = (error: CameraError): void => {
      if (!error.flags.badFrame) settle(() => reject(addError(error, url)));
    };
    camera.on('frame', onFrame);
    camera.on('fault', onFault);
    camera.start();
  });
}

/**
 * What a failed first connection means for the operator: a URL that serves something else is a
 * wrong request; otherwise the camera's device error code, as every device's (`IpcError.from`).
 */
function addError(error: CameraError, url: string): IpcError {
  const { flags, message } = error;
  if (flags.protocol) return new IpcError('invalid_request', `${url} is not an MJPEG camera: ${message}`, 'a URL that streams multipart/x-mixed-replace JPEG frames');
  if (flags.httpStatus !== undefined) return new IpcError('invalid_request', `${message}: check the stream's path`, 'the URL of the MJPEG stream itself');
  if (error.code === 'refused') return new IpcError('refused', `${url} refused the connection: nothing listens there (${message})`);
  if (error.code === 'not_found') return new IpcError('not_found', `no host ${new URL(url).hostname} (${message})`);
  return IpcError.from(error);
}
