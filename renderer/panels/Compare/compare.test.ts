import { describe, expect, it } from 'vitest';
import { outcomeRows, programDiff, type ComparedRun } from './compare.ts';

const run = (overrides: Partial<ComparedRun>): ComparedRun => ({
  id: 1, startedAt: '2026-11-24T10:00:00Z', robot: 'sim', task: 'cube-lift', tier: 'S1', agent: 'expert', seed: 0, status: 'success', reason: 'cube raised', wallSeconds: 2.5,
  programName: 'a.py', programSource: '', events: [], ...overrides,
});

describe('program diff', () => {
  it('numbers each side and counts the lines only one side has', () => {
    const diff = programDiff('a = 1\nb = 2\nprint(a)\n', 'a = 1\nb = 3\nprint(a)\nprint(b)\n');
    expect(diff.rows.map((r) => [r.kind, r.text, r.left, r.right])).toEqual([
      ['same', 'a = 1', 1, 1],
      ['removed', 'b = 2', 2, null],
      ['added', 'b = 3', null, 2],
      ['same', 'print(a)', 3, 3],
      ['added', 'print(b)', null, 4],
    ]);
    expect([diff.added, diff.removed]).toEqual([2, 1]);
  });

  it('is all the same for one program, all added from nothing', () => {
    expect(programDiff('x\ny', 'x\ny').rows.every((r) => r.kind === 'same')).toBe(true);
    expect(programDiff('', 'x\n')).toMatchObject({ added: 1, removed: 0 });
  });
});

describe('outcome rows', () => {
  it('marks what differs and counts what each run did', () => {
    const left = run({ events: [{ kind: 'line', tMs: 1, line: 1 }, { kind: 'api-call', tMs: 2, fn: 'open_gripper', args: [], durationMs: 1, ok: true }] });
    const right = run({ id: 2, status: 'failure', reason: 'cube not raised', wallSeconds: null, events: [{ kind: 'line', tMs: 1, line: 1 }, { kind: 'exception', tMs: 3, exception: { type: 'ValueError', message: 'x', line: 1, traceback: [], formatted: '' } }] });
    const rows = Object.fromEntries(outcomeRows(left, right).map((r) => [r.field, r]));
    expect(rows['status']).toMatchObject({ left: 'success', right: 'failure', differs: true });
    expect(rows['task']).toMatchObject({ left: 'cube-lift', differs: false });
    expect(rows['wallSeconds']).toMatchObject({ left: '2.50', right: '' });
    expect(rows['lines']).toMatchObject({ left: '1', right: '1', differs: false });
    expect(rows['calls']).toMatchObject({ left: '1', right: '0', differs: true });
    expect(rows['exceptions']).toMatchObject({ left: '0', right: '1', differs: true });
  });
});
