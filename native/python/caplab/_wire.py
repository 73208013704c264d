"""JSON for the host connection, from the C accelerator ``_json`` that the ``json`` package itself
uses for compact output: ``json`` would also import ``re`` (and through it ``enum``,
``functools`` and ``collections``) and compile six patterns at every policy process's start, which
is most of what a policy's start-up costs beyond the bare interpreter. ``dumps`` and ``loads``
behave as ``json.dumps(value, separators=(',', ':'), allow_nan=False, default=...)`` and
``json.loads`` do; where ``_json`` is missing or differs (another Python), they are those."""

try:
    from _json import encode_basestring_ascii, make_encoder, make_scanner
except ImportError:  # pragma: no cover - CPython always has it
    make_encoder = make_scanner = None


class _DecodeSettings:
    """What the C scanner reads from a ``json.JSONDecoder``: the defaults."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int

    @staticmethod
    def parse_constant(name):
        return {'-Infinity': float('-inf'), 'Infinity': float('inf'), 'NaN': float('nan')}[name]


def _c_dumps(value, default):
    # A fresh `markers` dict per message: the circular-reference check, as json.dumps makes it.
    encoder = make_encoder({}, default, encode_basestring_ascii, None, ':', ',', False, False, False)
    return ''.join(encoder(value, 0))


def _c_loads(text):
    if isinstance(text, (bytes, bytearray)):
        text = text.decode('utf-8')
    start = len(text) - len(text.lstrip(' \t\n\r'))
    try:
        value, end = _scan(text, start)
    except StopIteration as error:
        raise ValueError(f'Expecting value: char {error.value}') from None
    if text[end:].strip(' \t\n\r'):
        raise ValueError(f'Extra data: char {end}')
    return value


def _works():
    """Whether this Python's ``_json`` takes the arguments used here and gives json's answers."""
    try:
        sample = {'t': 'call', 'args': [1, -2.5, 'é"\n', None, True], 'kwargs': {}}
        encoded = _c_dumps(sample, None)
        return encoded == '{"t":"call","args":[1,-2.5,"\\u00e9\\"\\n",null,true],"kwargs":{}}' and _c_loads(encoded) == sample
    except Exception:  # noqa: BLE001 - any mismatch means: use the json package
        return False


_scan = make_scanner(_DecodeSettings()) if make_scanner is not None else None

if make_encoder is not None and _scan is not None and _works():
    dumps, loads = _c_dumps, _c_loads
else:  # pragma: no cover - a Python whose _json differs
    import json

    def dumps(value, default):
        return json.dumps(value, separators=(',', ':'), allow_nan=False, default=default)

    loads = json.loads
