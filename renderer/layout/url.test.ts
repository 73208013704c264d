import { describe, expect, it } from 'vitest';
import { initialPanel, namedPanel } from './url.ts';

describe('initialPanel', () => {
  const ids = ['task', 'code', 'twin'];
  it('opens the panel the URL names', () => expect(initialPanel('?token=x&panel=twin', ids)).toBe('twin'));
  it('falls back to the first for unknown or missing names', () => {
    expect(initialPanel('?panel=nope', ids)).toBe('task');
    expect(initialPanel('', ids)).toBe('task');
  });
});

describe('namedPanel', () => {
  it('is the panel the URL names, or null', () => {
    expect(namedPanel('?panel=code', ['task', 'code'])).toBe('code');
    expect(namedPanel('?panel=nope', ['task'])).toBeNull();
    expect(namedPanel('', ['task'])).toBeNull();
  });
});
