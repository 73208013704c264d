"""verl reward function that scores completions with Caplab reward servers (standard library only).

Use it as verl's ``custom_reward_function``::

    custom_reward_function.path=native/python/caplab_reward.py
    custom_reward_function.name=compute_score          # or compute_score_batch with reward_model.reward_manager=batch

and list the servers (``caplab rl reward-server``) in ``CAPLAB_REWARD_URLS``, comma separated::

    CAPLAB_REWARD_URLS=http://10.0.0.5:5190,http://10.0.0.6:5190

Requests go round robin over the servers; a server that answers 429 is left for its
``retry-after`` (capped by ``CAPLAB_REWARD_MAX_WAIT_S``) and the next one is tried; one that
cannot be reached is skipped. The task, tier and seed come from the row's ``extra_info``
(``caplab rl dataset`` writes them) or its ``data_source`` (``caplab/<task>``).

A completion without a program, or whose program never ends, scores 0 (the server answers 422). Other 4xx answers (an unknown
task, a body over the limit) are mistakes in the setup and raise ``RewardRequestError``.
"""
import itertools
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

URLS_ENV = "CAPLAB_REWARD_URLS"
DEFAULT_URL = "http://127.0.0.1:5190"


class RewardRequestError(ValueError):
    """The server refused the request as malformed (4xx other than 422 and 429)."""

    def __init__(self, status, code, message):
        super().__init__("caplab reward server answered %d %s: %s" % (status, code, message))
        self.status = status
        self.code = code


class RewardServerUnavailable(RuntimeError):
    """No server scored the request within the attempts and the time allowed."""


def _float_env(name, default):
    value = os.environ.get(name)
    return float(value) if value else default


def server_urls():
    """The servers from CAPLAB_REWARD_URLS (comma separated), default http://127.0.0.1:5190."""
    raw = os.environ.get(URLS_ENV, DEFAULT_URL)
    urls = [url.strip().rstrip("/") for url in raw.split(",") if url.strip()]
    if not urls:
        raise ValueError("%s is empty; give one or more reward server URLs, comma separated" % URLS_ENV)
    return urls


_turn = itertools.count()
_turn_lock = threading.Lock()
_resting = {}  # url -> monotonic time until which it said 429


def _next_start(count):
    with _turn_lock:
        return next(_turn) % count


def request_body(data_source, solution_str, extra_info=None):
    """The /score body for one row: task, tier and seed from extra_info (or data_source)."""
    info = extra_info or {}
    task = info.get("task") or data_source
    return {
        "data_source": str(task),
        "tier": str(info.get("tier") or "S1"),
        "seed": int(info.get("seed") or 0),
        "completion": solution_str,
    }


def _post(url, body, timeout_s):
    data = json.dumps(body).encode("utf-8")
    req = urllib.request.Request(url + "/score", data=data, headers={"content-type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as response:
            return response.status, json.loads(response.read().decode("utf-8")), response.headers
    except urllib.error.HTTPError as error:
        text = error.read().decode("utf-8", "replace")
        try:
            payload = json.loads(text)
        except ValueError:
            payload = {"error": {"code": "http_%d" % error.code, "message": text[:200]}}
        return error.code, payload, error.headers


def score_details(data_source, solution_str, ground_truth=None, extra_info=None, **kwargs):
    """The server's whole answer for one completion: score, success, progress, status, reason, summary, and the server's URL."""
    urls = kwargs.get("urls") or server_urls()
    attempts = int(kwargs.get("max_attempts") or _float_env("CAPLAB_REWARD_MAX_ATTEMPTS", 4 * len(urls) + 4))
    max_wait_s = _float_env("CAPLAB_REWARD_MAX_WAIT_S", 30.0)
    timeout_s = _float_env("CAPLAB_REWARD_TIMEOUT_S", 600.0)
    body = request_body(data_source, solution_str, extra_info)
    start = _next_start(len(urls))
    last = "no attempt made"
    for attempt in range(attempts):
        url = urls[(start + attempt) % len(urls)]
        rest = _resting.get(url, 0.0) - time.monotonic()
        if rest > 0 and attempt < len(urls):
            continue  # another server may be free; come back to this one later
        if rest > 0:
            time.sleep(min(rest, max_wait_s))
        try:
            status, payload, headers = _post(url, body, timeout_s)
        except OSError as error:
            last = "%s: %s" % (url, error)
            continue
        if status == 200:
            return dict(payload, server=url)
        error = payload.get("error") or {}
        if status == 422:
            return dict(payload, server=url, score=0.0)
        if status == 429:
            wait = float(headers.get("retry-after") or 1)
            _resting[url] = time.monotonic() + min(wait, max_wait_s)
            last = "%s: 429 %s" % (url, error.get("message", "queue full"))
            continue
        if 400 <= status < 500:
            raise RewardRequestError(status, error.get("code", "?"), error.get("message", ""))
        last = "%s: %d %s" % (url, status, error.get("message", ""))
    raise RewardServerUnavailable("no caplab reward server scored the completion after %d attempts (last: %s)" % (attempts, last))


def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    """verl's reward function: the Caplab server's score for one completion (a float in [0, 1])."""
    return float(score_details(data_source, solution_str, ground_truth, extra_info, **kwargs)["score"])


def compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos, **kwargs):
    """verl's batch reward function: every completion scored concurrently over the servers."""
    urls = kwargs.get("urls") or server_urls()
    workers = int(kwargs.get("max_workers") or _float_env("CAPLAB_REWARD_CONCURRENCY", 16 * len(urls)))
    rows = list(zip(data_sources, solution_strs, ground_truths, extra_infos or [None] * len(data_sources)))
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda row: compute_score(*row, urls=urls), rows))


if __name__ == "__main__":
    # python3 caplab_reward.py TASK SEED < completion.txt: score one completion from the command line.
    task, seed = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 0
    print(json.dumps(score_details(task, sys.stdin.read(), None, {"seed": seed})))
