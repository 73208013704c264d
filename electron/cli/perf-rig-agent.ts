/**
 * `caplab perf --only rig-agent`: the multi-turn agent on the virtual bench's SO-101
 * (`services/agents/arm-agent-perf.ts`), episode by episode with a progress bar, then the rates.
 * Only when asked for (about half an hour for 20 seeds of two tasks).
 */
import { ProgressBar } from './progress.ts';
import type { CliIo } from './args.ts';

/** Seeds per task of `rig-agent` (issue: ≥ 0.8 camera-judged success over 20 seeds). */
export const RIG_AGENT_SEEDS = Number(process.env['CAPLAB_PERF_RIG_SEEDS'] ?? 20);

/** `rig-agent`: episode by episode, with a progress bar; then the rates. */
export async function measureRigAgent(m: Record<string, number>, io: CliIo): Promise<void> {
  const { measureArmAgent, armAgentMetrics } = await import('../services/agents/arm-agent-perf.ts');
  const tasks = ['cube-lift', 'cube-stack'];
  const seeds = Array.from({ length: RIG_AGENT_SEEDS }, (_, i) => i);
  const total = tasks.length * seeds.length;
  const bar = new ProgressBar(io.err);
  const started = performance.now();
  let done = 0;
  const episodes = await measureArmAgent(tasks, seeds, (e) => {
    done += 1;
    io.out.write(`  ${e.taskId} seed ${e.seed}: ${e.status} (${e.turns} turns, ${e.wallS.toFixed(0)} s) · camera ${e.cameraJudged ? (e.cameraSuccess ? 'success' : 'failure') : 'not judged'} · physics ${e.physicsSuccess ? 'success' : 'failure'} — ${e.reason}\n`);
    const elapsed = (performance.now() - started) / 1000;
    bar.update(done, total, (elapsed / done) * (total - done), e.taskId);
  });
  Object.assign(m, armAgentMetrics(episodes));
}

