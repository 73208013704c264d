/**
 * The observation a policy server gets, from the robot: the joint angles and the gripper
 * (through `get_observation`, supervised like any call), the configured cameras' images at the
 * size the server asked for (rendered by the backend's `cameras` capability), and the instruction.
 */
import { ApiError } from '../../../shared/errors.ts';
import type { VlaServer } from '../../../shared/vla/config.ts';
import type { VlaSettings } from '../../../shared/vla/metadata.ts';
import { NdArray } from '../../../shared/vla/ndarray.ts';
import type { VlaObservation } from '../../../native/vla/client.ts';
import type { HostCallContext } from '../supervision/host-calls.ts';

/** What the robot reported with the observation. */
export interface RobotReading {
  readonly qRad: readonly number[];
  readonly timeS: number;
  readonly observation: VlaObservation;
}

/** The camera a configured name means for `arm` (`{arm}_wrist` → `left_wrist`). */
export const cameraFor = (name: string, arm: string): string => name.replaceAll('{arm}', arm);

/** Refuse a server whose cameras the robot does not have, before anything moves. */
export function checkCameras(server: VlaServer, context: HostCallContext, arm: string): void {
  const names = context.backend.cameras?.names() ?? [];
  for (const { camera } of server.cameras) {
    const wanted = cameraFor(camera, arm);
    if (!names.includes(wanted)) {
      throw new ApiError(
        'backend_error',
        `run_vla(): policy server '${server.name}' is configured with camera '${wanted}', which this robot does not have (${names.length > 0 ? `it has ${names.join(', ')}` : 'it has no cameras'}); change the server's cameras in the settings`,
        { function: 'run_vla' },
      );
    }
  }
}

/** Read the robot and the cameras into the server's observation keys. */
export async function observe(server: VlaServer, settings: VlaSettings, context: HostCallContext, arm: string, instruction: string): Promise<RobotReading> {
  const state = (await context.invoke({ fn: 'get_observation', args: [], kwargs: { arm } })) as { q_rad: number[]; gripper_width_m: number; time_s: number };
  const openingM = context.backend.kinematics?.gripperOpeningM(arm) ?? 0;
  // An arm without a gripper (the UR as configured) reports it open.
  const closure = openingM > 0 ? Math.min(1, Math.max(0, 1 - state.gripper_width_m / openingM)) : 0;
  const [widthPx, heightPx] = settings.imageSizePx;
  const images = await Promise.all(
    server.cameras.map(async ({ camera, key }) => {
      const frame = await context.backend.cameras!.render(cameraFor(camera, arm), widthPx, heightPx);
      return [key, NdArray.rgb(frame.rgb, widthPx, heightPx)] as const;
    }),
  );
  const observation: VlaObservation = {
    ...Object.fromEntries(images),
    [server.jointsKey]: NdArray.float32(state.q_rad),
    [server.gripperKey]: NdArray.float32([closure]),
    [server.promptKey]: instruction,
  };
  return { qRad: state.q_rad, timeS: state.time_s, observation };
}
