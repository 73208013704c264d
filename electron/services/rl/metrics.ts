/**
 * The reward server's metrics in Prometheus' text exposition format (version 0.0.4): counters
 * of requests and responses, results by status, gauges of the queue and the busy slots, and a
 * histogram of the scoring latency.
 */

/** Upper bounds of the latency histogram, seconds. */
const LATENCY_BUCKETS_S = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120];

/** What `/metrics` reports. */
export class RewardMetrics {
  readonly #requests = new Map<string, number>();
  readonly #responses = new Map<string, number>();
  readonly #results = new Map<string, number>();
  readonly #bucketCounts = LATENCY_BUCKETS_S.map(() => 0);
  #latencyCount = 0;
  #latencySum = 0;
  #queueHighWater = 0;

  /** A request arrived at an endpoint. */
  request(endpoint: string): void {
    bump(this.#requests, endpoint);
  }

  /** A response went out with an HTTP status. */
  response(code: number): void {
    bump(this.#responses, String(code));
  }

  /** A completion was scored: its trial status and how long it took from arrival. */
  result(status: string, latencySeconds: number): void {
    bump(this.#results, status);
    this.#latencyCount += 1;
    this.#latencySum += latencySeconds;
    LATENCY_BUCKETS_S.forEach((bound, i) => {
      if (latencySeconds <= bound) this.#bucketCounts[i]! += 1;
    });
  }

  /** The queue depth was seen at `depth` (keeps the high-water mark). */
  queueSeen(depth: number): void {
    this.#queueHighWater = Math.max(this.#queueHighWater, depth);
  }

  /** The deepest the queue has been. */
  get queueHighWater(): number {
    return this.#queueHighWater;
  }

  /** The exposition text, with the present queue depth and busy slots. */
  render(now: { readonly queued: number; readonly busy: number; readonly workers: number; readonly maxQueue: number }): string {
    const lines = [
      ...family('caplab_reward_requests_total', 'counter', 'Requests received, by endpoint.', this.#requests, 'endpoint'),
      ...family('caplab_reward_responses_total', 'counter', 'Responses sent, by HTTP status code.', this.#responses, 'code'),
      ...family('caplab_reward_results_total', 'counter', 'Completions scored, by trial status.', this.#results, 'status'),
      ...gauge('caplab_reward_queue_depth', 'Requests waiting for a worker slot.', now.queued),
      ...gauge('caplab_reward_queue_depth_max', 'The deepest the queue has been.', this.#queueHighWater),
      ...gauge('caplab_reward_queue_limit', 'Requests that may wait before 429.', now.maxQueue),
      ...gauge('caplab_reward_busy_slots', 'Worker slots running a trial.', now.busy),
      ...gauge('caplab_reward_worker_slots', 'Worker slots.', now.workers),
      '# HELP caplab_reward_latency_seconds Time from arrival to score, seconds.',
      '# TYPE caplab_reward_latency_seconds histogram',
      ...LATENCY_BUCKETS_S.map((bound, i) => `caplab_reward_latency_seconds_bucket{le="${bound}"} ${this.#bucketCounts[i]}`),
      `caplab_reward_latency_seconds_bucket{le="+Inf"} ${this.#latencyCount}`,
      `caplab_reward_latency_seconds_sum ${this.#latencySum}`,
      `caplab_reward_latency_seconds_count ${this.#latencyCount}`,
    ];
    return `${lines.join('\n')}\n`;
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function family(name: string, type: string, help: string, values: Map<string, number>, label: string): string[] {
  const rows = [...values.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => `${name}{${label}="${key.replace(/["\\\n]/g, '_')}"} ${value}`);
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...rows];
}

function gauge(name: string, help: string, value: number): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`];
}
