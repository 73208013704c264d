import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunStore } from './run-store.ts';
import { SkillStore } from './skill-store.ts';

const dirs: string[] = [];
function openStore(): { runs: RunStore; skills: SkillStore; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'caplab-skills-'));
  dirs.push(dir);
  const path = join(dir, 'caplab.db');
  const runs = RunStore.open(path);
  return { runs, skills: new SkillStore(runs), path };
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const lift = {
  name: 'lift_object',
  description: 'Grasp the named object from above and lift it by height_m.',
  signature: "lift_object(name, height_m=0.1)",
  source: 'def lift_object(name, height_m=0.1):\n    """Grasp the named object from above and lift it by height_m."""\n    pass\n',
  example: "lift_object('cube')",
  task: 'cube-lift',
  model: 'openai-compatible:replay',
};

describe('SkillStore', () => {
  it('keeps versions, provenance and trial statistics, and survives reopening', () => {
    const { runs, skills, path } = openStore();
    const first = skills.save(lift);
    expect(first).toMatchObject({ name: 'lift_object', version: 1, status: 'candidate', task: 'cube-lift', trials: 0 });
    skills.recordTrial('lift_object', { purpose: 'promotion', task: 'cube-lift', seed: 7, success: true, reason: 'lifted' });
    skills.setStatus('lift_object', 'promoted');
    const second = skills.save({ ...lift, description: 'Lift an object (v2).', source: lift.source.replace('pass', 'return None') });
    expect(second).toMatchObject({ version: 2, status: 'candidate', description: 'Lift an object (v2).', trials: 1, successes: 1 });
    runs.close();
    const reopened = new SkillStore(RunStore.open(path));
    expect(reopened.get('lift_object')).toMatchObject({ version: 2, source: expect.stringContaining('return None') });
    expect(reopened.trials('lift_object')).toEqual([{ version: 1, purpose: 'promotion', task: 'cube-lift', seed: 7, success: true, reason: 'lifted' }]);
  });

  it('finds skills by words of a task (FTS5), best match first, filtered by status', () => {
    const { skills } = openStore();
    skills.save(lift);
    skills.save({
      ...lift,
      name: 'wipe_area',
      description: 'Wipe a stain with the held sponge in overlapping strokes.',
      signature: 'wipe_area(center, size_m)',
      source: 'def wipe_area(center, size_m):\n    """Wipe a stain with the held sponge."""\n    pass\n',
      task: 'spill-wipe',
    });
    expect(skills.search('wipe the spill with the sponge').map((s) => s.name)).toEqual(['wipe_area']);
    expect(skills.search('lift the red cube').map((s) => s.name)[0]).toBe('lift_object');
    expect(skills.search('lift the cube', { status: 'promoted' })).toEqual([]);
    skills.setStatus('lift_object', 'promoted');
    expect(skills.search('lift the cube', { status: 'promoted' }).map((s) => s.name)).toEqual(['lift_object']);
    expect(skills.search('?? !!')).toEqual([]);
  });

  it('refuses names that are not identifiers and sources that do not define the function', () => {
    const { skills } = openStore();
    expect(() => skills.save({ ...lift, name: 'lift object' })).toThrow('must be a Python identifier');
    expect(() => skills.save({ ...lift, source: 'def other():\n    pass\n' })).toThrow('must define lift_object()');
  });

  it('deletes a skill with its versions, trials and search entry', () => {
    const { skills } = openStore();
    skills.save(lift);
    skills.recordTrial('lift_object', { purpose: 'test', task: 'cube-lift', seed: 1, success: false, reason: 'dropped' });
    expect(skills.delete('lift_object')).toBe(true);
    expect(skills.get('lift_object')).toBeNull();
    expect(skills.search('lift')).toEqual([]);
    expect(skills.delete('lift_object')).toBe(false);
  });
});
