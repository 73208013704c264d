/**
 * Clients of a UR controller's TCP interfaces: the dashboard server (one text command, one text
 * reply), the secondary interface (URScript lines out), and RTDE (negotiate protocol 2,
 * subscribe to outputs, receive data packages). What fails is a `DeviceError`: the socket's own
 * errno (`systemDeviceError`), `timeout` when no connection is made in time, `no_response` when
 * the controller does not reply, `wrong_device` when it does not speak the protocol asked for.
 */
import { connect, type Socket } from 'node:net';
import { DeviceError } from '../../../shared/errors.ts';
import { systemDeviceError } from '../system-error.ts';
import { encodeRtde, readField, RtdeSplitter, RtdeType, type RtdePackage } from './rtde-wire.ts';

/** Open a TCP connection with a timeout. */
export function openSocket(host: string, port: number, timeoutMs = 2000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new DeviceError('timeout', `no connection to ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(systemDeviceError(error, `cannot connect to ${host}:${port}: ${error.message}`));
    });
  });
}

/** The dashboard server: commands answered one line each, in order. */
export class DashboardClient {
  private buffered = '';
  private readonly waiting: Array<(line: string) => void> = [];

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('ascii');
    socket.on('data', (chunk: string) => {
      this.buffered += chunk;
      const lines = this.buffered.split('\n');
      this.buffered = lines.pop() ?? '';
      for (const line of lines) this.waiting.shift()?.(line.trim());
    });
    socket.on('error', () => {});
  }

  /** Connect and read the greeting (a server that accepts but never greets is not a dashboard). */
  static async open(host: string, port: number, timeoutMs = 2000): Promise<{ client: DashboardClient; greeting: string }> {
    const client = new DashboardClient(await openSocket(host, port));
    const greeting = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.close();
        reject(new DeviceError('no_response', `${host}:${port} sent no dashboard greeting within ${timeoutMs} ms`));
      }, timeoutMs);
      client.waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
    return { client, greeting };
  }

  /** Send a command and wait for its reply line. */
  command(text: string, timeoutMs = 2000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new DeviceError('no_response', `dashboard: no reply to '${text}' within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
      this.socket.write(`${text}\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

/** One RTDE data package, by output name. */
export type RtdeSample = Readonly<Record<string, number | number[] | boolean>>;

/** RTDE: protocol 2, one output recipe, samples delivered to a listener. */
export class RtdeClient {
  private readonly splitter = new RtdeSplitter();
  private readonly replies: Array<(pkg: RtdePackage) => void> = [];
  private types: string[] = [];
  private names: string[] = [];
  private listener: (sample: RtdeSample) => void = () => {};

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const pkg of this.splitter.push(chunk)) {
        if (pkg.type === RtdeType.dataPackage) this.listener(this.decode(pkg.payload));
        else this.replies.shift()?.(pkg);
      }
    });
    socket.on('error', () => {});
  }

  /** Connect, agree on protocol 2, subscribe to `outputs` at `frequencyHz`, and start. */
  static async open(host: string, port: number, outputs: readonly string[], frequencyHz: number, onSample: (sample: RtdeSample) => void): Promise<RtdeClient> {
    const client = new RtdeClient(await openSocket(host, port));
    const version = Buffer.alloc(2);
    version.writeUInt16BE(2, 0);
    const accepted = await client.request(RtdeType.protocolVersion, version);
    if (accepted.payload.readUInt8(0) !== 1) throw new DeviceError('wrong_device', 'the controller does not accept RTDE protocol 2');
    const setup = Buffer.alloc(8);
    setup.writeDoubleBE(frequencyHz, 0);
    const recipe = await client.request(RtdeType.setupOutputs, Buffer.concat([setup, Buffer.from(outputs.join(','), 'ascii')]));
    const types = recipe.payload.subarray(1).toString('ascii').split(',');
    const unknown = outputs.filter((_, i) => types[i] === 'NOT_FOUND');
    if (unknown.length > 0) throw new DeviceError('wrong_device', `the controller has no RTDE output ${unknown.join(', ')}`);
    client.types = types;
    client.names = [...outputs];
    client.listener = onSample;
    const started = await client.request(RtdeType.start);
    if (started.payload.readUInt8(0) !== 1) throw new DeviceError('refused', 'the controller refused to start RTDE');
    return client;
  }

  /** Be told when the connection drops. */
  onClose(listener: () => void): void {
    this.socket.once('close', listener);
  }

  close(): void {
    this.socket.destroy();
  }

  private request(type: number, payload?: Buffer): Promise<RtdePackage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new DeviceError('no_response', `RTDE: no reply to '${String.fromCharCode(type)}' within 2000 ms`)), 2000);
      this.replies.push((pkg) => {
        clearTimeout(timer);
        resolve(pkg);
      });
      this.socket.write(encodeRtde(type, payload));
    });
  }

  private decode(payload: Buffer): RtdeSample {
    const sample: Record<string, number | number[] | boolean> = {};
    let offset = 1; // recipe id
    this.types.forEach((type, i) => {
      const [value, next] = readField(payload, offset, type);
      sample[this.names[i]!] = value;
      offset = next;
    });
    return sample;
  }
}
