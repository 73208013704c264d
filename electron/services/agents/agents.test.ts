// Coding agents end to end: the OpenAI-compatible client over real HTTP to the local replay
// server (hand-written recordings, labelled as such: no live model), real python3 policies,
// the MuJoCo simulator, a real SQLite file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIERS } from '../../../shared/api/tiers.ts';
import type { ModelProvider } from '../../../shared/model.ts';
import { main } from '../../cli/main.ts';
import { capture } from '../../cli/test-io.ts';
import { loadTask } from '../trials/catalog.ts';
import { loadRecordings } from '../providers/recordings.ts';
import { createProvider } from '../providers/registry.ts';
import { ReplayServer } from '../providers/replay-server.ts';
import { RunStore } from '../storage/run-store.ts';
import { SkillStore } from '../storage/skill-store.ts';
import { runAgent } from './service.ts';

const RECORDINGS = fileURLToPath(new URL('../../../resources/recordings/agents/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'caplab-agents-'));

/** A replay server with one recording file and a provider pointed at it. */
async function replay(file: string): Promise<{ server: ReplayServer; model: ModelProvider; close: () => Promise<void> }> {
  const server = await ReplayServer.start({ recordings: loadRecordings(join(RECORDINGS, file)) });
  const model = createProvider('openai-compatible:replay', { CAPLAB_OPENAI_COMPATIBLE_BASE_URL: server.openaiBaseUrl });
  return { server, model, close: () => server.close() };
}

/** The text of the last user message of a logged OpenAI-style request. */
function lastUserText(body: unknown): string {
  const messages = (body as { messages: { role: string; content: unknown }[] }).messages.filter((m) => m.role === 'user');
  const content = messages.at(-1)?.content;
  return typeof content === 'string' ? content : JSON.stringify(content);
}

let store: RunStore;
const storePath = join(dir, 'caplab.db');
beforeAll(() => {
  store = RunStore.open(storePath);
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('multi-turn agent', () => {
  it('fixes its own error from the feedback, says FINISH, and every turn is kept in the store', async () => {
    const { server, model, close } = await replay('multi-turn-cube-stack.json');
    try {
      const result = await runAgent({ agent: 'multi-turn', task: loadTask('cube-stack'), tier: TIERS.M1, seed: 5, models: [model], store, skillMode: 'off' });
      expect(result.outcome.status).toBe('success');
      expect(result.turns.map((t) => t.decision)).toEqual(['run', 'run', 'finish']);
      const [first, second] = result.turns;
      expect(first!.policy?.status).toBe('exception');
      expect(first!.feedback).toContain("ApiArgumentError: goto_pose(position_m, quat_wxyz, z_approach_m=0, arm='left', wait=True) got an unexpected keyword argument 'approach_height'");
      expect(first!.feedback).toMatch(/Failing line \d+: goto_pose\(grasp_position, grasp_quat, approach_height=0.12\)/);
      expect(second!.policy?.status).toBe('completed');
      // The model saw the traceback: the second request carries the first turn's feedback.
      expect(lastUserText(server.log[1]!.body)).toContain("unexpected keyword argument 'approach_height'");
      expect(server.log).toHaveLength(3);
      expect(result.turns.every((t) => t.usage.inputTokens > 0 && t.usage.outputTokens > 0)).toBe(true);

      const reopened = RunStore.open(storePath);
      try {
        const run = reopened.getRun(result.runId)!;
        expect(run.status).toBe('success');
        expect(run.model).toBe('openai-compatible:replay');
        expect(run.turns.map((t) => t.decision)).toEqual(['run', 'run', 'finish']);
        expect(run.turns[0]!.code).toContain('approach_height=0.12');
        expect(run.programSource).toContain('z_approach_m=0.12');
        expect(run.events.some((e) => e.kind === 'exception')).toBe(true);
      } finally {
        reopened.close();
      }
      const shown = capture();
      expect(await main(['runs', 'show', String(result.runId), '--db', storePath], shown.io)).toBe(0);
      expect(shown.out()).toContain('agent multi-turn (openai-compatible:replay)');
      expect(shown.out()).toContain('turn 2:');
      expect(shown.out()).toMatch(/3 turns, \d+ input \+ \d+ output tokens, cost unknown/);
    } finally {
      await close();
    }
  });
});

describe('visual feedback', () => {
  it('M2 sends the camera images after each program to a vision model', async () => {
    const server = await ReplayServer.start({ recordings: loadRecordings(join(RECORDINGS, 'feedback-kinds.json')) });
    try {
      const model = createProvider('openai-compatible:replay', { CAPLAB_OPENAI_COMPATIBLE_BASE_URL: server.openaiBaseUrl }, { acceptsImages: true });
      const result = await runAgent({ agent: 'multi-turn', task: loadTask('cube-stack'), tier: TIERS.M2, seed: 8, models: [model], store, skillMode: 'off' });
      expect(result.turns.map((t) => t.decision)).toEqual(['run', 'finish']);
      const parts = (server.log[1]!.body as { messages: { content: unknown }[] }).messages.at(-1)!.content as { type: string; image_url?: { url: string } }[];
      const images = parts.filter((p) => p.type === 'image_url');
      expect(images).toHaveLength(2);
      expect(images[0]!.image_url!.url).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
      expect(result.outcome.status).toBe('success');
    } finally {
      await server.close();
    }
  });

  it('M3 describes what changed in the scene, from the cameras', async () => {
    const { model, close } = await replay('feedback-kinds.json');
    try {
      const result = await runAgent({ agent: 'multi-turn', task: loadTask('cube-stack'), tier: TIERS.M3, seed: 8, models: [model], store, skillMode: 'off' });
      expect(result.turns.map((t) => t.decision)).toEqual(['run', 'finish']);
      const feedback = result.turns[0]!.feedback!;
      expect(feedback).toContain('## What changed in the scene (from the cameras)');
      expect(feedback).toMatch(/- cube_red: moved \d+\.\d cm/);
      expect(feedback).toContain('cube_red on cube_green (new)');
    } finally {
      await close();
    }
  });
});

describe('agent0', () => {
  it('synthesises from candidates at a spread of temperatures, each rehearsed on a twin rebuilt from perception', async () => {
    const { server, model, close } = await replay('agent0-cube-lift.json');
    try {
      const result = await runAgent({
        agent: 'agent0', task: loadTask('cube-lift'), tier: TIERS.M1, seed: 11, models: [model], store, skillMode: 'off', candidates: 3, rehearse: true,
      });
      expect(result.outcome.status).toBe('success');
      const [first, second] = result.turns;
      expect(first!.candidates.map((c) => c.temperature)).toEqual([0.1, 0.5, 0.9]);
      expect(first!.candidates.map((c) => c.rehearsal?.status)).toEqual(['success', 'failure', 'error']);
      expect(first!.candidates[2]!.rehearsal?.reason).toMatch(/SyntaxError|never closed/);
      expect(second!.decision).toBe('finish');
      const synthesis = server.log.find((entry) => lastUserText(entry.body).includes('## SYNTHESIS'));
      expect(lastUserText(synthesis!.body)).toContain('### Candidate 3 (temperature 0.9');
      expect(lastUserText(synthesis!.body)).toContain('Rehearsal on a twin rebuilt from perception: success');
      // 3 candidates + 1 synthesis per decision, two decisions.
      expect(server.log).toHaveLength(8);
      const kept = store.getRun(result.runId)!;
      expect(kept.turns[0]!.candidates).toHaveLength(3);
      // The turn's tokens are the candidates' plus the synthesis call's.
      const candidateTokens = first!.candidates.reduce((sum, c) => sum + c.usage.inputTokens, 0);
      expect(candidateTokens).toBeGreaterThan(0);
      expect(kept.turns[0]!.usage.inputTokens).toBeGreaterThan(candidateTokens);
    } finally {
      await close();
    }
  });
});

describe('skills', () => {
  it('distils a successful program, promotes it after fresh seeds, and a later task calls it', async () => {
    const { server, model, close } = await replay('skills.json');
    try {
      const learnedFrom = await runAgent({ agent: 'single-turn', task: loadTask('cube-lift'), tier: TIERS.S2, seed: 2, models: [model], store, skillMode: 'learn' });
      expect(learnedFrom.outcome.status).toBe('success');
      expect(learnedFrom.learned).toMatchObject({ name: 'pick_up', promoted: true });
      const skills = new SkillStore(store);
      const skill = skills.get('pick_up')!;
      expect(skill).toMatchObject({ status: 'promoted', task: 'cube-lift', runId: learnedFrom.runId, trials: 3, successes: 3, example: "pick_up('cube')" });
      expect(skills.trials('pick_up').map((t) => t.seed)).not.toContain(2);

      const reused = await runAgent({ agent: 'single-turn', task: loadTask('cube-stack'), tier: TIERS.S2, seed: 6, models: [model], store, skillMode: 'use' });
      expect(reused.skillsOffered).toEqual(['pick_up']);
      expect(reused.outcome.status).toBe('success');
      expect(reused.outcome.policy.stdout).toContain('stacked with pick_up');
      const prompt = lastUserText(server.log.at(-1)!.body);
      expect(prompt).toContain('def pick_up(name, lift_m=0.2, approach_m=0.12):');

      // The library from the command line.
      const list = capture();
      expect(await main(['skills', 'list', '--db', storePath], list.io)).toBe(0);
      expect(list.out()).toMatch(/^pick_up\s+v1\s+promoted\s+3\/3\s+cube-lift\s+Grasp the named object/m);
      const show = capture();
      expect(await main(['skills', 'show', 'pick_up', '--db', storePath], show.io)).toBe(0);
      expect(show.out()).toContain('pick_up(name, lift_m=0.2, approach_m=0.12) · v1 · promoted');
      expect(show.out()).toMatch(/v1 promotion cube-lift seed \d+: success/);
      const exported = join(dir, 'skills.py');
      expect(await main(['skills', 'export', '--out', exported, '--db', storePath], capture().io)).toBe(0);
      expect(readFileSync(exported, 'utf8')).toContain('def pick_up(name, lift_m=0.2, approach_m=0.12):');
    } finally {
      await close();
    }
  });
});

describe('answers without code', () => {
  it('single-turn: the run ends as an error that says there was no program', async () => {
    const { model, close } = await replay('no-code.json');
    try {
      const result = await runAgent({ agent: 'single-turn', task: loadTask('cube-lift'), tier: TIERS.S2, seed: 1, models: [model], store, skillMode: 'off' });
      expect(result.outcome.status).toBe('error');
      expect(result.outcome.reason).toBe('no program ran: the answer has no ```python code block and does not say FINISH');
      expect(result.turns.map((t) => t.decision)).toEqual(['no-code']);
    } finally {
      await close();
    }
  });

  it('multi-turn: the model is told what was wrong and asked again, up to the turn limit', async () => {
    const { server, model, close } = await replay('no-code.json');
    try {
      const result = await runAgent({ agent: 'multi-turn', task: loadTask('cube-lift'), tier: TIERS.M1, seed: 1, models: [model], store, skillMode: 'off', maxTurns: 2 });
      expect(result.turns.map((t) => t.decision)).toEqual(['no-code', 'no-code']);
      expect(lastUserText(server.log[1]!.body)).toContain('Answer with a complete program');
      expect(result.outcome.status).toBe('error');
    } finally {
      await close();
    }
  });
});

describe('caplab run --agent multi-turn', () => {
  it('prints each turn: the program, the feedback and the decision', async () => {
    const { server, close } = await replay('multi-turn-cube-stack.json');
    process.env['CAPLAB_OPENAI_COMPATIBLE_BASE_URL'] = server.openaiBaseUrl;
    try {
      const c = capture();
      const code = await main(
        ['run', '--task', 'cube-stack', '--agent', 'multi-turn', '--model', 'openai-compatible:replay', '--tier', 'M1', '--seed', '5', '--db', storePath, '--quiet', '--skills', 'off'],
        c.io,
      );
      const out = c.out();
      expect(code).toBe(0);
      expect(out).toContain('══ turn 1 · asking the model');
      expect(out).toMatch(/── program\n\s*1 │ # Human-expert reference program for cube-stack/);
      expect(out).toContain('── feedback to the model');
      expect(out).toContain('── decision: ran the program');
      expect(out).toContain('══ turn 3');
      expect(out).toContain('── decision: FINISH');
      expect(out.trimEnd().split('\n').at(-1)).toMatch(/^success: /);
    } finally {
      delete process.env['CAPLAB_OPENAI_COMPATIBLE_BASE_URL'];
      await close();
    }
  });
});
