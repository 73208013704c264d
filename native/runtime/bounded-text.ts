/**
 * Text that grows without bound in the worst case (a policy's terminal while it prints 100 MB),
 * kept bounded: the first `headChars` and the last `tailChars`, with the count of what was dropped
 * in between.
 */

/** Appended text, bounded to its first and last part. */
export class BoundedText {
  private head = '';
  private tail = '';
  /** Characters dropped between the head and the tail. */
  dropped = 0;

  constructor(
    private readonly headChars = 1024 * 1024,
    private readonly tailChars = 64 * 1024,
  ) {}

  append(text: string): void {
    const room = this.headChars - this.head.length;
    if (room > 0) {
      this.head += text.slice(0, room);
      text = text.slice(room);
      if (!text) return;
    }
    this.tail += text;
    if (this.tail.length > 2 * this.tailChars) this.trim();
  }

  /** The text, with a line saying what was dropped between the head and the tail. */
  text(): string {
    this.trim();
    if (this.dropped === 0) return this.head + this.tail;
    return `${this.head}\n[caplab] ${this.dropped} characters of terminal output dropped\n${this.tail}`;
  }

  private trim(): void {
    const excess = this.tail.length - this.tailChars;
    if (excess <= 0) return;
    this.dropped += excess;
    this.tail = this.tail.slice(excess);
  }
}
