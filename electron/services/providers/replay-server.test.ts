import { afterEach, describe, expect, it } from 'vitest';
import { loadRecordings, parseRecording } from './recordings.ts';
import { ReplayServer } from './replay-server.ts';
import { PROVIDER_RECORDINGS } from './test-support.ts';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const LABEL = 'recording: hand-written for the replay server test';

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`http://127.0.0.1:${server?.port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('replay server', () => {
  it('streams an answer as many SSE events and labels it as a recording', async () => {
    server = await ReplayServer.start({ recordings: [parseRecording({ label: LABEL, exchanges: [{ response: { text: 'line one\nline two\nline three\n' } }] }, 'inline')] });
    const response = await post('/chat/completions', { model: 'replay', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(response.headers.get('x-caplab-recording')).toBe(LABEL);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const text = await response.text();
    const events = text.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const contents = events.slice(0, -1).map((e) => JSON.parse(e.slice('data: '.length)) as { choices: Array<{ delta: { content?: string } }> });
    expect(contents.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('line one\nline two\nline three\n');
    expect(contents.length).toBeGreaterThanOrEqual(5);
  });

  it('consumes an exchange with `times` and falls through to the next match', async () => {
    server = await ReplayServer.start({
      recordings: [parseRecording({ label: LABEL, exchanges: [
        { match: { user: 'go' }, status: 429, times: 1 },
        { match: { user: 'go', turn: 1 }, response: { text: 'first turn' } },
        { match: { regex: 'assistant: first turn[\\s\\S]*user: again' }, response: { text: 'second turn' } },
      ] }, 'inline')],
    });
    const body = { model: 'm', messages: [{ role: 'user', content: 'go' }] };
    expect((await post('/v1/chat/completions', body)).status).toBe(429);
    expect(((await (await post('/v1/chat/completions', body)).json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe('first turn');
    const second = await post('/v1/messages', { model: 'claude', max_tokens: 10, messages: [...body.messages, { role: 'assistant', content: 'first turn' }, { role: 'user', content: 'again, go' }] });
    expect(((await second.json()) as { content: Array<{ text: string }> }).content[0]?.text).toBe('second turn');
    expect(server.log.map((entry) => [entry.api, entry.status, entry.matched?.exchange])).toEqual([
      ['openai', 429, 0], ['openai', 200, 1], ['anthropic', 200, 2],
    ]);
  });

  it('answers an unmatched request with a 404 in the caller’s format naming the request', async () => {
    server = await ReplayServer.start({ recordings: loadRecordings(PROVIDER_RECORDINGS) });
    const openai = await post('/v1/chat/completions', { model: 'x', messages: [{ role: 'user', content: 'something unrecorded' }] });
    expect(openai.status).toBe(404);
    expect(openai.headers.get('x-caplab-recording')).toMatch(/^none/);
    expect(((await openai.json()) as { error: { message: string } }).error.message).toContain('last user message starts "something unrecorded"');
    const anthropic = await post('/v1/messages', { model: 'x', messages: [{ role: 'user', content: 'nope' }] });
    expect(await anthropic.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect((await post('/v1/embeddings', {})).status).toBe(404);
  });

  it('lists its models in the OpenAI and Anthropic shapes, labelled as recordings', async () => {
    const named = parseRecording({ label: `${LABEL} (named model)`, exchanges: [{ match: { model: 'claude-replay' }, response: { text: 'x' } }] }, 'named');
    server = await ReplayServer.start({ recordings: [parseRecording({ label: LABEL, exchanges: [{ response: { text: 'x' } }] }, 'inline'), named] });
    const openai = await fetch(`http://127.0.0.1:${server.port}/v1/models`, { headers: { authorization: 'Bearer replay' } });
    expect(openai.status).toBe(200);
    expect(openai.headers.get('x-caplab-recording')).toBe(`${LABEL} | ${LABEL} (named model)`);
    expect(await openai.json()).toMatchObject({ object: 'list', data: [{ id: 'replay', object: 'model', owned_by: 'caplab-replay' }, { id: 'claude-replay', object: 'model' }] });
    expect(((await (await fetch(`http://127.0.0.1:${server.port}/models`)).json()) as { data: unknown[] }).data).toHaveLength(2);
    const anthropic = await fetch(`http://127.0.0.1:${server.port}/v1/models`, { headers: { 'x-api-key': 'replay', 'anthropic-version': '2023-06-01' } });
    const body = (await anthropic.json()) as { data: Array<{ type: string; id: string; created_at: string }>; has_more: boolean; first_id: string; last_id: string };
    expect(body).toMatchObject({ has_more: false, first_id: 'replay', last_id: 'claude-replay' });
    expect(body.data.map((m) => [m.type, m.id])).toEqual([['model', 'replay'], ['model', 'claude-replay']]);
    expect(Number.isNaN(Date.parse(body.data[0]!.created_at))).toBe(false);
    expect(server.log.map((entry) => [entry.method, entry.path, entry.api, entry.status])).toEqual([
      ['GET', '/v1/models', 'openai', 200], ['GET', '/models', 'openai', 200], ['GET', '/v1/models', 'anthropic', 200],
    ]);
    expect((await post('/v1/models', {})).status).toBe(404); // listing is a GET
  });

  it('refuses recordings that are not labelled as recordings or are malformed', () => {
    expect(() => parseRecording({ label: 'gpt-4 output', exchanges: [{ response: { text: 'x' } }] }, 'a.json')).toThrow(/label must start with "recording"/);
    expect(() => parseRecording({ label: LABEL, exchanges: [{ hang: true, response: { text: 'x' } }] }, 'b.json')).toThrow(/exactly one of/);
    expect(() => parseRecording({ label: LABEL, exchanges: [{ match: { regex: '(' }, response: { text: 'x' } }] }, 'c.json')).toThrow(/c\.json.*regex/);
    expect(() => parseRecording({ label: LABEL, exchanges: [{ match: { usr: 'typo' }, response: { text: 'x' } }] }, 'd.json')).toThrow(/d\.json/);
  });
});
