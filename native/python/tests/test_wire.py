"""The connection's JSON (``caplab._wire``, from ``_json``) against the ``json`` package, and the
runner's start-up: which modules a policy process imports before its program."""

import json
import math
import os
import subprocess
import sys
import unittest

from caplab import _wire

PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(_wire.__file__)))


def reference_dumps(value, default=None):
    return json.dumps(value, separators=(',', ':'), allow_nan=False, default=default)


class WireTest(unittest.TestCase):
    VALUES = [
        {'t': 'call', 'id': 7, 'fn': 'move_to_pose', 'args': [[0.5, -0.1, 0.2], [0.0, 1.0, 0.0, 0.0]], 'kwargs': {}},
        {'t': 'out', 'stream': 'stdout', 'text': 'é — 漢字 \u2028 "quoted" \\ \n\t', 'ms': 12.125},
        [1e-300, 1e300, -0.0, 2 ** 63, -(2 ** 70), 0.1 + 0.2, True, False, None],
        {'nested': {'deep': [[[{'x': []}]]]}, '': {}},
    ]

    def test_dumps_writes_what_json_writes(self):
        for value in self.VALUES:
            self.assertEqual(_wire.dumps(value, None), reference_dumps(value))

    def test_loads_reads_what_json_reads(self):
        for value in self.VALUES:
            text = reference_dumps(value)
            self.assertEqual(_wire.loads(text), json.loads(text))
            self.assertEqual(_wire.loads(text.encode()), json.loads(text))
        self.assertTrue(math.isnan(_wire.loads('[NaN]')[0]))
        self.assertEqual(_wire.loads(' {"a": -Infinity} \n'), {'a': float('-inf')})

    def test_refuses_what_json_refuses(self):
        for value in (float('nan'), [float('inf')], {'a': -math.inf}):
            with self.assertRaises(ValueError):
                _wire.dumps(value, None)
        circular = []
        circular.append(circular)
        with self.assertRaises(ValueError):
            _wire.dumps(circular, None)
        with self.assertRaises(TypeError):
            _wire.dumps({'x': object()}, None)
        for text in ('', '{"a": 1} extra', '{"a": }', '[1,'):
            with self.assertRaises(ValueError):
                _wire.loads(text)

    def test_default_turns_other_values_into_json(self):
        class Pose:
            def _to_wire(self):
                return {'ref': 3}

        def default(value):
            return value._to_wire()

        self.assertEqual(_wire.dumps([Pose()], default), '[{"ref":3}]')


class StartupTest(unittest.TestCase):
    def test_the_runner_imports_no_regex_enum_or_threading_machinery(self):
        # What the runner's import brings beyond the bare interpreter is what every policy
        # process pays for at its start: C modules and the caplab package, not re/enum/json.
        script = ('import sys; before = set(sys.modules); sys.path[:0] = [%r]; import caplab._runner; '
                  'print(" ".join(sorted(set(sys.modules) - before)))' % PACKAGE_PARENT)
        loaded = subprocess.run([sys.executable, '-I', '-S', '-B', '-c', script], capture_output=True,
                                text=True, check=True).stdout.split()
        self.assertIn('caplab._wire', loaded)
        for heavy in ('re', 'enum', 'json', 'threading', 'signal', 'socket', 'linecache', 'tokenize',
                      'traceback', 'functools', 'collections'):
            self.assertNotIn(heavy, loaded)

    def test_a_program_s_own_traceback_shows_its_lines(self):
        # linecache is imported only when something needs it; the runner's sources reach it then.
        script = '''import sys
sys.path[:0] = [%r]
from caplab import _runner
sys.meta_path.insert(0, _runner.SourcesIntoLinecache())
source = _runner.register_source('shown/own.py', 'import traceback\\ntry:\\n    1 / 0\\nexcept ZeroDivisionError:\\n    traceback.print_exc(file=sys.stdout)\\n')
exec(compile(source, 'shown/own.py', 'exec'), {'sys': sys})
''' % PACKAGE_PARENT
        out = subprocess.run([sys.executable, '-I', '-S', '-B', '-c', script], capture_output=True, text=True,
                             check=True).stdout
        self.assertIn('File "shown/own.py", line 3', out)
        self.assertIn('    1 / 0', out)


if __name__ == '__main__':
    unittest.main()
