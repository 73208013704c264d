import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTaskDefinition, TaskDefinitionError } from './tasks.ts';
import { wilsonInterval } from './bench.ts';

const cubeLift = readFileSync(new URL('../resources/tasks/cube-lift.json', import.meta.url), 'utf8');

describe('task definitions', () => {
  it('parses the shipped cube-lift task', () => {
    const task = parseTaskDefinition(cubeLift, 'cube-lift.json');
    expect(task.success).toEqual({ kind: 'lifted', object: 'cube', heightM: 0.04, holdS: 0.5 });
    expect(task.objects[0]?.place.xM).toEqual([0.4, 0.6]);
  });

  it('names the file and the field of a malformed definition', () => {
    const broken = JSON.parse(cubeLift) as { objects: Array<{ massKg: number; place: { yM: number[] } }> };
    broken.objects[0]!.massKg = -1;
    broken.objects[0]!.place.yM = [0.2, -0.2];
    const error = (() => {
      try {
        parseTaskDefinition(JSON.stringify(broken), 'broken.json');
      } catch (caught) {
        return caught as TaskDefinitionError;
      }
      throw new Error('expected a TaskDefinitionError');
    })();
    expect(error).toBeInstanceOf(TaskDefinitionError);
    expect(error.message).toContain('broken.json');
    expect(error.issues.some((issue) => issue.startsWith('objects.0.massKg'))).toBe(true);
    expect(error.issues.some((issue) => issue.startsWith('objects.0.place.yM') && issue.includes('low <= high'))).toBe(true);
  });

  it('reports invalid JSON and a success predicate naming a missing object', () => {
    expect(() => parseTaskDefinition('{ "id": ', 'cut.json')).toThrow(/cut.json:\n {2}not valid JSON/);
    const task = JSON.parse(cubeLift) as { success: { object: string } };
    task.success.object = 'sphere';
    expect(() => parseTaskDefinition(JSON.stringify(task), 't.json')).toThrow("success: 'sphere' is not one of the objects (cube)");
  });
});

describe('wilsonInterval', () => {
  it('matches the textbook values', () => {
    const [low, high] = wilsonInterval(19, 20);
    expect(low).toBeCloseTo(0.7639, 3);
    expect(high).toBeCloseTo(0.9911, 3);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
    expect(wilsonInterval(20, 20)[1]).toBe(1);
  });
});
