/**
 * The byte transport under a serial driver or a device emulator: a real serial port, or an
 * in-memory cable (for the digital twin, which runs the same driver against the device
 * emulator in the same process, and for machines without socat). `serialport`'s `SerialPort`
 * fits this interface as it is.
 */
import { EventEmitter } from 'node:events';
import { access, constants } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { DeviceError } from '../../shared/errors.ts';
import { systemDeviceError } from './system-error.ts';

/** What drivers and emulators need from a transport. */
export interface ByteLink {
  readonly isOpen: boolean;
  write(data: Buffer, callback?: (error: Error | null | undefined) => void): unknown;
  close(callback?: (error?: Error | null) => void): void;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * Open a serial device; a `DeviceError` when it does not open. serialport says why only in
 * words, so a failed open asks the file system about the path: Node's `ENOENT` (`not_found`) or
 * `EACCES` (`refused`: on Linux, the user is not in the dialout group); a path that is there and
 * may be opened but still fails (not a tty, locked by another program) is `io`.
 */
export async function openSerialLink(path: string, baudRate = 1_000_000): Promise<ByteLink> {
  try {
    return await new Promise<SerialPort>((resolve, reject) => {
      const port = new SerialPort({ path, baudRate }, (error) => (error ? reject(error) : resolve(port)));
    });
  } catch (error) {
    const message = `cannot open ${path}: ${(error as Error).message}`;
    const refusal = await access(path, constants.R_OK | constants.W_OK).then(
      () => null,
      (accessError: unknown) => accessError,
    );
    throw refusal === null ? new DeviceError('io', message, { cause: error }) : systemDeviceError(refusal, message);
  }
}

class MemoryEnd extends EventEmitter implements ByteLink {
  peer: MemoryEnd | null = null;
  private open = true;

  get isOpen(): boolean {
    return this.open;
  }

  write(data: Buffer, callback?: (error: Error | null | undefined) => void): boolean {
    if (!this.open) {
      callback?.(new Error('the link is closed'));
      return false;
    }
    const copy = Buffer.from(data);
    const peer = this.peer;
    // Delivered on a later turn of the event loop, as bytes from a device would be.
    setImmediate(() => peer?.open && peer.emit('data', copy));
    if (callback) setImmediate(() => callback(null));
    return true;
  }

  close(callback?: (error?: Error | null) => void): void {
    for (const end of [this, this.peer]) {
      if (end?.open) {
        end.open = false;
        setImmediate(() => end.emit('close'));
      }
    }
    if (callback) setImmediate(() => callback(null));
  }
}

/** Two ends of an in-memory cable. */
export function memoryLinkPair(): [ByteLink, ByteLink] {
  const a = new MemoryEnd();
  const b = new MemoryEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
