// verl's side of the reward: python3 runs native/python/caplab_reward.py's compute_score_batch
// against two real reward servers, and every completion is scored by one of them.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RewardServer } from './reward-server.ts';

const PYTHON_DIR = fileURLToPath(new URL('../../../native/python/', import.meta.url));

function python(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', script], { cwd: PYTHON_DIR, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const SCRIPT = `
import json, caplab_reward as r
lift = open('../../resources/experts/cube-lift/S1.py').read()
sources, completions, infos = [], [], []
for i in range(8):
    sources.append('caplab/cube-lift')
    completions.append('\`\`\`python\\n' + (lift if i == 0 else "raise ValueError('no')" if i == 1 else "print(%d)" % i) + '\\n\`\`\`')
    infos.append({'split': 'train', 'index': i, 'seed': i, 'task': 'cube-lift', 'tier': 'S1'})
sources.append('caplab/cube-lift'); completions.append('I would rather not.'); infos.append({'seed': 0})
scores = r.compute_score_batch(sources, completions, [None] * len(sources), infos)
one = r.compute_score('caplab/cube-lift', completions[2], {'program': ''}, infos[2])
r._resting.clear()  # the batch's 429s rested a server; round robin from a clean start
servers = [r.score_details('caplab/cube-lift', completions[3], None, infos[3])['server'] for _ in range(4)]
try:
    r.compute_score('caplab/cube-juggle', completions[2], None, {'seed': 1})
    refused = None
except r.RewardRequestError as e:
    refused = [e.status, e.code, str(e)]
print(json.dumps({'scores': scores, 'one': one, 'servers': servers, 'refused': refused}))
`;

describe('caplab_reward.compute_score (verl) against two reward servers', () => {
  const servers: RewardServer[] = [];
  // Room for two requests per server (one scoring, one queued), so six at once must meet 429s
  // (a trial takes far longer than the batch takes to send), not only when they happen to bunch up.
  beforeAll(async () => {
    for (let i = 0; i < 2; i += 1) servers.push(await RewardServer.start({ port: 0, workers: 1, maxQueue: 1, preset: 'capx', timeoutMs: 20_000 }));
  });
  afterAll(() => Promise.all(servers.map((server) => server.close())));

  it('scores a batch spread over both servers, honouring their 429s', async () => {
    const { code, stdout, stderr } = await python(SCRIPT, { CAPLAB_REWARD_URLS: servers.map((s) => s.url).join(','), CAPLAB_REWARD_CONCURRENCY: '6' });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { scores: number[]; one: number; servers: string[]; refused: [number, string, string] };
    expect(result.scores).toEqual([1, 0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0]);
    expect(result.one).toBe(0.1);
    expect(new Set(result.servers)).toEqual(new Set(servers.map((s) => s.url)));
    expect(result.refused.slice(0, 2)).toEqual([404, 'unknown_task']);
    for (const server of servers) {
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/caplab_reward_responses_total\{code="200"\} [1-9]/);
    }
    const refusals = await Promise.all(servers.map(async (s) => /caplab_reward_responses_total\{code="429"\} (\d+)/.exec(await (await fetch(`${s.url}/metrics`)).text())?.[1] ?? '0'));
    expect(refusals.map(Number).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  }, 240_000);
});
