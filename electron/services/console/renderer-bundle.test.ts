// The renderer bundle's disk cache: built once for a set of sources, read back on the next start,
// and only a few bundles kept.
import { mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceKey as keyOf } from '../../../native/bundle-cache.ts';
import { CALL_CHANNELS, EVENT_CHANNELS } from '../../../shared/ipc/contract.ts';
import { bundleRenderer, pageContractModule, pageHtml, RENDERER_SOURCES } from './renderer-bundle.ts';

const sourceKey = (): string => keyOf(RENDERER_SOURCES);

describe('renderer bundle cache', () => {
  it('builds a bundle once for the present sources, then reads it back', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'caplab-bundle-'));
    const built = await bundleRenderer(cache);
    expect(built.script.length).toBeGreaterThan(100_000);
    expect(built.stylesheet).toMatch(/xterm/);
    const key = sourceKey();
    expect(readdirSync(join(cache, 'renderer')).sort()).toEqual([`${key}.chunks`, `${key}.css`, `${key}.js`]);
    // The panels' views are chunks loaded when they mount: three.js (the twin) is not in the first script.
    expect(built.script).not.toMatch(/THREE\.WebGLRenderer/);
    const twin = Object.entries(built.chunks).filter(([, text]) => /THREE\.WebGLRenderer/.test(text));
    expect(twin.map(([name]) => name)).toEqual([expect.stringMatching(/^chunks\/[\w-]+\.js$/)]);
    // The chunks the first script imports statically are preloaded by the page, beside the script.
    expect(built.preload.length).toBeGreaterThan(0);
    for (const name of built.preload) {
      expect(built.chunks[name]).toBeDefined();
      expect(built.script).toContain(`"./${name}"`);
      expect(pageHtml('t0ken', built.preload)).toContain(`<link rel="modulepreload" href="./${name}" />`);
    }
    expect(built.preload).not.toContain(twin[0]![0]);
    // Nor are the terminal's xterm.js, the editor's CodeMirror or the contract's zod schemas: the
    // first script and its preloaded chunks hold the shell, the Task panel and the channel names.
    const first = [built.script, ...built.preload.map((name) => built.chunks[name]!)].join('\n');
    for (const [library, mark] of [['xterm.js', 'xterm-helper-textarea'], ['CodeMirror', 'cm-gutters']] as const) {
      expect(first, library).not.toContain(mark);
      expect(Object.values(built.chunks).some((text) => text.includes(mark)), `${library} in a chunk of its own`).toBe(true);
    }
    // zod's full build is nowhere in the page (its layout storage uses zod/mini).
    expect([built.script, ...Object.values(built.chunks)].join('\n')).not.toContain('"ZodString"');
    for (const { channel } of [...CALL_CHANNELS, ...EVENT_CHANNELS]) expect(first).toContain(`"${channel}"`);
    // What the next start serves is what is on disk under this key, not a new build.
    writeFileSync(join(cache, 'renderer', `${key}.js`), 'export {}; // kept');
    expect((await bundleRenderer(cache)).script).toBe('export {}; // kept');
  });

  it("gives the page the contract's channel names, without its schemas", async () => {
    const page = (await import(`data:text/javascript,${encodeURIComponent(pageContractModule())}`)) as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
    const names = (channels: readonly { kind: string; channel: string; domain: string; name: string }[]): unknown[] => channels.map(({ kind, channel, domain, name }) => ({ kind, channel, domain, name }));
    expect(Object.values(page.CONTRACT!).flatMap((verbs) => Object.values(verbs))).toEqual(names(CALL_CHANNELS));
    expect(Object.values(page.EVENTS!).flatMap((verbs) => Object.values(verbs))).toEqual(names(EVENT_CHANNELS));
    expect(page.CONTRACT!.runs!.start).toEqual({ kind: 'call', channel: 'caplab:runs:start', domain: 'runs', name: 'start' });
  });

  it('keeps the newest four bundles', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'caplab-bundle-'));
    const dir = join(cache, 'renderer');
    mkdirSync(dir);
    for (let old = 0; old < 5; old += 1) {
      for (const extension of ['js', 'css']) {
        const file = join(dir, `old${old}.${extension}`);
        writeFileSync(file, '');
        utimesSync(file, 1000 + old, 1000 + old);
      }
    }
    await bundleRenderer(cache);
    const kept = [...['old2', 'old3', 'old4'].flatMap((key) => [`${key}.css`, `${key}.js`]), ...['chunks', 'css', 'js'].map((extension) => `${sourceKey()}.${extension}`)];
    expect(readdirSync(dir).sort()).toEqual(kept.sort());
  });
});
