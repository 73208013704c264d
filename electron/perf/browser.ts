/**
 * Debian's Chromium through playwright-core (never a downloaded browser): where it is, and how it
 * is launched headless for the console's e2e tests and UI measurements.
 */
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

/** The Chromium binary: `CAPLAB_CHROMIUM`, else `chromium` / `chromium-browser` on the PATH. */
export function chromiumPath(): string {
  const fromEnv = process.env['CAPLAB_CHROMIUM'];
  if (fromEnv) return fromEnv;
  try {
    const found = execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
    if (found) return found.split('\n')[0]!;
  } catch {
    // reported below
  }
  throw new Error('Chromium is not installed: apt-get install chromium (or set CAPLAB_CHROMIUM to its path)');
}

/** Flags for a quiet, offline, headless Chromium (WebGL falls back to SwiftShader). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launch headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}
