// The hardware e-stop input against an emulated button box: over a socat pty pair (a real serial
// transport) and over an in-memory link.
import { describe, expect, it } from 'vitest';
import { EstopBoxEmulator, EstopInput } from './estop-input.ts';
import { memoryLinkPair, openSerialLink } from './link.ts';
import { openVirtualSerialPair } from './virtual-serial.ts';

function firstStop(input: EstopInput): Promise<string> {
  return new Promise((resolve) => input.onStop(resolve));
}

describe('EstopInput', () => {
  it('fires when the button is pressed, over a real serial link', async () => {
    const cable = await openVirtualSerialPair();
    const box = new EstopBoxEmulator(await openSerialLink(cable.devicePath, 115_200));
    box.start();
    const input = await EstopInput.open(cable.hostPath);
    try {
      const stopped = firstStop(input);
      setTimeout(() => box.press(), 120);
      expect(await stopped).toBe('the e-stop button was pressed');
    } finally {
      box.stop();
      await input.close();
      await cable.close();
    }
  });

  it('fails safe: a silent box, or a pulled cable, counts as pressed', async () => {
    const [host, device] = memoryLinkPair();
    const box = new EstopBoxEmulator(device);
    box.start();
    const input = await EstopInput.open(host, { heartbeatTimeoutMs: 150 });
    const silent = firstStop(input);
    setTimeout(() => box.stop(), 100);
    expect(await silent).toBe('no heartbeat from the e-stop box for 150 ms');
    box.start();
    input.clear();
    expect(input.stopReason).toBeNull();
    const pulled = firstStop(input);
    device.close();
    expect(await pulled).toBe('the e-stop box disconnected');
    box.stop();
    await input.close();
  });
});
