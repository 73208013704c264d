/**
 * What a server's metadata may ask for. OpenPI's server sends its policy's metadata dict as the
 * first message of every connection (free-form; often empty). Caplab reads these keys when they
 * are there and keeps the configured value otherwise: `image_size_px` ([width, height]) or
 * `image_size` (one side of a square), `control_hz`, `action_space` (`joint_position` or
 * `joint_velocity`), `action_horizon` (actions to apply per chunk). Anything else is shown, not read.
 */
import { VlaActionSpace, type VlaServer } from './config.ts';

/** The settings one `run_vla` call uses: the configuration with what the server asked for. */
export interface VlaSettings {
  readonly imageSizePx: readonly [number, number];
  readonly controlHz: number;
  readonly actionSpace: VlaServer['actionSpace'];
  /** Actions applied per chunk before asking again (null: all of them). */
  readonly actionsPerChunk: number | null;
}

const whole = (value: unknown, low: number, high: number): number | null =>
  typeof value === 'number' && Number.isInteger(value) && value >= low && value <= high ? value : null;

/** The image size the metadata asks for, or null. */
function askedImageSize(metadata: Readonly<Record<string, unknown>>): [number, number] | null {
  const pair = metadata['image_size_px'];
  if (Array.isArray(pair) && pair.length === 2) {
    const [width, height] = [whole(pair[0], 8, 2048), whole(pair[1], 8, 2048)];
    if (width !== null && height !== null) return [width, height];
  }
  const side = whole(metadata['image_size'], 8, 2048);
  return side === null ? null : [side, side];
}

/** The configuration, overridden by what the server's metadata asks for. */
export function settingsFor(server: VlaServer, metadata: Readonly<Record<string, unknown>>): VlaSettings {
  const hz = metadata['control_hz'];
  const space = VlaActionSpace.safeParse(metadata['action_space']);
  return {
    imageSizePx: askedImageSize(metadata) ?? server.imageSizePx,
    controlHz: typeof hz === 'number' && hz >= 1 && hz <= 500 ? hz : server.controlHz,
    actionSpace: space.success ? space.data : server.actionSpace,
    actionsPerChunk: whole(metadata['action_horizon'], 1, 1000) ?? server.actionsPerChunk ?? null,
  };
}
