/**
 * What every real-arm run of `caplab run` shares (a program's, an agent's): connecting the arm
 * with the console's connect calls, the operator's approval after a rehearsal, and safety-log
 * writes that must not hold a stop up.
 */
import type { UrAddress } from '../../native/drivers/ur/backend.ts';
import { connectEthernet, connectSerial } from '../services/robots/device-connect.ts';
import type { RealRobot } from '../services/robots/real-robot.ts';
import { askYesNo, type CliIo, parseWholeNumber, UsageError } from './args.ts';

/** The options that name the arm and how to approve. */
export interface RealArmOptions {
  port?: string;
  host?: string;
  'ur-ports'?: string;
  calibration?: string;
  approve?: boolean;
}

/** Log what happens anyway (a Ctrl-C): a store that cannot take it must not hold the stop up. */
export function logQuietly(write: () => void): void {
  try {
    write();
  } catch {
    // The stop goes ahead; a full store is told when the run ends.
  }
}

/**
 * The operator's approval after a rehearsal that succeeded: `--approve` given up front, else asked
 * on the terminal; with neither, the real arm does not move. The answer goes in the safety log (`log`).
 */
export async function approveRehearsal(options: RealArmOptions, io: CliIo, signal: AbortSignal, log?: (action: 'approve' | 'decline', reason: string) => void): Promise<boolean> {
  if (options.approve) {
    io.out.write('approved (--approve): now on the real arm\n');
    log?.('approve', 'approved up front (--approve) after a rehearsal that succeeded');
    return true;
  }
  const answer = await askYesNo(io, 'the rehearsal succeeded: move the real arm now? [y/N] ', signal);
  if (answer === null) throw new Error('a real arm moves after the operator approves its rehearsal: answer on a terminal, or pass --approve');
  if (answer) io.out.write('approved: now on the real arm\n');
  log?.(answer ? 'approve' : 'decline', `the operator ${answer ? 'approved' : 'declined'} moving the real arm after its rehearsal (on the terminal)`);
  return answer;
}

/** Connect the arm with the console's connect calls, so a port or host that fails is told as the console tells it. */
export function connectArm(robotName: string, options: RealArmOptions): Promise<RealRobot> {
  if (robotName === 'so101') return connectSerial({ kind: 'so101', port: options.port!, ...(options.calibration ? { calibrationPath: options.calibration } : {}) });
  if (robotName === 'omx') return connectSerial({ kind: 'omx', port: options.port! });
  return connectEthernet({ kind: 'ur5e', ...parseUrAddress(options.host!, options['ur-ports']) }, true);
}

/** `--host H` with optional `--ur-ports DASHBOARD,SECONDARY,RTDE` (defaults 29999, 30002, 30004). */
function parseUrAddress(host: string, ports: string | undefined): UrAddress {
  if (!ports) return { host };
  const values = ports.split(',').map((p) => parseWholeNumber('ur-ports', p.trim(), 0, 1, 65535));
  if (values.length !== 3) throw new UsageError(`--ur-ports ${ports}: expected DASHBOARD,SECONDARY,RTDE`);
  return { host, dashboardPort: values[0]!, secondaryPort: values[1]!, rtdePort: values[2]! };
}
