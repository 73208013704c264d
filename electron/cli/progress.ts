/**
 * A terminal progress bar with an estimate of the time left. On a TTY it redraws one line; in a
 * log (CI, a pipe) it prints a plain line at most every few seconds and at the end.
 */
import type { Writable } from 'node:stream';

/** Format seconds as `42 s`, `3 min 05 s` or `1 h 02 min`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
}

/** Render one progress line (pure, for tests and both output modes). */
export function renderProgressLine(done: number, total: number, remainingSeconds: number, note: string, width = 24): string {
  const fraction = total === 0 ? 1 : done / total;
  const filled = Math.round(fraction * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const left = done === total ? 'done' : `~${formatDuration(remainingSeconds)} left`;
  return `[${bar}] ${done}/${total} ${String(Math.round(fraction * 100)).padStart(3)}%  ${note}  ${left}`;
}

/** Draws progress to a stream. */
export class ProgressBar {
  private lastPlainPrintMs = 0;
  private readonly isTty: boolean;

  constructor(
    private readonly out: Writable & { isTTY?: boolean },
    private readonly plainIntervalMs = 5000,
  ) {
    this.isTty = out.isTTY === true;
  }

  /** Show the state after `done` of `total` items. */
  update(done: number, total: number, remainingSeconds: number, note: string): void {
    const line = renderProgressLine(done, total, remainingSeconds, note);
    if (this.isTty) {
      this.out.write(`\r\x1b[2K${line}${done === total ? '\n' : ''}`);
      return;
    }
    const now = performance.now();
    if (done === total || done === 1 || now - this.lastPlainPrintMs >= this.plainIntervalMs) {
      this.lastPlainPrintMs = now;
      this.out.write(`${line}\n`);
    }
  }
}
