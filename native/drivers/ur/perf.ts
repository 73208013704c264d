/** UR e-stop latency: from `halt()` to the emulated controller receiving `stopj` over loopback TCP. */
import { UrBackend } from './backend.ts';
import { UrEmulator } from './emulator.ts';

/** Median and p99 over `stops` halts, ms. */
export async function measureUrEstop(stops = 200): Promise<{ medianMs: number; p99Ms: number }> {
  const emulator = await UrEmulator.start();
  const arm = await UrBackend.connect({
    host: '127.0.0.1',
    dashboardPort: emulator.ports.dashboard,
    secondaryPort: emulator.ports.secondary,
    rtdePort: emulator.ports.rtde,
  });
  try {
    const latencies: number[] = [];
    for (let i = 0; i < stops; i += 1) {
      const received = new Promise<number>((resolve) => {
        const off = emulator.onScript((s) => {
          if (!s.line.startsWith('stopj')) return;
          off();
          resolve(s.atMs);
        });
      });
      const started = performance.now();
      arm.halt('perf');
      latencies.push((await received) - started);
      arm.resume();
    }
    latencies.sort((a, b) => a - b);
    return { medianMs: latencies[Math.floor(latencies.length / 2)]!, p99Ms: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]! };
  } finally {
    await arm.dispose();
    await emulator.close();
  }
}
