/**
 * An emulator of a Universal Robots e-Series controller on loopback TCP, for testing the driver
 * without a robot: the dashboard server (text commands), the secondary interface (URScript:
 * movej, stopj, protective_stop), and RTDE (protocol negotiation, output recipes, data packages
 * at the requested rate up to 500 Hz). Joints move towards movej targets at the commanded speed
 * while the arm is powered, the brakes released and no protective stop is active. Faults for
 * tests: a protective stop, and the cable pulled (every socket dropped).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { ur5ePose } from './kinematics.ts';
import { encodeRtde, RtdeSplitter, RtdeType, writeField } from './rtde-wire.ts';

/** Robot modes (RTDE `robot_mode`). */
export const RobotMode = { powerOff: 3, idle: 5, running: 7 } as const;
/** Safety modes (RTDE `safety_mode`). */
export const SafetyMode = { normal: 1, protectiveStop: 3 } as const;

const ROBOT_MODE_NAMES: Readonly<Record<number, string>> = { 3: 'POWER_OFF', 5: 'IDLE', 7: 'RUNNING' };
const SAFETY_MODE_NAMES: Readonly<Record<number, string>> = { 1: 'NORMAL', 3: 'PROTECTIVE_STOP' };
const TICK_MS = 2;

/** The three service ports. */
export interface UrPorts {
  readonly dashboard: number;
  readonly secondary: number;
  readonly rtde: number;
}

/** One URScript line the controller received, and when (performance.now(), ms). */
export interface ReceivedScript {
  readonly atMs: number;
  readonly line: string;
}

const OUTPUT_TYPES: Readonly<Record<string, string>> = {
  timestamp: 'DOUBLE',
  actual_q: 'VECTOR6D',
  actual_qd: 'VECTOR6D',
  target_q: 'VECTOR6D',
  actual_TCP_pose: 'VECTOR6D',
  robot_mode: 'INT32',
  safety_mode: 'INT32',
  runtime_state: 'UINT32',
  speed_scaling: 'DOUBLE',
  joint_temperatures: 'VECTOR6D',
  actual_current: 'VECTOR6D',
  actual_joint_voltage: 'VECTOR6D',
};

interface Subscriber {
  readonly socket: Socket;
  names: string[];
  everyTicks: number;
  running: boolean;
}

/** The emulated controller. */
export class UrEmulator {
  q: number[];
  qd: number[] = [0, 0, 0, 0, 0, 0];
  robotMode: number = RobotMode.powerOff;
  safetyMode: number = SafetyMode.normal;
  /** Joint temperatures the controller reports, °C (set one to test an overheating joint). */
  jointTemperaturesC: number[] = [31, 33, 32, 29, 28, 28];
  readonly scripts: ReceivedScript[] = [];
  private target: { q: number[]; speedRadS: number } | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly subscribers = new Set<Subscriber>();
  private readonly scriptListeners = new Set<(script: ReceivedScript) => void>();
  private tick = 0;
  private readonly started = performance.now();
  private lastStepMs = this.started; // the arm moves by the time that really passed
  private timer: NodeJS.Timeout;

  private constructor(
    readonly ports: UrPorts,
    private readonly servers: Server[],
    startQ: readonly number[],
  ) {
    this.q = [...startQ];
    this.timer = setInterval(() => this.step(), TICK_MS);
  }

  /** Start the three servers on loopback (port 0: any free port). */
  static async start(options: { startQ?: readonly number[]; ports?: Partial<UrPorts> } = {}): Promise<UrEmulator> {
    // Connections can only arrive after start() returns, when the emulator exists.
    const holder: { emulator?: UrEmulator } = {};
    const handlers = {
      dashboard: (s: Socket) => holder.emulator!.serveDashboard(s),
      secondary: (s: Socket) => holder.emulator!.serveSecondary(s),
      rtde: (s: Socket) => holder.emulator!.serveRtde(s),
    };
    const servers: Server[] = [];
    const ports: Record<string, number> = {};
    for (const name of ['dashboard', 'secondary', 'rtde'] as const) {
      const server = createServer(handlers[name]);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.ports?.[name] ?? 0, '127.0.0.1', () => resolve());
      });
      ports[name] = (server.address() as { port: number }).port;
      servers.push(server);
    }
    holder.emulator = new UrEmulator(ports as unknown as UrPorts, servers, options.startQ ?? [0, -Math.PI / 2, Math.PI / 2, -Math.PI / 2, -Math.PI / 2, 0]);
    return holder.emulator;
  }

  /** Be told of every URScript line as it arrives. */
  onScript(listener: (script: ReceivedScript) => void): () => void {
    this.scriptListeners.add(listener);
    return () => this.scriptListeners.delete(listener);
  }

  /** The controller stops the arm (a collision, a limit): motion ends until unlocked. */
  triggerProtectiveStop(): void {
    this.safetyMode = SafetyMode.protectiveStop;
    this.target = null;
    this.qd = [0, 0, 0, 0, 0, 0];
  }

  /** Pull the network cable: every connection drops and no new one is accepted. */
  async pullCable(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.pullCable();
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
  }

  private step(): void {
    this.tick += 1;
    const dt = (performance.now() - this.lastStepMs) / 1000; // a late timer (load) must not slow the arm
    this.lastStepMs += dt * 1000;
    const moving = this.target !== null && this.robotMode === RobotMode.running && this.safetyMode === SafetyMode.normal;
    if (moving) {
      const { q: goal, speedRadS } = this.target!;
      const remaining = goal.map((g, i) => g - this.q[i]!);
      const largest = Math.max(...remaining.map(Math.abs));
      const scale = largest <= speedRadS * dt ? 1 : (speedRadS * dt) / largest;
      this.qd = remaining.map((r) => (r * scale) / dt);
      this.q = this.q.map((v, i) => v + remaining[i]! * scale);
      if (scale === 1) {
        this.target = null;
        this.qd = [0, 0, 0, 0, 0, 0];
      }
    }
    for (const subscriber of this.subscribers) {
      if (subscriber.running && this.tick % subscriber.everyTicks === 0) this.publish(subscriber);
    }
  }

  private value(name: string): number | number[] {
    switch (name) {
      case 'timestamp':
        return (performance.now() - this.started) / 1000;
      case 'actual_q':
        return this.q;
      case 'target_q':
        return this.target?.q ?? this.q;
      case 'actual_qd':
        return this.qd;
      case 'actual_TCP_pose':
        return [...ur5ePose(this.q).positionM, 0, 0, 0];
      case 'robot_mode':
        return this.robotMode;
      case 'safety_mode':
        return this.safetyMode;
      case 'runtime_state':
        return this.target ? 2 : 1;
      case 'joint_temperatures':
        return this.jointTemperaturesC;
      case 'actual_current':
        // Holding against gravity plus a share for the speed (a rough motor model).
        return this.qd.map((v, i) => (this.robotMode === RobotMode.running ? 0.4 + (i < 3 ? 0.8 : 0.2) + Math.abs(v) * 1.5 : 0));
      case 'actual_joint_voltage':
        return this.q.map(() => (this.robotMode === RobotMode.powerOff ? 0 : 47.8));
      default:
        return 1;
    }
  }

  private publish(subscriber: Subscriber): void {
    const fields = subscriber.names.map((name) => writeField(OUTPUT_TYPES[name]!, this.value(name)));
    subscriber.socket.write(encodeRtde(RtdeType.dataPackage, Buffer.concat([Buffer.from([1]), ...fields])));
  }

  private serveRtde(socket: Socket): void {
    this.track(socket);
    const splitter = new RtdeSplitter();
    const subscriber: Subscriber = { socket, names: [], everyTicks: 1, running: false };
    socket.on('close', () => this.subscribers.delete(subscriber));
    socket.on('data', (chunk: Buffer) => {
      for (const pkg of splitter.push(chunk)) {
        if (pkg.type === RtdeType.protocolVersion) {
          socket.write(encodeRtde(RtdeType.protocolVersion, Buffer.from([pkg.payload.readUInt16BE(0) === 2 ? 1 : 0])));
        } else if (pkg.type === RtdeType.controllerVersion) {
          const version = Buffer.alloc(16);
          [5, 15, 0, 0].forEach((v, i) => version.writeUInt32BE(v, 4 * i));
          socket.write(encodeRtde(RtdeType.controllerVersion, version));
        } else if (pkg.type === RtdeType.setupOutputs) {
          const frequency = pkg.payload.readDoubleBE(0);
          subscriber.names = pkg.payload.subarray(8).toString('ascii').split(',');
          subscriber.everyTicks = Math.max(1, Math.round(1000 / TICK_MS / Math.min(500, frequency)));
          const types = subscriber.names.map((n) => OUTPUT_TYPES[n] ?? 'NOT_FOUND').join(',');
          socket.write(encodeRtde(RtdeType.setupOutputs, Buffer.concat([Buffer.from([1]), Buffer.from(types, 'ascii')])));
          if (types.includes('NOT_FOUND')) subscriber.names = [];
          else this.subscribers.add(subscriber);
        } else if (pkg.type === RtdeType.start || pkg.type === RtdeType.pause) {
          subscriber.running = pkg.type === RtdeType.start && subscriber.names.length > 0;
          socket.write(encodeRtde(pkg.type, Buffer.from([1])));
        }
      }
    });
  }

  private serveSecondary(socket: Socket): void {
    this.track(socket);
    let text = '';
    socket.setEncoding('ascii');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const lines = text.split('\n');
      text = lines.pop() ?? '';
      for (const raw of lines) {
        const script = { atMs: performance.now(), line: raw.trim() };
        this.scripts.push(script);
        for (const listener of this.scriptListeners) listener(script);
        this.execute(script.line);
      }
    });
  }

  private execute(line: string): void {
    // movej moves at v; servoj (run_vla's streaming) gets to its target in t.
    const move = /^(movej|servoj)\(\[([^\]]*)\](.*)$/.exec(line);
    if (move) {
      const q = move[2]!.split(',').map(Number);
      const option = (name: string): number | null => Number(new RegExp(`\\b${name}\\s*=\\s*([\\d.]+)`).exec(move[3]!)?.[1] ?? Number.NaN) || null;
      const speedRadS = move[1] === 'servoj' ? Math.max(1e-3, ...q.map((v, i) => Math.abs(v - this.q[i]!))) / (option('t') ?? 0.008) : (option('v') ?? 1.05);
      if (q.length === 6 && q.every(Number.isFinite) && this.safetyMode === SafetyMode.normal && this.robotMode === RobotMode.running) this.target = { q, speedRadS };
      return;
    }
    if (/^stopj\(/.test(line)) {
      this.target = null;
      this.qd = [0, 0, 0, 0, 0, 0];
    } else if (/^protective_stop\(/.test(line)) {
      this.triggerProtectiveStop();
    }
  }

  private serveDashboard(socket: Socket): void {
    this.track(socket);
    socket.setEncoding('ascii');
    socket.write('Connected: Universal Robots Dashboard Server\n');
    let text = '';
    socket.on('data', (chunk: string) => {
      text += chunk;
      const lines = text.split('\n');
      text = lines.pop() ?? '';
      for (const command of lines) socket.write(`${this.dashboard(command.trim())}\n`);
    });
  }

  private dashboard(command: string): string {
    switch (command) {
      case 'power on':
        if (this.robotMode === RobotMode.powerOff) this.robotMode = RobotMode.idle;
        return 'Powering on';
      case 'power off':
        this.robotMode = RobotMode.powerOff;
        this.target = null;
        return 'Powering off';
      case 'brake release':
        if (this.robotMode === RobotMode.idle) this.robotMode = RobotMode.running;
        return 'Brake releasing';
      case 'robotmode':
        return `Robotmode: ${ROBOT_MODE_NAMES[this.robotMode] ?? 'UNKNOWN'}`;
      case 'safetymode':
        return `Safetymode: ${SAFETY_MODE_NAMES[this.safetyMode] ?? 'UNKNOWN'}`;
      case 'unlock protective stop':
        if (this.safetyMode !== SafetyMode.protectiveStop) return 'No protective stop to unlock';
        this.safetyMode = SafetyMode.normal;
        return 'Protective stop releasing';
      case 'stop':
        this.target = null;
        return 'Stopped';
      default:
        return `could not understand: '${command}'`;
    }
  }
}
