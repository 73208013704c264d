/** `runs`, `trace`, `agent`: start and stop runs, their live events, and the run history. */
import { z } from 'zod';
import type { PolicyEvent } from '../../run.ts';
import { call, push } from '../descriptor.ts';
import { Empty, Ok, RunId, TaskId, Tier } from './common.ts';
import { ROBOTS, RUN_STATUSES } from '../vocabulary.ts';

/**
 * Where a run happens: the simulated workcell, or a real arm connected in Devices (twin first,
 * then the arm under the safety supervisor, moving only when the operator armed it).
 */
export const Robot = z.enum(ROBOTS);

/** How a run is started: a bench task or free text, and who writes the program. */
export const RunStartRequest = z
  .object({
    taskId: TaskId,
    /** Free-text instruction replacing the task's own (agents only). */
    instruction: z.string().min(1).optional(),
    /** `expert` (the reference program), `program` (the given source), or an agent kind. */
    agent: z.string().min(1).default('expert'),
    /** The program to run when `agent` is `program` (an edited program). */
    programSource: z.string().min(1).optional(),
    /** `provider:model` for model-driven agents. */
    model: z.string().optional(),
    tier: Tier.default('S1'),
    seed: z.number().int().min(0).default(0),
    robot: Robot.default('sim'),
    /** Which connected arm (a `devices:list` id) when more than one of the kind is connected. */
    deviceId: z.string().min(1).optional(),
    /**
     * A real arm's calibrated camera: a network camera's name (Cameras, added with a calibration
     * that has `cameraInBase`). Perception tiers' calls answer from it, each program is rehearsed on
     * a twin rebuilt from what it sees, the arm moves after the operator approves (`runs:approve`),
     * and the outcome is camera-judged. The SO-101 only.
     */
    camera: z.string().min(1).optional(),
  })
  .refine((r) => r.agent !== 'program' || r.programSource !== undefined, {
    message: "agent 'program' needs programSource",
    path: ['programSource'],
  });

/** Statuses a run can have in the history. */
export const RunStatus = z.enum(RUN_STATUSES);

/** A run as listed. */
export const RunSummary = z.object({
  id: z.number(),
  startedAt: z.string(),
  robot: z.string(),
  task: z.string(),
  tier: z.string(),
  agent: z.string(),
  seed: z.number(),
  status: z.string(),
  reason: z.string().nullable(),
  wallSeconds: z.number().nullable(),
});

/** A policy event (line, api-call, stdout/stderr, exception, safety) as `shared/run.ts` defines it. */
export const PolicyEventSchema = z.custom<PolicyEvent>((value) => typeof value === 'object' && value !== null && 'kind' in value);

/** A run with its program and every event. */
export const RunDetail = RunSummary.extend({
  programName: z.string(),
  programSource: z.string(),
  events: z.array(PolicyEventSchema),
});

/** The `runs` channels. */
export const runs = {
  start: call(RunStartRequest, z.object({ runId: RunId }), 'Start a run; its events follow on trace/runs/agent/terminal/twin. busy while another runs.'),
  stop: call(z.object({ runId: RunId.optional() }), z.object({ stopped: z.boolean() }), 'Stop the current run (robot halt + policy cancel); the run ends cancelled.'),
  list: call(
    z.object({
      task: z.string().optional(),
      status: RunStatus.optional(),
      /** Words matched against task, agent, program name, reason and program text. */
      search: z.string().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    z.array(RunSummary),
    'The run history, newest first.',
  ),
  get: call(z.object({ id: RunId }), RunDetail, 'One run with its program and events; not_found when there is none.'),
  current: call(Empty, z.object({ runId: RunId.nullable() }), 'The run in progress, if any.'),
  approve: call(
    z.object({ runId: RunId, approve: z.boolean() }),
    Ok,
    "The operator's answer to a run waiting after a rehearsal that succeeded (runs:approval): true moves the real arm, false ends the run cancelled; not_available when that run waits for none.",
  ),
};

/** Pushes about runs. */
export const runEvents = {
  status: push(
    z.object({ runId: RunId, taskId: z.string(), status: RunStatus, reason: z.string().nullable(), programSource: z.string() }),
    'A run started (status running) or ended (its final status and reason).',
  ),
  approval: push(
    z.object({ runId: RunId, waiting: z.boolean(), rehearsal: z.string() }),
    "A run on a real arm rehearsed its program on a twin rebuilt from the camera and waits for the operator's approval (waiting true, with the rehearsal's verdict), or no longer waits (answered, stopped).",
  ),
};

/** Trace pushes: every executed line, API call, output and exception of the running policy. */
export const traceEvents = {
  event: push(z.object({ runId: RunId, event: PolicyEventSchema }), 'One policy event of a run, in order.'),
};

/** An agent turn: the program it chose, the feedback it got, its decision. */
export const AgentTurn = z.object({
  runId: RunId,
  turn: z.number().int().min(0),
  program: z.string().nullable(),
  feedback: z.string().nullable(),
  decision: z.string().nullable(),
});

/** Agent pushes. */
export const agentEvents = {
  turn: push(AgentTurn, "An agent's turn (for the expert: one turn with the reference program)."),
};

/** Terminal: the policy's pty. */
export const terminal = {
  write: call(z.object({ data: z.string().max(65_536) }), Ok, "Type into the running policy's terminal; not_available when nothing runs."),
  resize: call(z.object({ cols: z.number().int().min(2).max(1000), rows: z.number().int().min(2).max(1000) }), Ok, 'Resize the pty (kept for the next run too).'),
};

/** Terminal pushes. */
export const terminalEvents = {
  data: push(z.object({ runId: RunId, data: z.string() }), 'What the policy terminal shows, as it arrives.'),
};
