"""Bounds of a policy process, set by the runner before any program runs.

- ``confine()``: under the sandbox as root, become an unprivileged user (the kernel exempts root
  from RLIMIT_NPROC), then limit the number of processes (threads included).
- ``guard_recursion()``: a 64 MiB main-thread stack and a recursion limit that
  ``sys.setrecursionlimit`` cannot raise past what that stack holds, so deep recursion ends in a
  ``RecursionError`` with its line, never in a C-level crash.
- ``OutputBudget``: stdout and stderr of one program together are capped; the first part and the
  last part are kept and the bytes in between counted.
"""

import os
import resource
import sys

MAX_RECURSION = 10_000
STACK_BYTES = 64 * 1024 * 1024
OUTPUT_HEAD_BYTES = 512 * 1024
OUTPUT_TAIL_BYTES = 64 * 1024


def confine():
    """Drop root (when the host asked) and limit the process count (when the sandbox can)."""
    os.environ.pop('CAPLAB_SANDBOX', None)  # the runner's to know; the program sees the walls
    uid = os.environ.pop('CAPLAB_RUN_AS_UID', None)
    if uid is not None and os.getuid() == 0:
        os.setgroups([])
        os.setgid(int(uid))
        os.setuid(int(uid))
    max_processes = int(os.environ.pop('CAPLAB_MAX_PROCESSES', '0') or 0)
    if max_processes > 0:
        resource.setrlimit(resource.RLIMIT_NPROC, (max_processes, max_processes))


def guard_recursion():
    """Grow the main thread's stack limit and cap ``sys.setrecursionlimit`` at what it holds."""
    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    wanted = STACK_BYTES if hard == resource.RLIM_INFINITY else min(STACK_BYTES, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_STACK, (wanted, hard))
    original = sys.setrecursionlimit

    def setrecursionlimit(limit):
        """``sys.setrecursionlimit``, at most ``MAX_RECURSION`` (deeper would crash Python)."""
        if isinstance(limit, int) and limit > MAX_RECURSION:
            sys.stderr.write(f'[caplab] recursion limit {limit} lowered to {MAX_RECURSION} '
                             f'(deeper recursion would crash the interpreter)\n')
            limit = MAX_RECURSION
        original(limit)

    sys.setrecursionlimit = setrecursionlimit
    original(min(sys.getrecursionlimit(), MAX_RECURSION))


class OutputBudget:
    """The output of one program: ``OUTPUT_HEAD_BYTES`` go through as written, then only the last
    ``OUTPUT_TAIL_BYTES`` are kept (written at the program's end) and the rest is counted."""

    def __init__(self):
        self.used = 0
        self.dropped = 0
        self._tail = []
        self._tail_bytes = 0

    def admit(self, stream, text):
        """The part of ``text`` to write now; the rest is kept for the tail or counted."""
        size = len(text.encode('utf-8', 'replace'))
        if self.used + size <= OUTPUT_HEAD_BYTES:
            self.used += size
            return text
        room = max(0, OUTPUT_HEAD_BYTES - self.used)
        now = text.encode('utf-8', 'replace')[:room].decode('utf-8', 'ignore')
        self.used = OUTPUT_HEAD_BYTES
        rest = text[len(now):]
        self._tail.append((stream, rest))
        self._tail_bytes += len(rest.encode('utf-8', 'replace'))
        while self._tail and self._tail_bytes - len(self._tail[0][1].encode('utf-8', 'replace')) >= OUTPUT_TAIL_BYTES:
            _, first = self._tail.pop(0)
            size = len(first.encode('utf-8', 'replace'))
            self._tail_bytes -= size
            self.dropped += size
        return now

    def finish(self, write):
        """At the program's end: say what was dropped, write the tail (``write(stream, text)``),
        start afresh; the number of bytes dropped."""
        tail, dropped = self._trimmed_tail()
        self.dropped += dropped
        total = self.dropped
        if total:
            write('stderr', f'\n[caplab] output capped: the first {OUTPUT_HEAD_BYTES // 1024} KiB and the last '
                            f'{OUTPUT_TAIL_BYTES // 1024} KiB kept, {total} bytes in between dropped\n')
        for stream, text in tail:
            write(stream, text)
        self.__init__()
        return total

    def _trimmed_tail(self):
        """The tail cut to ``OUTPUT_TAIL_BYTES`` (its first chunk shortened); bytes cut."""
        excess = self._tail_bytes - OUTPUT_TAIL_BYTES
        if excess <= 0 or not self._tail:
            return self._tail, 0
        stream, first = self._tail[0]
        data = first.encode('utf-8', 'replace')
        return [(stream, data[excess:].decode('utf-8', 'ignore'))] + self._tail[1:], excess
