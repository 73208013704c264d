/**
 * What `caplab perf --only rl` measures of the reward server, through real HTTP on loopback:
 * rewards per minute with 1 and 2 worker slots (cube-lift's S1 expert, 24 requests per slot, all
 * sent at once — the bench's measurement, so the two rates compare), and the latency a trainer
 * sees with 64 requests in flight (a program that exits at once, so the queue and the trial's
 * fixed costs are what is measured).
 */
import { readExpertProgram } from '../trials/catalog.ts';
import { RewardServer } from './reward-server.ts';

/** The reward server's numbers. */
export interface RewardPerf {
  readonly rewardsPerMinute: Readonly<Record<1 | 2, number>>;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly requests: number; readonly errors: number };
}

const quantile = (values: readonly number[], q: number): number => [...values].sort((a, b) => a - b)[Math.ceil(q * values.length) - 1] ?? Number.NaN;

async function postScore(url: string, body: unknown): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${url}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

async function rate(workers: 1 | 2, completion: string): Promise<number> {
  const server = await RewardServer.start({ port: 0, workers, maxQueue: 64, preset: 'capx' });
  try {
    // One unmeasured request per slot starts its simulator, as the bench's workers are warm after their first trial.
    await Promise.all(Array.from({ length: workers }, (_, i) => postScore(server.url, { task: 'cube-lift', seed: 999 - i, completion })));
    const requests = 24 * workers;
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: requests }, (_, i) => postScore(server.url, { task: 'cube-lift', seed: 1000 + i, completion })));
    const bad = answers.filter((a) => a.status !== 200).length;
    if (bad > 0) throw new Error(`${bad} of ${requests} reward requests failed`);
    return (requests / ((performance.now() - started) / 1000)) * 60;
  } finally {
    await server.close();
  }
}

async function latencyAt(concurrent: number): Promise<RewardPerf['latencyMs']> {
  const server = await RewardServer.start({ port: 0, workers: 2, maxQueue: concurrent, preset: 'capx' });
  try {
    const completion = '```python\npass\n```';
    const answers = await Promise.all(Array.from({ length: concurrent }, (_, i) => postScore(server.url, { task: 'cube-lift', seed: i, completion })));
    const ms = answers.map((a) => a.ms);
    return { p50: quantile(ms, 0.5), p99: quantile(ms, 0.99), requests: concurrent, errors: answers.filter((a) => a.status !== 200).length };
  } finally {
    await server.close();
  }
}

/** Measure the reward server. */
export async function measureRewardServer(): Promise<RewardPerf> {
  const expert = `\`\`\`python\n${readExpertProgram('cube-lift', 'S1').programSource}\`\`\``;
  const workers1 = await rate(1, expert);
  const workers2 = await rate(2, expert);
  return { rewardsPerMinute: { 1: workers1, 2: workers2 }, latencyMs: await latencyAt(64) };
}
