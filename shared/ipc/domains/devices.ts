/**
 * `devices`: the real arms the console can reach — serial ports found on this machine (plus the
 * ones the operator typed), a probe of what servos answer on a port, connect and disconnect an
 * SO-101 or an OpenMANIPULATOR-X (serial) or a UR5e (Ethernet, by host), and the health of every connected arm: read on
 * request (`readHealth`) and pushed about once a second (`health`); for the twin, each kind's URDF
 * (`urdf`) and the joint angles of the arms the page watches (`watchJoints`), pushed at up to
 * 30 Hz (`joints`).
 *
 * Errors: `not_found` (no such port, host or connected device), `no_response` (the port opens
 * but nothing answers as the arm asked for, or a controller does not reply), `refused` (the host
 * refuses the connection, or this user may not open the port), `not_available` (the port does not
 * open for another reason), `invalid_request` (a calibration file that does not load), `busy`
 * (already connected), `disconnected` (the arm went away). Driver failures get their code from
 * their device error code (`IPC_CODE_FOR_DEVICE_ERROR`), never from their message.
 */
import { z } from 'zod';
import { call, push } from '../descriptor.ts';
import { Empty, Ok } from './common.ts';

/** The arms the console can connect. */
export const DeviceKind = z.enum(['so101', 'omx', 'ur5e']);

/** A serial port: found by discovery, typed by the operator, or in use by a connected arm. */
export const SerialPortInfo = z.object({
  path: z.string(),
  /** `udev`/`dev`: found on this machine; `manual`: typed by the operator. */
  source: z.enum(['udev', 'dev', 'manual']),
  vendorId: z.string().nullable(),
  productId: z.string().nullable(),
  manufacturer: z.string().nullable(),
  serialNumber: z.string().nullable(),
  /** The connected arm on this port, if any. */
  deviceId: z.string().nullable(),
});

/** A connected arm. */
export const ConnectedDevice = z.object({
  /** `so101:<port>`, `omx:<port>` or `ur5e:<host>`. */
  id: z.string(),
  kind: DeviceKind,
  /** For the operator: "the SO-101 on /dev/ttyACM0". */
  name: z.string(),
  /** The serial port or the host. */
  address: z.string(),
  connectedAtEpochMs: z.number(),
  /** `lost`: the cable was pulled or the controller went away; disconnect it to forget it. */
  state: z.enum(['connected', 'lost']),
  /** Why it was lost. */
  reason: z.string().nullable(),
});

/** `devices:list`. */
export const DeviceList = z.object({ ports: z.array(SerialPortInfo), devices: z.array(ConnectedDevice) });

/** What answered a probe at 1 Mbaud. */
export const ProbeResult = z.object({
  port: z.string(),
  /** Feetech STS servo ids that answered a ping (1–12). */
  feetechIds: z.array(z.number().int()),
  /** Dynamixel servos that answered a ping (1–20), with their model numbers. */
  dynamixel: z.array(z.object({ id: z.number().int(), model: z.number().int() })),
  /** The arm this looks like, when it looks like one. */
  looksLike: DeviceKind.nullable(),
  /** One line for the operator. */
  summary: z.string(),
});

const Port = z.string().min(1, 'a serial port path like /dev/ttyACM0');
const TcpPort = z.number().int().min(1).max(65_535);

/** How to reach the arm to connect. */
export const ConnectRequest = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('so101'),
    port: Port,
    /** A calibration JSON file; the nominal calibration when absent. */
    calibrationPath: z.string().min(1).optional(),
  }),
  z.object({
    /** OpenMANIPULATOR-X: Dynamixel ids 11–15 at 1 Mbaud. */
    kind: z.literal('omx'),
    port: Port,
  }),
  z.object({
    kind: z.literal('ur5e'),
    host: z.string().min(1, 'a host name or IP address like 192.168.1.10'),
    /** Non-standard service ports (an emulator, a port forward); the UR defaults when absent. */
    dashboardPort: TcpPort.optional(),
    secondaryPort: TcpPort.optional(),
    rtdePort: TcpPort.optional(),
  }),
]);

/** One servo (serial arms) or joint (UR) of a connected arm. Null: not measured by this arm. */
export const JointHealth = z.object({
  /** Servo id on the bus, or the joint index (UR). */
  id: z.number().int(),
  name: z.string(),
  temperatureC: z.number().nullable(),
  voltageV: z.number().nullable(),
  /** Load as a signed fraction of the maximum torque (servos). */
  load: z.number().nullable(),
  /** Motor current, A (UR joints). */
  currentA: z.number().nullable(),
  /** Replies this servo failed to give since connect. */
  commsErrors: z.number().int(),
  /** It answered the last health read. */
  answering: z.boolean(),
});

/** Where a value becomes worth the operator's attention, for this arm. */
export const HealthLimits = z.object({
  maxTemperatureC: z.number(),
  minVoltageV: z.number().nullable(),
  /** |load| above this is marked. */
  maxLoad: z.number().nullable(),
});

/** Bus counters of a serial arm since connect. */
export const BusCounters = z.object({
  framesOut: z.number(),
  framesIn: z.number(),
  timeouts: z.number(),
  checksumErrors: z.number(),
  garbageBytes: z.number(),
});

/** The health of one connected arm at one instant. */
export const DeviceHealth = z.object({
  deviceId: z.string(),
  kind: DeviceKind,
  timeEpochMs: z.number(),
  state: z.enum(['connected', 'lost']),
  /** Joint angles for the twin (arm joints), rad; empty when they could not be read. */
  jointAnglesRad: z.array(z.number()),
  gripperWidthM: z.number().nullable(),
  joints: z.array(JointHealth),
  limits: HealthLimits,
  /** Serial arms: bus counters; null for Ethernet arms. */
  bus: BusCounters.nullable(),
  /** UR arms: robot mode and safety mode as the controller names them. */
  controller: z.object({ robotMode: z.string(), safetyMode: z.string() }).nullable(),
  /** What went wrong reading it, if anything. */
  message: z.string().nullable(),
});

/** A box in the arm's base frame (x forward, z up), m. */
export const BaseFrameBox = z.object({ minM: z.tuple([z.number(), z.number(), z.number()]), maxM: z.tuple([z.number(), z.number(), z.number()]) });

/** An arm kind's model for the twin. */
export const ArmModel = z.object({
  kind: DeviceKind,
  /** The URDF text (primitive visuals only, no mesh files), as shipped in `resources/robots/`. */
  urdf: z.string().min(1),
  /** The URDF joint each entry of `jointAnglesRad` drives, in order. */
  jointNames: z.array(z.string().min(1)).min(1),
  /** Where the safety supervisor lets the gripper go, in the arm's base frame. */
  workspace: BaseFrameBox,
});

/** The joint angles of one watched arm at one instant. */
export const ArmJoints = z.object({
  deviceId: z.string(),
  kind: DeviceKind,
  /** Counts this arm's pushes since its watch began (higher is newer). */
  seq: z.number().int(),
  timeEpochMs: z.number(),
  /** Arm joints, rad, in the order of the kind's `ArmModel.jointNames`. */
  jointAnglesRad: z.array(z.number()),
  gripperWidthM: z.number().nullable(),
});

/** The `devices` channels. */
export const devices = {
  list: call(Empty, DeviceList, 'Serial ports found (udev, else /dev) and typed, and the connected arms.'),
  addPort: call(z.object({ port: Port }), DeviceList, 'Remember a port discovery does not find (e.g. /dev/serial/by-id/…); not_found when it does not exist.'),
  probe: call(z.object({ port: Port }), ProbeResult, 'Which Feetech and Dynamixel servos answer on a port (not one in use); not_found, busy.'),
  connect: call(ConnectRequest, ConnectedDevice, 'Connect an arm; not_found (no such port), no_response (nothing answers), refused (host refuses), busy (already connected).'),
  disconnect: call(z.object({ id: z.string() }), Ok, 'Hold the arm where it is and close its connection; not_found when no such arm.'),
  readHealth: call(z.object({ id: z.string().optional() }), z.array(DeviceHealth), 'Read the health of one connected arm (or all) now; not_found when no such arm.'),
  urdf: call(z.object({ kind: DeviceKind }), ArmModel, "An arm kind's URDF, the joint names its joint angles drive and its safety workspace box (for the twin)."),
  watchJoints: call(
    z.object({ id: z.string() }),
    z.object({ leaseMs: z.number() }),
    'Push `joints` of this arm for `leaseMs` from now (call again before it ends to keep them coming); not_found when no such arm.',
  ),
};

/** Device pushes. */
export const deviceEvents = {
  health: push(z.object({ devices: z.array(DeviceHealth) }), 'The health of every connected arm, about once a second while any is connected.', { latestOnly: true }),
  changed: push(z.object({ devices: z.array(ConnectedDevice) }), 'An arm was connected, disconnected or lost.'),
  joints: push(z.object({ arms: z.array(ArmJoints) }), 'Joint angles of every watched arm, up to 30 times a second while any is watched and moving (about once a second while still).', { latestOnly: true }),
};
