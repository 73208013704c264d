/**
 * Connecting the console's arms: device ids, the connect calls of `real-robot.ts`, and what their
 * failures mean for the operator as `IpcError` codes (not_found, no_response, refused).
 */
import type { z } from 'zod';
import type { ConnectRequest } from '../../../shared/ipc/contract.ts';
import { IpcError } from '../../../shared/ipc/errors.ts';
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

/** Connect a UR over Ethernet. */
export async function connectEthernet(request: Extract<Connect, { kind: 'ur5e' }>): Promise<RealRobot> {
  const address: UrAddress = {
    host: request.host,
    ...(request.dashboardPort ? { dashboardPort: request.dashboardPort } : {}),
    ...(request.secondaryPort ? { secondaryPort: request.secondaryPort } : {}),
    ...(request.rtdePort ? { rtdePort: request.rtdePort } : {}),
  };
  try {
    // Connecting is to watch: the arm is powered on by the first move of an armed run.
    return await connectUr5e(address, { powerOn: 'first-move' });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (/ECONNREFUSED/.test(text)) throw new IpcError('refused', `${request.host} refused the connection: ${text} (is it a UR controller, powered, with remote control enabled?)`);
    if (/ENOTFOUND|EAI_AGAIN/.test(text)) throw new IpcError('not_found', `no host ${request.host}: ${text}`);
    if (/EHOSTUNREACH|ENETUNREACH|within|timed out|does not look like/.test(text)) throw new IpcError('no_response', `${request.host}: ${text}`);
    throw new IpcError('internal', `${request.host}: ${text}`);
  }
}

/** A serial port that failed to open or whose servos did not answer, as an `IpcError`. */
export function openError(port: string, error: unknown, arm = 'an arm'): IpcError {
  if (error instanceof IpcError) return error;
  const text = error instanceof Error ? error.message : String(error);
  if (/EACCES|[Pp]ermission denied/.test(text)) return new IpcError('refused', `${port}: ${text} (on Linux, add the user to the dialout group)`);
  if (/ENOENT|No such file/.test(text)) return new IpcError('not_found', `no serial port ${port}: ${text}`);
  if (/do not answer|no reply|reports model/.test(text)) return new IpcError('no_response', `nothing answers as ${arm} on ${port}: ${text}`);
  return new IpcError('not_available', `${port}: ${text}`);
}
