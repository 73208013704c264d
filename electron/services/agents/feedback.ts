/**
 * Execution feedback for multi-turn agents: what ran, what it printed, where it failed, which
 * lines ran and which robot calls it made, and (per tier) what changed in the scene. Built from
 * the policy's own events; never from the success check or ground truth.
 */
import type { PolicyEvent, PolicyResult } from '../../../shared/run.ts';

/** Longest stdout/stderr excerpt given to the model, characters (the tail is kept). */
const MAX_STREAM_CHARS = 4000;
/** Robot calls listed in full before they are summarised. */
const MAX_CALLS_LISTED = 25;

/** What the feedback is made of. */
export interface FeedbackInput {
  readonly code: string;
  readonly policy: PolicyResult;
  readonly events: readonly PolicyEvent[];
  /** Text from visual differencing, when the tier gives it. */
  readonly sceneChange?: string;
}

/** The feedback message for the model. */
export function executionFeedback(input: FeedbackInput): string {
  const { policy } = input;
  const parts = [
    `## Result of your program\nStatus: ${policy.status} (${policy.reason}); wall time ${(policy.wallMs / 1000).toFixed(1)} s.`,
  ];
  if (policy.exception) {
    const failing = policy.exception.line;
    const lineText = failing ? input.code.split('\n')[failing - 1]?.trim() : undefined;
    parts.push(
      `## Error\n${policy.exception.type}: ${policy.exception.message}` +
        (failing ? `\nFailing line ${failing}: ${lineText ?? ''}` : '') +
        (policy.exception.formatted ? `\n\`\`\`\n${policy.exception.formatted.trimEnd()}\n\`\`\`` : ''),
    );
  }
  parts.push(`## stdout\n${fenced(tail(policy.stdout))}`);
  if (policy.stderr.trim() && !policy.exception) parts.push(`## stderr\n${fenced(tail(policy.stderr))}`);
  else if (policy.stderr.trim() && policy.exception && policy.stderr.trim() !== policy.exception.formatted.trim()) {
    parts.push(`## stderr\n${fenced(tail(policy.stderr))}`);
  }
  parts.push(`## Line trace\n${lineSummary(input.events, input.code)}`);
  parts.push(`## Robot calls\n${callSummary(input.events)}`);
  const safety = input.events.filter((e): e is Extract<PolicyEvent, { kind: 'safety' }> => e.kind === 'safety');
  if (safety.length) parts.push(`## Safety stops\n${safety.map((e) => `- ${e.reason}`).join('\n')}`);
  if (input.sceneChange) parts.push(`## What changed in the scene (from the cameras)\n${input.sceneChange}`);
  parts.push('Answer with a new complete program in one ```python block, or with FINISH if the task is done.');
  return parts.join('\n\n');
}

/** Lines executed: how many distinct lines ran, the last ones, and lines that never ran. */
export function lineSummary(events: readonly PolicyEvent[], code: string): string {
  const counts = new Map<number, number>();
  const order: number[] = [];
  let dropped = 0;
  for (const event of events) {
    if (event.kind === 'line') {
      counts.set(event.line, (counts.get(event.line) ?? 0) + 1);
      order.push(event.line);
    } else if (event.kind === 'lines-dropped') dropped += event.count;
  }
  if (order.length === 0) return 'No line of the program ran.';
  const lines = code.split('\n');
  const codeLines = lines.map((text, i) => ({ n: i + 1, text: text.trim() })).filter((l) => l.text && !l.text.startsWith('#'));
  const never = codeLines.filter((l) => !counts.has(l.n) && !/^(else|try|finally|except)\b.*:$/.test(l.text));
  // The last five distinct steps (a comprehension reports its line once per item).
  const steps: { line: number; times: number }[] = [];
  for (const n of order) {
    const previous = steps.at(-1);
    if (previous?.line === n) previous.times += 1;
    else steps.push({ line: n, times: 1 });
  }
  const last = steps.slice(-5).map((s) => `${s.line}: ${lines[s.line - 1]?.trim() ?? ''}${s.times > 1 ? ` (×${s.times})` : ''}`);
  return [
    `${order.length + dropped} line events over ${counts.size} distinct lines${dropped ? ` (${dropped} not itemised)` : ''}.`,
    `Last lines executed:\n${last.map((l) => `  ${l}`).join('\n')}`,
    never.length ? `Lines that never ran: ${never.slice(0, 15).map((l) => l.n).join(', ')}${never.length > 15 ? ', …' : ''}` : 'Every line ran.',
  ].join('\n');
}

/** The robot calls made, in order, with failures spelled out. */
export function callSummary(events: readonly PolicyEvent[]): string {
  const calls = events.filter((e): e is Extract<PolicyEvent, { kind: 'api-call' }> => e.kind === 'api-call');
  if (calls.length === 0) return 'No robot call was made.';
  const describe = (c: (typeof calls)[number]): string =>
    `${c.fn}(${argsText(c.args)}) ${c.ok ? 'ok' : `FAILED: ${c.error?.message ?? 'error'}`} (${c.durationMs.toFixed(0)} ms)`;
  if (calls.length <= MAX_CALLS_LISTED) return calls.map((c) => `- ${describe(c)}`).join('\n');
  const failed = calls.filter((c) => !c.ok);
  const byName = new Map<string, number>();
  for (const c of calls) byName.set(c.fn, (byName.get(c.fn) ?? 0) + 1);
  return [
    `${calls.length} calls: ${[...byName].map(([fn, n]) => `${fn} ×${n}`).join(', ')}.`,
    ...failed.slice(0, 10).map((c) => `- ${describe(c)}`),
    `Last call: ${describe(calls[calls.length - 1] as (typeof calls)[number])}`,
  ].join('\n');
}

function argsText(args: Readonly<Record<string, unknown>> | readonly unknown[]): string {
  const round = (v: unknown): unknown => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : Array.isArray(v) ? v.map(round) : v);
  const text = Array.isArray(args)
    ? args.map((v) => JSON.stringify(round(v))).join(', ')
    : Object.entries(args).map(([k, v]) => `${k}=${JSON.stringify(round(v))}`).join(', ');
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

function tail(text: string): string {
  return text.length > MAX_STREAM_CHARS ? `[… ${text.length - MAX_STREAM_CHARS} characters before]\n${text.slice(-MAX_STREAM_CHARS)}` : text;
}

function fenced(text: string): string {
  return text.trim() ? `\`\`\`\n${text.trimEnd()}\n\`\`\`` : '(nothing)';
}
