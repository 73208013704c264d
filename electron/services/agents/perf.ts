/**
 * `agent.hostOverheadMs`: what the host adds to an agent turn besides the model's latency and the
 * simulator's time (starting Python, RPC, validation, feedback, visual differencing text, the run
 * store), measured with multi-turn episodes against the local replay server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TIERS } from '../../../shared/api/tiers.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { loadTask } from '../trials/catalog.ts';
import { loadRecordings } from '../providers/recordings.ts';
import { createProvider } from '../providers/registry.ts';
import { ReplayServer } from '../providers/replay-server.ts';
import { RunStore } from '../storage/run-store.ts';
import { runAgent } from './service.ts';
import { median } from '../../../shared/math/stats.ts';

const RECORDING = fileURLToPath(new URL('../../../resources/recordings/agents/multi-turn-cube-stack.json', import.meta.url));

/** Per-turn timings, medians over every turn, ms. */
export interface AgentOverhead {
  readonly turns: number;
  readonly hostMedianMs: number;
  readonly hostMaxMs: number;
  readonly modelMedianMs: number;
  readonly simMedianMs: number;
}

/** Run `episodes` multi-turn cube-stack episodes (3 turns each) and collect the turns' timings. */
export async function measureAgentOverhead(episodes = 4): Promise<AgentOverhead> {
  const dir = mkdtempSync(join(tmpdir(), 'caplab-agent-perf-'));
  const server = await ReplayServer.start({ recordings: loadRecordings(RECORDING) });
  const store = RunStore.open(join(dir, 'perf.db'));
  const task = loadTask('cube-stack');
  const backend = await SimBackend.start(task);
  try {
    const model = createProvider('openai-compatible:replay', { CAPLAB_OPENAI_COMPATIBLE_BASE_URL: server.openaiBaseUrl });
    const host: number[] = [];
    const modelMs: number[] = [];
    const sim: number[] = [];
    for (let episode = 0; episode < episodes; episode += 1) {
      const result = await runAgent({ agent: 'multi-turn', task, tier: TIERS.M3, seed: 20 + episode, models: [model], store, backend, skillMode: 'off' });
      if (result.outcome.status !== 'success') throw new Error(`agent perf episode ${episode} did not succeed: ${result.outcome.reason}`);
      for (const turn of result.turns) {
        host.push(turn.hostMs);
        modelMs.push(turn.modelMs);
        sim.push(turn.simMs);
      }
    }
    return { turns: host.length, hostMedianMs: median(host), hostMaxMs: Math.max(...host), modelMedianMs: median(modelMs), simMedianMs: median(sim) };
  } finally {
    await backend.dispose();
    store.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
