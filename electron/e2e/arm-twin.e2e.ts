/**
 * The Twin panel showing a connected arm end to end: browser mode and headless Chromium, an
 * emulated SO-101 (six STS3215 servos behind a socat pty pair) connected from the Devices panel,
 * chosen as the twin's source; its URDF model's joints follow the servos when the arm is moved by
 * hand (torque off), as `devices:joints` pushes. An imported URDF file is shown beside it, its
 * joints on sliders. The
 * page must report no errors; the screenshot goes to `artifacts/e2e/arm-twin-so101/twin.png`.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Sts3215Emulator } from '../../native/drivers/feetech/emulator.ts';
import { Register } from '../../native/drivers/feetech/registers.ts';
import { openVirtualSerialPair, type VirtualSerialPair } from '../../native/drivers/virtual-serial.ts';
import { openConsole, screenshotPanel, showPanel, startTestConsole } from './harness.ts';
import { e2eSession } from './session.ts';

const session = e2eSession<{ cable: VirtualSerialPair; feetech: Sts3215Emulator }>();
const { open } = session;

/** The URDF joint values the twin's model holds now (`data-arm-joints`: `name=rad …`). */
async function modelJoints(page: Page): Promise<Record<string, number>> {
  const text = (await page.getAttribute('[data-testid="twin-arm-joints"]', 'data-arm-joints')) ?? '';
  return Object.fromEntries(text.split(' ').filter(Boolean).map((pair) => [pair.split('=')[0]!, Number(pair.split('=')[1])]));
}

/** Wait until the model holds these joint values (within 0.01 rad). */
async function waitForJoints(page: Page, expected: Record<string, number>): Promise<void> {
  // A function, not a string: the console's CSP forbids eval. No DOM types here, hence the cast.
  type Dom = { document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null } };
  await page.waitForFunction((want) => {
    const text = (globalThis as unknown as Dom).document.querySelector('[data-testid="twin-arm-joints"]')?.getAttribute('data-arm-joints') ?? '';
    const values = Object.fromEntries(text.split(' ').map((pair) => [pair.split('=')[0], Number(pair.split('=')[1])]));
    return Object.entries(want).every(([name, rad]) => Math.abs((values[name] ?? Number.NaN) - rad) < 0.01);
  }, expected);
}

/** Servo ticks of the nominal SO-101 calibration (2048 at zero, 4096 a turn) for an angle. */
const ticksOf = (rad: number): number => Math.round(2048 + (rad / (2 * Math.PI)) * 4096);

describe('Twin panel with a connected arm', () => {
  it('shows the SO-101 URDF and moves its joints with the arm, imports a URDF file, falls back to the workcell on disconnect', async () => {
    open.cable = await openVirtualSerialPair();
    open.feetech = await Sts3215Emulator.open(open.cable.devicePath, { ids: [1, 2, 3, 4, 5, 6] });
    const feetech = open.feetech;
    open.console = await startTestConsole();
    open.page = await openConsole(session.browser(), open.console.url);
    const page = open.page.page;
    const port = open.cable.hostPath;
    const id = `so101:${port}`;

    await showPanel(page, 'devices');
    await page.fill('[data-testid="devices-port-input"]', port);
    await page.click('[data-testid="devices-port-add"]');
    const row = `[data-testid="devices-port-row"][data-port="${port}"]`;
    await page.click(`${row} [data-testid="devices-connect-so101"]`);
    await page.waitForSelector(`[data-testid="device"][data-device-id="${id}"]`);

    await showPanel(page, 'twin');
    await page.waitForSelector(`[data-testid="twin-source"] option[value="arm:${id}"]`, { state: 'attached' });
    await page.selectOption('[data-testid="twin-source"]', `arm:${id}`);
    await page.waitForSelector('[data-testid="twin-arm-joints"][data-arm-joints*="wrist_roll="]');
    const names = Object.keys(await modelJoints(page));
    expect(names).toEqual(['shoulder_pan', 'shoulder_lift', 'elbow_flex', 'wrist_flex', 'wrist_roll']);

    // Moved by hand: the servos (ids 1–5 drive the joints in order) report new positions; the model follows.
    const poses: Array<Record<string, number>> = [
      { shoulder_pan: 0.6, elbow_flex: -0.5 },
      { shoulder_pan: -0.4, shoulder_lift: 0.8, wrist_roll: 1.2 },
    ];
    for (const pose of poses) {
      for (const [joint, rad] of Object.entries(pose)) feetech.servos.get(names.indexOf(joint) + 1)!.setWord(Register.presentPosition, ticksOf(rad));
      await waitForJoints(page, pose);
    }
    const held = await modelJoints(page);
    expect(held['shoulder_pan']).toBeCloseTo(-0.4, 2);
    expect(held['elbow_flex']).toBeCloseTo(-0.5, 2);

    // Any URDF file the operator picks is shown too (joints at zero, moved with sliders).
    await page.setInputFiles('[data-testid="twin-urdf-input"]', fileURLToPath(new URL('../../resources/robots/ur5e.urdf', import.meta.url)));
    await page.waitForSelector('[data-testid="twin-urdf-message"]:has-text("ur5e: 8 links")');
    expect(await page.locator('[data-testid="twin-urdf-slider"]').count()).toBe(6);
    const elbow = '[data-testid="twin-urdf-slider"][data-joint="elbow_joint"]';
    await page.fill(elbow, '1.5');
    await page.waitForSelector(`[data-testid="twin-urdf-sliders"] label:has(${elbow}):has-text("1.5")`);
    const stats = (await page.evaluate('window.__caplabTwinStats ? window.__caplabTwinStats.frames : 0')) as number;
    expect(stats).toBeGreaterThan(0);
    await screenshotPanel(page, 'arm-twin-so101', 'twin');

    await showPanel(page, 'devices');
    await page.click(`[data-testid="device"][data-device-id="${id}"] [data-testid="devices-disconnect"]`);
    await page.waitForSelector('[data-testid="devices-none"]');
    await showPanel(page, 'twin');
    await page.waitForSelector('[data-testid="twin-source"] >> xpath=self::*[not(option[starts-with(@value, "arm:")])]', { state: 'attached' });
    expect(await page.inputValue('[data-testid="twin-source"]')).toBe('workcell');
    await page.waitForSelector('[data-testid="twin-arm-error"]:has-text("no longer connected")');
  });
});
