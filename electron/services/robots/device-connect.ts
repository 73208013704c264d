/**
 * Connecting the console's arms (and `caplab run --robot`'s): device ids, the connect calls of
 * `real-robot.ts`, and what their failures mean for the operator as `IpcError`s. The code comes
 * from the failure's device error code (`IPC_CODE_FOR_DEVICE_ERROR`), set by the driver that saw
 * it; the message adds where, and what to check.
 */
import type { z } from 'zod';
import type { ConnectRequest } from '../../../shared/ipc/contract.ts';
import { deviceFailureOf, type DeviceErrorCode } from '../../../shared/errors.ts';
import { IPC_CODE_FOR_DEVICE_ERROR, IpcError, type IpcErrorCode } from '../../../shared/ipc/errors.ts';
import type { UrAddress } from '../../../native/drivers/ur/backend.ts';
import { connectOmx, connectSo101, connectUr5e, type RealRobot } from './real-robot.ts';

type Connect = z.output<typeof ConnectRequest>;

/** `so101:<port>`, `omx:<port>`, `ur5e:<host>` (with the dashboard port when it is not the standard one). */
export function deviceIdOf(request: Connect): string {
  if (request.kind !== 'ur5e') return `${request.kind}:${request.port}`;
  return `ur5e:${request.host}${request.dashboardPort && request.dashboardPort !== 29999 ? `:${request.dashboardPort}` : ''}`;
}

/** Connect an arm on a serial port. */
export async function connectSerial(request: Exclude<Connect, { kind: 'ur5e' }>): Promise<RealRobot> {
  try {
    return request.kind === 'so101' ? await connectSo101(request.port, request.calibrationPath) : await connectOmx(request.port);
  } catch (error) {
    throw openError(request.port, error, request.kind === 'so101' ? 'an SO-101' : 'an OpenMANIPULATOR-X');
  }
}

/**
 * Connect a UR over Ethernet. The console connects to watch (`powerOn` 'first-move': the arm is
 * powered on by the first move of an armed run); `caplab run` powers it on at once.
 */
export async function connectEthernet(request: Extract<Connect, { kind: 'ur5e' }>, powerOn: boolean | 'first-move' = 'first-move'): Promise<RealRobot> {
  const address: UrAddress = {
    host: request.host,
    ...(request.dashboardPort ? { dashboardPort: request.dashboardPort } : {}),
    ...(request.secondaryPort ? { secondaryPort: request.secondaryPort } : {}),
    ...(request.rtdePort ? { rtdePort: request.rtdePort } : {}),
  };
  try {
    return await connectUr5e(address, { powerOn });
  } catch (error) {
    throw connectionError(request.host, error);
  }
}

/** A serial port that failed to open or whose servos did not answer, as an `IpcError`. */
export function openError(port: string, error: unknown, arm = 'an arm'): IpcError {
  return operatorError(error, 'not_available', (device, text) => {
    switch (device) {
      case 'refused':
        return `${port}: ${text} (on Linux, add the user to the dialout group)`;
      case 'not_found':
        return `no serial port ${port}: ${text}`;
      case 'no_response':
      case 'wrong_device':
      case 'timeout':
        return `nothing answers as ${arm} on ${port}: ${text}`;
      default:
        return `${port}: ${text}`;
    }
  });
}

/** A controller on the network that could not be connected, as an `IpcError`. */
export function connectionError(host: string, error: unknown): IpcError {
  return operatorError(error, 'internal', (device, text) => {
    if (device === 'refused') return `${host} refused the connection: ${text} (is it a UR controller, powered, with remote control enabled?)`;
    if (device === 'not_found') return `no host ${host}: ${text}`;
    return `${host}: ${text}`;
  });
}

/**
 * An `IpcError` coded by the error's device failure (`fallback` when it carries none), worded by
 * `describe`; an `IpcError` as it is.
 */
function operatorError(error: unknown, fallback: IpcErrorCode, describe: (device: DeviceErrorCode | null, text: string) => string): IpcError {
  if (error instanceof IpcError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const device = deviceFailureOf(error);
  return new IpcError(device === null ? fallback : IPC_CODE_FOR_DEVICE_ERROR[device], describe(device, text));
}
