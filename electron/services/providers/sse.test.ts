import { describe, expect, it } from 'vitest';
import { flushSse, parseSse, type SseEvent } from './sse.ts';

/** Feed `chunks` one by one, as a socket would deliver them. */
function feed(chunks: readonly string[]): SseEvent[] {
  let pending = '';
  const events: SseEvent[] = [];
  for (const chunk of chunks) {
    const step = parseSse(pending, chunk);
    events.push(...step.events);
    pending = step.pending;
  }
  return [...events, ...flushSse(pending)];
}

describe('SSE parser', () => {
  it('parses whole events with names and data', () => {
    expect(feed(['event: ping\ndata: {"a":1}\n\ndata: [DONE]\n\n'])).toEqual([
      { event: 'ping', data: '{"a":1}' },
      { event: 'message', data: '[DONE]' },
    ]);
  });

  it('gives the same events however the bytes are split', () => {
    const stream = 'data: one\n\nevent: x\ndata: two\n\ndata: three\n\n';
    const whole = feed([stream]);
    for (let cut = 1; cut < stream.length; cut += 1) {
      expect(feed([stream.slice(0, cut), stream.slice(cut)])).toEqual(whole);
    }
    expect(feed(stream.split(''))).toEqual(whole);
    expect(whole.map((e) => e.data)).toEqual(['one', 'two', 'three']);
  });

  it('accepts CRLF and CR line ends, including a CRLF split between chunks', () => {
    expect(feed(['data: a\r\n\r\ndata: b\r', '\n\r', '\ndata: c\r\rdata: d\n\n'])).toEqual([
      { event: 'message', data: 'a' },
      { event: 'message', data: 'b' },
      { event: 'message', data: 'c' },
      { event: 'message', data: 'd' },
    ]);
  });

  it('skips comments, ignores unknown fields and joins multi-line data', () => {
    expect(feed([': keep-alive\n\nid: 7\nretry: 10\nfoo: bar\ndata: line 1\ndata:line 2\n\n'])).toEqual([
      { event: 'message', data: 'line 1\nline 2' },
    ]);
  });

  it('keeps garbage lines out of events and holds an incomplete event', () => {
    const step = parseSse('', 'garbage without colon\n\n<html>oops</html>\n\ndata: partial');
    expect(step.events).toEqual([]);
    expect(step.pending).toBe('data: partial');
    expect(flushSse(step.pending)).toEqual([{ event: 'message', data: 'partial' }]);
  });
});
