// `caplab doctor` as a user runs it: the resolved interpreter, and the sandbox with what it enforces.
import { describe, expect, it } from 'vitest';
import { resolvePython } from '../../native/runtime/python-interpreter.ts';
import { detectSandbox } from '../../native/runtime/sandbox.ts';
import { main } from './main.ts';
import { capture } from './test-io.ts';

describe('caplab doctor', () => {
  it('reports the real interpreter and the sandbox, area by area', async () => {
    const c = capture();
    expect(await main(['doctor'], c.io)).toBe(0);
    const out = c.out();
    const python = resolvePython();
    expect(out).toContain(`ok    python               ${python.version} at ${python.executable}`);
    expect(out).toMatch(python.bytecode ? /policy runtime bytecode compiled/ : /policy runtime bytecode not writable/);
    const sandbox = detectSandbox();
    expect(out).toContain(`ok    sandbox              ${sandbox.kind}: ${sandbox.detail}`);
    for (const area of ['network', 'filesystem', 'pid', 'nproc', 'env']) expect(out).toMatch(new RegExp(`^ {8}${area} +\\S`, 'm'));
    if (sandbox.kind === 'bwrap') {
      expect(out).toMatch(/^ {8}network +own network namespace/m);
      expect(out).toMatch(/^ {8}nproc +RLIMIT_NPROC 64/m);
    }
  });
});
