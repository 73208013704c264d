/**
 * Entry of the bench camera's worker thread: its own copy of the bench model; each request
 * brings the physics' joint positions, and the reply is the overhead camera's RGB image (its
 * memory handed over, not copied) and, when asked, its JPEG: the MJPEG stream's encoding off the
 * thread whose servo emulator must answer the driver within its reply timeout. Started by `BenchRenderer` through `startTsWorker`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadMujocoFrom } from '../sim/mujoco-module.ts';
import { BenchCamera } from './bench-camera.ts';
import { encodeJpeg } from '../drivers/camera/mjpeg-emulator.ts';
import type { RenderReply, RenderRequest, RenderWorkerData } from './render-protocol.ts';

const port = parentPort!;
const { mjcf, pose, objectNames, mujocoModule } = (workerData as { data: RenderWorkerData }).data;
const mujoco = await loadMujocoFrom(mujocoModule);
const model = mujoco.MjModel.from_xml_string(mjcf);
const data = new mujoco.MjData(model);
const camera = new BenchCamera(mujoco, model, data, 'overhead', pose, objectNames);

port.on('message', (request: RenderRequest) => {
  try {
    (data.qpos as Float64Array).set(request.qpos);
    data.time = request.timeS;
    mujoco.mj_kinematics(model, data);
    const frame = camera.render(request.widthPx, request.heightPx);
    const jpeg = request.jpegQuality === undefined ? undefined : new Uint8Array(encodeJpeg({ widthPx: request.widthPx, heightPx: request.heightPx, rgb: frame.rgb }, request.jpegQuality));
    const reply: RenderReply = { id: request.id, widthPx: request.widthPx, heightPx: request.heightPx, rgb: frame.rgb, ...(jpeg ? { jpeg } : {}), error: null };
    port.postMessage(reply, [frame.rgb.buffer as ArrayBuffer, ...(jpeg ? [jpeg.buffer as ArrayBuffer] : [])]);
  } catch (error) {
    port.postMessage({ id: request.id, widthPx: 0, heightPx: 0, rgb: new Uint8Array(0), error: (error as Error).message } satisfies RenderReply);
  }
});
port.postMessage({ ready: true });
