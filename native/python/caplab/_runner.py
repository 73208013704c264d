"""Entry point of a policy process: ``python3 -u -m caplab._runner``.

Started by the host (``native/runtime/policy-session.ts``) in a pty, with the socket path, the
per-process token and the memory limit in the environment. Connects to the host, defines the robot
API functions, tees stdout and stderr to the host, then runs the programs the host sends, one after
another in one namespace: for each it sets the CPU limit, traces the program's lines with
``sys.settrace``, runs it, and reports how it ended as structured data. It exits when the host says
close or after the program marked ``last`` (a one-program run). A heartbeat thread tells the host
the process is alive while a program runs or waits on a call.
"""

import _signal
import builtins
import os
import sys

import caplab
from caplab._bounds import OutputBudget, confine, guard_recursion
from caplab._client import HostConnection, make_api_function
from caplab.errors import ResourceLimitExceeded

PACKAGE_DIR = os.path.dirname(os.path.abspath(caplab.__file__))
# The output budget of the running program and the two streams that spend it.
BUDGET = OutputBudget()
KEPT_FRAMES = 20
TEES = {}
# Address space held back, while a program runs, for reporting a MemoryError: a program that filled
# its memory limit with small objects leaves no room to import `traceback`, format the exception or
# send the exit message otherwise (the process then ended without a word). 4 MiB of a limit that is
# hundreds; `bytes(n)` is calloc'd fresh pages, never touched, so it takes no RAM (a bytearray's
# would be zeroed: 1,000 page faults at every start).
RESERVE_BYTES = 4 * 1024 * 1024
RESERVE = []


class Tee:
    """A text stream that writes through to the terminal and reports the text to the host, within
    the program's output budget (the part over it is kept for the tail or counted)."""

    def __init__(self, stream_name, real, connection, budget):
        self._name = stream_name
        self._real = real
        self._connection = connection
        self._budget = budget

    def write(self, text):
        now = self._budget.admit(self._name, text) if text else text
        self.write_through(now)
        return len(text)

    def write_through(self, text):
        """Write to the terminal and the host, outside the budget."""
        self._real.write(text)
        if text:
            self._connection.note_output(self._name, text)

    def flush(self):
        self._real.flush()

    def __getattr__(self, name):
        return getattr(self._real, name)


def policy_frames(tb):
    """The traceback frames outside this package, as dicts (innermost last)."""
    # Imported here, for a program that raised: ~2 ms of every process start otherwise.
    import traceback
    frames = []
    for summary in traceback.extract_tb(tb):
        if os.path.abspath(summary.filename).startswith(PACKAGE_DIR + os.sep):
            continue
        frames.append({'file': summary.filename, 'line': summary.lineno or 0, 'function': summary.name,
                       'code': summary.line or ''})
    return frames


def describe_exception(error, program_path):
    """An exception as the host's ``PolicyException``: type, message, line, traceback, formatted."""
    frames = policy_frames(error.__traceback__)
    line = None
    for frame in frames:
        if frame['file'] == program_path:
            line = frame['line']
    if isinstance(error, SyntaxError) and error.filename == program_path:
        line = error.lineno
    if len(frames) > 2 * KEPT_FRAMES:  # deep recursion: the outermost and innermost frames tell it
        frames = frames[:KEPT_FRAMES] + frames[-KEPT_FRAMES:]
    import traceback
    formatted_frames = traceback.format_list(traceback.StackSummary.from_list(
        [(f['file'], f['line'], f['function'], f['code']) for f in frames]))
    formatted = ''.join(['Traceback (most recent call last):\n'] + formatted_frames
                        + traceback.format_exception_only(type(error), error)) if frames else ''.join(
        traceback.format_exception_only(type(error), error))
    return {'type': type(error).__name__, 'message': str(error), 'line': line, 'traceback': frames,
            'formatted': formatted}


def apply_memory_limit(memory_bytes):
    """The address-space limit of the whole process (CPU time is limited program by program)."""
    if memory_bytes > 0:
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def allow_cpu(cpu_seconds, last):
    """This program may use ``cpu_seconds`` more CPU time than used so far, to the nearest whole
    second (rlimits count whole seconds; for a fresh process that is ``cpu_seconds`` in all, start-up
    included); the host also enforces the wall clock. Only the soft limit while more programs may
    follow: an unprivileged process cannot raise a hard limit again. The last program gets the hard
    limit too (soft + 2 s), at which the kernel kills a program that swallowed the soft limit's
    exception."""
    if cpu_seconds <= 0:
        return
    import resource

    def on_cpu_limit(_signum, _frame):
        raise ResourceLimitExceeded(f'CPU time limit of {cpu_seconds} s exceeded')

    _signal.signal(_signal.SIGXCPU, on_cpu_limit)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = round(usage.ru_utime + usage.ru_stime + cpu_seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 2 if last else resource.RLIM_INFINITY))


def plain_help(*args, **kwargs):
    """``help()`` that prints (through the stdout tee) instead of opening a pager in the pty."""
    import pydoc
    pydoc.pager = lambda text, title='': sys.stdout.write(pydoc.plain(text) + '\n')
    return pydoc.help(*args, **kwargs)


def make_tracer(connection, program_path):
    """A ``sys.settrace`` function that reports lines of the program file only."""
    note_line = connection.note_line

    def local_trace(frame, event, _arg):
        if event == 'line':
            note_line(frame.f_lineno)
        return local_trace

    def global_trace(frame, _event, _arg):
        # Returning None for other files keeps library code untraced (and fast).
        return local_trace if frame.f_code.co_filename == program_path else None

    return global_trace


# The programs' sources by the file names their code carries, for the lines tracebacks show.
SOURCES = {}


def register_source(display_name, source):
    """Register ``source`` with linecache under the name tracebacks show; returns it."""
    SOURCES[display_name] = source
    if 'linecache' in sys.modules:
        _into_linecache(sys.modules['linecache'], {display_name: source})
    return source


def _into_linecache(linecache, sources):
    for name, source in sources.items():
        linecache.cache[name] = (len(source), None, source.splitlines(keepends=True), name)


class SourcesIntoLinecache:
    """A ``sys.meta_path`` entry that fills ``linecache`` with the programs' sources as it is first
    imported (by this runner's traceback, or by the program's own ``traceback``, ``inspect`` or
    ``pdb``): importing it up front would bring ``tokenize`` and ``re``, ~4 ms of every start."""

    def find_spec(self, name, path=None, target=None):
        if name != 'linecache':
            return None
        sys.meta_path.remove(self)
        spec = next((s for s in (f.find_spec(name, path, target) for f in sys.meta_path) if s), None)
        loader = getattr(spec, 'loader', None)
        if loader is not None and not isinstance(loader, type) and hasattr(loader, 'exec_module'):
            load = loader.exec_module

            def exec_module(module):
                load(module)
                _into_linecache(module, SOURCES)

            loader.exec_module = exec_module  # this spec's own loader instance
        return spec


def new_namespace(connection, program_path):
    """The program's globals: the robot API functions (also on the ``caplab`` module)."""
    namespace = {'__name__': '__main__', '__file__': program_path, '__builtins__': builtins}
    for spec in connection.welcome.get('api', []):
        function = make_api_function(connection, spec)
        namespace[spec['name']] = function
        setattr(caplab, spec['name'], function)
    return namespace


def run_source(connection, namespace, source, program_path, prelude, trace):
    """Run one program in ``namespace``; how it ended, as the final message."""
    memory_bytes = int(os.environ.get('CAPLAB_MEMORY_BYTES', '0'))
    try:
        if prelude:
            # Skills: defined in the program's namespace before it runs, not traced.
            exec(compile(prelude[0], prelude[1], 'exec'), namespace)
        code = compile(source, program_path, 'exec')
        if trace:
            sys.settrace(make_tracer(connection, program_path))
        try:
            exec(code, namespace)
        finally:
            sys.settrace(None)
    except SystemExit as error:
        if error.code in (None, 0):
            return {'t': 'exit', 'status': 'completed'}
        return exception_exit(error, program_path, 'exception')
    except KeyboardInterrupt as error:
        return exception_exit(error, program_path, 'cancelled', quiet=True)
    except MemoryError as error:
        RESERVE.clear()
        exit_message = exception_exit(error, program_path, 'resource-limit')
        exit_message['reason'] = f'memory limit of {memory_bytes // (1024 * 1024)} MiB exceeded (MemoryError)'
        return exit_message
    except ResourceLimitExceeded as error:
        return exception_exit(error, program_path, 'resource-limit', reason=str(error))
    except BaseException as error:  # noqa: B036 - every policy failure is reported, whatever it is
        return exception_exit(error, program_path, 'exception')
    return {'t': 'exit', 'status': 'completed'}


def serve(connection):
    """Run the host's programs one after another in one namespace, until the host says close (None)
    or the program marked ``last`` has ended (its final message)."""
    namespace = None
    while True:
        try:
            message = connection.next_program()
        except (KeyboardInterrupt, ResourceLimitExceeded):
            continue  # an interrupt or a CPU signal that arrived just after a program ended
        if message is None:
            return None
        if namespace is None:
            namespace = new_namespace(connection, message['name'])
        final = run_program(connection, namespace, message)
        connection.finish(final)
        if message.get('last'):
            return final


def run_program(connection, namespace, message):
    """Run one ``program`` message in ``namespace``; how it ended, as the final message."""
    final = {'t': 'exit', 'status': 'cancelled'}
    try:
        name = message['name']
        namespace['__file__'] = name
        source = register_source(name, message['source'])
        prelude = None
        if message.get('prelude'):
            prelude_name = message['prelude']['name']
            prelude = (register_source(prelude_name, message['prelude']['source']), prelude_name)
        allow_cpu(int(message.get('cpuSeconds', 0)), bool(message.get('last')))
        hold_reserve()
        final = run_source(connection, namespace, source, name, prelude, message.get('trace', True))
    except KeyboardInterrupt:
        pass  # interrupted before the program or between its end and the report: still a cancel
    dropped = BUDGET.finish(lambda stream, text: TEES[stream].write_through(text)) if TEES else 0
    if dropped:
        final['outputDropped'] = dropped
    sys.stdout.flush()
    return final


def hold_reserve():
    """Hold the reporting reserve for the next program (again after a MemoryError, where it fits)."""
    if not RESERVE:
        try:
            RESERVE.append(bytes(RESERVE_BYTES))
        except MemoryError:
            pass  # the previous program's objects fill the limit: this one reports as it can


def exception_exit(error, program_path, status, quiet=False, reason=None):
    """Report an exception, print it as Python would, and build the exit message."""
    described = describe_exception(error, program_path)
    if not quiet:
        sys.stderr.write(described['formatted'])
    message = {'t': 'exit', 'status': status, 'exception': described}
    if reason:
        message['reason'] = reason
    return message


EXIT_CODES = {'completed': 0, 'exception': 1, 'resource-limit': 3, 'cancelled': 130}


def main():
    connection = HostConnection(os.environ['CAPLAB_SOCKET'], os.environ['CAPLAB_TOKEN'])
    # The token is a secret for this process only; the program has no business reading it.
    for key in ('CAPLAB_TOKEN', 'CAPLAB_SOCKET'):
        os.environ.pop(key, None)
    confine()
    # Before the limit, so that a small memory limit cannot keep the thread from starting.
    connection.start_heartbeat()
    apply_memory_limit(int(os.environ.get('CAPLAB_MEMORY_BYTES', '0')))
    guard_recursion()
    builtins.help = plain_help
    sys.meta_path.insert(0, SourcesIntoLinecache())
    if not hasattr(builtins, 'exit'):  # started without `site` (-S), which defines them
        builtins.exit = builtins.quit = sys.exit
    TEES['stdout'] = sys.stdout = Tee('stdout', sys.stdout, connection, BUDGET)
    TEES['stderr'] = sys.stderr = Tee('stderr', sys.stderr, connection, BUDGET)
    final = None
    try:
        final = serve(connection)
    finally:
        connection.close()
        sys.stdout.flush()
    # After a last program the exit code says how it ended (the exit message says it in full).
    os._exit(EXIT_CODES.get(final['status'], 1) if final else 0)


if __name__ == '__main__':
    main()
