"""caplab_reward's pieces that need no server: the request body from a verl row, the URL list, and a 429 honoured."""
import http.server
import json
import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import caplab_reward  # noqa: E402


class _Server(http.server.ThreadingHTTPServer):
    """A loopback HTTP server that answers each POST from a list of (status, headers, body)."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.bodies = []
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        self.server.bodies.append(json.loads(self.rfile.read(int(self.headers["content-length"]))))
        status, headers, body = self.server.answers.pop(0)
        data = json.dumps(body).encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class RequestBodyTest(unittest.TestCase):
    def test_task_tier_seed_come_from_extra_info(self):
        body = caplab_reward.request_body("caplab/cube-lift", "```python\npass\n```", {"seed": 7, "tier": "S3", "task": "cube-stack"})
        self.assertEqual(body, {"data_source": "cube-stack", "tier": "S3", "seed": 7, "completion": "```python\npass\n```"})

    def test_data_source_and_defaults_without_extra_info(self):
        self.assertEqual(caplab_reward.request_body("caplab/spill-wipe", "x")["data_source"], "caplab/spill-wipe")
        self.assertEqual(caplab_reward.request_body("caplab/spill-wipe", "x")["seed"], 0)

    def test_urls_from_the_environment(self):
        os.environ[caplab_reward.URLS_ENV] = " http://a:1/ ,http://b:2,"
        try:
            self.assertEqual(caplab_reward.server_urls(), ["http://a:1", "http://b:2"])
        finally:
            del os.environ[caplab_reward.URLS_ENV]


class RetryTest(unittest.TestCase):
    def test_a_429_is_left_for_the_other_server_then_retried(self):
        busy = _Server([(429, {"retry-after": "1"}, {"error": {"code": "queue_full", "message": "full"}}), (200, {}, {"score": 0.1})])
        free = _Server([(200, {}, {"score": 1.0, "status": "success"})])
        for server in (busy, free):
            threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            urls = ["http://127.0.0.1:%d" % s.server_address[1] for s in (busy, free)]
            caplab_reward._turn = iter(range(0, 10))  # start at the busy server
            details = caplab_reward.score_details("caplab/cube-lift", "```python\npass\n```", None, {"seed": 3}, urls=urls)
            self.assertEqual(details["score"], 1.0)
            self.assertEqual(details["server"], urls[1])
            self.assertEqual(len(busy.bodies), 1)
            self.assertEqual(free.bodies[0]["seed"], 3)
        finally:
            for server in (busy, free):
                server.shutdown()
                server.server_close()
            caplab_reward._resting.clear()

    def test_an_unknown_task_raises(self):
        server = _Server([(404, {}, {"error": {"code": "unknown_task", "message": "unknown task 'x'"}})])
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with self.assertRaises(caplab_reward.RewardRequestError) as caught:
                caplab_reward.compute_score("x", "```python\npass\n```", None, urls=["http://127.0.0.1:%d" % server.server_address[1]])
            self.assertEqual(caught.exception.code, "unknown_task")
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    unittest.main()
