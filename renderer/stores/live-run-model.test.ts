import { describe, expect, it } from 'vitest';
import { applyRunStatus, applyTrace, applyTurn, IDLE_RUN } from './live-run-model.ts';

const started = applyRunStatus(IDLE_RUN, { runId: 7, taskId: 'cube-lift', status: 'running', reason: null, programSource: 'a = 1\nb = 2\n' });

describe('live run model', () => {
  it('a new run resets the view and keeps its program', () => {
    const marked = applyTrace(started, 7, { kind: 'exception', tMs: 3, exception: { type: 'ValueError', message: 'x', line: 2, traceback: [], formatted: '' } });
    const next = applyRunStatus(marked, { runId: 8, taskId: 'cube-stack', status: 'running', reason: null, programSource: 'pass\n' });
    expect(next).toMatchObject({ runId: 8, taskId: 'cube-stack', status: 'running', errorLine: null, programSource: 'pass\n', turns: [] });
  });

  it('line events move the executing line; other runs are ignored', () => {
    const at1 = applyTrace(started, 7, { kind: 'line', tMs: 1, line: 1 });
    const at2 = applyTrace(at1, 7, { kind: 'line', tMs: 2, line: 2 });
    expect(at2.currentLine).toBe(2);
    expect(at2.linesExecuted).toBe(2);
    expect(applyTrace(at2, 99, { kind: 'line', tMs: 3, line: 1 })).toBe(at2);
    expect(applyTrace(at2, 7, { kind: 'stdout', tMs: 3, text: 'hi' })).toBe(at2);
  });

  it('an exception marks the failing line and the end clears the executing one', () => {
    const running = applyTrace(started, 7, { kind: 'line', tMs: 1, line: 2 });
    const failed = applyTrace(running, 7, { kind: 'exception', tMs: 2, exception: { type: 'ZeroDivisionError', message: 'division by zero', line: 2, traceback: [], formatted: '' } });
    const ended = applyRunStatus(failed, { runId: 7, taskId: 'cube-lift', status: 'error', reason: 'ZeroDivisionError', programSource: '' });
    expect(ended).toMatchObject({ status: 'error', currentLine: null, errorLine: 2, errorText: 'ZeroDivisionError: division by zero' });
    expect(ended.programSource).toBe('a = 1\nb = 2\n');
  });

  it('a late end of an older run does not replace the running one', () => {
    expect(applyRunStatus(started, { runId: 6, taskId: 'x', status: 'cancelled', reason: null, programSource: '' })).toBe(started);
  });

  it('agent turns stream in order and a new program clears the error mark', () => {
    const failed = applyTrace(started, 7, { kind: 'exception', tMs: 2, exception: { type: 'E', message: 'm', line: 1, traceback: [], formatted: '' } });
    const t1 = applyTurn(failed, { runId: 7, turn: 1, program: 'print(2)\n', feedback: null, decision: 'run' });
    const t0 = applyTurn(t1, { runId: 7, turn: 0, program: null, feedback: 'Traceback', decision: 'run' });
    expect(t0.turns.map((t) => t.turn)).toEqual([0, 1]);
    expect(t0.programSource).toBe('print(2)\n');
    expect(t0.errorLine).toBeNull();
  });
});
