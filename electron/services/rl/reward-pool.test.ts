// The reward pool's slots take their policy processes warm, as a bench slot does: requests that
// wait while one runs find the next process already started (real simulator, real sandboxed
// python3; that a warm process runs one program only is native/runtime/warm-runner.test.ts').
import { afterAll, describe, expect, it } from 'vitest';
import { TIERS } from '../../../shared/api/tiers.ts';
import { readExpertProgram } from '../trials/catalog.ts';
import { RewardPool } from './reward-pool.ts';

describe('reward pool', () => {
  const pool = new RewardPool({ workers: 1, maxQueue: 8, preset: 'capx' });
  afterAll(() => pool.dispose());

  it('scores queued requests on one slot, every process after the first taken warm', async () => {
    const expert = `\`\`\`python\n${readExpertProgram('cube-lift', 'S1').programSource}\`\`\``;
    const program = "```python\nprint('a program that exits cleanly')\n```";
    const results = await Promise.all([
      pool.score({ taskId: 'cube-lift', tier: TIERS.S1, seed: 1, completion: expert }),
      ...[2, 3, 4].map((seed) => pool.score({ taskId: 'cube-lift', tier: TIERS.S1, seed, completion: program })),
    ]);
    expect(results.map((r) => r.score)).toEqual([1, 0.1, 0.1, 0.1]);
    expect(pool.warmStats).toEqual([{ warm: 3, cold: 1, discarded: 0, lastDiscard: null }]);
    // Nothing waits once the queue is empty: the next process is started only for a waiting request.
    expect(pool.queued).toBe(0);
  }, 120_000);
});
