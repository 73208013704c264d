/**
 * A virtual serial cable: a socat pty pair. One end is given to a driver, the other to a device
 * emulator; bytes cross through the kernel's tty layer as they would through a USB adapter.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** Both ends of the cable and how to cut it. */
export interface VirtualSerialPair {
  readonly hostPath: string;
  readonly devicePath: string;
  close(): Promise<void>;
}

/** Start socat and resolve with the two pty paths once it is relaying. */
export function openVirtualSerialPair(timeoutMs = 5000): Promise<VirtualSerialPair> {
  return new Promise((resolve, reject) => {
    let socat: ChildProcess;
    try {
      socat = spawn('socat', ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      reject(error as Error);
      return;
    }
    const paths: string[] = [];
    let log = '';
    const timer = setTimeout(() => {
      socat.kill();
      reject(new Error(`socat did not open a pty pair within ${timeoutMs} ms: ${log.trim()}`));
    }, timeoutMs);
    socat.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start socat (apt-get install socat): ${error.message}`));
    });
    socat.stderr!.setEncoding('utf8');
    socat.stderr!.on('data', (text: string) => {
      log += text;
      for (const match of text.matchAll(/PTY is (\S+)/g)) paths.push(match[1]!);
      if (paths.length === 2 && log.includes('starting data transfer loop')) {
        clearTimeout(timer);
        resolve({
          hostPath: paths[0]!,
          devicePath: paths[1]!,
          close: () =>
            new Promise<void>((done) => {
              if (socat.exitCode !== null) return done();
              socat.once('exit', () => done());
              socat.kill();
            }),
        });
      }
    });
  });
}
