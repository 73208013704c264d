/**
 * Entry of a simulator worker thread: owns one MuJoCo workcell and serves `SimRequest`s one at a
 * time. Started by `SimBackend` through `startTsWorker`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toWireError } from '../../shared/errors.ts';
import { HALT_INDEX, type SimReady, type SimReply, type SimRequest, type SimWorkerData } from './protocol.ts';
import { createFrameRing } from './frame-ring.ts';
import { createPoseBuffer } from './pose-buffer.ts';
import { describeTwinBodies } from './twin-bodies.ts';
import { TwinPublisher } from './twin-publisher.ts';
import { TelemetrySampler } from './telemetry-sampler.ts';
import { loadMujocoFrom } from './mujoco-module.ts';
import { PandaWorkcell } from './workcell.ts';
import { CameraViewer } from './camera-view.ts';
import type { Frame } from './camera.ts';

const port = parentPort!;
const { task, haltBuffer, mujocoModule } = (workerData as { data: SimWorkerData }).data;
const halt = new Int32Array(haltBuffer);
/** Made on the first camera view (a bench that never judges by camera spends nothing on it). */
let viewer: CameraViewer | null = null;

function serve(workcell: PandaWorkcell, publisher: TwinPublisher, sampler: TelemetrySampler, request: SimRequest): unknown {
  if (request.op === 'cameraView') {
    viewer ??= new CameraViewer(workcell.cameras, workcell.scene, workcell.arms);
    return viewer.view();
  }
  switch (request.op) {
    case 'reset':
      workcell.useGrounding(request.grounding);
      workcell.reset(request.seed);
      return null;
    case 'rebuild':
      workcell.useGrounding(request.grounding);
      workcell.rebuild(request.seed, request.poses);
      return null;
    case 'render':
      return workcell.renderForDisplay(request.camera, request.widthPx, request.heightPx);
    case 'call':
      return workcell.call(request.call);
    case 'state':
      return workcell.state();
    case 'evaluate':
      return workcell.evaluate();
    case 'stepsPerSecond':
      return workcell.stepsPerSecond(request.steps);
    case 'physicsStats':
      return workcell.physics.stats();
    case 'publish':
      publisher.setPublishing(request.on);
      return null;
    case 'telemetry':
      sampler.setSampling(request.on);
      return null;
  }
}

/** A rendered frame's images are made for this reply: hand their memory over instead of copying 2.7 MB. */
function frameBuffers(frame: Frame): ArrayBuffer[] {
  return [frame.rgb, frame.depthM, frame.segmentation].map((image) => image.buffer as ArrayBuffer);
}

try {
  const mujoco = await loadMujocoFrom(mujocoModule);
  // The publisher needs the workcell's arms and the workcell needs the publisher: hand it over late.
  let publisher: TwinPublisher | null = null;
  let sampler: TelemetrySampler | null = null;
  const workcell = PandaWorkcell.create(mujoco, task, { isHalted: () => Atomics.load(halt, HALT_INDEX) === 1 }, {
    afterStep: () => {
      sampler?.afterStep();
      publisher?.afterStep();
    },
  });
  const arms = workcell.arms.map((arm) => arm.name);
  const { bodies, bodyIds } = describeTwinBodies(mujoco, workcell.model, arms, workcell.scene.objects.map((o) => o.name));
  // Nobody watches until the console's twin asks (a bench never does): no frames until then.
  const poseBuffer = createPoseBuffer(bodies.length, arms.length, { publishing: false });
  const frameRing = createFrameRing(bodies.length);
  const twinPublisher = new TwinPublisher(poseBuffer, frameRing, workcell.data, workcell.model.opt.timestep, bodyIds, workcell.arms);
  publisher = twinPublisher;
  const telemetry = new TelemetrySampler(workcell.arms, () => workcell.data.time, workcell.model.opt.timestep);
  sampler = telemetry;
  port.on('message', (request: SimRequest) => {
    let reply: SimReply;
    const resets = request.op === 'reset' || request.op === 'rebuild';
    try {
      const value = resets ? twinPublisher.settling(() => serve(workcell, twinPublisher, telemetry, request)) : serve(workcell, twinPublisher, telemetry, request);
      reply = { id: request.id, ok: true, value };
    } catch (error) {
      reply = { id: request.id, ok: false, error: toWireError(error) };
    }
    twinPublisher.flush();
    port.postMessage(reply, reply.ok && request.op === 'render' ? frameBuffers(reply.value as Frame) : []);
  });
  port.once('close', () => workcell.dispose());
  const ready: SimReady = { bodies, arms, cameraNames: workcell.cameras.names(), poseBuffer, frameRing, telemetry: telemetry.layout };
  port.postMessage({ id: 0, ok: true, value: ready } satisfies SimReply);
} catch (error) {
  port.postMessage({ id: 0, ok: false, error: toWireError(error) } satisfies SimReply);
}
