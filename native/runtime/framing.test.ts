import { describe, expect, it } from 'vitest';
import { LineDecoder, MAX_LINE_BYTES, encodeLine, type FramingProblem } from './framing.ts';

describe('LineDecoder', () => {
  it('reassembles messages split anywhere, including inside a UTF-8 character', () => {
    const bytes = Buffer.from(encodeLine({ t: 'out', text: 'grüße 🤖' }) + encodeLine({ t: 'ret', id: 2 }));
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const decoder = new LineDecoder();
      const messages = [...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut))];
      expect(messages).toEqual([{ t: 'out', text: 'grüße 🤖' }, { t: 'ret', id: 2 }]);
    }
  });

  it('reports a line that is not JSON and keeps the following messages', () => {
    const problems: FramingProblem[] = [];
    const decoder = new LineDecoder((p) => problems.push(p));
    const messages = decoder.push(Buffer.from('{"t":"a"}\n\u0000garbage{\n{"t":"b"}\n'));
    expect(messages).toEqual([{ t: 'a' }, { t: 'b' }]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.reason).toMatch(/not JSON/);
  });

  it('drops an over-long line and resynchronises at the next newline', () => {
    const problems: FramingProblem[] = [];
    const decoder = new LineDecoder((p) => problems.push(p));
    const big = Buffer.alloc(MAX_LINE_BYTES + 10, 0x61);
    expect(decoder.push(big)).toEqual([]);
    expect(decoder.push(Buffer.from('aaa\n{"t":"after"}\n'))).toEqual([{ t: 'after' }]);
    expect(problems.map((p) => p.reason)).toEqual([expect.stringMatching(/longer than/)]);
  });
});
