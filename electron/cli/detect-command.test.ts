// `caplab detector-server --emulator` and `caplab detect` as a user meets them: the emulator's URL
// printed, a camera image (the simulator's top view as a JPEG file) asked about, Ctrl-C; and the
// mistakes a user makes named.
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTaskDefinition } from '../../shared/tasks.ts';
import { encodeJpeg } from '../../native/perception/jpeg-image.ts';
import { SimBackend } from '../../native/sim/sim-backend.ts';
import { main } from './main.ts';
import { capture } from './test-io.ts';

let dir: string;
let shot: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'caplab-detect-'));
  const task = parseTaskDefinition(readFileSync(new URL('../../resources/tasks/cube-lift.json', import.meta.url), 'utf8'), 'cube-lift.json');
  const sim = await SimBackend.start(task);
  try {
    await sim.reset(2);
    const frame = await sim.render('top', 320, 240);
    shot = join(dir, 'top.jpg');
    writeFileSync(shot, encodeJpeg({ widthPx: 320, heightPx: 240, rgb: frame.rgb }, 90));
  } finally {
    await sim.dispose();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('caplab detect', () => {
  it('asks the emulator (SAM3 dialect) about a snapshot: the cube is found, the purple bowl is not', async () => {
    const out = new PassThrough();
    let printed = '';
    out.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const interrupts: Array<() => void> = [];
    const serving = main(['detector-server', '--emulator', '--port', '0'], { out, err: new PassThrough(), onInterrupt: (l: () => void) => interrupts.push(l), offInterrupt: () => {} });
    while (!printed.includes('(Ctrl-C to stop)')) await once(out, 'data');
    expect(printed).toContain('not a model');
    const url = /POST (http:\/\/127\.0\.0\.1:\d+)\/segment/.exec(printed)?.[1] ?? '';
    expect(url).not.toBe('');

    const text = capture();
    expect(await main(['detect', '--server', url, '--image', shot, '--query', 'red cube, purple bowl'], text.io)).toBe(0);
    expect(text.out()).toMatch(/^SAM3 \(CaP-X \/segment\) — 320x240, \d+ ms\n/);
    expect(text.out()).toMatch(/red cube: box \[\d+, \d+, \d+, \d+\] score 0\.95, mask \d+ px/);
    expect(text.out()).toContain('purple bowl: nothing at score ≥ 0.3');

    const json = capture();
    expect(await main(['detect', '--server', url, '--dialect', 'caplab', '--image', shot, '--query', 'red cube', '--json'], json.io)).toBe(0);
    const answer = JSON.parse(json.out()) as { detections: { query: string; maskPixels: number }[] };
    expect(answer.detections[0]).toMatchObject({ query: 'red cube' });
    expect(answer.detections[0]!.maskPixels).toBeGreaterThan(50);

    for (const interrupt of interrupts) interrupt();
    expect(await serving).toBe(0);
    expect(printed).toMatch(/\d+ requests answered/);
    const gone = capture();
    expect(await main(['detect', '--server', url, '--image', shot, '--query', 'red cube'], gone.io)).toBe(1);
    expect(gone.err()).toContain(`cannot reach the detector at ${url}`);
  });

  it('names what is missing or wrong in the command line', async () => {
    const png = join(dir, 'shot.png');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    const cases: [string[], string][] = [
      [['detect', '--image', shot, '--query', 'cube'], 'detect needs --server'],
      [['detect', '--server', 'http://127.0.0.1:1', '--query', 'cube'], 'detect needs --image'],
      [['detect', '--server', 'http://127.0.0.1:1', '--image', shot], 'detect needs --query'],
      [['detect', '--server', 'http://127.0.0.1:1', '--image', png, '--query', 'cube'], 'not a JPEG'],
      [['detect', '--server', 'http://127.0.0.1:1', '--image', join(dir, 'none.jpg'), '--query', 'cube'], 'no such file'],
      [['detect', '--server', 'http://127.0.0.1:1', '--image', shot, '--query', 'cube', '--dialect', 'yolo'], '--dialect yolo: expected caplab or capx-sam3'],
      [['detector-server'], 'detector-server needs --emulator'],
    ];
    for (const [argv, said] of cases) {
      const io = capture();
      expect(await main(argv, io.io)).toBe(2);
      expect(io.err()).toContain(said);
    }
  });
});
