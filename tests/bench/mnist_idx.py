"""Reading the prepared data/mnist IDX files, for the PyTorch peers."""
import struct

import numpy as np


def read_idx(path):
    """An IDX image file (magic 0x00000803) as an N x (rows * cols) array."""
    with open(path, "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 0x00000803, path
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(n, rows * cols)
