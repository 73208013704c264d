"""The runner's bounds without a host: the output budget, the recursion cap, NaN refused by name."""

import sys
import unittest

from caplab import _bounds
from caplab._bounds import OUTPUT_HEAD_BYTES, OUTPUT_TAIL_BYTES, OutputBudget
from caplab._client import check_finite
from caplab.errors import ApiArgumentError


class OutputBudgetTest(unittest.TestCase):
    def test_small_output_passes_whole(self):
        budget = OutputBudget()
        self.assertEqual(budget.admit('stdout', 'hello\n'), 'hello\n')
        written = []
        self.assertEqual(budget.finish(lambda stream, text: written.append((stream, text))), 0)
        self.assertEqual(written, [])

    def test_keeps_the_head_and_the_tail_and_counts_the_rest(self):
        budget = OutputBudget()
        chunk = 'x' * 1023 + '\n'
        passed = ''.join(budget.admit('stdout', chunk) for _ in range(2048))  # 2 MiB
        passed += budget.admit('stderr', 'the last words\n')
        self.assertEqual(len(passed), OUTPUT_HEAD_BYTES)
        written = []
        dropped = budget.finish(lambda stream, text: written.append((stream, text)))
        tail = ''.join(text for stream, text in written[1:])
        self.assertEqual(dropped, 2048 * 1024 + 15 - OUTPUT_HEAD_BYTES - OUTPUT_TAIL_BYTES)
        self.assertEqual(len(tail), OUTPUT_TAIL_BYTES)
        self.assertTrue(tail.endswith('the last words\n'))
        self.assertEqual(written[-1], ('stderr', 'the last words\n'))
        self.assertIn(f'{dropped} bytes in between dropped', written[0][1])
        # The next program starts with a fresh budget.
        self.assertEqual(budget.admit('stdout', 'again\n'), 'again\n')


class RecursionCapTest(unittest.TestCase):
    def test_setrecursionlimit_cannot_go_past_the_cap(self):
        original = sys.setrecursionlimit
        before = sys.getrecursionlimit()
        try:
            _bounds.guard_recursion()
            sys.setrecursionlimit(10**7)
            self.assertEqual(sys.getrecursionlimit(), _bounds.MAX_RECURSION)
            sys.setrecursionlimit(2000)
            self.assertEqual(sys.getrecursionlimit(), 2000)
        finally:
            sys.setrecursionlimit = original
            original(before)


class FiniteArgumentsTest(unittest.TestCase):
    def test_nan_and_infinity_name_the_function_and_the_parameter(self):
        params = ['position_m', 'quat_wxyz']
        with self.assertRaisesRegex(ApiArgumentError, r"^move_to_pose\(\): position_m holds NaN or infinity"):
            check_finite('move_to_pose', params, ([0.4, float('nan'), 0.3],), {})
        with self.assertRaisesRegex(ApiArgumentError, r"^move_to_pose\(\): speed is infinite"):
            check_finite('move_to_pose', params, ([0, 0, 0], [1, 0, 0, 0]), {'speed': float('inf')})
        with self.assertRaisesRegex(ApiArgumentError, r"^f\(\): x is NaN") as caught:
            check_finite('f', ['x'], (float('nan'),), {})
        self.assertEqual((caught.exception.function, caught.exception.parameter), ('f', 'x'))
        check_finite('f', ['x'], ([1.0, 2, {'a': 3.5}],), {'flag': True})  # finite: no error


if __name__ == '__main__':
    unittest.main()
