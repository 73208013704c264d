/**
 * `caplab run --agent single-turn|multi-turn|agent0 --model provider:model`: an agent trial on the
 * simulator, printing each turn as it happens: the program, its live trace, the feedback the model
 * gets and the decision it takes.
 */
import { writeFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { AGENT_KINDS, isProgramAgent, type AgentEvent, type AgentKind, type AgentTurnRecord, type ModelAgentKind } from '../../shared/agent.ts';
import type { ModelProvider } from '../../shared/model.ts';
import { exitCodeForTrial, type PolicyEvent } from '../../shared/run.ts';
import { loadTask } from '../services/trials/catalog.ts';
import { runAgent, type SkillMode } from '../services/agents/service.ts';
import { createProvider } from '../services/providers/registry.ts';
import { RunStore } from '../services/storage/run-store.ts';
import { type CliIo, UsageError, parseSeed, parseTier, parseWholeNumber } from './args.ts';
import { tokensOf } from './recorded-run.ts';
import { createTracePrinter } from './trace-printer.ts';
import { openVlaOption } from './vla-option.ts';

/** Options shared by `run` and `bench` for model-driven agents. */
export interface AgentCliOptions {
  agent?: string;
  model?: string;
  turns?: string;
  candidates?: string;
  rehearse?: boolean;
  skills?: string;
}

/** The agent settings from the command line, checked. */
export interface AgentSettings {
  readonly agent: ModelAgentKind;
  readonly models: ModelProvider[];
  readonly maxTurns: number;
  readonly candidates: number;
  readonly rehearse: boolean;
  readonly skillMode: SkillMode;
}

/** The agent as a run's first line names it: `agent A · model M[, M2][ · K candidates rehearsed on a twin]`. */
export function describeAgent(settings: AgentSettings): string {
  const candidates = settings.agent === 'agent0' ? ` · ${settings.candidates} candidates${settings.rehearse ? ' rehearsed on a twin' : ''}` : '';
  return `agent ${settings.agent} · model ${settings.models.map((m) => m.name).join(', ')}${candidates}`;
}

/** Parse `--agent --model --turns --candidates --rehearse --skills`. */
export function parseAgentSettings(options: AgentCliOptions, defaultSkills: SkillMode): AgentSettings {
  const agent = options.agent as AgentKind;
  if (!AGENT_KINDS.includes(agent) || isProgramAgent(agent)) {
    throw new UsageError(`--agent ${options.agent}: expected one of ${AGENT_KINDS.join(', ')}`);
  }
  if (!options.model) throw new UsageError(`--agent ${agent} needs --model provider:model (e.g. --model openai:gpt-4.1, --model ollama:qwen2.5-coder:7b)`);
  const models = options.model.split(',').map((name) => {
    try {
      return createProvider(name.trim());
    } catch (error) {
      throw new UsageError(`--model ${name.trim()}: ${(error as Error).message}`);
    }
  });
  if (models.length > 1 && agent !== 'agent0') throw new UsageError('several --model names are for --agent agent0 (candidates spread over them)');
  const skills = (options.skills ?? defaultSkills) as SkillMode;
  if (!['off', 'use', 'learn'].includes(skills)) throw new UsageError(`--skills ${skills}: expected off, use or learn`);
  if (options.rehearse && agent !== 'agent0') throw new UsageError('--rehearse is for --agent agent0');
  return {
    agent,
    models,
    maxTurns: parseWholeNumber('turns', options.turns, 4, 1, 50),
    candidates: parseWholeNumber('candidates', options.candidates, 9, 1, 32),
    rehearse: options.rehearse === true,
    skillMode: skills,
  };
}

/** Parsed options of an agent `run`. */
export interface AgentRunCommandOptions extends AgentCliOptions {
  /** `--vla scripted|URL`: the prompt and the programs offer run_vla with it. */
  vla?: string;
  task?: string;
  seed?: string;
  tier?: string;
  quiet?: boolean;
  json?: string;
  db?: string;
}

/** Run one agent trial and print it turn by turn. */
export async function agentRunCommand(options: AgentRunCommandOptions, io: CliIo): Promise<number> {
  const settings = parseAgentSettings(options, 'learn');
  const task = loadTask(options.task!);
  const tier = parseTier(options.tier ?? (settings.agent === 'single-turn' ? 'S2' : 'M1'));
  const seed = parseSeed(options.seed);
  io.out.write(
    `caplab run · task ${task.id} · seed ${seed} · tier ${tier.id} · ${describeAgent(settings)}\n`,
  );
  io.out.write(`instruction: ${task.instruction}\n`);
  const vla = await openVlaOption(options.vla, io);
  const store = RunStore.open(options.db);
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  io.onInterrupt(onInterrupt);
  const printer = turnPrinter(io.out, options.quiet === true);
  try {
    const result = await runAgent({
      ...settings,
      task,
      tier,
      seed,
      store,
      vlaServers: vla.servers,
      signal: controller.signal,
      onAgentEvent: printer.onAgentEvent,
      onPolicyEvent: printer.onPolicyEvent,
      onSkillNote: (note) => io.out.write(`── ${note}\n`),
    });
    const { outcome } = result;
    io.out.write(`run ${result.runId} saved in ${store.path} (${result.turns.length} turns, ${tokensOf(result.turns)} tokens)\n`);
    if (result.skillsOffered.length) io.out.write(`skills offered: ${result.skillsOffered.join(', ')}\n`);
    if (options.json) writeFileSync(options.json, `${JSON.stringify({ outcome, turns: result.turns }, null, 2)}\n`);
    io.out.write(`${outcome.wallSeconds.toFixed(2)} s wall, ${outcome.robotSeconds.toFixed(2)} s robot time\n${outcome.status}: ${outcome.reason}\n`);
    return exitCodeForTrial(outcome.status);
  } finally {
    io.offInterrupt(onInterrupt);
    store.close();
    await vla.close();
  }
}

/** Prints turns: program listing, live trace, feedback and decision. */
export function turnPrinter(out: Writable, quiet: boolean): { onAgentEvent: (e: AgentEvent) => void; onPolicyEvent: (e: PolicyEvent) => void } {
  let trace: ((event: PolicyEvent) => void) | undefined;
  return {
    onAgentEvent: (event) => {
      if (event.kind === 'model-call') {
        out.write(`\n══ turn ${event.turn + 1} · asking the model${event.count > 1 ? ` for ${event.count} candidates` : ''}\n`);
      } else if (event.kind === 'program') {
        out.write(`── program\n${numbered(event.code)}── running\n`);
        trace = quiet ? undefined : createTracePrinter(event.code, out);
      } else if (event.kind === 'turn') {
        out.write(describeTurn(event.turn));
      }
    },
    onPolicyEvent: (event) => trace?.(event),
  };
}

/** The end of a turn: candidates, outcome, feedback, decision. */
export function describeTurn(turn: AgentTurnRecord): string {
  const lines: string[] = [];
  for (const c of turn.candidates) {
    const what = c.error ? `error: ${c.error}` : c.finish ? 'FINISH' : c.code ? `${c.code.split('\n').length - 1} lines` : 'no program';
    lines.push(`   candidate ${c.index + 1} (${c.model}, t=${c.temperature}): ${what}${c.rehearsal ? ` · rehearsal ${c.rehearsal.status}: ${c.rehearsal.reason}` : ''}`);
  }
  if (turn.policy) lines.push(`── program ended: ${turn.policy.status} (${turn.policy.reason})`);
  if (turn.feedback) lines.push(`── feedback to the model\n${turn.feedback.replace(/^/gm, '   ')}`);
  const decision = { run: 'ran the program', finish: 'FINISH', 'no-code': 'no program in the answer', 'model-error': 'model call failed' }[turn.decision];
  const cost = turn.costUsd === null ? '' : `, $${turn.costUsd.toFixed(4)}`;
  lines.push(
    `── decision: ${decision}${turn.decision === 'no-code' || turn.decision === 'model-error' ? ` (${turn.responseText.slice(0, 200)})` : ''}` +
      ` · ${turn.usage.inputTokens}+${turn.usage.outputTokens} tokens${cost} · model ${(turn.modelMs / 1000).toFixed(2)} s, sim ${(turn.simMs / 1000).toFixed(2)} s, host ${turn.hostMs.toFixed(1)} ms`,
  );
  return `${lines.join('\n')}\n`;
}

function numbered(code: string): string {
  const lines = code.replace(/\n$/, '').split('\n');
  const width = String(lines.length).length;
  return lines.map((line, i) => `${String(i + 1).padStart(width)} │ ${line}\n`).join('');
}
