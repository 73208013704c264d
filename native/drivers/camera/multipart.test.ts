import { describe, expect, it } from 'vitest';
import { boundaryOf, MultipartParser } from './multipart.ts';

const part = (body: string, length = true): string =>
  `--frame\r\nContent-Type: image/jpeg\r\n${length ? `Content-Length: ${body.length}\r\n` : ''}\r\n${body}\r\n`;

function feedAll(parser: MultipartParser, chunks: string[]): string[] {
  return chunks.flatMap((chunk) => parser.feed(Buffer.from(chunk, 'latin1'))).map((p) => p.body.toString('latin1'));
}

/** The stream cut into pieces of `size` bytes. */
function split(stream: string, size: number): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < stream.length; at += size) chunks.push(stream.slice(at, at + size));
  return chunks;
}

describe('boundaryOf', () => {
  it('reads the boundary with or without quotes and leading dashes', () => {
    expect(boundaryOf('multipart/x-mixed-replace; boundary=frame')).toBe('frame');
    expect(boundaryOf('multipart/x-mixed-replace;boundary="--my frame"')).toBe('my frame');
    expect(boundaryOf('Multipart/X-Mixed-Replace; charset=x; boundary=--ipcam')).toBe('ipcam');
  });
  it('refuses other content types', () => {
    expect(boundaryOf('image/jpeg')).toBeNull();
    expect(boundaryOf('multipart/x-mixed-replace')).toBeNull();
    expect(boundaryOf(undefined)).toBeNull();
  });
});

describe('MultipartParser', () => {
  const stream = part('AAAA') + part('BBBBBB') + part('C\r\n--fram');

  it('frames parts with Content-Length, whole or split into any chunk size', () => {
    for (const size of [1, 2, 3, 7, 13, stream.length]) {
      const parser = new MultipartParser('frame');
      expect(feedAll(parser, split(stream, size)), `chunks of ${size}`).toEqual(['AAAA', 'BBBBBB', 'C\r\n--fram']);
      expect(parser.stats.garbageBytes).toBe(0);
    }
  });

  it('frames parts without Content-Length by the next delimiter', () => {
    const noLength = part('first', false) + part('second', false) + '--frame\r\n';
    for (const size of [1, 5, noLength.length]) {
      expect(feedAll(new MultipartParser('frame'), split(noLength, size))).toEqual(['first', 'second']);
    }
  });

  it('skips garbage before and between parts, and counts it', () => {
    const parser = new MultipartParser('--frame');
    const noisy = 'HTTP junk' + part('one') + 'xx\r\nyy' + part('two', false) + '\x00\x01' + part('three');
    expect(feedAll(parser, split(noisy, 4))).toEqual(['one', 'two\r\n\x00\x01', 'three']);
    // A part without a length cannot tell trailing garbage from its body; with one, it can.
    const counted = new MultipartParser('frame');
    expect(feedAll(counted, [part('one') + 'xx\r\nyy' + part('two')])).toEqual(['one', 'two']);
    expect(counted.stats.garbageBytes).toBe(4);
  });

  it('hands out a part whose Content-Length lies as cut short, then resyncs', () => {
    const lying = '--frame\r\nContent-Length: 100\r\n\r\nshort\r\n' + part('next');
    const parts = new MultipartParser('frame').feed(Buffer.from(lying));
    expect(parts.map((p) => [p.body.toString(), p.shortOfLength])).toEqual([
      ['short', true],
      ['next', false],
    ]);
  });

  it('accepts parts with no headers, LF-only line ends, and stops at the closing delimiter', () => {
    const parser = new MultipartParser('b');
    const parts = feedAll(parser, ['--b\r\n\r\nbare\r\n--b\nContent-Length: 2\n\nok\n--b--\r\n--b\r\n\r\nafter']);
    expect(parts).toEqual(['bare', 'ok']);
    expect(parser.ended).toBe(true);
  });

  it('drops a part larger than the limit and goes on', () => {
    const parser = new MultipartParser('frame', 16);
    const big = part('x'.repeat(40)) + part('y'.repeat(40), false) + part('fine');
    expect(feedAll(parser, split(big, 5))).toEqual(['fine']);
    expect(parser.stats.oversizeParts).toBe(2);
  });
});
