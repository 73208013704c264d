/**
 * The live Foxglove bridge: a Foxglove WebSocket server (`@foxglove/ws-protocol`'s FoxgloveServer
 * over the `ws` package) on loopback, advertising the channels of an MCAP export (`topics.ts`) and
 * publishing what the console pushes while a run goes on — joint telemetry as
 * `sensor_msgs/JointState`, the twin's body poses as `foxglove.FrameTransform`, its scene as
 * `foxglove.SceneUpdate`, the policy's trace and output as `foxglove.Log`, the twin's camera views
 * (drawn as the MCAP export draws them) and network-camera JPEGs as `foxglove.CompressedImage`. It takes the console's pushes only while some client subscribes
 * (the console encodes telemetry and camera frames only for someone watching).
 */
// CommonJS whose named exports Node cannot see (getters): take them from the module object.
import wsProtocol from '@foxglove/ws-protocol';
import { WebSocketServer } from 'ws';
import type { z } from 'zod';
import { EVENTS, type NetworkCameraFrame, type TwinPoses, type TwinScene } from '../../../shared/ipc/contract.ts';
import type { EventSink } from '../../../shared/ipc/dispatch.ts';
import type { PolicyEvent } from '../../../shared/run.ts';
import type { TelemetrySeries } from '../../../shared/telemetry.ts';
import { encodePng } from '../../../native/sim/png.ts';
import { renderTwinView } from './twin-render.ts';
import { MESSAGE_ENCODING, SCHEMA_ENCODING, TOPICS, cameraTransforms, compressedImageMessage, frameTransforms, imageTopic, jointStateMessage, logMessage, sceneUpdateMessage, stampOf, type TopicSpec } from './topics.ts';

type Scene = z.input<typeof TwinScene>;
const { FoxgloveServer } = wsProtocol;
type FoxgloveServer = InstanceType<typeof FoxgloveServer>;

/** How to start the bridge. */
export interface FoxgloveBridgeOptions {
  /** TCP port on 127.0.0.1 (0: any free one). */
  readonly port: number;
  /** Start taking the console's pushes; returns the function that stops it. */
  readonly addSink: (sink: EventSink) => () => void;
  /** The scene the twin shows now (sent to a client that subscribes between runs). */
  readonly currentScene: () => Scene | null;
}

const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

/** Twin camera images while a client watches one: at most 5 a second per camera, 160 × 120 (about 3 ms each, on the main thread). */
const TWIN_IMAGE_INTERVAL_MS = 200;
const TWIN_IMAGE_SIZE = { widthPx: 160, heightPx: 120 } as const;
const encoder = new TextEncoder();

/** A running bridge. */
export class FoxgloveBridge {
  private readonly channels = new Map<string, number>();
  private readonly subscribed = new Set<number>();
  private detach: (() => void) | null = null;
  private scene: Scene | null = null;
  private programName = 'policy';
  private readonly imageDrawnAtMs = new Map<string, number>();

  private constructor(
    private readonly server: FoxgloveServer,
    private readonly sockets: WebSocketServer,
    readonly port: number,
    private readonly options: FoxgloveBridgeOptions,
  ) {
    for (const topic of Object.values(TOPICS)) this.advertise(topic);
    server.on('subscribe', (channel) => this.onSubscribe(channel));
    server.on('unsubscribe', (channel) => this.onUnsubscribe(channel));
    server.on('error', () => {}); // a client's protocol error concerns that client only
  }

  /** Listen on loopback; resolves once listening. */
  static async start(options: FoxgloveBridgeOptions): Promise<FoxgloveBridge> {
    const server = new FoxgloveServer({ name: 'caplab', capabilities: [], supportedEncodings: [MESSAGE_ENCODING] });
    const sockets = new WebSocketServer({ host: '127.0.0.1', port: options.port, handleProtocols: (protocols) => server.handleProtocols(protocols) });
    await new Promise<void>((resolve, reject) => {
      sockets.once('listening', resolve);
      sockets.once('error', reject);
    });
    sockets.on('connection', (socket, request) => server.handleConnection(socket, `${request.socket.remoteAddress ?? '?'}:${request.socket.remotePort ?? '?'}`));
    const address = sockets.address();
    return new FoxgloveBridge(server, sockets, typeof address === 'object' && address ? address.port : options.port, options);
  }

  /** Clients connected now. */
  get clients(): number {
    return this.sockets.clients.size;
  }

  /** The URL Foxglove and Lichtblick open ("Foxglove WebSocket" connection). */
  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  private advertise(topic: TopicSpec): number {
    let id = this.channels.get(topic.topic);
    if (id === undefined) {
      id = this.server.addChannel({ topic: topic.topic, encoding: MESSAGE_ENCODING, schemaName: topic.schemaName, schema: topic.schema, schemaEncoding: SCHEMA_ENCODING });
      this.channels.set(topic.topic, id);
    }
    return id;
  }

  private onSubscribe(channel: number): void {
    this.subscribed.add(channel);
    this.detach ??= this.options.addSink((descriptor, payload) => this.onPush(descriptor.channel, payload));
    const scene = this.scene ?? this.options.currentScene();
    if (scene && (channel === this.channels.get(TOPICS.scene.topic) || channel === this.channels.get(TOPICS.transforms.topic))) this.publishScene(scene);
  }

  private onUnsubscribe(channel: number): void {
    this.subscribed.delete(channel);
    if (this.subscribed.size > 0) return;
    this.detach?.();
    this.detach = null;
  }

  private send(topic: TopicSpec, message: object, timeNs = nowNs()): void {
    const id = this.advertise(topic);
    if (this.subscribed.has(id)) this.server.sendMessage(id, timeNs, encoder.encode(JSON.stringify(message)));
  }

  private publishScene(scene: Scene): void {
    this.scene = scene;
    for (const camera of scene.cameras) this.advertise(imageTopic(camera.name));
    const stamp = stampOf(nowNs());
    this.send(TOPICS.scene, sceneUpdateMessage(scene, stamp));
    for (const transform of cameraTransforms(scene, stamp)) this.send(TOPICS.transforms, transform);
  }

  /** One console push. */
  private onPush(channel: string, payload: unknown): void {
    const stamp = stampOf(nowNs());
    if (channel === EVENTS.twin.loaded.channel) return this.publishScene(payload as Scene);
    if (channel === EVENTS.twin.poses.channel) {
      const poses = payload as z.input<typeof TwinPoses>;
      if (!this.scene || poses.sceneId !== this.scene.sceneId) return;
      for (const transform of frameTransforms(this.scene, poses.poses, stamp)) this.send(TOPICS.transforms, transform);
      this.drawTwinImages(this.scene, poses.poses, stamp);
      return;
    }
    if (channel === EVENTS.telemetry.samples.channel) {
      const series = payload as TelemetrySeries;
      const several = (this.scene?.arms.length ?? 1) > 1;
      const names = series.jointNames.map((name) => (several ? `${series.arm}/${name}` : name));
      for (const sample of series.samples) this.send(TOPICS.jointStates, jointStateMessage(names, sample, stamp));
      return;
    }
    if (channel === EVENTS.runs.status.channel) {
      this.programName = `run ${(payload as { runId: number }).runId}`;
      return;
    }
    if (channel === EVENTS.trace.event.channel) {
      const log = logMessage((payload as { event: PolicyEvent }).event, this.programName, stamp);
      if (log) this.send(TOPICS[log.topic], log.message);
      return;
    }
    if (channel === EVENTS.cameras.frame.channel) {
      const frame = payload as z.input<typeof NetworkCameraFrame>;
      const jpeg = Buffer.from(frame.jpegDataUrl.slice(frame.jpegDataUrl.indexOf(',') + 1), 'base64');
      this.send(imageTopic(frame.name), compressedImageMessage(frame.name, jpeg, 'jpeg', stamp));
    }
  }

  /** The twin's camera views (drawn as an MCAP export draws them) for the cameras a client watches, at most every 200 ms each. */
  private drawTwinImages(scene: Scene, poses: readonly number[], stamp: { sec: number; nsec: number }): void {
    const now = Date.now();
    for (const camera of scene.cameras) {
      const topic = imageTopic(camera.name);
      if (!this.subscribed.has(this.advertise(topic)) || now - (this.imageDrawnAtMs.get(camera.name) ?? 0) < TWIN_IMAGE_INTERVAL_MS) continue;
      this.imageDrawnAtMs.set(camera.name, now);
      const rgb = renderTwinView(scene, poses, camera, TWIN_IMAGE_SIZE.widthPx, TWIN_IMAGE_SIZE.heightPx);
      this.send(topic, compressedImageMessage(camera.name, encodePng(rgb, TWIN_IMAGE_SIZE.widthPx, TWIN_IMAGE_SIZE.heightPx, 3), 'png', stamp));
    }
  }

  /** Close every client and the listening socket. */
  async close(): Promise<void> {
    this.detach?.();
    this.detach = null;
    for (const client of this.sockets.clients) client.terminate();
    await new Promise<void>((resolve) => this.sockets.close(() => resolve()));
  }
}
