/** `skills`, `bench`, `safety`, `app`: the skill library, bench matrices, the e-stop, the app itself. */
import { z } from 'zod';
import { call, push } from '../descriptor.ts';
import { Empty, Ok, RunId, Tier } from './common.ts';
import { isProgramAgent } from '../../agent.ts';
import { BENCH_AGENTS } from '../vocabulary.ts';

/** A skill as listed. */
export const SkillSummary = z.object({
  name: z.string(),
  description: z.string(),
  /** Successes / trials recorded for it. */
  successes: z.number(),
  trials: z.number(),
  updatedAt: z.string(),
});

/** A skill with its source. */
export const Skill = SkillSummary.extend({ source: z.string(), taskId: z.string().nullable(), version: z.number() });

const SkillName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a Python identifier');

/** The `skills` channels (not_available until the skill library is installed). */
export const skills = {
  list: call(Empty, z.array(SkillSummary), 'Every skill, by name.'),
  search: call(z.object({ query: z.string() }), z.array(SkillSummary), 'Full-text search over names, descriptions and code.'),
  get: call(z.object({ name: SkillName }), Skill, 'One skill with its code.'),
  update: call(z.object({ name: SkillName, source: z.string().min(1), description: z.string().optional() }), Skill, 'Save a new version.'),
  delete: call(z.object({ name: SkillName }), Ok, 'Delete a skill.'),
  test: call(z.object({ name: SkillName, seed: z.number().int().min(0).optional() }), z.object({ runId: RunId }), 'Run the skill on its task with a fresh seed (a normal run).'),
};

/** Agents a bench can run: the expert's reference programs, the naive baseline programs, or a model-driven agent. */
export const BenchAgent = z.enum(BENCH_AGENTS);

/** A bench matrix to launch. */
export const BenchStartRequest = z
  .object({
    taskIds: z.array(z.string()).min(1),
    tiers: z.array(Tier).min(1).default(['S1']),
    agent: BenchAgent.default('expert'),
    /** `provider:model` for model-driven agents (several, comma-separated, for agent0). */
    model: z.string().min(1).optional(),
    /** Run the expert first on the same tasks, tiers and seeds (default: yes for model-driven agents). */
    baseline: z.boolean().optional(),
    /** Most turns of a multi-turn agent (default 4). */
    maxTurns: z.number().int().min(1).max(50).optional(),
    /** agent0's candidates per turn (default 9). */
    candidates: z.number().int().min(1).max(32).optional(),
    trials: z.number().int().min(1).max(1000).default(5),
    workers: z.number().int().min(1).max(8).default(1),
    seed: z.number().int().min(0).default(1000),
  })
  .refine((r) => isProgramAgent(r.agent) || r.model !== undefined, { message: 'a model-driven agent needs model: provider:model', path: ['model'] })
  .refine((r) => !isProgramAgent(r.agent) || r.model === undefined, { message: 'the expert and the baseline run their shipped programs: no model', path: ['model'] });

/** A trial that just ended, as a run the operator can open. */
export const BenchTrial = z.object({
  /** Its record in the run history (`runs:get`). */
  runId: RunId,
  taskId: z.string(),
  tier: Tier,
  seed: z.number(),
  agent: z.string(),
  status: z.string(),
  success: z.boolean(),
  /** The trial belongs to the expert baseline. */
  baseline: z.boolean(),
});

/** Progress of the bench in progress. */
export const BenchProgress = z.object({
  benchId: z.number(),
  /** Trials done and in all, the baseline's included. */
  done: z.number(),
  total: z.number(),
  successes: z.number(),
  elapsedSeconds: z.number(),
  /** Seconds left in the present phase (-1 while unknown). */
  remainingSeconds: z.number(),
  state: z.enum(['running', 'finished', 'cancelled', 'failed']),
  message: z.string().nullable(),
  /** The agent of the trials now running: the expert baseline's, or the agent's. */
  phase: z.enum(['baseline', 'agent']),
  agent: z.string(),
  /** The trial this push follows (null at the start and the end). */
  trial: BenchTrial.nullable(),
});

/** One task's results in a bench report. */
export const BenchTaskResultSchema = z.object({
  trials: z.number(),
  successes: z.number(),
  rate: z.number(),
  meanSeconds: z.number(),
  rateInterval95: z.tuple([z.number(), z.number()]),
  statuses: z.record(z.string(), z.number()),
  /** Mean progress in [0, 1] (partial success), absent in older reports. */
  meanProgress: z.number().optional(),
});

/** A bench report as `caplab bench --json` writes it (`shared/bench.ts`). */
export const BenchReportSchema = z.object({
  tasks: z.record(z.string(), BenchTaskResultSchema),
  agent: z.string(),
  tier: z.string(),
  seed: z.number(),
  workers: z.number(),
  wallSeconds: z.number(),
  createdAt: z.string(),
  /** The expert's results on the same seeds, for a model-driven agent's report. */
  baseline: z.object({ agent: z.string(), tasks: z.record(z.string(), BenchTaskResultSchema) }).optional(),
});

/** A bench matrix kept in the store: every trial committed as it finished, so an unfinished one can resume. */
export const BenchMatrix = z.object({
  /** Its id (`caplab bench --resume ID`; the benchId of its progress pushes). */
  id: z.number(),
  createdAt: z.string(),
  /** Started by `caplab bench` or from the console. */
  origin: z.enum(['cli', 'console']),
  /** One line: agent, tasks, tiers, seed. */
  label: z.string(),
  total: z.number(),
  /** Trials committed so far. */
  finished: z.number(),
  successes: z.number(),
  finishedAt: z.string().nullable(),
  /** A process runs it now (this console, or a `caplab bench`). */
  running: z.boolean(),
  /** Unfinished, not running, and the console can run its request (a console matrix; a CLI one resumes with `caplab bench --resume`). */
  resumable: z.boolean(),
});

/** The `bench` channels. */
export const bench = {
  start: call(
    BenchStartRequest,
    z.object({ benchId: z.number() }),
    'Launch a matrix (tasks × tiers × trials) with any agent, after the expert baseline for model-driven agents; progress and each trial as a run follow on bench:progress. busy while one runs.',
  ),
  stop: call(Empty, z.object({ stopped: z.boolean() }), 'Cancel the bench in progress (its finished trials are kept; it can resume).'),
  matrices: call(z.object({ limit: z.number().int().min(1).max(100).default(20) }), z.array(BenchMatrix), 'Matrices in the store, newest first, with their trials finished of all.'),
  resume: call(
    z.object({ matrixId: z.number().int().min(1) }),
    z.object({ benchId: z.number() }),
    'Continue an unfinished matrix: only its missing trials run, on the same seeds; progress follows on bench:progress. busy while one runs, not_found, invalid_request when it cannot resume.',
  ),
  results: call(z.object({ limit: z.number().int().min(1).max(100).default(20) }), z.array(BenchReportSchema), 'Saved bench reports (one per tier), newest first.'),
};

/** Bench pushes. */
export const benchEvents = {
  progress: push(BenchProgress, 'At the start, after every finished trial (with its run), and at the end.'),
};

/** The e-stop and arming state. */
export const SafetyStatus = z.object({
  armed: z.boolean(),
  /** Latched by STOP until the next run starts or the operator arms again. */
  stopped: z.boolean(),
  reason: z.string().nullable(),
  /** When the last halt reached the simulator (epoch ms), for latency measurements. */
  lastHaltAtEpochMs: z.number().nullable(),
  /**
   * The sandbox policy processes get here (`none`: generated code would run with full access, and
   * arming is refused unless the console was started with `--unsandboxed`); null where not told.
   */
  sandbox: z.object({ kind: z.enum(['bwrap', 'sandbox-exec', 'none']), detail: z.string(), armingAllowed: z.boolean() }).nullable(),
});

/** One entry of the operator's safety log (kept in the store). */
export const SafetyLogEntry = z.object({
  id: z.number(),
  /** ISO time. */
  at: z.string(),
  action: z.enum(['arm', 'disarm', 'stop', 'heartbeat-lost', 'approve', 'decline']),
  reason: z.string().nullable(),
  /** Where it came from (`console`, `cli`). */
  origin: z.string(),
});

/** The `safety` channels. */
export const safety = {
  stop: call(z.object({ reason: z.string().max(200).optional() }), SafetyStatus, 'STOP: halt the robot and cancel the policy at once.'),
  arm: call(Empty, SafetyStatus, 'Arm real robots (the sim needs no arming); not_available without a policy sandbox unless the console was started --unsandboxed.'),
  disarm: call(Empty, SafetyStatus, 'Disarm.'),
  status: call(Empty, SafetyStatus, 'The present state.'),
  heartbeat: call(Empty, Ok, 'The console is alive (the supervisor stops armed arms when heartbeats stop).'),
  log: call(z.object({ limit: z.number().int().min(1).max(500).default(50) }), z.array(SafetyLogEntry), 'The safety log (arm, disarm, STOP, a lost heartbeat, an answer to a rehearsal), newest first.'),
};

/** Safety pushes. */
export const safetyEvents = {
  changed: push(SafetyStatus, 'Whenever the state changes.'),
  logged: push(SafetyLogEntry, 'Each new entry of the safety log.'),
};

/** The `app` channels. */
export const app = {
  info: call(Empty, z.object({ version: z.string(), shell: z.enum(['electron', 'browser']), storePath: z.string() }), 'What is running.'),
};
