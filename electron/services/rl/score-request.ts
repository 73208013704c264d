/**
 * The reward server's request bodies, checked: `{task | data_source, tier, seed, completion}`
 * (verl's names or ours), and the errors it answers with (status, code, message).
 */
import { z } from 'zod';
import { isTierId, TIERS } from '../../../shared/api/tiers.ts';
import { CatalogError, loadTask } from '../trials/catalog.ts';
import { taskOfDataSource } from './prompts.ts';
import { NoProgramError, programOf, type ScoreRequest } from './scoring.ts';

/** An answer other than 200: the HTTP status, a stable code and a message for people. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Readonly<Record<string, string>> = {}) {
    super(message);
  }
}

const requestSchema = z
  .object({
    task: z.string().min(1).optional(),
    data_source: z.string().min(1).optional(),
    tier: z.string().default('S1'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    completion: z.string('completion is required: the model\'s answer, with a ```python block'),
  })
  .passthrough();

/** Parse JSON text, or a 400 saying where it broke. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'malformed_json', `the body is not JSON: ${(error as Error).message}`);
  }
}

/** Check one score request: a 400 for a malformed one, 404 for an unknown task, 422 for a completion without a program. */
export function parseScoreRequest(value: unknown): ScoreRequest {
  const parsed = requestSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
    throw new HttpError(400, 'bad_request', `not a score request: ${issues}`);
  }
  const body = parsed.data;
  const taskId = body.task ?? (body.data_source === undefined ? undefined : taskOfDataSource(body.data_source));
  if (!taskId) throw new HttpError(400, 'bad_request', 'not a score request: give task (e.g. "cube-lift") or data_source (e.g. "caplab/cube-lift")');
  const tierId = body.tier.toUpperCase();
  if (!isTierId(tierId)) throw new HttpError(400, 'bad_request', `unknown tier '${body.tier}'; expected one of ${Object.keys(TIERS).join(', ')}`);
  if (TIERS[tierId].interaction !== 'single-turn') throw new HttpError(400, 'bad_request', `tier ${tierId} is multi-turn; a completion is scored at a single-turn tier (S1..S4)`);
  try {
    loadTask(taskId);
  } catch (error) {
    if (error instanceof CatalogError) throw new HttpError(404, 'unknown_task', error.message);
    throw error;
  }
  try {
    programOf(body.completion);
  } catch (error) {
    if (error instanceof NoProgramError) throw new HttpError(422, 'no_code', error.message);
    throw error;
  }
  return { taskId, tier: TIERS[tierId], seed: body.seed, completion: body.completion };
}

/** The items of a batch body `{requests: [...]}`, or a 400. */
export function batchItems(value: unknown, maxBatch: number): unknown[] {
  const requests = (value as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) throw new HttpError(400, 'bad_request', 'a batch is {"requests": [score request, …]}');
  if (requests.length > maxBatch) throw new HttpError(413, 'batch_too_large', `the batch has ${requests.length} requests; at most ${maxBatch} (split it)`);
  return requests;
}
