# Recurse without end after raising the recursion limit past what the C stack holds.
import sys

sys.setrecursionlimit(10**7)


def dive(depth):
    return dive(depth + 1)


dive(0)
