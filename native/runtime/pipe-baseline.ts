/**
 * Baseline for the RPC benchmark: the round trip of one small line over a plain pipe between
 * Node and python3 (no socket, no JSON, no dispatch). The RPC round trip cannot beat this; the
 * ratio of the two is the overhead our protocol adds.
 */
import { spawn } from 'node:child_process';

const ECHO_PROGRAM = `
import sys, time
out = sys.stdout.buffer
inp = sys.stdin.buffer
samples = int(sys.argv[1])
times = []
for _ in range(samples):
    t0 = time.perf_counter_ns()
    out.write(b"x\\n"); out.flush()
    inp.readline()
    times.append(time.perf_counter_ns() - t0)
out.write((" ".join(str(t) for t in times) + "\\nEND\\n").encode()); out.flush()
`;

/** Median and p99 of `samples` pipe round trips, timed in Python, microseconds. */
export function measurePipeRoundTrip(samples: number): Promise<{ medianUs: number; p99Us: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', ECHO_PROGRAM, String(samples)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buffered = '';
    let echoed = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      // Echo each request line at once; the last line carries the timings.
      while (echoed < samples && buffered.startsWith('x\n')) {
        buffered = buffered.slice(2);
        echoed += 1;
        child.stdin.write('y\n');
      }
      if (buffered.endsWith('END\n')) {
        const times = buffered.trim().split('\n')[0]!.split(' ').map(Number).sort((a, b) => a - b);
        resolve({
          medianUs: times[Math.floor(times.length / 2)]! / 1000,
          p99Us: times[Math.floor(times.length * 0.99)]! / 1000,
        });
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (echoed < samples) reject(new Error(`pipe baseline: python3 exited with ${code} after ${echoed} round trips`));
    });
  });
}
