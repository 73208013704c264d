import { describe, expect, it } from 'vitest';
import { redact } from './redact.ts';

describe('redact', () => {
  it('removes the given secrets wherever they appear', () => {
    expect(redact('key=abcd1234 and again abcd1234.', ['abcd1234'])).toBe('key=[redacted] and again [redacted].');
  });

  it('removes key-shaped tokens and Authorization values even when not told the key', () => {
    const text = 'sent sk-proj-AbC123xyz789_long, Authorization: Bearer local-token-1, nvapi-1234567890abc, x-api-key: sk-ant-api03-zzzzzzzzzz';
    const out = redact(text);
    expect(out).not.toMatch(/AbC123xyz789|local-token-1|1234567890abc|zzzzzzzzzz/);
    expect(out).toContain('Bearer [redacted]');
  });

  it('leaves ordinary text and short or missing secrets alone', () => {
    expect(redact('the cube moved 3 cm', ['', undefined, 'ab'])).toBe('the cube moved 3 cm');
  });
});
