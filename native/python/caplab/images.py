"""Camera images as the robot API returns them: ``Image`` objects with a shape and raw pixels.

An image is row-major: colour (``kind == 'rgb'``) is uint8 height × width × 3, depth is float32
metres along the camera axis (0 where nothing was hit), a mask is uint8 (1 on the object).
``img[v, u]`` reads a pixel; ``img.to_numpy()`` gives a numpy array when numpy is installed.
Passing an image back to the API (``segment(obs['rgb'], 'cube')``) sends only its id.
"""

# binascii, not base64: base64 is a wrapper that costs every policy process its import at start.
import binascii


class Image:
    """One image from the robot API."""

    def __init__(self, wire):
        self.id = wire['id']
        self.kind = wire['kind']
        self.camera = wire.get('camera')
        self.shape = tuple(wire['shape'])
        self.dtype = wire['dtype']
        self._b64 = wire.get('b64')
        self._pixels = None
        self._edited = False

    @property
    def height(self):
        return self.shape[0]

    @property
    def width(self):
        return self.shape[1]

    @property
    def pixels(self):
        """The pixel values as a flat, writable memoryview (uint8 or float32)."""
        if self._pixels is None:
            raw = bytearray(binascii.a2b_base64(self._b64 or ''))
            self._pixels = memoryview(raw).cast('f') if self.dtype == 'float32' else memoryview(raw)
        return self._pixels

    def _index(self, key):
        v, u = key[0], key[1]
        if not (0 <= v < self.height and 0 <= u < self.width):
            raise IndexError(f'pixel ({v}, {u}) is outside the {self.height}×{self.width} image')
        if len(self.shape) == 3:
            channel = key[2] if len(key) > 2 else None
            base = (v * self.width + u) * self.shape[2]
            return base if channel is None else base + channel, channel is None
        return v * self.width + u, False

    def __getitem__(self, key):
        index, whole_pixel = self._index(key)
        if whole_pixel:
            return tuple(self.pixels[index:index + self.shape[2]])
        return self.pixels[index]

    def __setitem__(self, key, value):
        index, whole_pixel = self._index(key)
        if whole_pixel:
            raise TypeError('set one channel at a time: img[v, u, c] = value')
        self.pixels[index] = value
        self._edited = True

    def count_nonzero(self):
        """Number of non-zero values (for a mask: pixels on the object)."""
        return sum(1 for value in self.pixels if value)

    def nonzero(self):
        """(v, u) of every non-zero pixel of a one-channel image."""
        width = self.width
        return [divmod(i, width) for i, value in enumerate(self.pixels) if value]

    def tolist(self):
        """Nested lists, rows first."""
        flat = list(self.pixels)
        row = self.width * (self.shape[2] if len(self.shape) == 3 else 1)
        rows = [flat[i:i + row] for i in range(0, len(flat), row)]
        if len(self.shape) == 3:
            c = self.shape[2]
            rows = [[r[i:i + c] for i in range(0, len(r), c)] for r in rows]
        return rows

    def to_numpy(self):
        """A numpy array of the image (needs numpy)."""
        import numpy
        return numpy.frombuffer(self.pixels.tobytes(), dtype=self.dtype).reshape(self.shape)

    def _to_wire(self):
        wire = {'id': self.id}
        if self._edited:
            wire['b64'] = binascii.b2a_base64(self.pixels.tobytes(), newline=False).decode('ascii')
        return {'__image__': wire}

    def __repr__(self):
        return f'<Image {self.kind} {"×".join(map(str, self.shape))} {self.dtype} from {self.camera!r}>'


def from_wire(value):
    """Turn wire images inside a returned value into ``Image`` objects."""
    if isinstance(value, dict):
        if '__image__' in value and len(value) == 1:
            return Image(value['__image__'])
        return {key: from_wire(item) for key, item in value.items()}
    if isinstance(value, list):
        return [from_wire(item) for item in value]
    return value
