import { describe, expect, it } from 'vitest';
import { isStopKey, type KeyTarget } from './stop-keys.ts';

const element = (tagName: string, inside: string | null = null, isContentEditable = false): KeyTarget => ({
  tagName,
  isContentEditable,
  closest: (selector: string) => (inside && selector.split(', ').includes(inside) ? {} : null),
});

describe('isStopKey', () => {
  it('stops on Escape and Space on the page or a button', () => {
    expect(isStopKey('Escape', element('BODY'))).toBe(true);
    expect(isStopKey(' ', element('BUTTON'))).toBe(true);
    expect(isStopKey('Escape', null)).toBe(true);
  });

  it('ignores other keys', () => {
    expect(isStopKey('Enter', element('BODY'))).toBe(false);
    expect(isStopKey('s', element('BODY'))).toBe(false);
  });

  it('leaves keys to inputs, the code editor and the terminal', () => {
    expect(isStopKey(' ', element('input'))).toBe(false);
    expect(isStopKey('Escape', element('TEXTAREA'))).toBe(false);
    expect(isStopKey(' ', element('SELECT'))).toBe(false);
    expect(isStopKey(' ', element('DIV', '.cm-editor'))).toBe(false);
    expect(isStopKey('Escape', element('DIV', '.xterm'))).toBe(false);
    expect(isStopKey(' ', element('DIV', null, true))).toBe(false);
  });
});
