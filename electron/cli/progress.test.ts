import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { formatDuration, ProgressBar, renderProgressLine } from './progress.ts';

describe('progress bar', () => {
  it('renders the fraction, counts and the time left', () => {
    expect(renderProgressLine(5, 20, 75, '5 ok', 10)).toBe('[███░░░░░░░] 5/20  25%  5 ok  ~1 min 15 s left');
    expect(renderProgressLine(20, 20, 0, '19 ok', 10)).toBe('[██████████] 20/20 100%  19 ok  done');
    expect(formatDuration(Number.NaN)).toBe('?');
    expect(formatDuration(3725)).toBe('1 h 02 min');
  });

  it('prints plain lines (first, last, and at most every interval) when not on a terminal', () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const bar = new ProgressBar(out, 60_000);
    for (let done = 1; done <= 10; done += 1) bar.update(done, 10, 10 - done, `${done} ok`);
    expect(chunks).toHaveLength(2);
    expect(chunks[0]).toContain('1/10');
    expect(chunks[1]).toContain('10/10');
  });
});
