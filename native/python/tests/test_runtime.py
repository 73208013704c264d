"""Unit tests of the policy-side pieces that need no host: errors, framing, traceback capture."""

import linecache
import unittest

from caplab import errors
from caplab._client import LineReader, encode, make_api_function
from caplab._runner import describe_exception, register_source


class ErrorMappingTest(unittest.TestCase):
    def test_each_code_maps_to_a_class_that_is_also_the_expected_builtin(self):
        cases = {
            'invalid_argument': (errors.ApiArgumentError, TypeError),
            'unknown_function': (errors.UnknownFunctionError, AttributeError),
            'unknown_object': (errors.UnknownObjectError, LookupError),
            'ik_failed': (errors.IKError, RuntimeError),
            'motion_timeout': (errors.MotionError, RuntimeError),
            'safety_stop': (errors.SafetyStop, RuntimeError),
            'backend_error': (errors.RobotError, RuntimeError),
            'policy_server_error': (errors.PolicyServerError, RuntimeError),
            'policy_server_timeout': (errors.PolicyServerTimeout, TimeoutError),
            'cancelled': (errors.RunCancelled, KeyboardInterrupt),
        }
        for code, (cls, builtin) in cases.items():
            error = errors.error_from_wire({'code': code, 'message': 'm', 'function': 'f', 'parameter': 'p'})
            self.assertIs(type(error), cls)
            self.assertIsInstance(error, builtin)
            self.assertEqual((str(error), error.function, error.parameter), ('m', 'f', 'p'))

    def test_an_unknown_code_becomes_a_robot_error(self):
        self.assertIs(type(errors.error_from_wire({'code': 'new_code', 'message': 'x'})), errors.RobotError)


class FramingTest(unittest.TestCase):
    def test_lines_split_across_chunks(self):
        reader = LineReader()
        self.assertEqual(reader.feed(b'{"a":1}\n{"b"'), [b'{"a":1}'])
        self.assertEqual(reader.feed(b':2}\n\n'), [b'{"b":2}', b''])

    def test_encode_refuses_nan_and_unknown_types(self):
        self.assertEqual(encode({'x': [1, 2.5]}), b'{"x":[1,2.5]}\n')
        with self.assertRaises(ValueError):
            encode({'x': float('nan')})
        with self.assertRaises(TypeError):
            encode({'x': object()})


class ApiFunctionTest(unittest.TestCase):
    class FakeConnection:
        def __init__(self):
            self.calls = []

        def call(self, fn, args, kwargs):
            self.calls.append((fn, args, kwargs))
            return [[1, 2], [3]]

    def test_sends_raw_arguments_and_shows_the_signature_and_doc(self):
        import inspect
        connection = self.FakeConnection()
        spec = {'name': 'move', 'params': ['position_m', 'speed'], 'defaults': {'speed': 0.5}, 'doc': 'Move.',
                'tuple': True}
        move = make_api_function(connection, spec)
        self.assertEqual(move([1, 2, 3], speed=2), ([1, 2], [3]))
        self.assertEqual(move(), ([1, 2], [3]))  # no validation here: the host does it
        self.assertEqual(connection.calls, [('move', [[1, 2, 3]], {'speed': 2}), ('move', [], {})])
        self.assertEqual(str(inspect.signature(move)), '(position_m, speed=0.5)')
        self.assertEqual(move.__doc__, 'Move.')

    def test_a_required_parameter_after_a_defaulted_one_still_gives_a_function(self):
        import inspect
        spec = {'name': 'f', 'params': ['a', 'b'], 'defaults': {'a': 1}, 'doc': ''}
        self.assertEqual(str(inspect.signature(make_api_function(self.FakeConnection(), spec))), '(a, b)')


class ExceptionCaptureTest(unittest.TestCase):
    def test_traceback_names_the_program_line(self):
        source = register_source('shown/prog.py', 'def f():\n    return 1 / 0\n\nf()\n')
        self.assertIn('shown/prog.py', linecache.cache)
        try:
            exec(compile(source, 'shown/prog.py', 'exec'), {})
        except ZeroDivisionError as error:
            described = describe_exception(error, 'shown/prog.py')
        self.assertEqual(described['type'], 'ZeroDivisionError')
        self.assertEqual(described['line'], 2)
        self.assertEqual([f['line'] for f in described['traceback'] if f['file'] == 'shown/prog.py'], [4, 2])
        self.assertEqual(described['traceback'][-1]['code'], 'return 1 / 0')
        self.assertIn('Traceback (most recent call last)', described['formatted'])

    def test_syntax_error_line(self):
        try:
            compile('x = (\n', 'p.py', 'exec')
        except SyntaxError as error:
            described = describe_exception(error, 'p.py')
        self.assertEqual((described['type'], described['line']), ('SyntaxError', 1))


if __name__ == '__main__':
    unittest.main()


class ImageTest(unittest.TestCase):
    def wire(self, kind, shape, dtype, raw):
        import base64
        return {'__image__': {'id': 7, 'kind': kind, 'camera': 'top', 'shape': shape, 'dtype': dtype,
                              'b64': base64.b64encode(raw).decode()}}

    def test_rgb_depth_and_mask_pixels(self):
        import struct
        from caplab.images import from_wire
        rgb = from_wire(self.wire('rgb', [2, 2, 3], 'uint8', bytes(range(12))))
        self.assertEqual((rgb.height, rgb.width), (2, 2))
        self.assertEqual(rgb[1, 0], (6, 7, 8))
        self.assertEqual(rgb[1, 1, 2], 11)
        depth = from_wire(self.wire('depth', [1, 2], 'float32', struct.pack('<2f', 1.25, 0.0)))
        self.assertAlmostEqual(depth[0, 0], 1.25)
        self.assertEqual(depth.tolist(), [[1.25, 0.0]])
        with self.assertRaises(IndexError):
            depth[1, 0]

    def test_a_mask_goes_back_by_id_and_with_pixels_once_edited(self):
        from caplab.images import from_wire
        result = from_wire({'masks': [self.wire('mask', [1, 3], 'uint8', bytes([0, 1, 1]))]})
        mask = result['masks'][0]
        self.assertEqual(mask.count_nonzero(), 2)
        self.assertEqual(mask.nonzero(), [(0, 1), (0, 2)])
        self.assertEqual(mask._to_wire(), {'__image__': {'id': 7}})
        mask[0, 0] = 1
        self.assertEqual(mask._to_wire()['__image__']['b64'], 'AQEB')
