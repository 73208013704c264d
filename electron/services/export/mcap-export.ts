/**
 * A run as an MCAP file (the official `@mcap/core` writer, chunked and indexed, JSON messages):
 * joint states, body transforms, the scene, the policy's trace and output, and camera images, on
 * the channels `topics.ts` declares. Messages are written in time order; log time = publish time
 * = the run's start plus the event's `tMs`.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { McapWriter, type IWritable } from '@mcap/core';
import { MESSAGE_ENCODING, SCHEMA_ENCODING, TOPICS, cameraTransforms, compressedImageMessage, frameTransforms, imageTopic, jointStateMessage, jointStateNames, logMessage, sceneUpdateMessage, stampOf, timeAt, type TopicSpec } from './topics.ts';
import type { CameraImageFrame, RunExportData } from './run-data.ts';
import { renderTwinImages } from './twin-render.ts';

/** One message before it is written: topic, time and JSON body. */
export interface TimedMessage {
  readonly topic: TopicSpec;
  readonly timeNs: bigint;
  readonly message: object;
}

/** Camera images in an MCAP: drawn from the twin recording at `hz` (none: `hz` 0). */
export interface McapImageOptions {
  readonly hz: number;
  readonly widthPx: number;
  readonly heightPx: number;
}

/** The default: 10 images a second per camera, 160 × 120. */
export const MCAP_IMAGES: McapImageOptions = { hz: 10, widthPx: 160, heightPx: 120 };

/** The run's own images, or ones drawn from its twin recording at `hz`. */
function imagesOf(data: RunExportData, options: McapImageOptions): readonly CameraImageFrame[] {
  if (data.images.length > 0 || options.hz <= 0) return data.images;
  const last = data.recording.frames.at(-1)?.tMs ?? 0;
  const times = Array.from({ length: Math.floor((last * options.hz) / 1000) + 1 }, (_, i) => (i * 1000) / options.hz);
  return renderTwinImages(data.recording, { clock: 'tMs', times, widthPx: options.widthPx, heightPx: options.heightPx });
}

/** Every message of a run, in time order (a stable sort keeps each topic's own order). */
export function runMessages(data: RunExportData, images: McapImageOptions = MCAP_IMAGES): TimedMessage[] {
  const messages: TimedMessage[] = [];
  const at = (tMs: number) => timeAt(data.startNs, tMs);
  const names = jointStateNames(data.telemetry);
  data.telemetry.forEach((series, i) => {
    for (const sample of series.samples) {
      messages.push({ topic: TOPICS.jointStates, timeNs: at(sample.tMs), message: jointStateMessage(names[i]!, sample, stampOf(at(sample.tMs))) });
    }
  });
  const scene = data.recording.scene;
  if (scene) {
    messages.push({ topic: TOPICS.scene, timeNs: at(0), message: sceneUpdateMessage(scene, stampOf(at(0))) });
    for (const transform of cameraTransforms(scene, stampOf(at(0)))) messages.push({ topic: TOPICS.transforms, timeNs: at(0), message: transform });
    for (const frame of data.recording.frames) {
      for (const transform of frameTransforms(scene, frame.poses, stampOf(at(frame.tMs)))) messages.push({ topic: TOPICS.transforms, timeNs: at(frame.tMs), message: transform });
    }
  }
  for (const event of data.run.events) {
    const log = logMessage(event, data.run.programName, stampOf(at(event.tMs)));
    if (log) messages.push({ topic: TOPICS[log.topic], timeNs: at(event.tMs), message: log.message });
  }
  for (const image of imagesOf(data, images)) {
    messages.push({ topic: imageTopic(image.camera), timeNs: at(image.tMs), message: compressedImageMessage(image.camera, image.png, 'png', stampOf(at(image.tMs))) });
  }
  return messages.sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0));
}

/** Writes to an open file, keeping the position MCAP's index needs. */
class FileWritable implements IWritable {
  private offset = 0n;
  constructor(private readonly file: Awaited<ReturnType<typeof open>>) {}
  async write(buffer: Uint8Array): Promise<void> {
    await this.file.write(buffer);
    this.offset += BigInt(buffer.byteLength);
  }
  position(): bigint {
    return this.offset;
  }
}

/** Counts of what was written, per topic. */
export interface McapSummary {
  readonly path: string;
  readonly messages: number;
  readonly topics: Readonly<Record<string, number>>;
}

/** Write the messages through an MCAP writer (one schema and channel per topic; camera topics registered on first use). */
async function writeMessages(writer: McapWriter, messages: readonly TimedMessage[]): Promise<Record<string, number>> {
  const channels = new Map<string, number>();
  const counts: Record<string, number> = {};
  const encoder = new TextEncoder();
  const register = async (topic: TopicSpec): Promise<number> => {
    const schemaId = await writer.registerSchema({ name: topic.schemaName, encoding: SCHEMA_ENCODING, data: encoder.encode(topic.schema) });
    const channelId = await writer.registerChannel({ topic: topic.topic, schemaId, messageEncoding: MESSAGE_ENCODING, metadata: new Map() });
    channels.set(topic.topic, channelId);
    return channelId;
  };
  // The fixed channels are in every file, with or without messages (a run with no telemetry still says where joint states would be).
  for (const topic of Object.values(TOPICS)) await register(topic);
  let sequence = 0;
  for (const { topic, timeNs, message } of messages) {
    const channelId = channels.get(topic.topic) ?? (await register(topic));
    await writer.addMessage({ channelId, sequence: sequence++, logTime: timeNs, publishTime: timeNs, data: encoder.encode(JSON.stringify(message)) });
    counts[topic.topic] = (counts[topic.topic] ?? 0) + 1;
  }
  return counts;
}

/** Write a run's MCAP to `path` (through a temporary file, so a failed export leaves no half file). */
export async function exportMcap(data: RunExportData, path: string, images: McapImageOptions = MCAP_IMAGES): Promise<McapSummary> {
  const messages = runMessages(data, images);
  const partial = `${path}.partial`;
  await mkdir(dirname(path), { recursive: true });
  const file = await open(partial, 'w');
  try {
    const writer = new McapWriter({ writable: new FileWritable(file) });
    await writer.start({ profile: '', library: 'caplab' });
    const topics = await writeMessages(writer, messages);
    const { run } = data;
    const metadata: [string, string][] = [
      ['run', String(run.id)],
      ['task', run.task],
      ['tier', run.tier],
      ['robot', run.robot],
      ['agent', run.agent],
      ['seed', String(run.seed)],
      ['status', run.status],
      ['reason', run.reason ?? ''],
      ['program_name', run.programName],
      ['program_source', run.programSource],
      ['camera_images', data.images.length > 0 ? 'recorded' : 'drawn from the twin recording (its geoms, flat-shaded), not camera frames'],
    ];
    await writer.addMetadata({ name: 'caplab.run', metadata: new Map(metadata) });
    await writer.end();
    await file.close();
    await rename(partial, path);
    return { path, messages: messages.length, topics };
  } catch (error) {
    await file.close().catch(() => {});
    await rm(partial, { force: true });
    throw error;
  }
}
