// The reward server as verl's reward workers meet it: real HTTP on loopback, real simulators,
// real python3 policies. 64 concurrent requests are all served; overload gets 429s with
// retry-after; bad requests get 4xx with clear messages and the server keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RewardServer } from './reward-server.ts';

const fenced = (code: string): string => `Here is the program:\n\`\`\`python\n${code}\n\`\`\`\n`;

async function post(url: string, body: unknown): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

describe('reward server: 64 concurrent requests over 2 worker slots', () => {
  let server: RewardServer;
  beforeAll(async () => {
    server = await RewardServer.start({ port: 0, workers: 2, maxQueue: 64, preset: 'capx', timeoutMs: 5000, maxBodyBytes: 64 * 1024 });
  });
  afterAll(() => server.close());

  it('serves every one with no error, the queue bounded by its limit', async () => {
    const answers = await Promise.all(
      Array.from({ length: 64 }, (_, i) => post(`${server.url}/score`, { data_source: 'caplab/cube-lift', tier: 'S1', seed: i, completion: fenced(`print('episode', ${i})`) })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(64).fill(200));
    for (const { json } of answers) {
      expect(json).toMatchObject({ score: 0.1, success: false, status: 'failure', progress: 0 });
      expect(String(json['summary'])).toMatch(/^cube-lift S1 seed \d+: failure \(score 0\.10/);
    }
    expect(server.metrics.queueHighWater).toBeGreaterThan(0);
    expect(server.metrics.queueHighWater).toBeLessThanOrEqual(64 - 2);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('caplab_reward_responses_total{code="200"} 64');
    expect(metrics).toContain('caplab_reward_results_total{status="failure"} 64');
    expect(metrics).toContain('caplab_reward_latency_seconds_count 64');
    expect(metrics).toMatch(/^# TYPE caplab_reward_latency_seconds histogram$/m);
    expect(metrics).toMatch(/^caplab_reward_queue_depth 0$/m);
  }, 240_000);

  it('gives a clear 4xx for each bad request and keeps serving', async () => {
    const malformed = await post(`${server.url}/score`, '{"task": "cube-lift", ');
    expect(malformed.status).toBe(400);
    expect(malformed.json['error']).toMatchObject({ code: 'malformed_json', message: expect.stringContaining('not JSON') });
    const unknown = await post(`${server.url}/score`, { task: 'cube-juggle', completion: fenced('pass') });
    expect(unknown.status).toBe(404);
    expect(unknown.json['error']).toMatchObject({ code: 'unknown_task', message: expect.stringContaining("unknown task 'cube-juggle'; known tasks: cube-lift") });
    const noCode = await post(`${server.url}/score`, { task: 'cube-lift', completion: 'I would lift the cube carefully.' });
    expect(noCode.status).toBe(422);
    expect(noCode.json).toMatchObject({ error: { code: 'no_code' }, score: 0 });
    const huge = await post(`${server.url}/score`, { task: 'cube-lift', completion: fenced(`x = "${'a'.repeat(70 * 1024)}"`) });
    expect(huge.status).toBe(413);
    expect(huge.json['error']).toMatchObject({ code: 'body_too_large', message: 'the body is over the limit of 65536 bytes' });
    const missing = await post(`${server.url}/score`, { task: 'cube-lift' });
    expect(missing.status).toBe(400);
    expect(String((missing.json['error'] as { message: string }).message)).toContain('completion is required');
    const endless = await post(`${server.url}/score`, { task: 'cube-lift', seed: 1, completion: fenced('while True:\n    pass') });
    expect(endless.status).toBe(422);
    expect(endless.json).toMatchObject({ error: { code: 'timeout' }, score: 0, success: false, status: 'timeout' });
    expect(String(endless.json['reason'])).toContain('wall-clock limit of 5 s');
    const health = await fetch(`${server.url}/health`);
    expect(await health.json()).toMatchObject({ ok: true, workers: 2, queued: 0, busy: 0 });
  }, 60_000);

  it('scores a batch, each item its own result or error', async () => {
    const { status, json } = await post(`${server.url}/score/batch`, {
      requests: [
        { task: 'cube-lift', seed: 2, completion: fenced("raise RuntimeError('gave up')") },
        { task: 'no-such-task', completion: fenced('pass') },
        { task: 'cube-lift', seed: 2, completion: fenced('pass') },
      ],
    });
    expect(status).toBe(200);
    const results = json['results'] as Record<string, unknown>[];
    expect(results[0]).toMatchObject({ score: 0, status: 'error', reason: expect.stringContaining('RuntimeError: gave up') });
    expect(results[1]).toMatchObject({ score: 0, error: { status: 404, code: 'unknown_task' } });
    expect(results[2]).toMatchObject({ score: 0.1, status: 'failure' });
  }, 60_000);
});

describe('reward server: overload', () => {
  let server: RewardServer;
  beforeAll(async () => {
    server = await RewardServer.start({ port: 0, workers: 1, maxQueue: 2, preset: 'dense', timeoutMs: 5000 });
  });
  afterAll(() => server.close());

  it('answers 429 with retry-after beyond one running and two waiting, and serves the rest', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => post(`${server.url}/score`, { task: 'cube-lift', seed: i, completion: fenced('pass') })));
    const ok = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect(ok.length + refused.length).toBe(8);
    expect(ok.length).toBe(3);
    for (const answer of refused) {
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(answer.json['error']).toMatchObject({ code: 'queue_full', message: expect.stringContaining('the reward queue is full') });
    }
    const after = await post(`${server.url}/score`, { task: 'cube-lift', seed: 9, completion: fenced('pass') });
    expect(after.status).toBe(200);
    expect(after.json).toMatchObject({ status: 'failure', score: 0 });
  }, 120_000);
});
