// Where no policy sandbox is available, `caplab run --robot` does not arm a real arm unless the
// operator says `--unsandboxed`; the run record says the policy ran unsandboxed. The SO-101 on a
// socat pty pair with the STS3215 bus emulator; CAPLAB_SANDBOX=off stands for a machine without
// bubblewrap.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrialOutcome } from '../../shared/run.ts';
import { Sts3215Emulator } from '../../native/drivers/feetech/emulator.ts';
import { Instruction } from '../../native/drivers/feetech/packet.ts';
import { Register } from '../../native/drivers/feetech/registers.ts';
import { openVirtualSerialPair, type VirtualSerialPair } from '../../native/drivers/virtual-serial.ts';
import { main } from './main.ts';
import { capture } from './test-io.ts';

let cable: VirtualSerialPair;
let emulator: Sts3215Emulator;
const saved = process.env['CAPLAB_SANDBOX'];
const workDir = mkdtempSync(join(tmpdir(), 'caplab-unsandboxed-'));

process.env['CAPLAB_SERIAL_TIMEOUT_MS'] = '250';

beforeAll(async () => {
  process.env['CAPLAB_SANDBOX'] = 'off';
  cable = await openVirtualSerialPair();
  emulator = await Sts3215Emulator.open(cable.devicePath, { ids: [1, 2, 3, 4, 5, 6] });
});
afterAll(async () => {
  if (saved === undefined) delete process.env['CAPLAB_SANDBOX'];
  else process.env['CAPLAB_SANDBOX'] = saved;
  await emulator.close();
  await cable.close();
});

describe('caplab run --robot without a sandbox', () => {
  it('refuses to arm the real arm, and says why and what to do', async () => {
    const frames: number[] = [];
    emulator.onFrame(({ frame }) => frames.push(frame.command));
    const c = capture();
    const code = await main(['run', '--robot', 'so101', '--port', cable.hostPath, '--task', 'pick-place', '--agent', 'expert', '--armed'], c.io);
    expect(code).toBe(2);
    expect(c.err()).toContain('--robot so101: no policy sandbox here (turned off (CAPLAB_SANDBOX=off)); a program next to a real arm would run with full access. Install bubblewrap, or add --unsandboxed to arm it anyway');
    expect(c.err()).toMatch(/^WARNING: policies run WITHOUT a sandbox/m);
    expect(frames).toEqual([]); // the arm was not even connected
  });

  it('arms it with --unsandboxed, and the run record says unsandboxed', async () => {
    const goals: number[] = [];
    emulator.onFrame(({ frame }) => {
      if (frame.command === Instruction.syncWrite && frame.params[0] === Register.goalPosition) goals.push(frame.params.length);
    });
    const json = join(workDir, 'outcome.json');
    const c = capture();
    const args = ['run', '--robot', 'so101', '--port', cable.hostPath, '--task', 'pick-place', '--agent', 'expert', '--armed', '--unsandboxed'];
    const code = await main([...args, '--db', join(workDir, 'runs.db'), '--json', json], c.io);
    expect(c.out().trimEnd().split('\n').at(-1)).toMatch(/^completed: program finished on the SO-101/);
    expect(code).toBe(0);
    expect(goals.length).toBeGreaterThan(6);
    expect((JSON.parse(readFileSync(json, 'utf8')) as TrialOutcome).policy.sandbox).toBe('none');
    // The run's trace (and so its record) says it too.
    expect(c.out()).toContain('[caplab] WARNING: this policy runs without a sandbox (turned off (CAPLAB_SANDBOX=off))');
  });
});
