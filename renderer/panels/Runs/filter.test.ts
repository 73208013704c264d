import { describe, expect, it } from 'vitest';
import type { PolicyEvent } from '../../../shared/run.ts';
import { describeEvent, EMPTY_FILTER, lineAtTime, listRequest, runsFilterReducer } from './filter.ts';

describe('runs filter', () => {
  it('builds the list request from what is filled in', () => {
    expect(listRequest(EMPTY_FILTER)).toEqual({ limit: 100 });
    const filter = [
      { type: 'search', value: '  lift ' },
      { type: 'status', value: 'cancelled' },
      { type: 'task', value: 'cube-lift' },
    ].reduce((f, a) => runsFilterReducer(f, a as Parameters<typeof runsFilterReducer>[1]), EMPTY_FILTER);
    expect(listRequest(filter, 20)).toEqual({ search: 'lift', status: 'cancelled', task: 'cube-lift', limit: 20 });
    expect(runsFilterReducer(filter, { type: 'clear' })).toEqual(EMPTY_FILTER);
  });

  it('ignores statuses the store does not have', () => {
    expect(runsFilterReducer(EMPTY_FILTER, { type: 'status', value: 'exploded' })).toBe(EMPTY_FILTER);
  });
});

describe('replay helpers', () => {
  const events: PolicyEvent[] = [
    { kind: 'line', tMs: 0, line: 1 },
    { kind: 'line', tMs: 10, line: 2 },
    { kind: 'stdout', tMs: 15, text: 'hi\n' },
    { kind: 'line', tMs: 30, line: 5 },
  ];

  it('finds the line executing at a time', () => {
    expect(lineAtTime(events, -1)).toBeNull();
    expect(lineAtTime(events, 0)).toBe(1);
    expect(lineAtTime(events, 20)).toBe(2);
    expect(lineAtTime(events, 30)).toBe(5);
    expect(lineAtTime(events, 1e9)).toBe(5);
    expect(lineAtTime([], 5)).toBeNull();
  });

  it('describes events in one line', () => {
    expect(describeEvent(events[2]!)).toBe('0.015 s  stdout: hi');
    expect(describeEvent({ kind: 'api-call', tMs: 1000, fn: 'goto_pose', args: {}, durationMs: 812.4, ok: true })).toBe('1.000 s  goto_pose(…) ok in 812 ms');
  });
});
