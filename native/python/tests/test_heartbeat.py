"""The heartbeat thread of the host connection, against a stand-in host on a real Unix socket."""

import json
import os
import socket
import tempfile
import threading
import unittest

from caplab._client import OUTPUT_BURST_CHARS, HostConnection, encode

# Generous: the machine running the tests may be loaded.
READ_TIMEOUT_S = 20


class StandInHost:
    """Accepts one runner, answers its hello with a welcome, and reads its messages."""

    def __init__(self):
        self._dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self._dir.name, 'host.sock')
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(self.path)
        self._server.listen(1)
        self.peer = None
        self._lines = None
        self._accepted = threading.Thread(target=self._accept, daemon=True)
        self._accepted.start()

    def _accept(self):
        self.peer, _ = self._server.accept()
        self.peer.settimeout(READ_TIMEOUT_S)
        self._lines = self.peer.makefile('rb')
        assert self.next_message()['t'] == 'hello'
        self.peer.sendall(encode({'t': 'welcome', 'api': []}))

    def connect(self):
        connection = HostConnection(self.path, 'token')
        self._accepted.join(READ_TIMEOUT_S)
        return connection

    def next_message(self):
        line = self._lines.readline()
        if not line:
            raise ConnectionError('the runner closed the connection')
        return json.loads(line)

    def close(self):
        if self.peer:
            self._lines.close()
            self.peer.close()
        self._server.close()
        self._dir.cleanup()


class HeartbeatTest(unittest.TestCase):
    def setUp(self):
        self.host = StandInHost()
        self.connection = self.host.connect()
        self.addCleanup(self.host.close)
        self.addCleanup(self.connection.close)

    def test_beats_arrive_and_stop_at_close(self):
        ended = self.connection.start_heartbeat(interval_s=0.01)
        for _ in range(3):
            self.assertEqual(self.host.next_message(), {'t': 'beat'})
        self.connection.close()
        self.assertTrue(ended.acquire(timeout=READ_TIMEOUT_S), 'the heartbeat thread did not end at close()')

    def test_beats_go_on_while_a_call_waits_for_its_reply(self):
        self.connection.start_heartbeat(interval_s=0.01)
        result = {}
        caller = threading.Thread(target=lambda: result.update(value=self.connection.call('sleep', [5], {})))
        caller.start()
        request = self.host.next_message()
        while request['t'] == 'beat':
            request = self.host.next_message()
        self.assertEqual(request['fn'], 'sleep')
        # The host holds the reply (a blocking move): the heartbeat is not held up by the call.
        beats = 0
        while beats < 3:
            beats += self.host.next_message() == {'t': 'beat'}
        self.assertTrue(caller.is_alive())
        self.host.peer.sendall(encode({'t': 'ret', 'id': request['id'], 'value': 7}))
        caller.join(READ_TIMEOUT_S)
        self.assertEqual(result, {'value': 7})

    def test_messages_from_both_threads_stay_whole_lines(self):
        self.connection.start_heartbeat(interval_s=0.001)
        text = 'x' * 200_000
        received = []

        def read():  # json.loads in next_message fails on an interleaved line
            while len(''.join(received)) < 5 * len(text):
                message = self.host.next_message()
                if message['t'] == 'out':
                    received.append(message['text'])

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        for _ in range(5):
            self.connection.note_output('stdout', text)
            self.connection.flush()
        reader.join(READ_TIMEOUT_S)
        self.assertEqual(''.join(received), text * 5)


class OutputTest(unittest.TestCase):
    def setUp(self):
        self.host = StandInHost()
        self.connection = self.host.connect()
        self.addCleanup(self.host.close)
        self.addCleanup(self.connection.close)

    def overdue(self):
        """As if the last flush were long ago (a slow start, a loaded machine)."""
        self.connection._last_flush = 0.0

    def test_a_print_arrives_as_one_line_even_when_a_flush_is_due(self):
        self.overdue()
        for part in ['line', ' ', '1', ' ', 'x' * 300, '\n']:  # print('line', 1, 'x' * 300)
            self.connection.note_output('stdout', part)
        self.assertEqual(self.host.next_message()['text'], 'line 1 ' + 'x' * 300 + '\n')
        self.overdue()
        self.connection.note_output('stdout', 'no newline yet')
        self.connection.flush()  # a call, a traced line or the exit sends it as it is
        self.assertEqual(self.host.next_message()['text'], 'no newline yet')

    def test_a_long_burst_without_a_newline_is_sent_once_it_is_long(self):
        self.overdue()
        self.connection.note_output('stdout', 'x' * (OUTPUT_BURST_CHARS - 1))
        self.connection.note_output('stdout', 'yz')
        self.assertEqual(self.host.next_message()['text'], 'x' * (OUTPUT_BURST_CHARS - 1) + 'yz')


if __name__ == '__main__':
    unittest.main()
