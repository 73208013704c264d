/**
 * Server-sent events framing as a pure function: feed it what is pending plus a new chunk of
 * text, get the complete events and what is still pending. Handles LF, CRLF and CR line ends,
 * `:` comment lines, multi-line `data:`, and lines that are not fields (ignored, as the spec says).
 */

/** One dispatched event. `event` is `message` unless the server named it. */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

/** Result of one parse step. */
export interface SseParse {
  readonly events: SseEvent[];
  /** Text after the last complete event, to pass back in with the next chunk. */
  readonly pending: string;
}

/** Parse `pending + chunk` into complete events; the incomplete tail comes back as `pending`. */
export function parseSse(pending: string, chunk: string): SseParse {
  const joined = pending + chunk;
  // A trailing CR may be the first half of a CRLF split across chunks: hold it back.
  const held = joined.endsWith('\r') ? '\r' : '';
  const text = (held ? joined.slice(0, -1) : joined).replace(/\r\n|\r/g, '\n');
  const blocks = text.split('\n\n');
  const rest = blocks.pop() ?? '';
  const events: SseEvent[] = [];
  for (const block of blocks) {
    const event = parseBlock(block);
    if (event) events.push(event);
  }
  return { events, pending: rest + held };
}

/** Flush at end of stream: a final event without its blank line still counts. */
export function flushSse(pending: string): SseEvent[] {
  const event = parseBlock(pending.replace(/[\r\n]+$/, ''));
  return event ? [event] : [];
}

function parseBlock(block: string): SseEvent | undefined {
  let name = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r\n|\r|\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') name = value || 'message';
    // `id`, `retry` and anything unknown are not needed by model streams.
  }
  return data.length > 0 ? { event: name, data: data.join('\n') } : undefined;
}
