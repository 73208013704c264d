/**
 * The console's composition root: builds the services behind the contract (runs, bench, safety,
 * skills, twin, network cameras) and the handlers over them (`handlers/`, one module per domain),
 * shared by the browser-mode WebSocket server and the Electron IPC handlers. The services refer
 * to one another only through callbacks made here.
 */
import { dirname, join } from 'node:path';
import type { Emitter, Handlers } from '../../../shared/ipc/dispatch.ts';
import type { ModelProvider } from '../../../shared/model.ts';
import type { SkillMode } from '../agents/service.ts';
import { NetworkCameraService } from '../cameras/network-cameras.ts';
import type { ModelsService } from '../providers/models-service.ts';
import type { DevicesService } from '../robots/devices.ts';
import { BenchService } from '../runs/bench-service.ts';
import type { JobDeps } from '../runs/run-jobs.ts';
import { RunService } from '../runs/run-service.ts';
import { detectSandbox } from '../../../native/runtime/sandbox.ts';
import type { RunStore } from '../storage/run-store.ts';
import { SkillStore } from '../storage/skill-store.ts';
import type { ArmingSource } from '../supervision/arming.ts';
import { ConsoleSafety } from '../supervision/console-safety.ts';
import type { TwinPort } from '../viewer/twin-port.ts';
import type { PolicyLimits } from '../../../native/runtime/policy-limits.ts';
import { benchHandlers } from './handlers/bench.ts';
import { modelHandlers } from './handlers/models.ts';
import { runHandlers } from './handlers/runs.ts';
import { safetyHandlers } from './handlers/safety.ts';
import { skillHandlers } from './handlers/skills.ts';
import { taskHandlers } from './handlers/tasks.ts';
import { twinHandlers } from './handlers/twin.ts';
import { withEveryDomain } from './handlers/unserved.ts';
import { vlaHandlers } from './handlers/vla.ts';
import { VlaServerStore } from '../storage/vla-server-store.ts';
import { consoleTelemetry } from '../runs/run-telemetry.ts';
import { telemetryHandlers } from './handlers/telemetry.ts';

/** What the console's services need. */
export interface ConsoleServicesOptions {
  readonly store: RunStore;
  readonly twin: TwinPort;
  readonly emitter: Emitter;
  readonly shell: 'electron' | 'browser';
  /** Policy limits for runs and bench trials (tests shorten the wall clock). */
  readonly limits?: Partial<PolicyLimits>;
  /** How model names become providers; default: as the Models panel configures them (tests point them at a local server). */
  readonly createProvider?: (name: string) => ModelProvider;
  /** The environment model providers read (base URLs, keys, CAPLAB_MODEL_SERVERS); default the process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Skills and agents: offered and learned from successes (default, as `caplab run`), offered only, or off. */
  readonly skillMode?: SkillMode;
  /** Connected real arms: `get` loads the service, `loaded` is null until something did. */
  readonly devices?: { get(): Promise<DevicesService>; loaded(): DevicesService | null };
  /** Whether any page watches network-camera frames now (frames are not pushed otherwise); default: always. */
  readonly cameraFramesWanted?: () => boolean;
  /** Whether any page plots live telemetry now (samples are recorded, not pushed, otherwise); default: always. */
  readonly telemetryWanted?: () => boolean;
  /** Handlers of domains served by other services (devices); channels of none answer not_available. */
  readonly extraHandlers?: Partial<Omit<Handlers, ConsoleDomain>>;
  /** Arming is allowed although policies get no sandbox here (the operator said `--unsandboxed`). */
  readonly unsandboxed?: boolean;
}

/** The domains these services answer. */
export type ConsoleDomain = 'app' | 'tasks' | 'runs' | 'terminal' | 'twin' | 'cameras' | 'skills' | 'bench' | 'safety' | 'models' | 'vla' | 'telemetry';

/** The console's services and the handlers over them. */
export interface ConsoleServices {
  readonly handlers: Handlers;
  readonly runs: RunService;
  readonly bench: BenchService;
  readonly safety: ConsoleSafety;
  readonly skills: SkillStore;
  readonly store: RunStore;
  readonly twin: TwinPort;
  readonly networkCameras: NetworkCameraService;
  /** The model providers (loaded on first use). */
  readonly models: () => Promise<ModelsService>;
  /** Stop what runs and wait for it (the store and twin stay open: their owner closes them). */
  dispose(): Promise<void>;
}

/**
 * The model providers, loaded with the first models call or agent run, not at start; base URLs
 * set in the console are kept beside the database.
 */
function lazyModels(options: ConsoleServicesOptions): () => Promise<ModelsService> {
  let models: Promise<ModelsService> | null = null;
  const settingsPath = options.store.path === ':memory:' ? null : join(dirname(options.store.path), 'providers.json');
  return () =>
    (models ??= import('../providers/models-service.ts').then(({ ModelsService }) => new ModelsService({ settingsPath, ...(options.env ? { env: options.env } : {}) })));
}

/** What agent and real-arm jobs need; real-arm runs read the console's arming live, and every run the policy servers as configured when it starts. */
function jobDeps(options: ConsoleServicesOptions, arming: ArmingSource, models: () => Promise<ModelsService>, vlaServers: VlaServerStore, cameras: () => NetworkCameraService): JobDeps {
  return {
    cameras: (name) => cameras().perceptionSource(name),
    store: options.store,
    vlaServers: () => vlaServers.list(),
    createProvider: options.createProvider ?? (async (name: string) => (await models()).createProvider(name)),
    skillMode: options.skillMode ?? 'learn',
    ...(options.devices ? { devices: options.devices.get } : {}),
    arming,
  };
}

/** The console's safety state (arming refused without a policy sandbox unless `unsandboxed`); every arm, disarm and STOP is kept in the store's safety log and pushed to the console. */
function loggedSafety(store: RunStore, emitter: ConsoleServicesOptions['emitter'], unsandboxed: boolean, onHeartbeatLost: (reason: string) => void): ConsoleSafety {
  const { kind, detail } = detectSandbox();
  return new ConsoleSafety((status) => emitter.safety.changed(status), {
    sandbox: { kind, detail, armingAllowed: kind !== 'none' || unsandboxed },
    log: (action, reason) => emitter.safety.logged(store.safetyLog.append(action, reason, 'console')),
    onHeartbeatLost,
  });
}

/** Build the services and their handlers. */
export function createConsoleServices(options: ConsoleServicesOptions): ConsoleServices {
  const { store, twin, emitter } = options;
  // The services refer to one another only in callbacks, called once all exist.
  const safety = loggedSafety(store, emitter, options.unsandboxed === true, (reason) => {
    runs.halt(reason);
    bench.stop();
  });
  const skills = new SkillStore(store);
  const models = lazyModels(options);
  const vlaServers = new VlaServerStore(store);
  // The network cameras exist before any run asks for one (below).
  const deps = jobDeps(options, safety, models, vlaServers, () => networkCameras);
  const telemetry = consoleTelemetry(store, emitter, options.telemetryWanted);
  const runs: RunService = new RunService({
    store,
    twin,
    emitter,
    ...(options.limits ? { limits: options.limits } : {}),
    busyWith: () => (bench.running ? 'a bench matrix' : null),
    onRunStarting: () => safety.clearLatch(),
    telemetry: telemetry.recordingFor,
  });
  const bench: BenchService = new BenchService({
    store,
    emitter,
    ...(options.limits ? { limits: options.limits } : {}),
    busyWith: () => (runs.running ? `run ${runs.currentRunId ?? ''}`.trim() : null),
    agents: deps,
  });
  const networkCameras = new NetworkCameraService({
    onFrame: (frame) => emitter.cameras.frame(frame),
    ...(options.cameraFramesWanted ? { wantsFrames: options.cameraFramesWanted } : {}),
  });

  const core: Pick<Handlers, ConsoleDomain> = {
    ...taskHandlers({ shell: options.shell, storePath: store.path }),
    ...runHandlers(runs, store, deps),
    ...twinHandlers(twin, runs, networkCameras),
    ...skillHandlers(skills, runs),
    ...benchHandlers(bench),
    ...modelHandlers(models),
    ...safetyHandlers({ safety, runs, bench, devices: () => options.devices?.loaded() ?? null, log: store.safetyLog }),
    ...vlaHandlers(vlaServers), ...telemetryHandlers(store, telemetry),
  };

  return {
    handlers: withEveryDomain({ ...core, ...options.extraHandlers }),
    runs,
    bench,
    safety,
    skills,
    store,
    twin,
    networkCameras,
    models,
    async dispose() {
      safety.dispose();
      networkCameras.dispose();
      await Promise.all([runs.dispose(), bench.dispose()]);
    },
  };
}
