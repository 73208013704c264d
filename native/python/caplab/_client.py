"""The policy side of the host connection: newline-delimited JSON over a local socket.

Robot API calls are synchronous request/reply. Line-trace events and captured output are queued
and sent in batches (with the next call, every ``FLUSH_INTERVAL_S``, and at exit) so that tracing
costs little per line; output waits for the end of its line. A daemon thread sends a heartbeat
every ``HEARTBEAT_INTERVAL_S``: the host stops the arm when a policy that has a motion going falls
silent (stopped, or stuck in C code that holds the interpreter).
"""

import keyword
import math
import time
# C modules, not their Python wrappers: `socket`, `threading`, `signal` and `json` (for which see
# `_wire`) would import `enum`, `functools`, `collections` and `re`, about half of every policy
# process's start-up CPU (measured 20 ms with them, 10 ms without, on a 2-core bench machine).
from _signal import SIG_BLOCK, SIG_SETMASK, pthread_sigmask, valid_signals
from _socket import AF_UNIX, SOCK_STREAM, socket
from _thread import allocate_lock, stack_size, start_new_thread

from .errors import ApiArgumentError, error_from_wire
from .images import from_wire
from ._wire import dumps, loads

FLUSH_INTERVAL_S = 0.02
HEARTBEAT_INTERVAL_S = 0.25
# The heartbeat thread needs little stack; a small one takes little of the memory limit.
HEARTBEAT_STACK_BYTES = 256 * 1024
MAX_LINES_PER_SECOND = 5000
# Output is sent at the end of a line (a print() is several writes: each argument, the separators,
# the newline), so that each output event the host stores holds whole lines; a burst without a
# newline goes once it is this long, or with the next flush for a call, a line or the exit.
OUTPUT_BURST_CHARS = 8192


def _json_default(value):
    # Images cross as references; numpy arrays and scalars become lists and floats.
    if hasattr(value, '_to_wire'):
        return value._to_wire()
    if hasattr(value, 'tolist'):
        return value.tolist()
    raise TypeError(f'a value of type {type(value).__name__} cannot be sent to the robot')


def encode(message):
    """One message as a line of compact JSON (NaN and infinity refused)."""
    return dumps(message, _json_default).encode() + b'\n'


class LineReader:
    """Splits a byte stream into lines; ``feed`` returns the complete lines so far."""

    def __init__(self):
        self._buffer = bytearray()

    def feed(self, chunk):
        self._buffer += chunk
        lines = []
        start = 0
        while True:
            end = self._buffer.find(b'\n', start)
            if end < 0:
                break
            lines.append(bytes(self._buffer[start:end]))
            start = end + 1
        del self._buffer[:start]
        return lines


class HostConnection:
    """The socket to the host, with the queue of trace and output messages."""

    def __init__(self, path, token):
        self._sock = socket(AF_UNIX, SOCK_STREAM)
        self._sock.connect(path)
        self._reader = LineReader()
        self._ready = []
        self._queue = []
        # Held for every write to the socket (the main thread's batches, the heartbeat), never while
        # waiting for a reply: a blocking move does not hold up the heartbeat.
        self._lock = allocate_lock()
        # Held until close(): the heartbeat waits on it between beats, and takes it when closed.
        self._open = allocate_lock()
        self._open.acquire()
        self._closed = False
        self._next_id = 1
        self._t0 = time.perf_counter()
        self._last_flush = self._t0
        self._lines = []
        self._window_start = self._t0
        self._window_count = 0
        self._dropped = 0
        self._sock.sendall(encode({'t': 'hello', 'token': token}))
        self.welcome = self._receive()
        if self.welcome.get('t') != 'welcome':
            raise ConnectionError(f'the host refused the connection: {self.welcome}')

    def start_heartbeat(self, interval_s=HEARTBEAT_INTERVAL_S):
        """Send ``{'t': 'beat'}`` every ``interval_s`` from a thread until ``close()``; returns a lock
        that is released when that thread has ended (the process exits without waiting for it)."""
        ended = allocate_lock()
        ended.acquire()
        # The thread starts with every signal blocked (it inherits the mask), so that the kernel
        # delivers SIGINT (cancel) and SIGXCPU to the main thread, interrupting a call's wait.
        mask = pthread_sigmask(SIG_BLOCK, valid_signals())
        previous = stack_size(HEARTBEAT_STACK_BYTES)
        try:
            start_new_thread(self._beat, (interval_s, ended))
        finally:
            stack_size(previous)  # the program's own threads get the default
            pthread_sigmask(SIG_SETMASK, mask)
        return ended

    def _beat(self, interval_s, ended):
        beat = encode({'t': 'beat'})
        try:
            while not self._open.acquire(True, interval_s):
                try:
                    with self._lock:
                        self._sock.sendall(beat)
                except OSError:
                    return  # the host is gone; the main thread finds out on its next call
        finally:
            ended.release()

    def elapsed_ms(self):
        """Milliseconds since the connection was made (the host aligns this with its clock)."""
        return (time.perf_counter() - self._t0) * 1000.0

    def note_line(self, line):
        """Record one executed line (rate-capped); flush when the batch is old enough."""
        now = time.perf_counter()
        if now - self._window_start >= 1.0:
            self._window_start = now
            self._window_count = 0
        if self._window_count < MAX_LINES_PER_SECOND:
            self._window_count += 1
            self._lines.append((round((now - self._t0) * 1000.0, 3), line))
        else:
            self._dropped += 1
        if now - self._last_flush >= FLUSH_INTERVAL_S:
            self.flush()

    def note_output(self, stream, text):
        """Queue text written to stdout or stderr."""
        with self._lock:
            # Keep the order of lines and output: close the current batch of lines first.
            if self._lines:
                self._queue.append({'t': 'lines', 'lines': self._lines})
                self._lines = []
            last = self._queue[-1] if self._queue else None
            if last is not None and last['t'] == 'out' and last['stream'] == stream:
                last['text'] += text  # one event per burst of output, not per write()
            else:
                last = {'t': 'out', 'stream': stream, 'text': text, 'ms': round(self.elapsed_ms(), 3)}
                self._queue.append(last)
            whole = last['text'].endswith('\n') or len(last['text']) >= OUTPUT_BURST_CHARS
        if whole and time.perf_counter() - self._last_flush >= FLUSH_INTERVAL_S:
            self.flush()

    def flush(self, extra=()):
        """Send the queued trace and output, then `extra` (encoded messages), in one write."""
        with self._lock:
            messages = self._queue
            self._queue = []
            if self._lines:
                messages.append({'t': 'lines', 'lines': self._lines})
                self._lines = []
            if self._dropped:
                messages.append({'t': 'dropped', 'count': self._dropped})
                self._dropped = 0
            self._last_flush = time.perf_counter()
            data = b''.join(encode(m) for m in messages) + b''.join(extra)
            if data:
                self._sock.sendall(data)

    def call(self, fn, args, kwargs):
        """Call a robot API function on the host and wait for its reply."""
        call_id = self._next_id
        self._next_id += 1
        try:
            request = encode({'t': 'call', 'id': call_id, 'fn': fn, 'args': args, 'kwargs': kwargs})
        except (TypeError, ValueError) as error:
            raise ApiArgumentError(f'{fn}(): {error} (arguments must be numbers, strings, lists or dicts; '
                                   'no NaN or infinity)', fn) from None
        self.flush([request])
        while True:
            reply = self._receive()
            if reply.get('id') != call_id:
                continue
            if reply['t'] == 'ret':
                value = reply.get('value')
                return from_wire(value) if isinstance(value, (dict, list)) else value
            raise error_from_wire(reply.get('error', {}))

    def finish(self, message):
        """Send the final message (with everything still queued)."""
        self.flush([encode(message)])

    def next_program(self):
        """Session mode: wait for the host's next ``program`` message; None when it says close."""
        while True:
            try:
                message = self._receive()
            except ConnectionError:
                return None
            if message.get('t') == 'program':
                return message
            if message.get('t') == 'close':
                return None

    def close(self):
        if not self._closed:
            self._closed = True
            self._open.release()
        with self._lock:  # not in the middle of the heartbeat's write
            try:
                self._sock.close()
            except OSError:
                pass

    def _receive(self):
        while not self._ready:
            chunk = self._sock.recv(65536)
            if not chunk:
                raise ConnectionError('the host closed the connection')
            self._ready.extend(self._reader.feed(chunk))
        return loads(self._ready.pop(0))


def _non_finite(value):
    """'NaN' or 'infinite' when ``value`` is or holds such a float (numpy arrays too), else None."""
    if isinstance(value, float):
        return None if math.isfinite(value) else ('NaN' if math.isnan(value) else 'infinite')
    if isinstance(value, (list, tuple)):
        items = value
    elif isinstance(value, dict):
        items = value.values()
    elif hasattr(value, 'tolist') and not hasattr(value, '_to_wire'):
        return _non_finite(value.tolist())
    else:
        return None
    for item in items:
        found = _non_finite(item)
        if found:
            return f'{found} inside' if not found.endswith('inside') else found
    return None


def check_finite(name, params, args, kwargs):
    """Refuse NaN and infinity before they are sent, naming the function and the parameter."""
    named = [(params[i] if i < len(params) else f'argument {i + 1}', value) for i, value in enumerate(args)]
    for parameter, value in named + list(kwargs.items()):
        found = _non_finite(value)
        if found:
            what = 'holds NaN or infinity' if found.endswith('inside') else f'is {found}'
            raise ApiArgumentError(f'{name}(): {parameter} {what} ({repr(value)[:80]}); the robot API takes finite numbers only',
                                   function=name, parameter=parameter, expected='finite numbers')


def make_api_function(connection, spec):
    """A Python function for one API spec entry: sends its arguments to the host as given."""
    name = spec['name']
    as_tuple = spec.get('tuple', False)

    params = list(spec.get('params', []))

    def api_function(*args, **kwargs):
        check_finite(name, params, args, kwargs)
        value = connection.call(name, list(args), kwargs)
        return tuple(value) if as_tuple and isinstance(value, list) else value

    api_function.__name__ = name
    api_function.__qualname__ = name
    api_function.__doc__ = spec.get('doc', '')
    # The signature is for help() and inspect only: the host binds and validates the arguments.
    stub = _signature_stub(name, params, spec.get('defaults') or {})
    if stub is not None:
        api_function.__wrapped__ = stub
    return api_function


def _signature_stub(name, params, defaults):
    """A function with the API function's parameters, for ``inspect.signature`` (which follows
    ``__wrapped__``) and so ``help()``: compiled from the parameter names, because importing
    ``inspect`` to build a ``Signature`` cost every policy process ~7 ms of CPU at its start.
    A required parameter after a defaulted one shows the names only; names that are not
    identifiers give no stub (help() then shows ``*args, **kwargs``)."""
    if not all(p.isidentifier() and not keyword.iskeyword(p) for p in [name, *params]):
        return None
    namespace = {}
    for with_defaults in (True, False):
        listed = ', '.join(f'{p}=__defaults[{p!r}]' if with_defaults and p in defaults else p for p in params)
        try:
            exec(f'def {name}({listed}):\n    pass\n', {'__defaults': defaults}, namespace)
        except SyntaxError:
            continue
        return namespace[name]
    return None
