/**
 * The Devices panel end to end: browser mode and headless Chromium against emulated arms on real
 * transports — six STS3215 servos behind a socat pty pair (an SO-101) and the UR controller
 * emulator on loopback TCP. The page must report no errors; screenshots go to
 * `artifacts/e2e/<test>/devices.png`.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Sts3215Emulator } from '../../native/drivers/feetech/emulator.ts';
import { Register } from '../../native/drivers/feetech/registers.ts';
import { UrEmulator } from '../../native/drivers/ur/emulator.ts';
import { openVirtualSerialPair, type VirtualSerialPair } from '../../native/drivers/virtual-serial.ts';
import { openConsole, screenshotPanel, showPanel, startTestConsole } from './harness.ts';
import { e2eSession } from './session.ts';

const session = e2eSession<{ cable: VirtualSerialPair; feetech: Sts3215Emulator; ur: UrEmulator }>();
const { open } = session;

async function devicesPage(): Promise<Page> {
  open.console = await startTestConsole();
  open.page = await openConsole(session.browser(), open.console.url);
  await showPanel(open.page.page, 'devices');
  return open.page.page;
}

describe('Devices panel', () => {
  it('adds a serial port, connects the SO-101 on it, shows live health with a hot and a silent servo, disconnects', async () => {
    open.cable = await openVirtualSerialPair();
    open.feetech = await Sts3215Emulator.open(open.cable.devicePath, { ids: [1, 2, 3, 4, 5, 6] });
    const page = await devicesPage();
    const port = open.cable.hostPath;

    await page.fill('[data-testid="devices-port-input"]', port);
    await page.click('[data-testid="devices-port-add"]');
    const row = `[data-testid="devices-port-row"][data-port="${port}"]`;
    await page.waitForSelector(row);
    await page.click(`${row} [data-testid="devices-probe"]`);
    await page.waitForSelector(`${row} [data-testid="devices-probe-result"]:has-text("looks like an SO-101")`);
    await page.click(`${row} [data-testid="devices-connect-so101"]`);
    const device = `[data-testid="device"][data-device-id="so101:${port}"]`;
    await page.waitForSelector(`${device} [data-testid="device-health"]`);
    expect(await page.locator(`${device} [data-testid="health-row"]`).count()).toBe(6);

    open.feetech.servos.get(2)!.registers[Register.presentTemperature] = 66;
    await page.waitForSelector(`${device} [data-testid="health-row"][data-joint-id="2"] [data-testid="health-temperature"][data-mark="hot"]`);
    open.feetech.silent.add(4);
    await page.waitForSelector(`${device} [data-testid="health-row"][data-joint-id="4"][data-answering="false"] [data-testid="health-comms"][data-mark="silent"]`);
    await page.waitForSelector(`${device} [data-testid="device-alert"]:has-text("not answering")`);
    await screenshotPanel(page, 'devices-so101', 'devices');

    await page.click(`${device} [data-testid="devices-disconnect"]`);
    await page.waitForSelector('[data-testid="devices-none"]');
    await page.waitForSelector(`${row}[data-device-id=""]`);
  });

  it('connects a UR5e by host without powering it, shows its modes and a protective stop, and says when a host refuses', async () => {
    open.ur = await UrEmulator.start();
    const page = await devicesPage();
    const { dashboard, secondary, rtde } = open.ur.ports;

    await page.fill('[data-testid="devices-host-input"]', '127.0.0.1:1');
    await page.click('[data-testid="devices-connect-ur"]');
    await page.waitForSelector('[data-testid="devices-error"]:has-text("refused")');

    await page.fill('[data-testid="devices-host-input"]', `127.0.0.1:${dashboard},${secondary},${rtde}`);
    await page.click('[data-testid="devices-connect-ur"]');
    const device = `[data-testid="device"][data-kind="ur5e"]`;
    await page.waitForSelector(`${device} [data-testid="device-controller"][data-robot-mode="POWER_OFF"][data-safety-mode="NORMAL"]`);
    expect(await page.locator(`${device} [data-testid="health-row"]`).count()).toBe(6);
    open.ur.triggerProtectiveStop();
    await page.waitForSelector(`${device} [data-testid="device-alert"]:has-text("PROTECTIVE_STOP")`);
    await screenshotPanel(page, 'devices-ur5e', 'devices');
    await page.click(`${device} [data-testid="devices-disconnect"]`);
    await page.waitForSelector('[data-testid="devices-none"]');
  });
});
